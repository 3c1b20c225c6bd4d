"""Nothing acknowledged is lost: statements survive ``kill -9`` of a real server process."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from laeringsarena.lrs.tests.factories import statement

ROOT = Path(__file__).resolve().parents[4]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: val for k, val in os.environ.items() if not k.startswith("LAERINGSARENA_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "laeringsarena.settings",
            "LAERINGSARENA_VAR_DIR": str(var_dir),
            "LAERINGSARENA_SECRET_KEY": "durability-test",
            "LAERINGSARENA_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    env.pop("DJANGO_TESTING", None)
    return env


def _start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(GUNICORN), "laeringsarena.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/xapi/about", timeout=20)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start")


def _request(port: int, auth: str, method: str, path: str, body: object | None = None) -> object:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={
            "Authorization": f"Basic {auth}",
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_acknowledged_statements_survive_kill_9(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env = _env(var_dir)
    python = sys.executable
    subprocess.run([python, "-m", "django", "migrate", "--noinput", "-v0"], env=env, check=True)
    setup = ROOT / "scripts" / "lrs-conformance" / "setup_client.py"
    key, secret = subprocess.run(
        [python, str(setup)], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    auth = base64.b64encode(f"{key}:{secret}".encode()).decode()
    port = _free_port()
    server = _start(env, port)
    acknowledged: list[str] = []
    try:
        for batch in range(5):
            statements = [statement(n, id=str(uuid.uuid4())) for n in range(batch * 50, batch * 50 + 50)]
            ids = _request(port, auth, "POST", "/xapi/statements", statements)
            assert isinstance(ids, list)
            acknowledged += ids
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # kill -9, no clean shutdown
        server.wait()
    port = _free_port()
    server = _start(env, port)
    try:
        found: list[str] = []
        page = _request(port, auth, "GET", "/xapi/statements?limit=100")
        while True:
            assert isinstance(page, dict)
            found += [s["id"] for s in page["statements"]]
            if not page["more"]:
                break
            page = _request(port, auth, "GET", page["more"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    assert set(acknowledged) <= set(found)
    assert len(acknowledged) == 250
