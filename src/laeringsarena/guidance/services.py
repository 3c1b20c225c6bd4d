"""Guidance services: recommendations (reads) and the only write path for the person's choices.

Every write acts on the caller's own person: nobody can dismiss, snooze, switch signals or
upload a calendar for someone else, and leaders never read these rows (only aggregated uptake,
see :mod:`laeringsarena.guidance.uptake`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.catalogue.models import Format, Offering
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.guidance import availability, engine, recommender
from laeringsarena.guidance.inputs import PersonInputs, gather, gather_many, settings_for
from laeringsarena.guidance.models import (
    BusyCalendar,
    CareerWish,
    Dismissal,
    DismissReason,
    GuidanceSettings,
    Impression,
    SignalCategory,
)
from laeringsarena.guidance.recommender import Recommendation
from laeringsarena.people.models import Person

SNOOZE_DAYS = 30
MAX_LIMIT = 20
LANGUAGES = ("nb", "nn", "da", "en", "se", "sv")


def person_of(user: Any) -> Person:
    """The logged-in caller's person (404 for accounts without one)."""
    permissions.require_login(user)
    person = getattr(user, "person", None)
    if person is None:
        raise NotFound(_("Kontoen din er ikke knyttet til en person."))
    return person


def recommend(
    person: Person,
    *,
    limit: int = 5,
    now: dt.datetime | None = None,
    disabled: set[str] | None = None,
    node: Any = None,
) -> list[Recommendation]:
    """The person's recommendations, each with a one-line reason, the signals used and funding.

    ``disabled`` overrides the person's own switched-off signal categories (for «what would I
    get without …»); the role- and gap-based signals are always used.
    """
    return recommend_many([person], limit=limit, now=now, disabled=disabled, node=node)[person.pk]


def recommend_many(
    people: Sequence[Person],
    *,
    limit: int = 5,
    now: dt.datetime | None = None,
    disabled: set[str] | None = None,
    node: Any = None,
) -> dict[int, list[Recommendation]]:
    """:func:`recommend` for many people at once (person id → recommendations).

    The catalogue arrays and colleague statistics are shared, what is read about the people
    comes in a few queries for the whole batch, and the offerings in one; each person is then
    scored on their own, with the same result as :func:`recommend` gives them.
    """
    now = now or timezone.now()
    limit = max(1, min(limit, MAX_LIMIT))
    cat = engine.catalogue(node=node)
    ranked: list[tuple[PersonInputs, list[recommender.Ranked]]] = []
    for inputs in gather_many(people, now, disabled=disabled):
        recommender.mark_known(cat, inputs)
        ranked.append((inputs, recommender.rank(cat, inputs, limit=limit, admin=inputs.admin)))
    wanted = {int(cat.keys[item.slot]) for _inputs, items in ranked for item in items}
    offerings = Offering.objects.select_related("provider").in_bulk(sorted(wanted))
    result: dict[int, list[Recommendation]] = {}
    for inputs, items in ranked:
        mine = result[inputs.person.pk] = []
        for item in items:
            offering = offerings.get(int(cat.keys[item.slot]))
            if offering is None:
                continue
            mine.append(
                Recommendation(
                    offering=offering,
                    reason=item.signals[0].text,
                    signals=item.signals,
                    score=round(item.score, 4),
                    funding=recommender.funding(cat, inputs, offering),
                )
            )
    return result


def inputs_for(person: Person, now: dt.datetime | None = None) -> PersonInputs:
    """What the recommender reads about the person (for «Hvorfor dette?»)."""
    return gather(person, now or timezone.now())


def explain(person: Person, offering_id: int, *, now: dt.datetime | None = None) -> Recommendation:
    """Why this offering would be recommended: every signal, even if it is not in the top list."""
    now = now or timezone.now()
    cat = engine.catalogue()
    inputs = gather(person, now)
    recommender.mark_known(cat, inputs)
    slot = cat.index.slot_of.get(offering_id)
    offering = Offering.objects.select_related("provider").filter(pk=offering_id).first()
    if slot is None or offering is None:
        raise NotFound()
    signals = []
    pairs = []
    for source in recommender.sources(cat, inputs):
        value = float(source.values[slot])
        if value > 0:
            pairs.append((source.weight * value, source))
    pairs.sort(key=lambda pair: -pair[0])
    main = next((s for _w, s in pairs if s.key not in recommender.SUPPORTING), None)
    ordered = ([main] if main else []) + [s for _w, s in pairs if s is not main]
    weights = {id(s): w for w, s in pairs}
    for source in ordered:
        text, data = source.describe(slot)
        signals.append(
            recommender.Signal(source.key, source.category, text, round(weights[id(source)], 4), data)
        )
    return Recommendation(
        offering=offering,
        reason=signals[0].text if signals else _("Ingen av signalene peker på dette tilbudet for deg nå."),
        signals=signals,
        score=round(sum(weights.values()), 4),
        funding=recommender.funding(cat, inputs, offering),
    )


