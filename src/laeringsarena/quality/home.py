"""Min læring: refreshers assigned after deviations, and documents the person must read."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laeringsarena.core.home import HomeCard, HomeItem
from laeringsarena.quality import procedures, services


def cards(request: HttpRequest) -> list[HomeCard]:
    person = getattr(request.user, "person", None)
    if person is None:
        return []
    result: list[HomeCard] = []
    refreshers = services.learning_for(person)
    if refreshers:
        items = []
        for assignment in refreshers[:5]:
            href = assignment.url
            if assignment.offering_id:
                href = reverse("catalogue:offering", args=[assignment.offering_id])
            note = (
                _("Frist %(date)s") % {"date": date_format(assignment.due_date)}
                if assignment.due_date
                else ""
            )
            items.append(HomeItem(assignment.title, href, note))
        result.append(HomeCard("refreshers", _("Oppfriskning du er bedt om"), items))
    unread = [reading for reading in procedures.must_read(person) if reading.confirmed_at is None]
    result.append(
        HomeCard(
            "must_read",
            _("Det jeg må lese"),
            [
                HomeItem(r.document.title, reverse("quality:document", args=[r.document.pk]))
                for r in unread[:5]
            ],
            empty=_("Du har lest og forstått alt som kreves av deg."),
            more_label=_("Alle påkrevde dokumenter"),
            more_href=reverse("quality:must_read"),
        )
    )
    return result
