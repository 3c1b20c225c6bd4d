"""The combined, explainable recommender: one score vector per signal, summed, then explained.

Every signal is a vector over the catalogue (0..1 per offering) with a weight and a way to
say, for one offering, in one sentence, why it counted and which data it used. The score of an
offering is the weighted sum; the reason shown is the sentence of the signal that contributed
most. Nothing here filters on the person's profile: only visibility (access), what they
completed and what they dismissed remove an offering.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laeringsarena.catalogue.models import Format, Offering, Rating, RatingStatus
from laeringsarena.guidance import availability
from laeringsarena.guidance.engine import (
    Catalogue,
    FloatArray,
    completed_offering_counts,
    position_mask,
    visible_mask,
)
from laeringsarena.guidance.funding import Funding, funding_for
from laeringsarena.guidance.inputs import PersonInputs, busy_intervals
from laeringsarena.guidance.models import DismissReason, SignalCategory
from laeringsarena.people.models import Employment

REQUIREMENTS = "requirements"  # always on: the position's requirements, gaps and certifications
CATALOGUE = "catalogue"  # always on: quality, popularity, cost and access
ALWAYS_ON = (REQUIREMENTS, CATALOGUE)
CERTIFICATION_HORIZON = 90  # days
COLLEAGUE_MIN = 2
QUALITY_MIN_RATINGS = 3  # a colleague signal needs at least this many colleagues (never one person)
SELF_PACED = {Format.ELEARNING, Format.VIDEO, Format.PODCAST, Format.MICRO, Format.GAME}
SHORT_MINUTES = 90
SCANDINAVIAN = {"nb", "nn", "da", "sv"}
PER_REASON = 2  # at most this many recommendations for the same reason (breadth)
SUPPORTING = {"access", "language"}  # never the main reason while another signal counts

WEIGHTS = {
    "plan_offering": 1.6,
    "certification": 1.5,
    "gap": 1.0,
    "gap_unknown": 0.6,
    "plan": 0.9,
    "career": 0.8,
    "career_position": 0.4,
    "colleagues": 0.7,
    "position": 0.35,
    "calendar": 0.4,
    "format": 0.3,
    "quality": 0.3,
    "popularity": 0.2,
    "language": 0.15,
    "access": 0.1,
}


@dataclass(frozen=True)
class Signal:
    """One reason behind a recommendation, with the data it used."""

    key: str
    category: str
    text: str
    weight: float
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def personal(self) -> bool:
        return self.category not in ALWAYS_ON


@dataclass
class Recommendation:
    offering: Offering
    reason: str
    signals: list[Signal]
    score: float
    funding: list[Funding]

    @property
    def main(self) -> Signal:
        return self.signals[0]


@dataclass
class Source:
    key: str
    group: str  # e.g. "gap:17": at most PER_REASON recommendations per group
    category: str
    weight: float
    values: FloatArray
    describe: Callable[[int], tuple[str, dict[str, Any]]]


def lower_first(name: str) -> str:
    """«Legemiddelhåndtering» → «legemiddelhåndtering», but «HLR» stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _days_text(name: str, expires_on: dt.date | None, today: dt.date) -> str:
    if expires_on is None:
        return _("Stillingen din krever sertifikat i %(name)s, og du har ikke registrert det") % {
            "name": name
        }
    days = (expires_on - today).days
    if days < 0:
        return ngettext(
            "Sertifikatet ditt i %(name)s gikk ut for %(days)s dag siden",
            "Sertifikatet ditt i %(name)s gikk ut for %(days)s dager siden",
            -days,
        ) % {"name": name, "days": -days}
    if days == 0:
        return _("Sertifikatet ditt i %(name)s går ut i dag") % {"name": name}
    return ngettext(
        "Sertifikatet ditt i %(name)s går ut om %(days)s dag",
        "Sertifikatet ditt i %(name)s går ut om %(days)s dager",
        days,
    ) % {"name": name, "days": days}