def dismiss(user: Any, offering_id: int, reason: str, *, now: dt.datetime | None = None) -> Dismissal:
    """Wave a recommendation away: «not relevant», «already know this» or «not now» (30 days)."""
    person = person_of(user)
    if reason not in DismissReason.values:
        raise InvalidInput(
            _("Ugyldig grunn: bruk not_relevant, already_known eller not_now."),
            errors=[
                {
                    "field": "reason",
                    "reason": _("må være en av %(values)s") % {"values": ", ".join(DismissReason.values)},
                }
            ],
        )
    from laeringsarena.catalogue.access import access_offering

    offering = access_offering(user, offering_id)  # 404 for offerings the person may not see
    now = now or timezone.now()
    until = now + dt.timedelta(days=SNOOZE_DAYS) if reason == DismissReason.NOT_NOW else None
    with transaction.atomic():
        dismissal, _created = Dismissal.objects.update_or_create(
            person=person, offering=offering, defaults={"reason": reason, "until": until}
        )
    return dismissal


def undo_dismiss(user: Any, offering_id: int) -> bool:
    person = person_of(user)
    deleted, _rows = Dismissal.objects.filter(person=person, offering_id=offering_id).delete()
    return bool(deleted)


def record_shown(
    person: Person, recommendations: list[Recommendation], now: dt.datetime | None = None
) -> None:
    """Remember that these were recommended (first and last time), for aggregated uptake."""
    record_shown_many({person.pk: recommendations}, now)


def record_shown_many(shown: dict[int, list[Recommendation]], now: dt.datetime | None = None) -> None:
    """:func:`record_shown` for many people (person id → what they were shown) in one statement
    per thousand rows: new impressions are added, known ones get ``last_shown_at`` moved on."""
    now = now or timezone.now()
    rows = [
        Impression(
            person_id=person_id,
            offering=r.offering,
            signal=r.main.key,
            first_shown_at=now,
            last_shown_at=now,
        )
        for person_id, recommendations in shown.items()
        for r in recommendations
    ]
    if not rows:
        return
    with transaction.atomic():
        Impression.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["person", "offering"],
            update_fields=["last_shown_at"],
        )


def save_settings(
    user: Any,
    *,
    disabled: list[str] | None = None,
    formats: list[str] | None = None,
    language: str | None = None,
) -> GuidanceSettings:
    """Switch personal signal categories on or off and set preferred formats and language."""
    person = person_of(user)
    settings = settings_for(person)
    if disabled is not None:
        unknown = set(disabled) - set(SignalCategory.values)
        if unknown:
            raise InvalidInput(_("Ukjente signaler: %(names)s") % {"names": ", ".join(sorted(unknown))})
        settings.disabled_signals = sorted(set(disabled))
    if formats is not None:
        unknown = set(formats) - set(Format.values)
        if unknown:
            raise InvalidInput(_("Ukjente formater: %(names)s") % {"names": ", ".join(sorted(unknown))})
        settings.preferred_formats = sorted(set(formats))
    if language is not None:
        if language and language not in LANGUAGES:
            raise InvalidInput(_("Ukjent språk: %(code)s") % {"code": language})
        settings.preferred_language = language
    settings.save()
    return settings


def set_career_wish(
    user: Any, *, position_id: int | None = None, ladder_step_id: int | None = None, note: str = ""
) -> CareerWish:
    """Set where the person wants to go: a position, or a step on one of the municipality's ladders."""
    from laeringsarena.organisations.models import Position
    from laeringsarena.plans.models import LadderStep

    person = person_of(user)
    if not position_id and not ladder_step_id:
        raise InvalidInput(_("Velg en stilling eller et trinn i en fagstige."))
    position = Position.objects.filter(pk=position_id).first() if position_id else None
    if position_id and position is None:
        raise InvalidInput(_("Ukjent stilling."))
    step = None
    if ladder_step_id:
        tenants = set(person.employments.values_list("organisation_id", flat=True))
        step = LadderStep.objects.filter(pk=ladder_step_id, ladder__tenant_id__in=tenants).first()
        if step is None:
            raise InvalidInput(_("Ukjent trinn i fagstigen."))
    wish, _created = CareerWish.objects.update_or_create(
        person=person, defaults={"target_position": position, "ladder_step": step, "note": note[:300]}
    )
    return wish


def clear_career_wish(user: Any) -> None:
    CareerWish.objects.filter(person=person_of(user)).delete()


def save_calendar(
    user: Any, data: bytes | str, *, filename: str = "", now: dt.datetime | None = None
) -> BusyCalendar:
    """Store the person's busy times from an iCalendar file or pasted text (replaces the previous one)."""
    person = person_of(user)
    parsed = availability.parse(data, now=now)
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    calendar, _created = BusyCalendar.objects.update_or_create(
        person=person,
        defaults={
            "ics": text,
            "filename": filename[:200],
            "busy": availability.to_json(parsed.busy),
            "covers_from": parsed.covers_from,
            "covers_to": parsed.covers_to,
        },
    )
    return calendar


def delete_calendar(user: Any) -> None:
    BusyCalendar.objects.filter(person=person_of(user)).delete()
