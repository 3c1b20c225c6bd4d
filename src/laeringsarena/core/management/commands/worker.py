"""``laeringsarena worker``: run queued background tasks (e-mail, reminders, …)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background task worker (the database queue of django-tasks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued now, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "db_worker",
            batch=options["batch"],
            interval=options["interval"],
            startup_delay=False,
            verbosity=options["verbosity"],
        )