def _relevance(cat: Catalogue, competence: Any) -> FloatArray:
    return cat.competence(competence.pk, competence.name)


def _const(text: str, data: dict[str, Any]) -> Callable[[int], tuple[str, dict[str, Any]]]:
    return lambda slot: (text, data)


def sources(cat: Catalogue, inputs: PersonInputs) -> list[Source]:
    """Every signal vector for this person (personal ones only if switched on)."""
    today = timezone.localtime(inputs.now).date()
    out: list[Source] = []
    known = inputs.known_competences

    def damp(competence_id: int) -> float:
        return 0.3 if competence_id in known else 1.0

    # Competence gaps against the position's requirements (always on).
    for competence, required in inputs.required:
        current = inputs.levels.get(competence.pk)
        if current is not None and current >= required:
            continue
        name = lower_first(competence.name)
        data = {"competence": competence.name, "required_level": required, "your_level": current}
        if current is None:
            text = _(
                "Stillingen din krever nivå %(level)s i %(competence)s – du er ikke vurdert i den ennå"
            ) % {
                "level": required,
                "competence": name,
            }
            weight = WEIGHTS["gap_unknown"]
        else:
            text = _("Du mangler nivå %(level)s i %(competence)s som kreves for stillingen din") % {
                "level": required,
                "competence": name,
            }
            weight = WEIGHTS["gap"] * (0.7 + 0.15 * min(required - current, 2))
        out.append(
            Source(
                "gap",
                f"gap:{competence.pk}",
                REQUIREMENTS,
                weight * damp(competence.pk),
                _relevance(cat, competence),
                _const(text, data),
            )
        )
    # Certifications that expire soon, have expired, or are required but missing (always on).
    for need in inputs.certifications:
        if need.expires_on is not None:
            days = (need.expires_on - today).days
            if days > CERTIFICATION_HORIZON:
                continue
            urgency = 1.0 if days <= 30 else (0.8 if days <= 60 else 0.6)
        else:
            days = None
            urgency = 0.9
        vector = cat.topic(need.name)
        if need.competence is not None:
            vector = np.maximum(vector, _relevance(cat, need.competence))
        text = _days_text(lower_first(need.name), need.expires_on, today)
        data = {
            "certification": need.name,
            "expires_on": need.expires_on.isoformat() if need.expires_on else None,
            "days_left": days,
            "required_for_position": need.required,
        }
        out.append(
            Source(
                "certification",
                f"certification:{need.name.casefold()}",
                REQUIREMENTS,
                WEIGHTS["certification"] * urgency,
                vector,
                _const(text, data),
            )
        )
    # Offerings made for the person's position (always on).
    positions = sorted({job.position_id for job in inputs.jobs})
    if positions:
        names = {job.position_id: job.position for job in inputs.jobs}
        mask = position_mask(cat, positions)
        label = ", ".join(lower_first(names[p]) for p in positions)
        out.append(
            Source(
                "position",
                "position",
                REQUIREMENTS,
                WEIGHTS["position"],
                mask.astype(np.float32),
                _const(
                    _("Laget for stillingen din som %(position)s") % {"position": label},
                    {"positions": [names[p] for p in positions]},
                ),
            )
        )
    # The person's own development plan.
    for goal in inputs.plan:
        if goal.offering_id is not None and goal.offering_id in cat.index.slot_of:
            vector = np.zeros(cat.size, dtype=np.float32)
            vector[cat.index.slot_of[goal.offering_id]] = 1.0
            out.append(
                Source(
                    "plan",
                    f"plan:{goal.offering_id}",
                    SignalCategory.PLAN,
                    WEIGHTS["plan_offering"],
                    vector,
                    _const(_("Dette står i utviklingsplanen din"), {"plan_item": goal.title}),
                )
            )
        elif goal.competence is not None:
            level = goal.target_level or inputs.levels.get(goal.competence.pk, 0) + 1
            out.append(
                Source(
                    "plan",
                    f"plan:c{goal.competence.pk}",
                    SignalCategory.PLAN,
                    WEIGHTS["plan"] * damp(goal.competence.pk),
                    _relevance(cat, goal.competence),
                    _const(
                        _("Utviklingsplanen din har mål om nivå %(level)s i %(competence)s")
                        % {"level": level, "competence": lower_first(goal.competence.name)},
                        {"plan_item": goal.title, "competence": goal.competence.name, "target_level": level},
                    ),
                )
            )
        elif goal.title:
            out.append(
                Source(
                    "plan",
                    f"plan:t{goal.title}",
                    SignalCategory.PLAN,
                    WEIGHTS["plan"] * 0.8,
                    cat.topic(goal.title),
                    _const(
                        _("Passer til «%(title)s» i utviklingsplanen din") % {"title": goal.title},
                        {"plan_item": goal.title},
                    ),
                )
            )
    # Career wish: the target position's requirements or the ladder step's criteria.
    career = inputs.career
    if career is not None:
        for competence, required, current in career.needs:
            if career.kind == "position":
                text = _("Du ønsker å bli %(position)s, som krever nivå %(level)s i %(competence)s") % {
                    "position": lower_first(career.label),
                    "level": required,
                    "competence": lower_first(competence.name),
                }
            else:
                text = _("Trinnet «%(step)s» i fagstigen krever nivå %(level)s i %(competence)s") % {
                    "step": career.label,
                    "level": required,
                    "competence": lower_first(competence.name),
                }
            out.append(
                Source(
                    "career",
                    f"career:{competence.pk}",
                    SignalCategory.CAREER,
                    WEIGHTS["career"] * damp(competence.pk),
                    _relevance(cat, competence),
                    _const(
                        text,
                        {
                            "wish": career.label,
                            "competence": competence.name,
                            "required_level": required,
                            "your_level": current,
                        },
                    ),
                )
            )
        if career.position_id is not None:
            out.append(
                Source(
                    "career",
                    "career:position",
                    SignalCategory.CAREER,
                    WEIGHTS["career_position"],
                    position_mask(cat, [career.position_id]).astype(np.float32),
                    _const(
                        _("Laget for %(position)s, stillingen du ønsker deg")
                        % {"position": lower_first(career.label)},
                        {"wish": career.label},
                    ),
                )
            )
    # Colleagues in the same position: what they completed and how they rated it.
    if inputs.uses(SignalCategory.COLLEAGUES):
        seen_jobs: set[tuple[int, int]] = set()
        for job in inputs.jobs:
            if (job.position_id, job.tenant_id) in seen_jobs:
                continue
            seen_jobs.add((job.position_id, job.tenant_id))
            source = _colleagues(cat, job.position_id, job.tenant_id, job.position)
            if source is not None:
                out.append(source)
    # Preferences: language and formats.
    if inputs.uses(SignalCategory.PREFERENCES):
        language = inputs.language
        vector = np.zeros(cat.size, dtype=np.float32)
        for code, value in enumerate(cat.languages):
            if value == language:
                vector[cat.language == code] = 1.0
            elif value in SCANDINAVIAN and language in SCANDINAVIAN:
                vector[cat.language == code] = 0.6
        out.append(
            Source(
                "language",
                "language",
                SignalCategory.PREFERENCES,
                WEIGHTS["language"],
                vector,
                _const(_("På et språk du foretrekker"), {"language": language}),
            )
        )
        if inputs.formats:
            codes = [cat.formats.index(f) for f in inputs.formats if f in cat.formats]
            vector = np.isin(cat.format, codes).astype(np.float32)
            labels = dict(Format.choices)

            def describe_format(slot: int) -> tuple[str, dict[str, Any]]:
                value = cat.formats[int(cat.format[slot])]
                return (
                    _("I et format du foretrekker (%(format)s)")
                    % {"format": lower_first(str(labels.get(value, value)))},
                    {"preferred_formats": inputs.formats},
                )

            out.append(
                Source(
                    "format", "format", SignalCategory.PREFERENCES, WEIGHTS["format"], vector, describe_format
                )
            )
    # Free time from the person's calendar.
    if inputs.calendar is not None and inputs.uses(SignalCategory.CALENDAR):
        source = _calendar(cat, inputs)
        if source is not None:
            out.append(source)
    # Quality, popularity, cost and access (not personal).
    # Only offerings that enough people rated count as «well rated» (the Bayesian prior does the rest).
    quality = np.where(
        cat.raters >= QUALITY_MIN_RATINGS, np.clip((cat.rating - 3.0) / 2.0, 0.0, 1.0), 0.0
    ).astype(np.float32)

    def describe_quality(slot: int) -> tuple[str, dict[str, Any]]:
        rating = float(cat.rating[slot])
        count = int(cat.raters[slot])
        return (
            ngettext(
                "Godt vurdert: %(rating)s av 5 (%(count)s vurdering)",
                "Godt vurdert: %(rating)s av 5 (%(count)s vurderinger)",
                count,
            )
            % {"rating": number_format(round(rating, 1), 1), "count": count},
            {"bayesian_rating": round(rating, 2), "ratings": count},
        )

    out.append(Source("quality", "quality", CATALOGUE, WEIGHTS["quality"], quality, describe_quality))

    def describe_popularity(slot: int) -> tuple[str, dict[str, Any]]:
        count = int(cat.popularity[slot])
        return (
            ngettext(
                "%(count)s person har fullført dette det siste året",
                "%(count)s personer har fullført dette det siste året",
                count,
            )
            % {"count": count},
            {"completed_last_year": count},
        )

    out.append(
        Source(
            "popularity",
            "popularity",
            CATALOGUE,
            WEIGHTS["popularity"],
            cat.popularity_score,
            describe_popularity,
        )
    )
    out.append(_access(cat, inputs))
    return out


