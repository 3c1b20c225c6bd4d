"""laeringsarena import-framework FILE [--org SLUG]: import a framework from JSON or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laeringsarena.competence import frameworks
from laeringsarena.core.errors import LaeringsarenaError
from laeringsarena.organisations.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = "Import a competence framework (JSON or CSV, see docs/competence-frameworks.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", help="municipality slug that owns it; shared by everyone if left out")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        owner = None
        if options["org"]:
            owner = Organisation.objects.filter(
                slug=options["org"], kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
            ).first()
            if owner is None:
                raise CommandError(f"No municipality or county with slug {options['org']!r}")
        content_type = "text/csv" if path.suffix.lower() == ".csv" else "application/json"
        try:
            data = frameworks.parse(path.read_bytes(), content_type)
            framework = frameworks.import_framework(data, owner)
        except LaeringsarenaError as err:
            details = "\n".join(
                f"  line {e.get('line', '-')}: {e.get('field', '')}: {e.get('reason', '')}"
                for e in err.extra.get("errors", [])
            )
            raise CommandError(f"{err.detail}\n{details}".rstrip()) from err
        self.stdout.write(
            f"Imported {framework.name} {framework.version} (id {framework.pk}): "
            f"{framework.areas.count()} areas, {framework.competences.count()} competences, "
            f"{framework.levels.count()} levels"
        )
