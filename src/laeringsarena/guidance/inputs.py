"""What the recommender knows about one person, gathered in a handful of queries.

Only what is listed here is used. Personal categories the person switched off are not even
read (:class:`~laeringsarena.guidance.models.SignalCategory`). Education, age and employment
percentage are never read: they must not narrow anyone's opportunities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from laeringsarena.accounts.models import Role, RoleAssignment
from laeringsarena.catalogue.models import BundleGrant
from laeringsarena.competence.models import (
    Certification,
    CertificationRequirement,
    Competence,
    CompetenceLevel,
    CompetenceRequirement,
)
from laeringsarena.guidance import availability
from laeringsarena.guidance.engine import completed_by
from laeringsarena.guidance.models import (
    BusyCalendar,
    CareerWish,
    Dismissal,
    DismissReason,
    GuidanceSettings,
    SignalCategory,
)
from laeringsarena.people.models import Employment, Person

PLAN_OPEN = ("wish", "planned", "in_progress")


@dataclass(frozen=True)
class Job:
    position_id: int
    position: str
    tenant_id: int
    unit_path: str


@dataclass(frozen=True)
class CertificationNeed:
    name: str
    competence: Competence | None
    expires_on: dt.date | None  # None: required but not held
    required: bool


@dataclass(frozen=True)
class PlanGoal:
    title: str
    offering_id: int | None
    competence: Competence | None
    target_level: int | None


@dataclass(frozen=True)
class CareerGoal:
    label: str  # the position or ladder step
    kind: str  # "position" / "ladder"
    position_id: int | None
    needs: list[tuple[Competence, int, int | None]]  # competence, required, current


@dataclass
class PersonInputs:
    person: Person
    disabled: set[str]
    jobs: list[Job]
    tenant_ids: set[int]
    bundle_ids: set[int]
    required: list[tuple[Competence, int]]
    levels: dict[int, int]
    certifications: list[CertificationNeed]
    plan: list[PlanGoal]
    career: CareerGoal | None
    completed: set[int]
    dismissed: dict[int, Dismissal]
    language: str
    formats: list[str]
    calendar: BusyCalendar | None
    now: dt.datetime
    admin: bool = False
    notes: dict[str, Any] = field(default_factory=dict)

    def uses(self, category: str) -> bool:
        return category not in self.disabled

    @property
    def known_competences(self) -> set[int]:
        return self.notes.get("known_competences", set())


def settings_for(person: Person) -> GuidanceSettings:
    found = GuidanceSettings.objects.filter(person=person).first()
    return found or GuidanceSettings(person=person)


def _one_to_one(person: Person, name: str) -> Any:
    try:
        return getattr(person, name)
    except ObjectDoesNotExist:
        return None


def requirements(jobs: list[Job]) -> tuple[list[tuple[Competence, int]], list[CertificationRequirement]]:
    """The requirements that apply to these jobs, as :func:`competence.selectors.requirements_for`
    resolves them (unit or above, or the whole municipality; the position or any), in two queries."""
    if not jobs:
        return [], []
    tenants = {job.tenant_id for job in jobs}
    positions = {job.position_id for job in jobs}

    def applies(organisation_path: str | None, position_id: int | None) -> bool:
        return any(
            (organisation_path is None or job.unit_path.startswith(organisation_path))
            and position_id in (None, job.position_id)
            for job in jobs
        )

    where = Q(tenant_id__in=tenants) & (Q(position__isnull=True) | Q(position_id__in=positions))
    required: dict[int, int] = {}
    competences: dict[int, Competence] = {}
    for requirement in (
        CompetenceRequirement.objects.filter(where).select_related("competence", "organisation").order_by()
    ):
        path = requirement.organisation.path if requirement.organisation else None
        if applies(path, requirement.position_id) and requirement.required_level > required.get(
            requirement.competence_id, 0
        ):
            required[requirement.competence_id] = requirement.required_level
            competences[requirement.competence_id] = requirement.competence
    certifications = [
        requirement
        for requirement in CertificationRequirement.objects.filter(where)
        .select_related("competence", "organisation")
        .order_by()
        if applies(
            requirement.organisation.path if requirement.organisation else None, requirement.position_id
        )
    ]
    ordered = sorted(required, key=lambda pk: (competences[pk].framework_id, competences[pk].code))
    return [(competences[pk], required[pk]) for pk in ordered], sorted(certifications, key=lambda r: r.name)


def gather(person: Person, now: dt.datetime, *, disabled: set[str] | None = None) -> PersonInputs:
    today = timezone.localtime(now).date()
    person = (
        Person.objects.select_related("guidance_settings", "career_wish", "busy_calendar")
        .filter(pk=person.pk)
        .first()
        or person
    )
    settings = _one_to_one(person, "guidance_settings") or GuidanceSettings(person=person)
    off = set(settings.disabled_signals if disabled is None else disabled) & set(SignalCategory.values)
    jobs = [
        Job(position_id, position, tenant_id, path)
        for position_id, position, tenant_id, path in Employment.objects.active(today)
        .filter(person=person)
        .values_list("position_id", "position__name", "organisation_id", "unit__path")
        .order_by()
    ]
    unit_ids = {int(part) for job in jobs for part in job.unit_path.strip("/").split("/") if part}
    bundle_ids = set(
        BundleGrant.objects.filter(valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .filter(Q(person=person) | Q(organisation_id__in=unit_ids))
        .order_by()
        .values_list("bundle_id", flat=True)
    )
    required, certification_requirements = requirements(jobs)
    levels = dict(
        CompetenceLevel.objects.filter(person=person).order_by().values_list("competence_id", "level")
    )
    certifications = _certifications(person, certification_requirements, today)
    plan: list[PlanGoal] = []
    if SignalCategory.PLAN not in off:
        from laeringsarena.plans.models import PlanItem

        items = PlanItem.objects.filter(plan__person=person, status__in=PLAN_OPEN)
        for item in items.select_related("competence").order_by("pk"):
            plan.append(PlanGoal(item.title, item.offering_id, item.competence, item.target_level))
    wish = _one_to_one(person, "career_wish")
    career = _career(wish, jobs, levels) if wish is not None and SignalCategory.CAREER not in off else None
    dismissed = {
        d.offering_id: d
        for d in Dismissal.objects.filter(person=person).order_by()
        if d.reason != DismissReason.NOT_NOW or (d.until is not None and d.until > now)
    }
    calendar = _one_to_one(person, "busy_calendar") if SignalCategory.CALENDAR not in off else None
    tenant_ids = {job.tenant_id for job in jobs}
    admin = False
    for role, tenant_id, organisation_id in (
        RoleAssignment.objects.filter(person=person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("role", "organisation__tenant_id", "organisation_id")
    ):
        admin = admin or role == Role.PLATFORM_ADMIN
        tenant_ids.add(tenant_id or organisation_id)
    return PersonInputs(
        person=person,
        disabled=off,
        jobs=jobs,
        tenant_ids=tenant_ids,
        bundle_ids=bundle_ids,
        required=required,
        levels=levels,
        certifications=certifications,
        plan=plan,
        career=career,
        completed=completed_by(person.pk),
        dismissed=dismissed,
        language=settings.preferred_language or person.preferred_language or "nb",
        formats=list(settings.preferred_formats or []),
        calendar=calendar,
        now=now,
        admin=admin,
    )


def _certifications(
    person: Person, requirements: list[CertificationRequirement], today: dt.date
) -> list[CertificationNeed]:
    held = list(Certification.objects.filter(person=person).order_by("-issued_on"))
    needs: list[CertificationNeed] = []
    used: set[int] = set()
    for requirement in requirements:
        match = next(
            (
                c
                for c in held
                if c.requirement_id == requirement.pk or c.name.casefold() == requirement.name.casefold()
            ),
            None,
        )
        if match is None:
            needs.append(CertificationNeed(requirement.name, requirement.competence, None, True))
            continue
        used.add(match.pk)
        if match.expires_on is not None:
            needs.append(CertificationNeed(requirement.name, requirement.competence, match.expires_on, True))
    seen = {need.name.casefold() for need in needs}
    for certification in held:
        if certification.pk in used or certification.expires_on is None:
            continue
        if certification.name.casefold() in seen:
            continue
        seen.add(certification.name.casefold())
        needs.append(CertificationNeed(certification.name, None, certification.expires_on, False))
    return needs


def _career(wish: CareerWish, jobs: list[Job], levels: dict[int, int]) -> CareerGoal | None:
    if wish.ladder_step is not None:
        from laeringsarena.plans.models import StepCriterion

        needs = [
            (c.competence, c.level, levels.get(c.competence_id))
            for c in StepCriterion.objects.filter(step=wish.ladder_step).select_related("competence")
            if levels.get(c.competence_id, 0) < c.level
        ]
        return CareerGoal(wish.ladder_step.title, "ladder", None, needs)
    if wish.target_position is None:
        return None
    tenants = {job.tenant_id for job in jobs}
    required: dict[int, int] = {}
    competences: dict[int, Competence] = {}
    for requirement in CompetenceRequirement.objects.filter(
        position=wish.target_position, tenant_id__in=tenants
    ).select_related("competence"):
        if requirement.required_level > required.get(requirement.competence_id, 0):
            required[requirement.competence_id] = requirement.required_level
            competences[requirement.competence_id] = requirement.competence
    needs = [
        (competences[cid], level, levels.get(cid))
        for cid, level in sorted(required.items())
        if levels.get(cid, 0) < level
    ]
    return CareerGoal(wish.target_position.name, "position", wish.target_position.pk, needs)


def busy_intervals(calendar: BusyCalendar) -> list[availability.Interval]:
    return availability.from_json(calendar.busy)
