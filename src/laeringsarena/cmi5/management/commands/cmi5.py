"""``laeringsarena cmi5 import FILE --org SLUG``: import a cmi5 course package from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from laeringsarena.cmi5 import services
from laeringsarena.core.errors import LaeringsarenaError
from laeringsarena.organisations.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = "cmi5 course packages: import FILE --org SLUG [--replace] [--json]"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        importer = commands.add_parser(
            "import", help="Import a zip with cmi5.xml (or a standalone cmi5.xml)."
        )
        importer.add_argument("file", help="the course package (.zip) or cmi5.xml")
        importer.add_argument(
            "--org", required=True, help="slug of the municipality (or county) it belongs to"
        )
        importer.add_argument("--replace", action="store_true", help="replace a course imported before")
        importer.add_argument("--json", action="store_true", help="print the imported course as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        organisation = Organisation.objects.filter(
            Q(kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]), slug=options["org"]
        ).first()
        if organisation is None:
            raise CommandError(f"No municipality or county with the slug {options['org']!r}")
        try:
            with path.open("rb") as handle:
                course = services.import_course(
                    None, organisation, handle, filename=path.name, replace=options["replace"]
                )
        except LaeringsarenaError as err:
            lines = [str(err.detail)]
            for entry in getattr(err, "errors", [])[1:]:
                where = f"line {entry['line']}: " if entry.get("line") else ""
                lines.append(f"  {where}{entry['message']}")
            raise CommandError("\n".join(lines)) from err
        aus = list(course.aus.all())
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "id": str(course.uuid),
                        "title": course.name,
                        "activityId": course.activity_id,
                        "publisherId": course.publisher_id,
                        "aus": [
                            {"title": au.name, "activityId": au.activity_id, "publisherId": au.publisher_id}
                            for au in aus
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(
                f"Imported «{course.name}» for {organisation.name}: {len(aus)} AU(s), "
                f"activity id {course.activity_id}"
            )
