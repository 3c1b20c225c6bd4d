"""``laeringsarena create-token USERNAME``: print a new API token for a user."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laeringsarena.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create an API token for USERNAME (the e-mail address) and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user's e-mail address")
        parser.add_argument("--name", default="CLI", help="A label to tell tokens apart")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["username"].strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The user {email!r} is deactivated.")
        _token, raw = ApiToken.issue(user, name=options["name"])
        # The token alone on stdout so that scripts can capture it: TOKEN=$(laeringsarena create-token …)
        self.stdout.write(raw)
