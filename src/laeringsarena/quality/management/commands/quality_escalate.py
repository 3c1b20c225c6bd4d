"""``laeringsarena quality-escalate``: tell the superior about deviations past their deadline.

Run it daily from a scheduler (cron, systemd timer). Idempotent: each deviation is escalated
once per deadline, so running it twice the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laeringsarena.quality import procedures, services


class Command(BaseCommand):
    help = "Escalate open deviations past their deadline to the superior leader (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.escalate_overdue(options.get("today"))
        reminders = procedures.remind_reviews(options.get("today"))
        self.stdout.write(f"{count} deviation(s) escalated, {reminders} review reminder(s) sent.")
