"""The guidance section of the weekly «your learning» digest (collected by the learning app)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.guidance import services

if TYPE_CHECKING:
    from laeringsarena.learning.digest import DigestSection
    from laeringsarena.people.models import Person

DIGEST_LIMIT = 3


def sections(person: Person, now: dt.datetime) -> list[DigestSection]:
    """Up to three recommendations, each as «title – reason», and a link to all of them."""
    from laeringsarena.learning.digest import DigestSection

    items = services.recommend(person, limit=DIGEST_LIMIT, now=now)
    if not items:
        return []
    services.record_shown(person, items, now)
    lines = []
    for item in items:
        line = f"{item.offering.title} – {item.reason}"
        if item.funding:
            line += f" ({item.funding[0].text})"
        lines.append(line)
    return [DigestSection(_("Anbefalt for deg"), lines, reverse("guidance:mine"))]