def _colleagues(cat: Catalogue, position_id: int, tenant_id: int, position: str) -> Source | None:
    key = (position_id, tenant_id)
    peers = cat.peers.get(key)
    if peers is None:
        people = (
            Employment.objects.active()
            .filter(position_id=position_id, organisation_id=tenant_id)
            .values("person_id")
        )
        counts = completed_offering_counts(person_ids=people)
        ratings = {
            offering_id: (avg, n)
            for offering_id, avg, n in Rating.objects.filter(
                person_id__in=people, status=RatingStatus.VISIBLE
            )
            .values_list("offering_id")
            .annotate(avg=Avg("stars"), n=Count("pk"))
            .values_list("offering_id", "avg", "n")
        }
        completed = np.zeros(cat.size, dtype=np.float32)
        rated = np.zeros(cat.size, dtype=np.float32)
        raters = np.zeros(cat.size, dtype=np.float32)
        for offering_id, n in counts.items():
            slot = cat.index.slot_of.get(offering_id)
            if slot is not None:
                completed[slot] = n
        for offering_id, (avg, n) in ratings.items():
            slot = cat.index.slot_of.get(offering_id)
            if slot is not None:
                rated[slot] = avg
                raters[slot] = n
        peers = (completed, rated, raters)
        with cat.lock:
            cat.peers[key] = peers
    completed, rated, raters = peers
    enough_raters = raters >= COLLEAGUE_MIN
    enough_completed = completed >= COLLEAGUE_MIN
    if not (enough_raters.any() or enough_completed.any()):
        return None
    values = np.where(enough_completed, np.minimum(1.0, completed / 5.0) * 0.6, 0.0) + np.where(
        enough_raters, np.clip((rated - 1.0) / 4.0, 0.0, 1.0) * 0.4, 0.0
    )
    values = values.astype(np.float32)
    # A poor colleague rating is not a reason to recommend.
    values[enough_raters & (rated < 3.0)] = 0.0

    def describe(slot: int) -> tuple[str, dict[str, Any]]:
        data = {
            "position": position,
            "colleagues_completed": int(completed[slot]) if completed[slot] >= COLLEAGUE_MIN else None,
            "colleagues_rating": round(float(rated[slot]), 1) if raters[slot] >= COLLEAGUE_MIN else None,
            "colleagues_rated": int(raters[slot]) if raters[slot] >= COLLEAGUE_MIN else None,
        }
        if raters[slot] >= COLLEAGUE_MIN:
            text = _("Kolleger i samme stilling vurderte dette til %(rating)s") % {
                "rating": number_format(round(float(rated[slot]), 1), 1)
            }
        else:
            text = _("%(count)s kolleger i samme stilling har fullført dette") % {
                "count": int(completed[slot])
            }
        return text, data

    return Source(
        "colleagues",
        f"colleagues:{position_id}",
        SignalCategory.COLLEAGUES,
        WEIGHTS["colleagues"],
        values,
        describe,
    )


