"""Fairness report: do people with short education, part-time positions or of any age get
recommendations of the same breadth? (the Matthew principle, MISSION «Principles»)

For everyone actively employed, the recommender is run exactly as for the person themselves
(their own switched-off signals respected; nothing recorded) and the results are grouped by
education level, employment percentage and age band. The recommender never reads these three
attributes; this report checks that the outcome does not differ by them either.

Education level is the highest registered education; for people without one it is the skill
level the position's STYRK-08 (ISCO-08) major group requires (1–3 higher education, 4–8 upper
secondary or trade certificate, 9 shorter), marked as «derived».
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from laeringsarena.accounts.permissions import MIN_GROUP_SIZE
from laeringsarena.competence.models import Education, EducationLevel
from laeringsarena.guidance import engine, services
from laeringsarena.people.models import Employment, Person

DIMENSIONS = ("education", "percentage", "age")
EDUCATION_RANK: dict[str, tuple[int, str]] = {
    EducationLevel.UPPER_SECONDARY: (1, "upper_secondary"),
    EducationLevel.TRADE_CERTIFICATE: (1, "upper_secondary"),
    EducationLevel.OTHER: (1, "upper_secondary"),
    EducationLevel.VOCATIONAL: (2, "vocational"),
    EducationLevel.BACHELOR: (3, "higher"),
    EducationLevel.MASTER: (3, "higher"),
    EducationLevel.DOCTORATE: (3, "higher"),
}
LABELS = {
    "short": "Grunnskole / kortere",
    "upper_secondary": "Videregående / fagbrev",
    "vocational": "Fagskole",
    "higher": "Høyere utdanning",
    "lt50": "Under 50 %",
    "50-79": "50–79 %",
    "80-99": "80–99 %",
    "100": "100 %",
    "lt30": "Under 30 år",
    "30-44": "30–44 år",
    "45-59": "45–59 år",
    "60+": "60 år og eldre",
    "unknown": "Ukjent",
}


def education_band(registered: str | None, position_code: str) -> tuple[str, bool]:
    """(band, derived from the position?)"""
    if registered:
        return registered, False
    major = position_code[:1]
    if major in {"1", "2", "3"}:
        return "higher", True
    if major == "9":
        return "short", True
    if major.isdigit():
        return "upper_secondary", True
    return "unknown", True


def percentage_band(total: Decimal | float) -> str:
    value = float(total)
    if value >= 100:
        return "100"
    if value >= 80:
        return "80-99"
    if value >= 50:
        return "50-79"
    return "lt50"


def age_band(birth_year: int | None, today: dt.date) -> str:
    if birth_year is None:
        return "unknown"
    age = today.year - birth_year
    if age < 30:
        return "lt30"
    if age < 45:
        return "30-44"
    if age < 60:
        return "45-59"
    return "60+"


@dataclass
class Outcome:
    count: int
    formats: int
    reasons: int
    credit_bearing: bool
    offerings: list[int]


@dataclass
class GroupRow:
    dimension: str
    group: str
    people: int
    suppressed: bool
    derived: int = 0  # people whose education band is derived from the position
    mean_recommendations: float = 0.0
    full_list_share: float = 0.0  # share of people with a full list
    mean_formats: float = 0.0  # distinct formats per person (diversity)
    mean_reasons: float = 0.0  # distinct reasons (gaps, certifications, …) per person (diversity)
    credit_bearing_share: float = 0.0  # share offered at least one credit-bearing course
    catalogue_coverage: float = 0.0  # distinct offerings recommended to the group / catalogue

    @property
    def label(self) -> str:
        return LABELS.get(self.group, self.group)


@dataclass
class FairnessReport:
    limit: int
    people: int
    catalogue_size: int
    coverage: float  # distinct offerings recommended to anyone / catalogue
    rows: list[GroupRow] = field(default_factory=list)

    def spread(self, dimension: str, attribute: str) -> float | None:
        """Largest minus smallest group value (unsuppressed groups) — 0 is perfectly even."""
        values = [getattr(r, attribute) for r in self.rows if r.dimension == dimension and not r.suppressed]
        return round(max(values) - min(values), 3) if len(values) > 1 else None


def person_groups(today: dt.date, people: list[int] | None = None) -> dict[int, dict[str, tuple[str, bool]]]:
    rows = Employment.objects.active(today).values_list(
        "person_id", "percentage", "position__code", "person__birth_year"
    )
    if people is not None:
        rows = rows.filter(person_id__in=people)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    codes: dict[int, str] = {}
    births: dict[int, int | None] = {}
    for person_id, percentage, code, birth_year in rows.order_by("person_id", "-percentage"):
        totals[person_id] += percentage
        codes.setdefault(person_id, code)
        births[person_id] = birth_year
    registered: dict[int, tuple[int, str]] = {}
    for person_id, level in Education.objects.filter(person_id__in=list(totals)).values_list(
        "person_id", "level"
    ):
        rank = EDUCATION_RANK.get(level)
        if rank and rank > registered.get(person_id, (0, "")):
            registered[person_id] = rank
    result = {}
    for person_id in totals:
        band, derived = education_band(registered.get(person_id, (0, None))[1], codes[person_id])
        result[person_id] = {
            "education": (band, derived),
            "percentage": (percentage_band(min(totals[person_id], Decimal(100))), False),
            "age": (age_band(births[person_id], today), False),
        }
    return result


def report(
    *, limit: int = 10, now: dt.datetime | None = None, people: list[int] | None = None
) -> FairnessReport:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    groups = person_groups(today, people)
    cat = engine.catalogue()
    outcomes: dict[int, Outcome] = {}
    for person in Person.objects.filter(pk__in=list(groups)).order_by("pk"):
        items = services.recommend(person, limit=limit, now=now)
        outcomes[person.pk] = Outcome(
            count=len(items),
            formats=len({i.offering.format for i in items}),
            reasons=len({i.main.key + ":" + i.main.text for i in items}),
            credit_bearing=any(i.offering.ects_credits for i in items),
            offerings=[i.offering.pk for i in items],
        )
    catalogue_size = int(cat.alive.sum()) or 1
    everything = {pk for o in outcomes.values() for pk in o.offerings}
    result = FairnessReport(limit, len(outcomes), catalogue_size, round(len(everything) / catalogue_size, 3))
    for dimension in DIMENSIONS:
        members: dict[str, list[int]] = defaultdict(list)
        derived: dict[str, int] = defaultdict(int)
        for person_id, dims in groups.items():
            band, is_derived = dims[dimension]
            members[band].append(person_id)
            derived[band] += is_derived
        order = [key for key in LABELS if key in members]
        for band in order:
            ids = [p for p in members[band] if p in outcomes]
            row = GroupRow(
                dimension, band, len(ids), suppressed=len(ids) < MIN_GROUP_SIZE, derived=derived[band]
            )
            if not row.suppressed:
                picked = [outcomes[p] for p in ids]
                row.mean_recommendations = round(statistics.fmean(o.count for o in picked), 2)
                row.full_list_share = round(sum(o.count >= limit for o in picked) / len(picked), 3)
                row.mean_formats = round(statistics.fmean(o.formats for o in picked), 2)
                row.mean_reasons = round(statistics.fmean(o.reasons for o in picked), 2)
                row.credit_bearing_share = round(sum(o.credit_bearing for o in picked) / len(picked), 3)
                row.catalogue_coverage = round(
                    len({pk for o in picked for pk in o.offerings}) / catalogue_size, 3
                )
            result.rows.append(row)
    return result


def as_table(result: FairnessReport) -> str:
    header = (
        f"{'dimensjon':<11} {'gruppe':<24} {'personer':>8} {'anb./pers':>9} {'full liste':>10} "
        f"{'formater':>8} {'grunner':>7} {'studiep.':>8} {'dekning':>7}"
    )
    lines = [
        f"Anbefalinger per person: {result.limit}; personer: {result.people}; "
        f"katalog: {result.catalogue_size}; dekning av katalogen: {result.coverage:.1%}",
        header,
        "-" * len(header),
    ]
    for row in result.rows:
        label = row.label + (" *" if row.derived else "")
        if row.suppressed:
            lines.append(
                f"{row.dimension:<11} {label:<24} {row.people:>8}  (færre enn {MIN_GROUP_SIZE}: vises ikke)"
            )
            continue
        lines.append(
            f"{row.dimension:<11} {label:<24} {row.people:>8} {row.mean_recommendations:>9.2f} "
            f"{row.full_list_share:>10.0%} {row.mean_formats:>8.2f} {row.mean_reasons:>7.2f} "
            f"{row.credit_bearing_share:>8.0%} {row.catalogue_coverage:>7.1%}"
        )
    lines.append("")
    for dimension in DIMENSIONS:
        lines.append(
            f"Spredning {dimension}: anbefalinger {result.spread(dimension, 'mean_recommendations')}, "
            f"formater {result.spread(dimension, 'mean_formats')}, "
            f"grunner {result.spread(dimension, 'mean_reasons')}"
        )
    lines.append(
        "* utdanningsnivå avledet av stillingens STYRK-08-hovedgruppe for personer uten registrert utdanning"
    )
    return "\n".join(lines)
