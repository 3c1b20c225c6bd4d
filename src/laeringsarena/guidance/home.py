"""Min læring: «Anbefalt for deg» with the reason for each."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.core.home import HomeCard, HomeItem
from laeringsarena.guidance import services

HOME_LIMIT = 3


def cards(request: HttpRequest) -> list[HomeCard]:
    person = getattr(request.user, "person", None)
    if person is None:
        return []
    items = services.recommend(person, limit=HOME_LIMIT)
    services.record_shown(person, items)
    return [
        HomeCard(
            "recommendations",
            _("Anbefalt for deg"),
            [
                HomeItem(
                    item.offering.title, reverse("catalogue:offering", args=[item.offering.pk]), item.reason
                )
                for item in items
            ],
            empty=_("Vi har ingen anbefalinger til deg akkurat nå."),
            more_label=_("Alle anbefalinger og hvorfor"),
            more_href=reverse("guidance:mine"),
        )
    ]
