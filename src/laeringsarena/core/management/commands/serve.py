"""``laeringsarena serve``: the production server (gunicorn, several workers, DEBUG off)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def default_workers() -> int:
    # gunicorn's rule of thumb, capped: SQLite has one writer, and a small box has little RAM.
    return min(2 * (os.cpu_count() or 1) + 1, 8)


class Command(BaseCommand):
    help = "Serve Læringsarena with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("LAERINGSARENA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("LAERINGSARENA_WORKERS", default_workers()))
        )
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            self.stderr.write("Warning: LAERINGSARENA_DEBUG is on; do not use this in production.")
        manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not settings.DEBUG and not manifest.exists():
            raise CommandError("Static files are not collected: run `laeringsarena collectstatic` first.")
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment.")
        bind = f"{options['host']}:{options['port']}"
        argv = [
            gunicorn,
            "laeringsarena.wsgi:application",
            "--config",
            "python:laeringsarena.core.gunicorn_conf",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--timeout",
            str(options["timeout"]),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("LAERINGSARENA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Læringsarena is serving on http://{bind}/ with {options['workers']} workers")
        sys.stdout.flush()
        os.execv(gunicorn, argv)  # noqa: S606 - replace this process with gunicorn
