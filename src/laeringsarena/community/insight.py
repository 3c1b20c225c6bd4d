"""Learning-conditions insight: who takes part in learning at work, aggregated only.

For leaders, HR and union representatives (``AGGREGATES_VIEW``). The people counted are those
with an active employment in the chosen unit (and below) — and, beside it, in the whole
municipality. A person takes part if, in the last twelve months, they wrote a reflection, held
or attended a "pass it on" mini-course or did a job exchange, or if they are an active member
of a group or network.

Breakdowns: by highest education level (from the competence profile's formal education,
``competence.Education``; "ikke registrert" when none is recorded), by position group (the
STYRK-08 major group), by position, by employment percentage band and by age band. Any cell
with fewer than ``MIN_GROUP_SIZE`` people is suppressed, so that the skew toward the richest
jobs (the Matthew principle) shows without exposing anyone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import MIN_GROUP_SIZE, Permission
from laeringsarena.community.models import Membership, MembershipStatus, Reflection
from laeringsarena.core.errors import NotFound
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser

# STYRK-08 major groups (first digit of the position code).
POSITION_GROUPS: dict[str, object] = {
    "1": gettext_lazy("Ledere"),
    "2": gettext_lazy("Akademiske yrker"),
    "3": gettext_lazy("Høyskoleyrker"),
    "4": gettext_lazy("Kontoryrker"),
    "5": gettext_lazy("Salgs-, service- og omsorgsyrker"),
    "6": gettext_lazy("Bønder, fiskere mv."),
    "7": gettext_lazy("Håndverkere"),
    "8": gettext_lazy("Operatører og sjåfører"),
    "9": gettext_lazy("Renholdere, hjelpearbeidere mv."),
}
# Highest first wins: the order of formal education levels (competence.EducationLevel).
EDUCATION_ORDER = (
    "doctorate",
    "master",
    "bachelor",
    "vocational",
    "trade_certificate",
    "upper_secondary",
    "other",
)
PERCENTAGE_BANDS = ((0, 49, "under 50 %"), (50, 79, "50–79 %"), (80, 99, "80–99 %"), (100, 1000, "100 %"))
AGE_BANDS = ((0, 29, "under 30"), (30, 39, "30–39"), (40, 49, "40–49"), (50, 59, "50–59"), (60, 200, "60 +"))


@dataclass(frozen=True)
class Member:
    """One person counted: the attributes we break down by."""

    person_id: int
    position: str
    position_group: str
    percentage_band: str
    age_band: str
    in_unit: bool
    education: str = ""


@dataclass
class Cell:
    people: int
    participants: int

    @property
    def suppressed(self) -> bool:
        return self.people < MIN_GROUP_SIZE

    @property
    def share(self) -> int | None:
        if self.suppressed or not self.people:
            return None
        return round(100 * self.participants / self.people)


@dataclass
class Row:
    label: str
    unit: Cell
    municipality: Cell


@dataclass
class Breakdown:
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Insight:
    unit: Organisation
    municipality: Organisation
    total: Row
    breakdowns: list[Breakdown]
    reflections_unit: int | None  # None: suppressed (fewer than five people in the unit)
    reflections_municipality: int
    min_group_size: int = MIN_GROUP_SIZE


def can_view(user: AnyUser) -> bool:
    return permissions.has_permission(user, Permission.AGGREGATES_VIEW)


def scopes(user: AnyUser) -> list[Organisation]:
    """Units and municipalities the user may look at (the roots of their aggregate scope)."""
    roots = list(
        Organisation.objects.filter(path__in=permissions.scope_paths(user, Permission.AGGREGATES_VIEW))
    )
    result: list[Organisation] = []
    for root in roots:
        if root.kind == OrganisationKind.PLATFORM:
            result += list(Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("name"))
        else:
            result.append(root)
    return result


def choose_scope(user: AnyUser, pk: int | None) -> Organisation:
    permissions.require(user, Permission.AGGREGATES_VIEW)
    if pk is None:
        options = scopes(user)
        if not options:
            raise NotFound()
        return options[0]
    return permissions.access_organisation(user, pk, Permission.AGGREGATES_VIEW)


def _band(value: int | None, bands: tuple[tuple[int, int, str], ...]) -> str:
    if value is None:
        return _("ukjent")
    return next((label for low, high, label in bands if low <= value <= high), _("ukjent"))


def _members(unit: Organisation, municipality: Organisation, today: dt.date) -> list[Member]:
    rows = (
        Employment.objects.active(today)
        .filter(organisation=municipality)
        .values_list(
            "person_id", "unit__path", "position__name", "position__code", "percentage", "person__birth_year"
        )
    )
    by_person: dict[int, list[tuple[str, str, str, Decimal, int | None]]] = defaultdict(list)
    for person_id, path, name, code, percentage, birth_year in rows:
        by_person[person_id].append((path, name, code, percentage, birth_year))
    education = _highest_education(set(by_person))
    members = []
    for person_id, jobs in by_person.items():
        main = max(jobs, key=lambda job: job[3])
        total = int(min(sum(job[3] for job in jobs), Decimal(100)))
        birth_year = main[4]
        members.append(
            Member(
                person_id=person_id,
                position=main[1],
                position_group=str(POSITION_GROUPS.get(main[2][:1], _("Annet"))),
                percentage_band=_band(total, PERCENTAGE_BANDS),
                age_band=_band(today.year - birth_year if birth_year else None, AGE_BANDS),
                in_unit=any(job[0].startswith(unit.path) for job in jobs),
                education=education.get(person_id, NOT_RECORDED),
            )
        )
    return members


NOT_RECORDED = "none"


def _highest_education(person_ids: set[int]) -> dict[int, str]:
    """Each person's highest recorded education level (key of ``EducationLevel``)."""
    from laeringsarena.competence.models import Education

    rank = {level: i for i, level in enumerate(EDUCATION_ORDER)}
    highest: dict[int, str] = {}
    for person_id, level in Education.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "level"
    ):
        current = highest.get(person_id)
        if current is None or rank.get(level, len(rank)) < rank.get(current, len(rank)):
            highest[person_id] = level
    return highest


