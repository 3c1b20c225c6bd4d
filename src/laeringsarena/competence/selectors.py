"""Reads: framework lists, requirement resolution, gap analysis and heatmaps.

Gap analysis (required vs assessed) works per unit subtree. Requirements apply to an active
employment when their organisation is above or equal to the employment's unit (or is the
whole municipality) and their position is the employment's position (or any position). The
required level of a person is the highest that applies. The assessed level is
:class:`CompetenceLevel.level` (leader, course and credential assessments outrank self-assessment).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from laeringsarena.competence.models import (
    CertificationRequirement,
    Competence,
    CompetenceLevel,
    CompetenceRequirement,
    Framework,
)
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment


def framework_list(queryset: QuerySet[Framework]) -> list[Any]:
    return list(
        queryset.annotate(
            area_count=Count("areas", distinct=True),
            competence_count=Count("competences", distinct=True),
            level_count=Count("levels", distinct=True),
        ).order_by("name", "version")
    )


@dataclass
class Member:
    person_id: int
    name: str
    position: str
    unit_id: int
    unit: str
    required: dict[int, int] = field(default_factory=dict)  # competence id → level


def _members(unit: Organisation) -> dict[int, Member]:
    """People actively employed in the unit subtree with the requirements that apply to them."""
    rows = (
        Employment.objects.active(timezone.localdate())
        .filter(unit__path__startswith=unit.path)
        .values_list(
            "person_id",
            "person__given_name",
            "person__family_name",
            "position_id",
            "position__name",
            "unit_id",
            "unit__name",
            "unit__path",
        )
        .order_by("person__family_name", "person__given_name", "person_id")
    )
    requirements = list(
        CompetenceRequirement.objects.filter(tenant_id=unit.tenant_id or unit.pk).values_list(
            "organisation__path", "position_id", "competence_id", "required_level"
        )
    )
    members: dict[int, Member] = {}
    cache: dict[tuple[str, int], dict[int, int]] = {}
    for person_id, given, family, position_id, position, unit_id, unit_name, path in rows:
        member = members.get(person_id)
        if member is None:
            member = members[person_id] = Member(person_id, f"{given} {family}", position, unit_id, unit_name)
        key = (path, position_id)
        if key not in cache:
            needed: dict[int, int] = {}
            for org_path, req_position, competence_id, level in requirements:
                if (org_path is None or path.startswith(org_path)) and req_position in (None, position_id):
                    needed[competence_id] = max(level, needed.get(competence_id, 0))
            cache[key] = needed
        for competence_id, level in cache[key].items():
            member.required[competence_id] = max(level, member.required.get(competence_id, 0))
    return members


@dataclass
class Cell:
    required: int
    assessed: int | None
    self_level: int | None
    source: str | None

    @property
    def gap(self) -> int:
        return max(0, self.required - (self.assessed or 0))

    @property
    def status(self) -> str:
        """ok / gap / unknown / extra — used for colour and the text beside it."""
        if self.assessed is None:
            return "unknown" if self.required else "none"
        if not self.required:
            return "extra"
        return "ok" if self.gap == 0 else ("gap-1" if self.gap == 1 else "gap-2")


@dataclass
class GapAnalysis:
    unit: Organisation
    competences: list[Competence]
    members: list[Member]
    cells: dict[tuple[int, int], Cell]  # (person id, competence id)

    def cell(self, person_id: int, competence_id: int) -> Cell:
        return self.cells.get((person_id, competence_id)) or Cell(0, None, None, None)

    def person_total(self, member: Member) -> int:
        return sum(self.cell(member.person_id, c.pk).gap for c in self.competences)

    def competence_summary(self, competence: Competence) -> dict[str, Any]:
        cells = [self.cell(m.person_id, competence.pk) for m in self.members]
        required = [c for c in cells if c.required]
        assessed = [c.assessed for c in cells if c.assessed is not None]
        distribution: dict[int, int] = defaultdict(int)
        for value in assessed:
            distribution[value] += 1
        return {
            "competence_id": competence.pk,
            "code": competence.code,
            "name": competence.name,
            "people_required": len(required),
            "people_meeting": sum(1 for c in required if c.gap == 0),
            "average_required": round(sum(c.required for c in required) / len(required), 2)
            if required
            else 0.0,
            "average_assessed": round(sum(assessed) / len(assessed), 2) if assessed else None,
            "total_gap": sum(c.gap for c in cells),
            "distribution": dict(sorted(distribution.items())),
        }

    def as_dict(self) -> dict[str, Any]:
        empty = Cell(0, None, None, None)
        people = []
        for m in self.members:
            cells = []
            total = 0
            for c in self.competences:
                cell = self.cells.get((m.person_id, c.pk), empty)
                gap = cell.gap
                total += gap
                cells.append(
                    {
                        "competence_id": c.pk,
                        "code": c.code,
                        "name": c.name,
                        "required": cell.required,
                        "assessed": cell.assessed,
                        "source": cell.source,
                        "gap": gap,
                    }
                )
            people.append(
                {
                    "person_id": m.person_id,
                    "name": m.name,
                    "position": m.position,
                    "unit_id": m.unit_id,
                    "total_gap": total,
                    "competences": cells,
                }
            )
        return {
            "unit_id": self.unit.pk,
            "unit": self.unit.name,
            "people": people,
            "competences": [self.competence_summary(c) for c in self.competences],
        }


def unit_gaps(unit: Organisation, competence_ids: list[int] | None = None) -> GapAnalysis:
    """Required vs assessed per person and competence in the unit subtree.

    The competences shown are ``competence_ids`` if given, otherwise every competence that is
    required of someone in the unit or that someone has been assessed in.
    """
    members = _members(unit)
    levels = CompetenceLevel.objects.filter(person__in=list(members)).values_list(
        "person_id", "competence_id", "level", "self_level", "source"
    )
    if competence_ids is not None:
        levels = levels.filter(competence_id__in=competence_ids)
    cells: dict[tuple[int, int], Cell] = {}
    for member in members.values():
        for competence_id, required in member.required.items():
            if competence_ids is None or competence_id in competence_ids:
                cells[(member.person_id, competence_id)] = Cell(required, None, None, None)
    for person_id, competence_id, level, self_level, source in levels:
        cell = cells.get((person_id, competence_id))
        if cell is None:
            cells[(person_id, competence_id)] = Cell(0, level, self_level, source)
        else:
            cell.assessed, cell.self_level, cell.source = level, self_level, source
    wanted = set(competence_ids) if competence_ids is not None else {key[1] for key in cells}
    competences = list(
        Competence.objects.filter(pk__in=wanted)
        .select_related("area")
        .order_by("framework_id", "area__order", "order", "code")
    )
    return GapAnalysis(unit=unit, competences=competences, members=list(members.values()), cells=cells)


def requirements_for(person_id: int) -> tuple[list[tuple[Competence, int]], list[CertificationRequirement]]:
    """The competence and certification requirements that apply to a person's active employments."""
    employments = list(
        Employment.objects.active(timezone.localdate()).filter(person_id=person_id).select_related("unit")
    )
    required: dict[int, int] = {}
    certifications: dict[int, CertificationRequirement] = {}
    for employment in employments:
        ancestors = employment.unit.path.strip("/").split("/")
        paths = {"/" + "/".join(ancestors[:i]) + "/" for i in range(1, len(ancestors) + 1)}
        where = (
            Q(tenant_id=employment.organisation_id)
            & (Q(organisation__isnull=True) | Q(organisation__path__in=paths))
            & (Q(position__isnull=True) | Q(position_id=employment.position_id))
        )
        for competence_id, level in CompetenceRequirement.objects.filter(where).values_list(
            "competence_id", "required_level"
        ):
            required[competence_id] = max(level, required.get(competence_id, 0))
        for requirement in CertificationRequirement.objects.filter(where):
            certifications[requirement.pk] = requirement
    competences = {
        c.pk: c for c in Competence.objects.filter(pk__in=required).select_related("framework", "area")
    }
    ordered = sorted(
        required.items(), key=lambda item: (competences[item[0]].framework_id, competences[item[0]].code)
    )
    return [(competences[pk], level) for pk, level in ordered], sorted(
        certifications.values(), key=lambda r: r.name
    )