def _calendar(cat: Catalogue, inputs: PersonInputs) -> Source | None:
    calendar = inputs.calendar
    assert calendar is not None
    free = availability.free_time(
        busy_intervals(calendar), inputs.now, (calendar.covers_from, calendar.covers_to)
    )
    if not len(free.starts):
        return None
    vector = np.zeros(cat.size, dtype=np.float32)
    day_of: dict[int, dt.date] = {}
    # Sessions (webinars, classes) that fall inside a free stretch.
    held = free.fits_sessions(cat.session_start, cat.session_end)
    for session, stretch in enumerate(held.tolist()):
        if stretch >= 0:
            slot = int(cat.session_slot[session])
            if slot not in day_of:
                vector[slot] = 1.0
                day_of[slot] = free.days[stretch]
    # Short self-paced offerings that fit the first free stretch long enough.
    self_paced = np.isin(cat.format, [cat.formats.index(f) for f in SELF_PACED if f in cat.formats])
    short = self_paced & (cat.duration > 0) & (cat.duration <= SHORT_MINUTES)
    assigned = np.zeros(cat.size, dtype=np.bool_)
    for day, longest in free.longest_by_day():
        fits = short & ~assigned & (cat.duration <= longest)
        for slot in np.flatnonzero(fits).tolist():
            if slot not in day_of:
                day_of[slot] = day
        vector[fits] = np.maximum(vector[fits], 0.8)
        assigned |= fits
    today = timezone.localtime(inputs.now).date()

    def describe(slot: int) -> tuple[str, dict[str, Any]]:
        day = day_of.get(slot, today)
        label = date_format(day, "l").lower()
        if (day - today).days >= 7:
            label = f"{label} {date_format(day, 'j. F')}"
        return (
            _("Passer i ledige timer %(day)s") % {"day": label},
            {"free_day": day.isoformat(), "busy_intervals": len(calendar.busy)},
        )

    return Source("calendar", "calendar", SignalCategory.CALENDAR, WEIGHTS["calendar"], vector, describe)


