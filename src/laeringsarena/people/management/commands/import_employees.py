"""``laeringsarena import-employees FILE --org SLUG``: import an HR export (CSV)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laeringsarena.core.errors import InvalidInput
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.services import import_employees


class Command(BaseCommand):
    help = "Import employees for a municipality from an HR-system CSV export (atomic, idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file, or - for standard input")
        parser.add_argument("--org", required=True, help="Slug of the municipality, e.g. fjordvik")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report without saving")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Organisation.objects.filter(
            slug=options["org"], kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
        ).first()
        if tenant is None:
            raise CommandError(f"No municipality with the slug {options['org']!r}.")
        if options["file"] == "-":
            data = sys.stdin.buffer.read()
        else:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"File not found: {path}")
            data = path.read_bytes()
        try:
            result = import_employees(tenant, data, dry_run=options["dry_run"])
        except InvalidInput as err:
            for error in err.errors:
                column = f" [{error['field']}]" if error.get("field") else ""
                self.stderr.write(f"line {error['line']}{column}: {error['reason']}")
            raise CommandError(str(err.detail)) from err
        if options["json"]:
            self.stdout.write(
                json.dumps({**result.as_dict(), "dry_run": options["dry_run"]}, ensure_ascii=False)
            )
            return
        prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{result.rows} rows: {result.created_people} new people, "
            f"{result.updated_people} updated; {result.created_employments} new employments, "
            f"{result.updated_employments} changed, {result.unchanged_employments} unchanged, "
            f"{result.ended_employments} ended."
        )
