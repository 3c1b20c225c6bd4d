"""``laeringsarena demo``: load the demo municipalities and print the demo logins.

Only in demo mode (``LAERINGSARENA_DEMO=true``): the demo accounts all have the password
``demo`` and must never exist on a real instance.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from laeringsarena.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from laeringsarena.demo.services import load_demo


class Command(BaseCommand):
    help = "Load the demo data (Fjordvik and Nordøy kommune) and list the demo logins. Demo mode only."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "The demo data has accounts with the password 'demo' and is only loaded in demo "
                "mode. Set LAERINGSARENA_DEMO=true to use it (never on a real instance)."
            )
        summary = load_demo()
        people = ", ".join(f"{slug}: {count}" for slug, count in summary.active_people.items())
        if summary.created:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already present; nothing duplicated."))
        self.stdout.write(
            f"  {summary.organisations} organisations, {summary.people} people "
            f"(at work now: {people}), {summary.employments} employments, {summary.users} logins."
        )
        url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/"
        width = max(len(email) for email, _label in DEMO_LOGINS)
        self.stdout.write("")
        self.stdout.write(f"Open {url} and log in with one of these (password: {DEMO_PASSWORD}):")
        self.stdout.write("")
        self.stdout.write(f"  {'E-mail':<{width}}  Who")
        self.stdout.write(f"  {'-' * width}  {'-' * 44}")
        for email, label in DEMO_LOGINS:
            self.stdout.write(f"  {email:<{width}}  {label}")
        self.stdout.write("")
        self.stdout.write(
            f"Every other demo employee can log in too, with their e-mail address and the password "
            f"'{DEMO_PASSWORD}'."
        )
