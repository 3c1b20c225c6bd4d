"""The production server and the console script, run for real as subprocesses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).parent / "laeringsarena")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def instance_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAERINGSARENA_", "DJANGO_"))}
    env.update(
        {
            "LAERINGSARENA_VAR_DIR": str(tmp_path),
            # Always a throwaway SQLite file: never touch the database the suite runs on.
            "LAERINGSARENA_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "LAERINGSARENA_SECRET_KEY": "serve-test-secret",
        }
    )
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def test_console_script_accepts_hyphenated_command_names(instance_env):
    result = _run(instance_env, "import-employees", "--help")
    assert result.returncode == 0, result.stderr
    assert "--org" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(instance_env):
    del instance_env["LAERINGSARENA_SECRET_KEY"]
    result = _run(instance_env, "check")
    assert result.returncode != 0
    assert "LAERINGSARENA_SECRET_KEY" in result.stderr


def test_serve_runs_gunicorn_with_static_files_and_health(instance_env):
    assert _run(instance_env, "migrate", "--no-input").returncode == 0
    assert _run(instance_env, "collectstatic", "--no-input").returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [SCRIPT, "serve", "--port", str(port), "--workers", "2"],
        env=instance_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    health = response.read().decode()
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert '"database": {"status": "ok"' in health
        with urllib.request.urlopen(f"{base}/logg-inn/", timeout=5) as response:
            page = response.read().decode()
        css_path = page.split('rel="stylesheet" href="')[1].split('"')[0]
        assert (
            css_path.startswith("/static/laeringsarena/app.") and css_path != "/static/laeringsarena/app.css"
        )
        with urllib.request.urlopen(f"{base}{css_path}", timeout=5) as response:
            assert "max-age" in response.headers["Cache-Control"]  # hashed file, cached for long
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/nowhere/", timeout=5)
        assert missing.value.code == 404
        assert "Traceback" not in missing.value.read().decode()  # DEBUG is off
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=15)
    assert "Booting worker" in output
    # The search index is built once in the master, before the workers are forked.
    ready = output.index("Search index ready before fork")
    assert ready < output.index("Booting worker")
