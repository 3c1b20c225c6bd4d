"""Min læring cards: what is required and how far, and what expires next."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laeringsarena.core.home import HomeCard, HomeItem
from laeringsarena.learning import selectors


def cards(request: HttpRequest) -> list[HomeCard]:
    person = getattr(request.user, "person", None)
    if person is None:
        return []
    progress = selectors.progress_for(person, timezone.localdate())
    todo = []
    for item in progress.open_items[:5]:
        note = _("%(done)s av %(total)s steg") % {"done": item.done, "total": item.total}
        if item.enrolment.due_on:
            note += " · " + (_("forfalt %(date)s") if item.overdue else _("frist %(date)s")) % {
                "date": date_format(item.enrolment.due_on)
            }
        todo.append(HomeItem(item.path.title, reverse("learning:path", args=[item.path.pk]), note))
    result = [
        HomeCard(
            "learning_paths",
            _("Læringsstier og obligatorisk opplæring"),
            todo,
            empty=_("Du har ingen læringsstier som pågår."),
            more_label=_("Hele framdriften min"),
            more_href=reverse("learning:mine"),
        )
    ]
    labels = {
        "expired": _("utløpt %(date)s"),
        "expiring": _("utløper %(date)s"),
        "valid": _("gyldig til %(date)s"),
    }
    certs = [c for c in progress.certifications if c.expires_on]
    certs.sort(key=lambda c: c.expires_on or timezone.localdate())
    if certs or any(c.state == "missing" for c in progress.certifications):
        items = [
            HomeItem(
                c.name,
                reverse("learning:path", args=[c.renew_path.pk])
                if c.renew_path
                else reverse("learning:mine"),
                labels[c.state] % {"date": date_format(c.expires_on)} if c.expires_on else "",
            )
            for c in certs[:4]
        ]
        items += [
            HomeItem(c.name, reverse("learning:mine"), _("mangler"))
            for c in progress.certifications
            if c.state == "missing"
        ][:2]
        result.append(
            HomeCard(
                "certificates",
                _("Sertifikater som utløper"),
                items,
                more_label=_("Alle sertifikater"),
                more_href=reverse("learning:mine"),
            )
        )
    return result
