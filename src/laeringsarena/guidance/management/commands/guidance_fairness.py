"""``laeringsarena guidance-fairness``: coverage and diversity of recommendations by education
level, employment percentage and age band over everyone actively employed."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laeringsarena.guidance import fairness


class Command(BaseCommand):
    help = "Fairness report of the recommendations (coverage and diversity per group)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=10, help="recommendations per person (default 10)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        result = fairness.report(limit=options["limit"])
        if options["json"]:
            data = dataclasses.asdict(result)
            data["spread"] = {
                d: {a: result.spread(d, a) for a in ("mean_recommendations", "mean_formats", "mean_reasons")}
                for d in fairness.DIMENSIONS
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(fairness.as_table(result))