@dataclass
class Coverage:
    """What we have vs what we need for one competence in a sector or municipality."""

    competence: Competence
    people_required: int
    average_required: float | None
    people_assessed: int
    average_assessed: float | None
    distribution: dict[int, int]  # assessed level → people (empty when suppressed)
    suppressed: bool


def coverage(organisation: Organisation, min_group: int = 5) -> tuple[int, list[Coverage]]:
    """:func:`compute_coverage`, cached until anything it depends on changes.

    The cache key holds the newest assessment, current level, requirement and employment
    change (cheap indexed maxima), so a cached answer is never stale — in any process.
    """
    from django.core.cache import cache
    from django.db.models import Max

    from laeringsarena.competence.models import Assessment

    stamps = (
        Assessment.objects.aggregate(m=Max("pk"))["m"],
        CompetenceLevel.objects.aggregate(m=Max("pk"))["m"],
        CompetenceRequirement.objects.filter(tenant_id=organisation.tenant_id or organisation.pk).aggregate(
            m=Max("pk"), n=Count("pk")
        ),
        Employment.objects.filter(organisation_id=organisation.tenant_id or organisation.pk).aggregate(
            m=Max("updated_at"), n=Count("pk")
        ),
    )
    digest = hashlib.sha256(repr(stamps).encode()).hexdigest()[:16]
    key = f"competence:coverage:{organisation.pk}:{min_group}:{timezone.localdate()}:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = compute_coverage(organisation, min_group)
        cache.set(key, cached, 3600)
    return cached


