# ruff: noqa: E501, S603 - report lines; the benchmark starts the servers it measures
"""LRS benchmark: our xAPI LRS on SQLite and PostgreSQL beside Ralph (ralph-malph), over HTTP.

    .venv/bin/python benchmarks/lrs/run.py                          # 1,000,000 stored statements, both databases, Ralph
    .venv/bin/python benchmarks/lrs/run.py --statements 20000       # a quick smoke run (a few minutes)
    .venv/bin/python benchmarks/lrs/run.py --database sqlite --skip-ralph
    .venv/bin/python benchmarks/lrs/run.py --pg-url postgres://u:p@127.0.0.1:5432/empty_db

Every server is measured the same way, through the xAPI protocol (Basic auth,
``X-Experience-API-Version: 1.0.3``), by a client on the same machine:

* ingest: POST /statements with batches of 100 and of 1,000 statements (one client posting
  one batch after the other), and batches of 1,000 from ``--clients`` clients at once; three
  runs each, the median run's statements/s. Measured on the empty store and again once it
  holds ``--statements``.
* seeding: the store is filled to ``--statements`` with batches of 1,000 from ``--clients``
  parallel clients (the rate is reported). Ralph's file backend checks every POSTed id by
  reading its whole file, so Ralph is seeded through its own validation and backend write
  instead (see ralph_server.py), and its ingest rows at that size are cut off after
  ``--ralph-budget`` seconds.
* queries: GET /statements with ``limit=100``, ``--queries`` different parameter sets each
  (after 10 warm-up queries), one client: agent+verb+since (the target query), agent,
  activity with related_activities, registration, verb+since+until, and following the
  ``more`` link of the activity query. p50/p95/p99 in ms and the mean number of statements.

Our server: ``laeringsarena serve`` (gunicorn, its default worker count) on a fresh SQLite
file (WAL, synchronous=NORMAL) or a throwaway PostgreSQL cluster started from Debian's binaries
with its default settings (fsync and synchronous_commit on), ANALYZEd after seeding as
autovacuum would. Ralph 5.1.0: uvicorn, one worker, fs backend, in its own virtualenv
(``var/ralph-venv``, created on first use).

Targets (issue 5): ≥ 5,000 statements/s ingest, p95 ≤ 50 ms for agent+verb+since at 1M.
The exit status is 1 when one of ours misses a target.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from statements import YEAR_END, YEAR_START, Generator, Population, course_id, encode  # noqa: E402

BIN = ROOT / ".venv" / "bin"
RALPH_VERSION = "5.1.0"
INGEST_TARGET = 5000.0
QUERY_TARGET_MS = 50.0
# (label, batch size, clients, batches per run)
INGEST_ROWS = [
    ("POST batches of 100, 1 client", 100, 1, 10),
    ("POST batches of 1,000, 1 client", 1000, 1, 3),
    ("POST batches of 1,000, {clients} clients", 1000, 0, 8),
]
RUNS = 3  # per ingest row; 1 below 100,000 statements (smoke runs)
QUERY_ROWS = [
    "agent + verb + since",
    "agent",
    "activity + related_activities",
    "registration",
    "verb + since + until",
    "more (next page of activity)",
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- HTTP -----------------------------------------------------------------------------------


class Xapi:
    """One keep-alive connection to an LRS; one per thread."""

    def __init__(self, port: int, base: str, user: str, password: str) -> None:
        self.port, self.base = port, base.rstrip("/")
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes, float]:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            began = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - began
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, data, elapsed
        raise AssertionError("unreachable")

    retries = 0  # 503 answers ("busy, nothing stored, try again"), all clients together
    retry_lock = threading.Lock()

    def post(self, body: bytes, expected: int) -> float:
        """POST a batch; a 503 is retried (as a client would) after half a second, at most 10 times.

        The time of the failed attempts and the pauses count: the returned seconds run from
        the first attempt to the answer that stored the batch.
        """
        began = time.perf_counter()
        for _ in range(10):
            status, data, _elapsed = self.request("POST", f"{self.base}/statements", body)
            if status != 503:
                break
            with Xapi.retry_lock:
                Xapi.retries += 1
            time.sleep(0.5)
        elapsed = time.perf_counter() - began
        if status != 200 or len(json.loads(data)) != expected:
            raise RuntimeError(f"POST {self.base}/statements answered {status}: {data[:500]!r}")
        return elapsed

    def get(self, path_and_query: str) -> tuple[dict, float]:
        path = (
            path_and_query if path_and_query.startswith("/") else f"{self.base}/statements?{path_and_query}"
        )
        status, data, elapsed = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {data[:500]!r}")
        return json.loads(data), elapsed


# --- Servers --------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int = 0
    base: str = "/xapi"
    user: str = ""
    password: str = ""
    process: subprocess.Popen | None = None
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="la-lrs-bench-")))
    budget: float | None = None  # seconds per measurement row (Ralph on a large store)
    note: str = ""

    def client(self) -> Xapi:
        return Xapi(self.port, self.base, self.user, self.password)

    def wait_until_up(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.tmp}/server.log")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", path, headers={"X-Experience-API-Version": "1.0.3"})
                if conn.getresponse().status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def seed(self, batches: list[bytes], clients: int, on_progress: Callable[[int], None]) -> None:
        parallel_post(self, batches, clients, on_progress)

    def after_seeding(self) -> None:
        return None

    def cleanup(self, keep: bool) -> None:
        self.stop()
        if not keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


class Postgres:
    """A throwaway cluster like scripts/test.sh starts, but with durability on (the defaults)."""

    def __init__(self) -> None:
        initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
        if not initdb:
            raise RuntimeError("PostgreSQL is not installed (Debian package postgresql); or pass --pg-url")
        self.bindir = initdb[-1].parent
        self.version = self.bindir.parent.name
        self.tmp = Path(tempfile.mkdtemp(prefix="la-lrs-pg-", dir="/tmp"))
        self.root = os.geteuid() == 0
        if self.root:
            shutil.chown(self.tmp, "postgres")
        password = secrets.token_hex(12)
        self._run(
            "initdb",
            "-D",
            str(self.tmp / "data"),
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
        )
        self.port = free_port()
        self._run(
            "pg_ctl",
            "-D",
            str(self.tmp / "data"),
            "-l",
            str(self.tmp / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.tmp}",
            "start",
        )
        self.psql(
            f"CREATE ROLE laeringsarena LOGIN CREATEDB PASSWORD '{password}'",
            "CREATE DATABASE laeringsarena OWNER laeringsarena",
        )
        self.url = f"postgres://laeringsarena:{password}@127.0.0.1:{self.port}/laeringsarena"

    def _run(self, tool: str, *args: str) -> str:
        command = [str(self.bindir / tool), *args]
        if self.root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, cwd=self.tmp, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def psql(self, *commands: str, database: str = "postgres") -> str:
        args = [
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(self.tmp),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
        ]
        for command in commands:
            args += ["-c", command]
        return self._run("psql", *args)

    def stop(self) -> None:
        if (self.tmp / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.tmp / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.tmp, ignore_errors=True)


class Ours(Server):
    def __init__(self, database: str, pg_url: str | None, workers: int | None) -> None:
        super().__init__(
            name="Læringsarena (SQLite)" if database == "sqlite" else "Læringsarena (PostgreSQL)"
        )
        self.database, self.cluster = database, None
        if database == "sqlite":
            url = f"sqlite:///{self.tmp}/lrs.sqlite3"
            self.note = "SQLite file, WAL, synchronous=NORMAL"
        elif pg_url:
            url = pg_url
            self.note = "PostgreSQL from --pg-url"
        else:
            self.cluster = Postgres()
            url = self.cluster.url
            self.note = f"PostgreSQL {self.cluster.version}, throwaway cluster, default settings (fsync on)"
        self.env = {
            **os.environ,
            "LAERINGSARENA_VAR_DIR": str(self.tmp),
            "LAERINGSARENA_DATABASE_URL": url,
            "LAERINGSARENA_SECRET_KEY": "benchmark-only-not-secret",
            "LAERINGSARENA_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "laeringsarena.settings",
        }
        self.env.pop("LAERINGSARENA_DEMO", None)
        self.workers = workers

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "laeringsarena"), *args], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"laeringsarena {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def start(self) -> None:
        log(f"{self.name}: migrate, collectstatic, organisation, LRS client")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.manage(
            "shell",
            "-c",
            "from laeringsarena.organisations.models import Organisation, OrganisationKind as K\n"
            "p = Organisation.objects.filter(kind=K.PLATFORM).first() or Organisation.objects.create(kind=K.PLATFORM, name='Læringsarena', slug='laeringsarena')\n"
            "Organisation.objects.get_or_create(slug='lrsbench', defaults={'kind': K.MUNICIPALITY, 'name': 'LRS-benchmark kommune', 'parent': p})",
        )
        out = self.manage("lrs", "create-client", "--org", "lrsbench", "--json")
        credentials = json.loads(out[out.index("{") :])
        self.user, self.password = credentials["key"], credentials["secret"]
        self.port = free_port()
        args = [str(BIN / "laeringsarena"), "serve", "--port", str(self.port)]
        if self.workers:
            args += ["--workers", str(self.workers)]
        with (self.tmp / "server.log").open("wb") as out_file:
            self.process = subprocess.Popen(args, env=self.env, stdout=out_file, stderr=subprocess.STDOUT)
        self.wait_until_up("/xapi/about")
        log(f"{self.name}: serving on port {self.port}")

    def after_seeding(self) -> None:
        if self.cluster is not None:
            log(f"{self.name}: ANALYZE")
            self.cluster.psql("ANALYZE", database="laeringsarena")
        elif self.database == "sqlite":
            # What the nightly job lrs.refresh_statistics does (ANALYZE, PRAGMA optimize).
            log(f"{self.name}: lrs refresh_statistics (ANALYZE)")
            self.manage(
                "shell",
                "-c",
                "from laeringsarena.lrs.services import refresh_statistics; refresh_statistics()",
            )

    def cleanup(self, keep: bool) -> None:
        self.stop()
        if self.cluster is not None:
            self.cluster.stop()
        super().cleanup(keep)


class Ralph(Server):
    def __init__(self, venv: Path, budget: float) -> None:
        super().__init__(
            name=f"Ralph {RALPH_VERSION} (fs)",
            base="/xAPI",
            user="bench",
            password="bench-secret",  # noqa: S106 - the benchmark's own throwaway Ralph user
            budget=None,
        )
        self.venv, self.later_budget = venv, budget
        self.note = "ralph-malph 5.1.0, uvicorn 1 worker, fs backend (one JSON-lines file)"

    @staticmethod
    def ensure_venv(venv: Path) -> None:
        python = venv / "bin" / "python"
        if (
            python.exists()
            and subprocess.run(
                [str(python), "-c", "import ralph.api, requests"], capture_output=True, check=False
            ).returncode
            == 0
        ):
            return
        log(f"creating {venv} with ralph-malph[lrs,cli]=={RALPH_VERSION}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        # ralph.api imports requests (for OpenID Connect) without declaring it in the lrs extra.
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"ralph-malph[lrs,cli]=={RALPH_VERSION}", "requests"],
            check=True,
        )

    def start(self) -> None:
        self.port = free_port()
        with (self.tmp / "server.log").open("wb") as out_file:
            self.process = subprocess.Popen(
                [
                    str(self.venv / "bin" / "python"),
                    str(HERE / "ralph_server.py"),
                    "serve",
                    str(self.tmp),
                    str(self.port),
                ],
                stdout=out_file,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_up("/whoami")
        log(f"{self.name}: serving on port {self.port}")

    def seed(self, batches: list[bytes], clients: int, on_progress: Callable[[int], None]) -> None:
        with (self.tmp / "seed.log").open("wb") as err:
            process = subprocess.Popen(
                [str(self.venv / "bin" / "python"), str(HERE / "ralph_server.py"), "seed", str(self.tmp)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
            )
            assert process.stdin is not None
            done = 0
            for batch in batches:
                process.stdin.write(batch + b"\n")
                done += batch.count(b'"actor"')  # only for the progress line
                on_progress(done)
            out, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"Ralph seeding failed, see {self.tmp}/seed.log")
        log(f"{self.name}: seeded {out.decode().strip()} statements")

    def after_seeding(self) -> None:
        self.budget = self.later_budget


def parallel_post(
    server: Server,
    batches: list[bytes],
    clients: int,
    on_progress: Callable[[int], None] | None = None,
    sizes: list[int] | None = None,
) -> tuple[int, float]:
    """POST the batches from ``clients`` threads; returns (statements stored, seconds)."""
    local = threading.local()
    lock = threading.Lock()
    done = [0]
    deadline = time.monotonic() + server.budget if server.budget else None
    counts = sizes or [b.count(b'"actor"') for b in batches]

    def post(index: int) -> int:
        if deadline is not None and time.monotonic() > deadline:
            return 0
        if not hasattr(local, "xapi"):
            local.xapi = server.client()
        local.xapi.post(batches[index], counts[index])
        with lock:
            done[0] += counts[index]
            if on_progress:
                on_progress(done[0])
        return counts[index]

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        stored = sum(pool.map(post, range(len(batches))))
    return stored, time.perf_counter() - began


# --- Workload -------------------------------------------------------------------------------


@dataclass
class Workload:
    seed_batches: list[bytes]
    ingest: dict[str, list[list[bytes]]]  # phase + row label -> runs -> batches
    samples: list[dict]  # statements from the seeded set, for query parameters
    seeded: int
    runs: int


def build_workload(total: int, queries: int, clients: int, runs: int | None = None) -> Workload:
    generator = Generator(Population())
    ingest: dict[str, list[list[bytes]]] = {}
    runs = runs or (RUNS if total >= 100_000 else 1)
    empty_phase = 0
    for phase in ("empty", "full"):
        for label, size, _, per_run in INGEST_ROWS:
            ingest[f"{phase}:{label}"] = [
                [encode(b) for b in generator.batches(size * per_run, size)] for _ in range(runs)
            ]
            if phase == "empty":
                empty_phase += size * per_run * runs
    seeded = max(0, total - empty_phase)  # the store holds `total` after seeding
    if not seeded:
        raise SystemExit(f"--statements must be above {empty_phase:,} (the ingest runs on the empty store)")
    rng = random.Random(7)  # noqa: S311 - benchmark data
    keep = max(1, seeded // (queries * 8)) if seeded else 1
    samples: list[dict] = []
    seed_batches = []
    for batch in generator.batches(seeded, 1000):
        samples.extend(s for s in batch if rng.randrange(keep) == 0)
        seed_batches.append(encode(batch))
    rng.shuffle(samples)
    return Workload(seed_batches, ingest, samples, seeded, runs)


# --- Measuring ------------------------------------------------------------------------------


@dataclass
class Results:
    server: Server
    runs: int = RUNS
    ingest: dict[str, float | None] = field(default_factory=dict)  # statements/s
    ingest_note: dict[str, str] = field(default_factory=dict)
    seeding_rate: float = 0.0
    seeding_seconds: float = 0.0
    retries: int = 0
    queries: dict[str, tuple[float, float, float, float, int]] = field(
        default_factory=dict
    )  # p50, p95, p99, mean n, count


def measure_ingest(server: Server, workload: Workload, phase: str, clients: int, results: Results) -> None:
    for label, size, row_clients, _ in INGEST_ROWS:
        key = f"{phase}:{label}"
        rates = []
        stopped = False
        for run in workload.ingest[key]:
            if stopped:
                break
            began = time.monotonic()
            stored, seconds = parallel_post(server, run, row_clients or clients, sizes=[size] * len(run))
            if stored:
                rates.append(stored / seconds)
            if server.budget and time.monotonic() - began > server.budget:
                stopped = True
                results.ingest_note[key] = f"{len(rates)} run(s), cut at {server.budget:.0f} s"
        results.ingest[key] = statistics.median(rates) if rates else None
        log(
            f"{server.name}: {phase} store, {label.format(clients=clients)}: "
            + (f"{results.ingest[key]:,.0f} statements/s" if rates else "no batch finished in the budget")
        )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def query_sets(
    server: Server, workload: Workload, count: int, anchors: list[tuple[float, int]]
) -> dict[str, list[str]]:
    """The same parameter sets for every server; only since/until differ (see the note)."""
    rng = random.Random(11)  # noqa: S311 - benchmark data
    samples = workload.samples
    needed = count + 10
    ralph = isinstance(server, Ralph)
    total = anchors[-1][1] if anchors else 0

    def stored_at(fraction: float) -> dt.datetime:
        """Wall-clock time by which ``fraction`` of the seeded statements were stored."""
        goal = fraction * total
        for moment, done in anchors:
            if done >= goal:
                return dt.datetime.fromtimestamp(moment, tz=dt.UTC)
        return dt.datetime.fromtimestamp(anchors[-1][0], tz=dt.UTC)

    def since_half() -> str:
        if ralph:  # Ralph's fs backend filters since/until on timestamp
            return (YEAR_START + (YEAR_END - YEAR_START) / 2).isoformat()
        return stored_at(0.5).isoformat()

    def window() -> tuple[str, str]:
        start = rng.random() * 0.99
        if ralph:
            span = YEAR_END - YEAR_START
            return (YEAR_START + span * start).isoformat(), (YEAR_START + span * (start + 0.01)).isoformat()
        return stored_at(start).isoformat(), stored_at(start + 0.01).isoformat()

    def q(**params: object) -> str:
        return urllib.parse.urlencode({**params, "limit": 100})

    sets: dict[str, list[str]] = {label: [] for label in QUERY_ROWS[:-1]}
    for i in range(needed):
        s = samples[i % len(samples)]
        actor = json.dumps(s["actor"], separators=(",", ":"))
        sets["agent + verb + since"].append(q(agent=actor, verb=s["verb"]["id"], since=since_half()))
        sets["agent"].append(q(agent=actor))
        sets["activity + related_activities"].append(
            q(activity=course_id(int(s["object"]["id"].split("/")[-3])), related_activities="true")
        )
        sets["registration"].append(q(registration=s["context"]["registration"]))
        verb = samples[(i * 7 + 3) % len(samples)]["verb"]["id"]
        since, until = window()
        sets["verb + since + until"].append(q(verb=verb, since=since, until=until))
    return sets


def measure_queries(
    server: Server,
    workload: Workload,
    count: int,
    anchors: list[tuple[float, int]],
    results: Results,
    query_budget: float = 0.0,
) -> None:
    xapi = server.client()
    sets = query_sets(server, workload, count, anchors)
    more_links: list[str] = []
    for label in QUERY_ROWS:
        params = sets.get(label, more_links)
        timings, sizes = [], []
        warm_up = 0 if label.startswith("more") else 1 if server.budget else 10
        began = time.monotonic()
        for i, query in enumerate(params):
            body, elapsed = xapi.get(query)
            if label == "activity + related_activities" and body.get("more"):
                more_links.append(body["more"])
            if i >= warm_up:
                timings.append(elapsed * 1000)
                sizes.append(len(body["statements"]))
            budget = server.budget or query_budget
            if budget and time.monotonic() - began > budget and len(timings) >= 3:
                break
        if not timings:
            log(f"{server.name}: {label}: nothing to measure (no `more` links?)")
            continue
        results.queries[label] = (
            statistics.median(timings),
            _percentile(timings, 0.95),
            _percentile(timings, 0.99),
            statistics.fmean(sizes),
            len(timings),
        )
        p50, p95, p99, mean, n = results.queries[label]
        log(
            f"{server.name}: GET {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, {mean:.1f} statements, n={n}"
        )


RESULTS_DIR = ROOT / "var" / "lrs-benchmark"


def _saved(name: str, statements: int) -> Path:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return RESULTS_DIR / f"{slug}-{statements}.json"


def save(results: Results, statements: int) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in vars(results).items() if k != "server"}
    data |= {
        "name": results.server.name,
        "note": results.server.note,
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
    }
    _saved(results.server.name, statements).write_text(json.dumps(data, indent=1))


def load(server: Server, statements: int) -> Results | None:
    path = _saved(server.name, statements)
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    server.note += f" (measured {data.pop('date')}, reused)"
    data.pop("name"), data.pop("note")
    data["queries"] = {k: tuple(v) for k, v in data["queries"].items()}
    return Results(server, **data)


def run_server(server: Server, workload: Workload, args: argparse.Namespace) -> Results:
    results = Results(server, workload.runs)
    Xapi.retries = 0
    try:
        server.start()
        measure_ingest(server, workload, "empty", args.clients, results)
        anchors: list[tuple[float, int]] = []
        last_log = [time.monotonic()]

        def progress(done: int) -> None:
            anchors.append((time.time(), done))
            if time.monotonic() - last_log[0] > 30:
                last_log[0] = time.monotonic()
                rate = done / max(1e-9, time.perf_counter() - began)
                log(f"{server.name}: seeding {done:,}/{workload.seeded:,} ({rate:,.0f} statements/s)")

        log(f"{server.name}: seeding {workload.seeded:,} statements")
        began = time.perf_counter()
        server.seed(workload.seed_batches, args.clients, progress)
        results.seeding_seconds = time.perf_counter() - began
        results.seeding_rate = workload.seeded / results.seeding_seconds if workload.seeded else 0.0
        log(
            f"{server.name}: seeded in {results.seeding_seconds:.0f} s ({results.seeding_rate:,.0f} statements/s)"
        )
        server.after_seeding()
        measure_ingest(server, workload, "full", args.clients, results)
        measure_queries(
            server, workload, args.queries, anchors or [(time.time(), 1)], results, args.query_budget
        )
    finally:
        server.cleanup(args.keep)
    results.retries = Xapi.retries
    save(results, args.statements)
    return results


# --- Report ---------------------------------------------------------------------------------


def report(all_results: list[Results], args: argparse.Namespace, began: float) -> bool:
    ours = [r for r in all_results if not isinstance(r.server, Ralph)]
    ralph = next((r for r in all_results if isinstance(r.server, Ralph)), None)
    names = [r.server.name for r in all_results]
    ratio_names = [f"{r.server.name.split('(')[1].rstrip(')')} ÷ Ralph" for r in ours] if ralph else []
    ok = True

    print()
    print(
        f"LRS benchmark · {dt.datetime.now(dt.UTC).date().isoformat()} · {os.cpu_count()} cores · {args.statements:,} statements stored before the queries "
        f"(+ the ingest runs) · client and servers on one machine · {time.monotonic() - began:.0f} s in all"
    )
    for r in all_results:
        retried = f"; {r.retries} POST(s) answered 503 (busy) and were retried" if r.retries else ""
        print(f"  {r.server.name}: {r.server.note}{retried}")
    print()
    print(f"Ingest (statements/s, median of {all_results[0].runs} run(s); higher is better)")
    header = ["", *names, *ratio_names, f"≥ {INGEST_TARGET:,.0f}/s"]
    rows = []
    for phase, phase_label in (("empty", "empty store"), ("full", f"{args.statements:,} stored")):
        for label, _, _, _ in INGEST_ROWS:
            key = f"{phase}:{label}"
            cells = [f"{label.format(clients=args.clients)}, {phase_label}"]
            for r in all_results:
                value = r.ingest.get(key)
                note = r.ingest_note.get(key)
                cells.append(("–" if value is None else f"{value:,.0f}") + (f" ({note})" if note else ""))
            for r in ours if ralph else []:
                cells.append(_ratio(r.ingest.get(key), ralph.ingest.get(key) if ralph else None))
            verdicts = [(r.ingest.get(key) or 0) >= INGEST_TARGET for r in ours]
            ok &= all(verdicts)
            cells.append(" / ".join("yes" if v else "NO" for v in verdicts))
            rows.append(cells)
    cells = [
        "seeding ("
        + ("Ralph: backend write, no HTTP; " if ralph else "")
        + f"ours: {args.clients} clients × 1,000)"
    ]
    for r in all_results:
        cells.append(f"{r.seeding_rate:,.0f}")
    for r in ours if ralph else []:
        cells.append(_ratio(r.seeding_rate, ralph.seeding_rate if ralph else None))
    cells.append("")
    rows.append(cells)
    _table(header, rows)

    print()
    print(
        f"GET /statements at {args.statements:,} stored (ms p50 / p95 / p99, mean statements returned, queries; ratio = Ralph p95 ÷ ours p95)"
    )
    header = ["", *names, *ratio_names, f"p95 ≤ {QUERY_TARGET_MS:.0f} ms"]
    rows = []
    for label in QUERY_ROWS:
        cells = [label]
        for r in all_results:
            if label in r.queries:
                p50, p95, p99, mean, n = r.queries[label]
                cells.append(f"{p50:.1f} / {p95:.1f} / {p99:.1f} · {mean:.0f} · n={n}")
            else:
                cells.append("–")
        for r in ours if ralph else []:  # ratio columns only beside Ralph
            mine = r.queries.get(label)
            theirs = ralph.queries.get(label) if ralph else None
            cells.append(_ratio(theirs[1] if theirs else None, mine[1] if mine else None))
        if label == QUERY_ROWS[0]:
            verdicts = [label in r.queries and r.queries[label][1] <= QUERY_TARGET_MS for r in ours]
            ok &= all(verdicts)
            cells.append(" / ".join("yes" if v else "NO" for v in verdicts))
        else:
            cells.append("–")
        rows.append(cells)
    _table(header, rows)
    print()
    if ralph:
        print(
            "Notes: Ralph's fs backend filters since/until on `timestamp` (the spec says `stored`), so its windows are taken on"
        )
        print(
            "timestamps and ours on stored times, each covering the same share of the store (half; 1 %). Ralph validates only the"
        )
        print(
            "bare minimum of a statement (LaxStatement); ours validates the whole statement. Ralph's fs backend does not fsync."
        )
        print(
            "Ratio columns: ingest = ours ÷ Ralph, queries = Ralph p95 ÷ ours p95 (above 1: ours is faster)."
        )
    print()
    return ok


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:,.1f}×" if a / b >= 1 else f"{a / b:.2f}×"


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" if i else "-" * (w + 2) for i, w in enumerate(widths)) + "|")
    for row in rows:
        print(
            "| "
            + " | ".join(
                (c.ljust(w) if i == 0 else c.rjust(w))
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            + " |"
        )


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(143)  # so that the servers and the PostgreSQL cluster are stopped


def main() -> None:
    signal.signal(signal.SIGTERM, _exit_on_term)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--statements", type=int, default=1_000_000, help="statements stored before the queries"
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres", "both", "none"),
        default="both",
        help="ours on which database(s); none: only Ralph",
    )
    parser.add_argument("--pg-url", help="an EMPTY PostgreSQL database instead of a throwaway cluster")
    parser.add_argument("--skip-ralph", action="store_true")
    parser.add_argument("--ralph-venv", type=Path, default=ROOT / "var" / "ralph-venv")
    parser.add_argument(
        "--reuse-ralph",
        action="store_true",
        help="take Ralph's results from an earlier run at the same --statements (var/lrs-benchmark/)",
    )
    parser.add_argument(
        "--ralph-budget", type=float, default=90.0, help="seconds per row for Ralph once seeded"
    )
    parser.add_argument(
        "--runs", type=int, help="runs per ingest row (default 3; 1 below 100,000 statements)"
    )
    parser.add_argument(
        "--query-budget",
        type=float,
        default=0.0,
        help="stop a query row of ours after this many seconds (at least 3 queries; default: no limit)",
    )
    parser.add_argument(
        "--queries", type=int, default=200, help="measured queries per row (after 10 warm-up)"
    )
    parser.add_argument(
        "--clients", type=int, default=4, help="parallel clients for seeding and the parallel ingest row"
    )
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers for our server (default: serve's default)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directories (logs, databases)"
    )
    args = parser.parse_args()
    began = time.monotonic()

    log(f"generating {args.statements:,} statements and the ingest runs")
    workload = build_workload(args.statements, args.queries, args.clients, args.runs)
    log(f"generated {workload.seeded:,} statements to seed, {len(workload.samples):,} samples for queries")

    all_results = []
    databases = {"both": ["sqlite", "postgres"], "none": []}.get(args.database, [args.database])
    failed = []
    for database in databases:
        try:
            all_results.append(run_server(Ours(database, args.pg_url, args.workers), workload, args))
        except Exception as error:  # noqa: BLE001 - report the others, then fail
            log(f"{database}: FAILED: {error}")
            failed.append(database)
    if not args.skip_ralph:
        ralph = Ralph(args.ralph_venv, args.ralph_budget)
        reused = load(ralph, args.statements) if args.reuse_ralph else None
        if reused:
            ralph.cleanup(keep=False)
            all_results.append(reused)
        else:
            Ralph.ensure_venv(args.ralph_venv)
            all_results.append(run_server(ralph, workload, args))
    ok = report(all_results, args, began) if all_results else False
    for database in failed:
        print(f"Our server on {database} FAILED (see the log above).")
    sys.exit(0 if ok and not failed else 1)


if __name__ == "__main__":
    main()
