"""The guidance section of the weekly «your learning» digest (collected by the learning app)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.guidance import services

if TYPE_CHECKING:
    from laeringsarena.guidance.recommender import Recommendation
    from laeringsarena.learning.digest import DigestSection
    from laeringsarena.people.models import Person

DIGEST_LIMIT = 3
BATCH = 500


def sections(person: Person, now: dt.datetime) -> list[DigestSection]:
    """Up to three recommendations, each as «title – reason», and a link to all of them."""
    return sections_many([person], now)[person.pk]


def sections_many(people: Sequence[Person], now: dt.datetime) -> dict[int, list[DigestSection]]:
    """:func:`sections` for many people (person id → sections), BATCH people at a time: the
    weekly digest of 10,000 people reads the shared data once and each batch in a few queries."""
    result: dict[int, list[DigestSection]] = {}
    for start in range(0, len(people), BATCH):
        chunk = people[start : start + BATCH]
        recommended = services.recommend_many(chunk, limit=DIGEST_LIMIT, now=now)
        services.record_shown_many(recommended, now)
        for person in chunk:
            result[person.pk] = _section(recommended.get(person.pk, []))
    return result


def _section(items: list[Recommendation]) -> list[DigestSection]:
    from laeringsarena.learning.digest import DigestSection

    if not items:
        return []
    lines = []
    for item in items:
        line = f"{item.offering.title} – {item.reason}"
        if item.funding:
            line += f" ({item.funding[0].text})"
        lines.append(line)
    return [DigestSection(_("Anbefalt for deg"), lines, reverse("guidance:mine"))]
