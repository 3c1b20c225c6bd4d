"""Pulse survey of learning conditions: the Danish 8-situation "experienced learning" instrument.

Each situation asks whether it has made the person learn something new (seed 002: KL/KTO).
The number of situations answered «yes» is the experienced-learning score, grouped as low
(under 3), middle (3–5) and high (over 5). A few learning-climate items are answered
low/middle/high. Results are aggregates only and suppressed for groups under five.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import MIN_GROUP_SIZE, Permission
from laeringsarena.competence import access
from laeringsarena.competence.models import PulseParticipation, PulseResponse, PulseSurvey
from laeringsarena.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment

SITUATIONS: list[tuple[str, Any]] = [
    ("outside_area", gettext_lazy("Har oppgaver utenfor ditt eget område fått deg til å lære noe nytt?")),
    ("not_equipped", gettext_lazy("Har arbeid du ikke følte deg rustet til, fått deg til å lære noe nytt?")),
    ("colleagues", gettext_lazy("Har samtaler med kolleger fått deg til å lære noe nytt?")),
    ("leader", gettext_lazy("Har samtaler med lederen din fått deg til å lære noe nytt?")),
    ("meetings", gettext_lazy("Har interne møter på arbeidsplassen fått deg til å lære noe nytt?")),
    ("easier", gettext_lazy("Har du selv oppdaget at du kunne gjøre arbeidet ditt lettere?")),
    ("better", gettext_lazy("Har du selv oppdaget at du kunne gjøre arbeidet ditt bedre?")),
    ("mistake", gettext_lazy("Har du selv oppdaget at du hadde gjort en feil i arbeidet?")),
]
CLIMATE: list[tuple[str, Any]] = [
    ("time", gettext_lazy("Jeg får tid til å lære i arbeidstiden.")),
    ("mistakes_ok", gettext_lazy("Her kan vi snakke åpent om feil og lære av dem.")),
    ("leader_cares", gettext_lazy("Lederen min er opptatt av at vi lærer.")),
]
CLIMATE_SCALE = [(1, gettext_lazy("Lite")), (2, gettext_lazy("Middels")), (3, gettext_lazy("Mye"))]


def band(score: int) -> str:
    return "low" if score < 3 else ("middle" if score <= 5 else "high")


def start(
    user: Any, organisation: Organisation, title: str, opens_on: dt.date, closes_on: dt.date
) -> PulseSurvey:
    if not access.can_run_campaign(user, organisation):
        raise PermissionDenied()
    if closes_on < opens_on or not title.strip():
        raise InvalidInput(_("Undersøkelsen trenger tittel og en sluttdato etter startdatoen."))
    return PulseSurvey.objects.create(
        tenant_id=organisation.tenant_id or organisation.pk,
        organisation=organisation,
        title=title.strip()[:200],
        opens_on=opens_on,
        closes_on=closes_on,
    )


def open_for(user: Any) -> list[PulseSurvey]:
    """Open surveys covering the person's units that they have not answered yet."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    today = timezone.localdate()
    paths = list(
        Employment.objects.active(today).filter(person_id=person_id).values_list("unit__path", flat=True)
    )
    surveys = PulseSurvey.objects.filter(opens_on__lte=today, closes_on__gte=today).exclude(
        participations__person_id=person_id
    )
    return [
        s
        for s in surveys.select_related("organisation")
        if any(p.startswith(s.organisation.path) for p in paths)
    ]


def access_open_survey(user: Any, pk: int) -> PulseSurvey:
    survey = next((s for s in open_for(user) if s.pk == pk), None)
    if survey is None:
        raise NotFound()
    return survey


@transaction.atomic
def answer(
    user: Any, survey: PulseSurvey, situations: dict[str, bool], climate: dict[str, int]
) -> PulseResponse:
    person_id = int(getattr(user, "person_id", None) or 0)
    if not person_id:
        raise NotFound()
    keys = [k for k, _q in SITUATIONS]
    missing = [k for k in keys if k not in situations]
    if missing:
        raise InvalidInput(
            _("Svar på alle de åtte spørsmålene."),
            errors=[{"field": k, "reason": _("mangler")} for k in missing],
        )
    unit = (
        Employment.objects.active(timezone.localdate())
        .filter(person_id=person_id, unit__path__startswith=survey.organisation.path)
        .values_list("unit_id", flat=True)
        .first()
    )
    if unit is None:
        raise NotFound()
    try:
        PulseParticipation.objects.create(survey=survey, person_id=person_id)
    except IntegrityError as err:
        raise Conflict(_("Du har allerede svart.")) from err
    clean_climate = {k: int(v) for k, v in climate.items() if k in dict(CLIMATE) and int(v) in (1, 2, 3)}
    return PulseResponse.objects.create(
        survey=survey,
        unit_id=unit,
        situations={k: bool(situations[k]) for k in keys},
        climate=clean_climate,
        score=sum(1 for k in keys if situations[k]),
    )


@dataclass
class GroupResult:
    organisation: Organisation
    responses: int
    suppressed: bool
    bands: dict[str, int]  # percent of respondents low/middle/high
    situations: list[tuple[Any, int]]  # (question, percent yes)
    climate: list[tuple[Any, float | None]]  # (statement, average 1–3)


def _group(organisation: Organisation, responses: list[PulseResponse]) -> GroupResult:
    count = len(responses)
    suppressed = count < MIN_GROUP_SIZE
    if suppressed:
        return GroupResult(organisation, count, True, {}, [], [])
    bands = {"low": 0, "middle": 0, "high": 0}
    for response in responses:
        bands[band(response.score)] += 1
    climate = []
    for key, statement in CLIMATE:
        values = [r.climate[key] for r in responses if key in r.climate]
        climate.append(
            (statement, round(sum(values) / len(values), 1) if len(values) >= MIN_GROUP_SIZE else None)
        )
    return GroupResult(
        organisation,
        count,
        False,
        {k: round(100 * v / count) for k, v in bands.items()},
        [(q, round(100 * sum(1 for r in responses if r.situations.get(k)) / count)) for k, q in SITUATIONS],
        climate,
    )


def results(user: Any, survey: PulseSurvey) -> tuple[GroupResult, list[GroupResult]]:
    """The whole survey and each unit directly below, each suppressed under five answers."""
    permissions.require(user, Permission.AGGREGATES_VIEW, survey.organisation)
    responses = list(survey.responses.select_related("unit"))
    children = []
    for child in survey.organisation.children.order_by("name"):
        children.append(_group(child, [r for r in responses if r.unit.path.startswith(child.path)]))
    return _group(survey.organisation, responses), children


def surveys_for(user: Any) -> list[PulseSurvey]:
    query = PulseSurvey.objects.select_related("organisation")
    return [s for s in query if permissions.has_permission(user, Permission.AGGREGATES_VIEW, s.organisation)]


def access_results(user: Any, pk: int) -> PulseSurvey:
    permissions.require_login(user)
    survey = PulseSurvey.objects.filter(pk=pk).select_related("organisation").first()
    if survey is None or not permissions.tenants(user).filter(pk=survey.tenant_id).exists():
        raise NotFound()
    if not permissions.has_permission(user, Permission.AGGREGATES_VIEW, survey.organisation):
        raise PermissionDenied()
    return survey
