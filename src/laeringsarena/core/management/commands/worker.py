"""``laeringsarena worker``: run queued background tasks and the scheduled jobs.

The worker is the one background process: it polls the database task queue (django-tasks) and,
in a side thread, enqueues scheduled jobs whose slot has come (see ``core/scheduling.py``).
Several workers may run at once; a slot is claimed by exactly one of them.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from laeringsarena.core import scheduling


def _scheduler_loop(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            scheduling.run_due()
        except Exception:  # noqa: BLE001 - a failing tick must not stop the scheduler; the next tick retries
            scheduling.logger.exception("scheduler tick failed")
        finally:
            connection.close()
        stop.wait(interval)


class Command(BaseCommand):
    help = "Run the background task worker (the database queue of django-tasks) and the scheduled jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due and queued now, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between queue polls")
        parser.add_argument(
            "--schedule-interval", type=float, default=30.0, help="Seconds between scheduler checks"
        )
        parser.add_argument("--no-schedule", action="store_true", help="Do not run scheduled jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if not options["no_schedule"]:
            if options["batch"]:
                scheduling.run_due()
            else:
                threading.Thread(
                    target=_scheduler_loop,
                    args=(stop, options["schedule_interval"]),
                    name="laeringsarena-scheduler",
                    daemon=True,
                ).start()
        try:
            call_command(
                "db_worker",
                batch=options["batch"],
                interval=options["interval"],
                startup_delay=False,
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
