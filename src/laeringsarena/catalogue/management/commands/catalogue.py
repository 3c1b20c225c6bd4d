"""``laeringsarena catalogue ingest FILE --provider SLUG`` and friends."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laeringsarena.catalogue import feeds, search_index
from laeringsarena.catalogue.models import Provider
from laeringsarena.core.errors import InvalidInput


class Command(BaseCommand):
    help = "The catalogue: ingest a provider feed, rebuild or check the search index."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="Ingest a JSON or CSV feed for a provider")
        ingest.add_argument("file", help="Feed file (.json or .csv); - for standard input")
        ingest.add_argument("--provider", required=True, help="Provider slug")
        ingest.add_argument("--json", action="store_true", help="Print the report as JSON")
        sub.add_parser("reindex", help="Rebuild this process's search index and report its size")
        prune = sub.add_parser("prune-log", help="Drop old rows of the search change log")
        prune.add_argument("--days", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "ingest":
            self._ingest(options)
        elif action == "reindex":
            started = time.perf_counter()
            search_index.reset()
            index = search_index.engine()
            self.stdout.write(f"{index.size} offerings indexed in {time.perf_counter() - started:.2f} s")
        elif action == "prune-log":
            import datetime as dt

            deleted = search_index.prune_log(dt.timedelta(days=options["days"]))
            self.stdout.write(f"{deleted} change rows removed")

    def _ingest(self, options: dict[str, Any]) -> None:
        provider = Provider.objects.filter(slug=options["provider"]).first()
        if provider is None:
            raise CommandError(f"Unknown provider: {options['provider']}")
        path = options["file"]
        if path == "-":
            import sys

            data, name = sys.stdin.buffer.read(), ""
        else:
            file = Path(path)
            if not file.exists():
                raise CommandError(f"No such file: {path}")
            data, name = file.read_bytes(), file.name
        try:
            result = feeds.ingest(provider, data, filename=name)
        except InvalidInput as err:
            details = "; ".join(f"{e.get('field')}: {e.get('reason')}" for e in err.errors)
            raise CommandError(f"{err.detail}{' ' + details if details else ''}") from err
        report = result.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"{provider.slug}: {result.received} records — {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged, "
                f"{result.retired} retired, {result.rejected} rejected"
            )
            for error in result.errors:
                self.stdout.write(f"  record {error.index} ({error.id or '?'}) {error.field}: {error.reason}")
        if result.errors:
            self.stderr.write(f"{result.rejected} record(s) rejected")