def compute_coverage(organisation: Organisation, min_group: int = 5) -> tuple[int, list[Coverage]]:
    """Aggregated have-vs-need per competence for everyone actively employed in the subtree.

    Needs come from the requirements per (unit, position) group; what we have from the
    current assessed levels. Groups under ``min_group`` people are suppressed. Two grouped
    queries, so it stays fast for a municipality of 10,000 people.
    """
    active = Employment.objects.active(timezone.localdate()).filter(unit__path__startswith=organisation.path)
    groups = active.values_list("unit__path", "position_id").annotate(n=Count("person_id", distinct=True))
    head_count = active.values("person_id").distinct().count()
    requirements = list(
        CompetenceRequirement.objects.filter(tenant_id=organisation.tenant_id or organisation.pk).values_list(
            "organisation__path", "position_id", "competence_id", "required_level"
        )
    )
    need_people: dict[int, int] = defaultdict(int)
    need_sum: dict[int, int] = defaultdict(int)
    for path, position_id, people in groups:
        needed: dict[int, int] = {}
        for org_path, req_position, competence_id, level in requirements:
            if (org_path is None or path.startswith(org_path)) and req_position in (None, position_id):
                needed[competence_id] = max(level, needed.get(competence_id, 0))
        for competence_id, level in needed.items():
            need_people[competence_id] += people
            need_sum[competence_id] += people * level
    # One row per person and competence (unique constraint), so COUNT(*) counts people.
    have = (
        CompetenceLevel.objects.filter(person_id__in=active.values("person_id"))
        .values_list("competence_id", "level")
        .annotate(n=Count("*"))
        .order_by()
    )
    have_levels: dict[int, dict[int, int]] = defaultdict(dict)
    for competence_id, level, people in have:
        have_levels[competence_id][level] = people
    ids = set(need_people) | set(have_levels)
    competences = Competence.objects.filter(pk__in=ids).select_related("framework", "area")
    result = []
    for competence in sorted(competences, key=lambda c: (c.framework_id, c.area.order, c.order, c.code)):
        levels = have_levels.get(competence.pk, {})
        assessed = sum(levels.values())
        suppressed = 0 < assessed < min_group
        result.append(
            Coverage(
                competence=competence,
                people_required=need_people.get(competence.pk, 0),
                average_required=round(need_sum[competence.pk] / need_people[competence.pk], 1)
                if need_people.get(competence.pk)
                else None,
                people_assessed=assessed,
                average_assessed=None
                if suppressed or not assessed
                else round(sum(lv * n for lv, n in levels.items()) / assessed, 1),
                distribution={} if suppressed else dict(sorted(levels.items())),
                suppressed=suppressed,
            )
        )
    return head_count, result
