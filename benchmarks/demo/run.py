"""How long the demo takes to load: in total, the people, and each app's ``demo.load()``.

    .venv/bin/python benchmarks/demo/run.py                       # SQLite in a temp dir
    .venv/bin/python benchmarks/demo/run.py --pg postgres://u:p@127.0.0.1:5432/empty_db

One command, one fresh database, one table: the first load (what `make run` does once) and a
second load on the same database (idempotent: it only repairs the logins). The demo is loaded
by several tests and by `make run`, so this is where its speed is tracked (no timing asserts in
unit tests).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def setup(database_url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="la-demo-bench-")
    os.environ["LAERINGSARENA_VAR_DIR"] = tmp
    os.environ["LAERINGSARENA_DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("LAERINGSARENA_SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laeringsarena.settings")
    os.environ.setdefault("LAERINGSARENA_DEMO", "1")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", default="", help="an empty PostgreSQL database URL (default: SQLite)")
    args = parser.parse_args()
    setup(args.pg or None)

    from laeringsarena.demo import services

    timings: dict[str, list[float]] = {}

    def timed(app: str, load: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            started = time.perf_counter()
            try:
                return load()
            finally:
                timings.setdefault(app, []).append(time.perf_counter() - started)

        return run

    for app in services.DEMO_APPS:
        try:
            module = importlib.import_module(f"laeringsarena.{app}.demo")
        except ModuleNotFoundError:
            continue
        module.load = timed(app, module.load)  # type: ignore[attr-defined]

    totals = []
    for _ in range(2):
        started = time.perf_counter()
        summary = services.load_demo()
        totals.append(time.perf_counter() - started)
    from laeringsarena.credentials.models import IssuedCredential
    from laeringsarena.people.models import Person

    apps_first = sum(t[0] for t in timings.values())
    engine = "PostgreSQL" if args.pg else "SQLite"
    people, credentials = Person.objects.count(), IssuedCredential.objects.count()
    print(f"\n## Demo load ({engine}; {people} people, {credentials} signed credentials)\n")
    print("| part | first load s | second load s |")
    print("|---|---:|---:|")
    print(f"| people, organisations, logins | {totals[0] - apps_first:.2f} | – |")
    for app, runs in timings.items():
        second = f"{runs[1]:.2f}" if len(runs) > 1 else "–"
        print(f"| {app} | {runs[0]:.2f} | {second} |")
    print(f"| **total** | **{totals[0]:.2f}** | **{totals[1]:.2f}** |")
    print(f"\nload average: {os.getloadavg()[0]:.2f}; created: {summary is not None}")


if __name__ == "__main__":
    main()