def _access(cat: Catalogue, inputs: PersonInputs) -> Source:
    held = np.zeros(cat.size, dtype=np.bool_)
    for bundle_id in inputs.bundle_ids:
        slots = cat.bundle_slots.get(bundle_id)
        if slots is not None:
            held[slots] = True
    vector = np.zeros(cat.size, dtype=np.float32)
    for code, value in enumerate(cat.prices):
        mask = cat.price == code
        if value in ("free", "employer"):
            vector[mask] = 1.0
        elif value == "paid":
            vector[mask] = 0.3
        elif value == "subscription":
            vector[mask & held] = 1.0
            vector[mask & ~held] = -1.5  # still shown when relevant, but after what one can open
    texts = {
        "free": _("Gratis"),
        "employer": _("Arbeidsgiveren betaler"),
        "subscription": _("Inkludert i abonnementet du har tilgang til"),
    }

    def describe(slot: int) -> tuple[str, dict[str, Any]]:
        value = cat.prices[int(cat.price[slot])] if cat.price[slot] >= 0 else ""
        text = (
            texts.get(value, _("Betalt kurs"))
            if value != "subscription" or held[slot]
            else _("Krever abonnement")
        )
        return text, {"price_model": value, "subscription_access": bool(held[slot])}

    return Source("access", "access", CATALOGUE, WEIGHTS["access"], vector, describe)


