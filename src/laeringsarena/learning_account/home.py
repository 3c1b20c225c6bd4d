"""Min læring: a card with the learning account — what needs attention and the way in."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laeringsarena.core.home import HomeCard, HomeItem
from laeringsarena.learning_account import selectors


def cards(request: HttpRequest) -> list[HomeCard]:
    person = getattr(request.user, "person", None)
    if person is None:
        return []
    account = selectors.account_of(person)
    base = reverse("learning_account:account")
    items: list[HomeItem] = []
    for item in account.certifications:
        if item.state in ("expired", "expiring"):
            items.append(HomeItem(item.title, f"{base}#certifications", item.state_label))
    counts = [
        (
            len(account.completions),
            ngettext("%(n)s fullført opplæring", "%(n)s fullførte opplæringer", len(account.completions)),
        ),
        (
            len(account.certifications),
            ngettext("%(n)s sertifisering", "%(n)s sertifiseringer", len(account.certifications)),
        ),
        (
            len(account.credentials),
            ngettext("%(n)s kompetansebevis", "%(n)s kompetansebevis", len(account.credentials)),
        ),
        (
            len(account.uploads),
            ngettext("%(n)s opplastet dokument", "%(n)s opplastede dokumenter", len(account.uploads)),
        ),
    ]
    summary = ", ".join(text % {"n": n} for n, text in counts if n)
    if summary:
        items.append(HomeItem(summary, base))
    former = {e.organisation.name for e in account.employments if not e.is_active()} - {
        e.organisation.name for e in account.employments if e.is_active()
    }
    if former:
        items.append(
            HomeItem(
                _("Også fra tidligere arbeidsgivere: %(names)s") % {"names": ", ".join(sorted(former))},
                base,
            )
        )
    return [
        HomeCard(
            "learning_account",
            _("Min læringskonto"),
            items[:5],
            empty=_("Alt du lærer samles her, og det følger deg når du bytter jobb."),
            more_label=_("Åpne læringskontoen"),
            more_href=base,
        )
    ]
