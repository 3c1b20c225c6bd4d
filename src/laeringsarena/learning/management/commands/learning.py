"""``laeringsarena learning import-completions FILE --org SLUG [--dry-run] [--json]``.

Imports an external provider's completions and certificates (CSV, see docs/learning.md) for a
municipality: atomic, idempotent, every bad row reported with line, column and reason.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laeringsarena.core.errors import InvalidInput
from laeringsarena.learning.imports import import_completions
from laeringsarena.organisations.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = "Learning: import completions and certificates from an external provider (CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-completions", help="Import a provider's CSV of completions/certificates (atomic)."
        )
        imp.add_argument("file", help="CSV file, or - for standard input")
        imp.add_argument("--org", required=True, help="slug of the municipality, e.g. fjordvik")
        imp.add_argument("--dry-run", action="store_true", help="check and report without saving")
        imp.add_argument("--json", action="store_true", help="print the result (or the errors) as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Organisation.objects.filter(
            slug=options["org"], kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
        ).first()
        if tenant is None:
            raise CommandError(f"No municipality with the slug {options['org']!r}.")
        if options["file"] == "-":
            data = sys.stdin.buffer.read()
            name = "stdin"
        else:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"File not found: {path}")
            data = path.read_bytes()
            name = path.name
        try:
            result = import_completions(None, tenant, data, dry_run=options["dry_run"], filename=name)
        except InvalidInput as err:
            if options["json"]:
                self.stdout.write(
                    json.dumps({"detail": str(err.detail), "errors": err.errors}, ensure_ascii=False)
                )
            for error in err.errors:
                column = f" [{error['column']}]" if error.get("column") else ""
                self.stderr.write(f"line {error['line']}{column}: {error['reason']}")
            raise CommandError(str(err.detail)) from err
        if options["json"]:
            self.stdout.write(
                json.dumps({**result.as_dict(), "dry_run": options["dry_run"]}, ensure_ascii=False)
            )
            return
        prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{result.rows} rows: {result.created} new completions "
            f"({result.steps_completed} path steps, {result.certifications} certificates), "
            f"{result.updated} updated, {result.unchanged} unchanged."
        )