@dataclass
class Ranked:
    slot: int
    score: float
    group: str
    signals: list[Signal]


def rank(cat: Catalogue, inputs: PersonInputs, *, limit: int, admin: bool = False) -> list[Ranked]:
    """The top ``limit`` offerings with their signals, most relevant first, breadth kept."""
    all_sources = sources(cat, inputs)
    score = np.zeros(cat.size, dtype=np.float32)
    for source in all_sources:
        score += source.weight * source.values
    allowed = visible_mask(cat, inputs.tenant_ids, admin=admin)
    excluded = cat.slots(set(inputs.completed) | set(inputs.dismissed))
    if len(excluded):
        allowed[excluded] = False
    score = np.where(allowed, score, -np.inf).astype(np.float32)
    candidates = np.flatnonzero(np.isfinite(score) & (score > 0))
    if not len(candidates):
        return []
    pool = min(len(candidates), max(limit * 10, 50))
    top = candidates[np.argpartition(-score[candidates], pool - 1)[:pool]]
    top = top[np.lexsort((cat.keys[top], -score[top]))]
    per_group: dict[str, int] = defaultdict(int)
    titles: set[str] = set()
    result: list[Ranked] = []
    leftovers: list[Ranked] = []
    for slot in top.tolist():
        contributions = sorted(
            (
                (source.weight * float(source.values[slot]), source)
                for source in all_sources
                if source.values[slot] > 0
            ),
            key=lambda pair: -pair[0],
        )
        main = next((s for _w, s in contributions if s.key not in SUPPORTING), None) or (
            contributions[0][1] if contributions else None
        )
        if main is None:
            continue
        signals = []
        ordered = [main] + [s for _w, s in contributions if s is not main]
        weights = {id(s): w for w, s in contributions}
        for source in ordered:
            text, data = source.describe(slot)
            signals.append(Signal(source.key, source.category, text, round(weights[id(source)], 4), data))
        title = cat.index.titles[slot]
        ranked = Ranked(slot, float(score[slot]), main.group, signals)
        if per_group[main.group] >= PER_REASON or title in titles:
            leftovers.append(ranked)
            continue
        per_group[main.group] += 1
        titles.add(title)
        result.append(ranked)
        if len(result) >= limit:
            break
    if len(result) < limit:
        result += leftovers[: limit - len(result)]
    return result


def mark_known(cat: Catalogue, inputs: PersonInputs) -> None:
    """Competences of offerings the person said they already know count as known."""
    known: set[int] = set()
    for offering_id, dismissal in inputs.dismissed.items():
        if dismissal.reason == DismissReason.ALREADY_KNOWN:
            slot = cat.index.slot_of.get(offering_id)
            if slot is not None:
                known.update(cat.slot_competences.get(slot, []))
    inputs.notes["known_competences"] = known


def funding(cat: Catalogue, inputs: PersonInputs, offering: Offering) -> list[Funding]:
    slot = cat.index.slot_of.get(offering.pk)
    held = slot is not None and any(
        bool(np.any(cat.bundle_slots[b] == slot)) for b in inputs.bundle_ids if b in cat.bundle_slots
    )
    return funding_for(offering.price_model, offering.price_nok, offering.ects_credits, has_access=held)


def score_all(cat: Catalogue, inputs: PersonInputs) -> FloatArray:
    """The combined score of every offering (for the offline evaluation)."""
    score = np.zeros(cat.size, dtype=np.float32)
    for source in sources(cat, inputs):
        score += source.weight * source.values
    return score
