"""The weekly "your learning" digest (ukesoppsummering): sections collected from every app.

An app contributes with a module ``<app>/digest.py`` defining
``sections(person, now) -> list[DigestSection]``; :func:`collect` gathers them (the learning
app's own section first) and :mod:`laeringsarena.learning.jobs` e-mails them weekly.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from laeringsarena.people.models import Person

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestSection:
    """One section of the digest: a title, a few lines and an optional link (a path or full URL)."""

    title: str
    lines: list[str] = field(default_factory=list)
    url: str | None = None


def sections(person: Person, now: dt.datetime) -> list[DigestSection]:
    """The learning app's own sections: what is due, what expires, what was finished this week."""
    from laeringsarena.learning.selectors import completed_paths, progress_for

    today = now.date()
    progress = progress_for(person, today)
    result: list[DigestSection] = []
    todo = [item for item in progress.items if not item.completed]
    if todo:
        lines = []
        for item in todo[:6]:
            line = f"{item.path.title}: {item.done}/{item.total}"
            if item.enrolment.due_on:
                line += " · " + _("frist %(date)s") % {"date": date_format(item.enrolment.due_on)}
                if item.overdue:
                    line += " " + _("(passert)")
            lines.append(line)
        result.append(DigestSection(_("Dette gjenstår"), lines, reverse("learning:mine")))
    expiring = [c for c in progress.certifications if c.state in ("expiring", "expired")]
    if expiring:
        result.append(
            DigestSection(
                _("Sertifikater som må fornyes"),
                [
                    f"{c.name}: "
                    + (_("utløpt %(date)s") if c.state == "expired" else _("utløper %(date)s"))
                    % {"date": date_format(c.expires_on)}
                    for c in expiring[:6]
                    if c.expires_on
                ],
                reverse("learning:mine"),
            )
        )
    week_ago = now - dt.timedelta(days=7)
    finished = completed_paths(person, since=week_ago)
    if finished:
        result.append(
            DigestSection(
                _("Fullført denne uka"), [c.path.title for c in finished if c.path], reverse("learning:mine")
            )
        )
    return result


def collect_many(people: list[Person], now: dt.datetime) -> dict[int, list[DigestSection]]:
    """:func:`collect` for many people at once; an app's ``sections_many(people, now)``
    (returning person id → sections) is used when it has one, so the weekly digest for a whole
    municipality does not ask every app once per person."""
    collected = {person.pk: sections(person, now) for person in people}
    for config in apps.get_app_configs():
        if not config.name.startswith("laeringsarena.") or config.label == "learning":
            continue
        name = f"{config.name}.digest"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        try:
            if hasattr(module, "sections_many"):
                batch = module.sections_many(people, now)
                for person in people:
                    collected[person.pk] += batch.get(person.pk, [])
            else:
                for person in people:
                    collected[person.pk] += module.sections(person, now)
        except Exception:  # one broken app must not stop everybody's digest
            logger.exception("digest sections of %s failed", config.label)
    return collected


def collect(person: Person, now: dt.datetime) -> list[DigestSection]:
    """Sections from the learning app and every other app that has a ``digest`` module."""
    return collect_many([person], now)[person.pk]
