"""Daily community housekeeping: coordinator hand-over for people who left, meeting reminders.

Run once a day (cron or a systemd timer): ``laeringsarena community-daily``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from laeringsarena.community import services


class Command(BaseCommand):
    help = "End memberships of people who left (hand over coordination) and send meeting reminders."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = services.check_departures()
        reminded = services.send_meeting_reminders()
        self.stdout.write(f"memberships ended: {ended}; meeting reminders sent: {reminded}")
