"""«Hvem ser hva»: who can see what of a person's learning account right now, and on what basis.

Named people come from the permission service (:func:`permissions.role_holders` on the units
of the person's employments in force); shared links from the credentials app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.learning_account import selectors
from laeringsarena.learning_account.models import AccountEvent, EventKind
from laeringsarena.people.models import Employment, Person


@dataclass
class Audience:
    """One group of people (or links) that can see something of the account."""

    key: str
    title: str
    names: list[str]
    where: str
    sees: str
    basis: str
    until: str = ""


@dataclass
class FormerEmployer:
    name: str
    ended_on: dt.date | None
    keeps: str


@dataclass
class Visibility:
    audiences: list[Audience] = field(default_factory=list)
    shares: list[dict[str, Any]] = field(default_factory=list)
    former: list[FormerEmployer] = field(default_factory=list)
    views: list[AccountEvent] = field(default_factory=list)


def _names(people: Any, exclude: int) -> list[str]:
    return sorted({p.full_name for p in people if p.pk != exclude})


def _share(share: Any) -> dict[str, Any]:
    def first(*names: str) -> Any:
        for name in names:
            value = getattr(share, name, None)
            if value not in (None, ""):
                return value
        return None

    titles = []
    related = getattr(share, "credentials", None)
    for credential in related.all() if related is not None else [first("credential")]:
        if credential is not None:
            titles.append(selectors.credential_name(getattr(credential, "document", {}) or {}))
    title = ", ".join(titles)
    return {
        "recipient": first("recipient", "label", "audience", "name") or _("Alle som har lenken"),
        "credential": title or str(first("title") or ""),
        "expires_at": first("expires_at", "expires"),
        "revoked": bool(first("revoked_at")),
        "url": first("url", "get_absolute_url"),
    }


def visibility_of(person: Person) -> Visibility:
    today = timezone.localdate()
    employments = list(
        Employment.objects.filter(person=person).select_related("organisation", "unit").order_by("start_date")
    )
    active = [e for e in employments if e.is_active(today)]
    result = Visibility()
    employer_sees = _(
        "Fullført opplæring og sertifiseringer fra ansettelsen hos %(employer)s, utdanning "
        "arbeidsgiveren har registrert, og det du selv har valgt å vise arbeidsgiveren. Ikke "
        "opplysninger fra andre arbeidsgivere, ikke dokumenter du har holdt for deg selv, og ikke "
        "kompetansebevisene dine (dem deler du selv med lenke)."
    )
    employer_basis = _(
        "Arbeidsavtalen (personvernforordningen art. 6 nr. 1 bokstav b) og arbeidsgiverens plikter "
        "etter arbeidsmiljøloven § 3-2 og internkontrollforskriften til å sørge for og dokumentere "
        "nødvendig opplæring (art. 6 nr. 1 bokstav c). Tilgangen varer bare så lenge du er ansatt."
    )
    for employment in active:
        unit = employment.unit
        where = f"{employment.organisation.name}, {unit.name}"
        sees = employer_sees % {"employer": employment.organisation.name}
        leaders = _names(permissions.role_holders(Role.LEADER, unit), person.pk)
        if leaders:
            result.audiences.append(Audience("leaders", _("Ledere"), leaders, where, sees, employer_basis))
        hr = _names(permissions.role_holders(Role.HR, unit), person.pk)
        if hr:
            result.audiences.append(
                Audience(
                    "hr",
                    _("HR"),
                    hr,
                    where,
                    sees + " " + _("HR behandler også sletteforespørslene dine."),
                    employer_basis,
                )
            )
        reps = _names(permissions.role_holders(Role.UNION_REPRESENTATIVE, unit), person.pk) + _names(
            permissions.role_holders(Role.SAFETY_DELEGATE, unit), person.pk
        )
        if reps:
            result.audiences.append(
                Audience(
                    "union",
                    _("Tillitsvalgte og verneombud"),
                    sorted(set(reps)),
                    where,
                    _("Bare samlede tall for grupper på minst %(min)s personer – aldri opplysninger om deg.")
                    % {"min": permissions.MIN_GROUP_SIZE},
                    _(
                        "Hovedavtalen og arbeidsmiljøloven kapittel 6 (medbestemmelse og verneombud). "
                        "Tallene er anonyme og er ikke personopplysninger om deg."
                    ),
                )
            )
    # Merge identical rows for several employments in the same unit.
    unique: dict[tuple[str, str], Audience] = {}
    for audience in result.audiences:
        unique.setdefault((audience.key, audience.where), audience)
    result.audiences = list(unique.values())
    result.audiences.append(
        Audience(
            "operator",
            _("Plattformens drift"),
            [],
            _("Læringsarena"),
            _(
                "Kan teknisk komme til opplysningene for å drifte tjenesten, men ser ikke på dem uten "
                "at det trengs for feilretting eller sikkerhet."
            ),
            _(
                "Databehandleravtale med kommunen (personvernforordningen art. 28); kommunen er "
                "behandlingsansvarlig."
            ),
        )
    )
    for share in selectors.shares_of(person):
        result.shares.append(_share(share))
    active_tenants = {e.organisation_id for e in active}
    ended: dict[int, FormerEmployer] = {}
    for employment in employments:
        if employment.organisation_id in active_tenants or employment.is_active(today):
            continue
        if employment.start_date > today:
            continue
        known = ended.get(employment.organisation_id)
        if known is None or (employment.end_date and known.ended_on and employment.end_date > known.ended_on):
            ended[employment.organisation_id] = FormerEmployer(
                employment.organisation.name,
                employment.end_date,
                _(
                    "Ingen tilgang til læringskontoen din. Arbeidsgiveren beholder i egne arkiver det "
                    "loven krever, for eksempel dokumentasjon av HMS-opplæring og påkrevde "
                    "sertifiseringer mens du jobbet der."
                ),
            )
    result.former = sorted(ended.values(), key=lambda f: f.ended_on or today, reverse=True)
    result.views = list(
        AccountEvent.objects.filter(person=person, kind=EventKind.VIEWED).select_related("actor")[:20]
    )
    return result
