"""Min læring: the invitation to pass on what you learned after a completed course."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.community import pass_it_on
from laeringsarena.core.home import HomeCard, HomeItem


def cards(request: HttpRequest) -> list[HomeCard]:
    person = getattr(request.user, "person", None)
    if person is None:
        return []
    invitations = list(pass_it_on.open_invitations(person)[:3])
    if not invitations:
        return []
    return [
        HomeCard(
            "pass_it_on",
            _("Del det du lærte"),
            [
                HomeItem(
                    i.title, reverse("community:pass_it_on", args=[i.pk]), _("Minikurs eller oppsummering")
                )
                for i in invitations
            ],
        )
    ]
