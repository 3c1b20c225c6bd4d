"""laeringsarena export-framework SLUG VERSION [--format csv|json] [--org SLUG]."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laeringsarena.competence import frameworks
from laeringsarena.competence.models import Framework


class Command(BaseCommand):
    help = "Print a competence framework as JSON or CSV (see docs/competence-frameworks.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("version")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--org", help="owner municipality slug (default: a shared framework)")

    def handle(self, *args: Any, **options: Any) -> None:
        found = Framework.objects.filter(slug=options["slug"], version=options["version"])
        found = (
            found.filter(owner__slug=options["org"]) if options["org"] else found.filter(owner__isnull=True)
        )
        framework = found.first()
        if framework is None:
            raise CommandError(f"No framework {options['slug']} {options['version']}")
        text = frameworks.to_csv(framework) if options["format"] == "csv" else frameworks.to_json(framework)
        self.stdout.write(text, ending="")
