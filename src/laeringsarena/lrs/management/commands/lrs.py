"""``laeringsarena lrs create-client|list-clients|revoke-client``: xAPI client credentials."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laeringsarena.lrs import services
from laeringsarena.lrs.models import LrsClient
from laeringsarena.organisations.models import Organisation


class Command(BaseCommand):
    help = "Manage the xAPI client credentials of an organisation's Learning Record Store."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create-client", help="Create a client; prints its key and secret once.")
        create.add_argument("--org", required=True, help="slug of the municipality or county")
        create.add_argument("--name", default="xAPI-klient")
        create.add_argument("--expires", help="expiry date-time (ISO 8601)")
        create.add_argument("--json", action="store_true", help='print {"key": …, "secret": …}')
        listing = sub.add_parser("list-clients", help="List clients (never secrets).")
        listing.add_argument("--org", help="only this organisation")
        listing.add_argument("--json", action="store_true")
        revoke = sub.add_parser("revoke-client", help="Revoke a client by key.")
        revoke.add_argument("key")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create-client":
            self._create(options)
        elif action == "list-clients":
            self._list(options)
        else:
            client = LrsClient.objects.filter(key=options["key"]).first()
            if client is None:
                raise CommandError(f"No client with key {options['key']}.")
            services.revoke_client(client)
            self.stdout.write(f"Revoked {client.key} ({client.name}).")

    def _create(self, options: dict[str, Any]) -> None:
        organisation = Organisation.objects.filter(slug=options["org"], tenant_id__isnull=False).first()
        if organisation is None or not organisation.is_tenant:
            raise CommandError(f"No municipality or county with slug {options['org']!r}.")
        expires = None
        if options.get("expires"):
            try:
                expires = dt.datetime.fromisoformat(options["expires"])
            except ValueError:
                raise CommandError("--expires must be an ISO 8601 date-time.") from None
            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=dt.UTC)
        client, secret = services.create_client(organisation, name=options["name"], expires_at=expires)
        if options["json"]:
            self.stdout.write(json.dumps({"key": client.key, "secret": secret}))
        else:
            self.stdout.write(f"key:    {client.key}\nsecret: {secret}\n(the secret is shown only now)")

    def _list(self, options: dict[str, Any]) -> None:
        query = LrsClient.objects.select_related("organisation")
        if options.get("org"):
            query = query.filter(organisation__slug=options["org"])
        rows = [
            {
                "key": c.key,
                "name": c.name,
                "organisation": c.organisation.slug,
                "created_at": c.created_at.isoformat(),
                "expires_at": c.expires_at.isoformat() if c.expires_at else None,
                "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
            }
            for c in query
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows))
            return
        for row in rows:
            state = "revoked" if row["revoked_at"] else "active"
            self.stdout.write(f"{row['key']}  {row['organisation']}  {state}  {row['name']}")