def _education_labels() -> dict[str, str]:
    from laeringsarena.competence.models import EducationLevel

    labels = {str(k): str(v) for k, v in EducationLevel.choices}
    labels[NOT_RECORDED] = _("Ikke registrert")
    return labels


def _participants(municipality: Organisation, since: dt.datetime) -> set[int]:
    """People who took part in learning at work in the period: wrote a reflection, are in a
    group or network, held or attended a mini-course, or did an agreed job exchange."""
    from laeringsarena.community.models import ExchangeAgreement, MiniCourse, MiniCourseInvitation

    reflected = Reflection.objects.filter(tenant=municipality, created_at__gte=since).values_list(
        "author_id", flat=True
    )
    in_groups = Membership.objects.filter(
        Q(group__tenant=municipality) | Q(group__municipalities__tenant=municipality),
        status=MembershipStatus.ACTIVE,
    ).values_list("person_id", flat=True)
    courses = MiniCourse.objects.filter(tenant=municipality, starts_at__gte=since)
    attended = MiniCourseInvitation.objects.filter(course__in=courses, attended_at__isnull=False).values_list(
        "person_id", flat=True
    )
    hosted = courses.filter(status="held").values_list("host_id", flat=True)
    exchanges = ExchangeAgreement.objects.filter(
        host_agreed_at__gte=since, home_agreed_at__isnull=False, wish__tenant=municipality
    ).values_list("wish__author_id", flat=True)
    return set(reflected) | set(in_groups) | set(attended) | set(hosted) | set(exchanges)


def build(unit: Organisation, today: dt.date | None = None) -> Insight:
    today = today or timezone.localdate()
    municipality = unit if unit.is_tenant or unit.tenant is None else unit.tenant
    since = timezone.now() - dt.timedelta(days=365)
    members = _members(unit, municipality, today)
    taking_part = _participants(municipality, since)

    def cell(group: list[Member]) -> Cell:
        return Cell(people=len(group), participants=sum(1 for m in group if m.person_id in taking_part))

    def breakdown(title: str, key: Callable[[Member], str], order: list[str] | None = None) -> Breakdown:
        labels = order or sorted({key(m) for m in members})
        result = Breakdown(title=title)
        for label in labels:
            everyone = [m for m in members if key(m) == label]
            if not everyone:
                continue
            result.rows.append(
                Row(label=label, unit=cell([m for m in everyone if m.in_unit]), municipality=cell(everyone))
            )
        return result

    in_unit = [m for m in members if m.in_unit]
    education_labels = _education_labels()
    reflections = Reflection.objects.filter(created_at__gte=since)
    unit_reflections = reflections.filter(unit__path__startswith=unit.path).count()
    return Insight(
        unit=unit,
        municipality=municipality,
        total=Row(label=_("Alle"), unit=cell(in_unit), municipality=cell(members)),
        breakdowns=[
            breakdown(
                _("Utdanningsnivå"),
                lambda m: education_labels.get(m.education, m.education),
                [education_labels[level] for level in (*EDUCATION_ORDER, NOT_RECORDED)],
            ),
            breakdown(_("Stillingsgruppe"), lambda m: m.position_group),
            breakdown(_("Stilling"), lambda m: m.position),
            breakdown(
                _("Stillingsprosent"),
                lambda m: m.percentage_band,
                [label for _l, _h, label in PERCENTAGE_BANDS],
            ),
            breakdown(
                _("Alder"), lambda m: m.age_band, [label for _l, _h, label in AGE_BANDS] + [_("ukjent")]
            ),
        ],
        reflections_unit=unit_reflections if len(in_unit) >= MIN_GROUP_SIZE else None,
        reflections_municipality=reflections.filter(tenant=municipality).count(),
    )
