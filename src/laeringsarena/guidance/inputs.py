"""What the recommender knows about one person, gathered in a handful of queries.

Only what is listed here is used. Personal categories the person switched off are not even
read (:class:`~laeringsarena.guidance.models.SignalCategory`). Education, age and employment
percentage are never read: they must not narrow anyone's opportunities.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
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
from laeringsarena.guidance.engine import completed_by_many
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


class Requirements:
    """The competence and certification requirements of some municipalities, loaded once and
    resolved per person as :func:`competence.selectors.requirements_for` does (unit or above, or
    the whole municipality; the position or any)."""

    def __init__(self, tenants: set[int], positions: set[int]) -> None:
        where = Q(tenant_id__in=tenants) & (Q(position__isnull=True) | Q(position_id__in=positions))
        self.competences = (
            list(
                CompetenceRequirement.objects.filter(where)
                .select_related("competence", "organisation")
                .order_by("pk")
            )
            if tenants
            else []
        )
        self.certifications = (
            list(
                CertificationRequirement.objects.filter(where)
                .select_related("competence", "organisation")
                .order_by("pk")
            )
            if tenants
            else []
        )

    def resolve(self, jobs: list[Job]) -> tuple[list[tuple[Competence, int]], list[CertificationRequirement]]:
        if not jobs:
            return [], []

        def applies(requirement: CompetenceRequirement | CertificationRequirement) -> bool:
            path = requirement.organisation.path if requirement.organisation else None
            return any(
                job.tenant_id == requirement.tenant_id
                and (path is None or job.unit_path.startswith(path))
                and requirement.position_id in (None, job.position_id)
                for job in jobs
            )

        required: dict[int, int] = {}
        competences: dict[int, Competence] = {}
        for requirement in self.competences:
            if applies(requirement) and requirement.required_level > required.get(
                requirement.competence_id, 0
            ):
                required[requirement.competence_id] = requirement.required_level
                competences[requirement.competence_id] = requirement.competence
        certifications = [requirement for requirement in self.certifications if applies(requirement)]
        ordered = sorted(required, key=lambda pk: (competences[pk].framework_id, competences[pk].code))
        return [(competences[pk], required[pk]) for pk in ordered], sorted(
            certifications, key=lambda r: (r.name, r.pk)
        )


def requirements(jobs: list[Job]) -> tuple[list[tuple[Competence, int]], list[CertificationRequirement]]:
    """The requirements that apply to these jobs, in two queries."""
    return Requirements({job.tenant_id for job in jobs}, {job.position_id for job in jobs}).resolve(jobs)


def gather(person: Person, now: dt.datetime, *, disabled: set[str] | None = None) -> PersonInputs:
    """What the recommender reads about one person (a batch of one, see :func:`gather_many`)."""
    return gather_many([person], now, disabled=disabled)[0]


def gather_many(
    people: Sequence[Person], now: dt.datetime, *, disabled: set[str] | None = None
) -> list[PersonInputs]:
    """What the recommender reads about each of these people, in the same order, in about fifteen
    queries for the whole batch (the weekly digest reads thousands of people this way)."""
    if not people:
        return []
    today = timezone.localtime(now).date()
    ids = [person.pk for person in people]
    loaded = Person.objects.select_related(
        "guidance_settings", "career_wish__target_position", "career_wish__ladder_step", "busy_calendar"
    ).in_bulk(ids)
    people = [loaded.get(person.pk, person) for person in people]
    settings: dict[int, GuidanceSettings] = {}
    off: dict[int, set[str]] = {}
    for person in people:
        settings[person.pk] = _one_to_one(person, "guidance_settings") or GuidanceSettings(person=person)
        chosen = settings[person.pk].disabled_signals if disabled is None else disabled
        off[person.pk] = set(chosen) & set(SignalCategory.values)
    jobs: dict[int, list[Job]] = defaultdict(list)
    for person_id, position_id, position, tenant_id, path in (
        Employment.objects.active(today)
        .filter(person_id__in=ids)
        .order_by("person_id", "pk")
        .values_list("person_id", "position_id", "position__name", "organisation_id", "unit__path")
    ):
        jobs[person_id].append(Job(position_id, position, tenant_id, path))
    units = {
        pk: {int(part) for job in jobs[pk] for part in job.unit_path.strip("/").split("/") if part}
        for pk in ids
    }
    bundles: dict[int, set[int]] = defaultdict(set)
    all_units = set().union(*units.values())
    for grant_person, grant_unit, bundle_id in (
        BundleGrant.objects.filter(valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .filter(Q(person_id__in=ids) | Q(organisation_id__in=all_units))
        .order_by()
        .values_list("person_id", "organisation_id", "bundle_id")
    ):
        for pk in ids:
            if grant_person == pk or (grant_unit is not None and grant_unit in units[pk]):
                bundles[pk].add(bundle_id)
    rules = Requirements(
        {job.tenant_id for pk in ids for job in jobs[pk]}, {job.position_id for pk in ids for job in jobs[pk]}
    )
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for person_id, competence_id, level in (
        CompetenceLevel.objects.filter(person_id__in=ids)
        .order_by()
        .values_list("person_id", "competence_id", "level")
    ):
        levels[person_id][competence_id] = level
    held: dict[int, list[Certification]] = defaultdict(list)
    for certification in Certification.objects.filter(person_id__in=ids).order_by("-issued_on", "-pk"):
        held[certification.person_id].append(certification)
    plans: dict[int, list[PlanGoal]] = defaultdict(list)
    planning = [pk for pk in ids if SignalCategory.PLAN not in off[pk]]
    if planning:
        from laeringsarena.plans.models import PlanItem

        for item in (
            PlanItem.objects.filter(plan__person_id__in=planning, status__in=PLAN_OPEN)
            .select_related("competence", "plan")
            .order_by("pk")
        ):
            plans[item.plan.person_id].append(
                PlanGoal(item.title, item.offering_id, item.competence, item.target_level)
            )
    wishes = {
        person.pk: wish
        for person in people
        if SignalCategory.CAREER not in off[person.pk]
        and (wish := _one_to_one(person, "career_wish")) is not None
    }
    careers = _careers(wishes, jobs, levels)
    dismissed: dict[int, dict[int, Dismissal]] = defaultdict(dict)
    for dismissal in Dismissal.objects.filter(person_id__in=ids).order_by("pk"):
        if dismissal.reason != DismissReason.NOT_NOW or (
            dismissal.until is not None and dismissal.until > now
        ):
            dismissed[dismissal.person_id][dismissal.offering_id] = dismissal
    roles: dict[int, list[tuple[str, Any, Any]]] = defaultdict(list)
    for person_id, role, role_tenant, role_organisation in (
        RoleAssignment.objects.filter(person_id__in=ids, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("pk")
        .values_list("person_id", "role", "organisation__tenant_id", "organisation_id")
    ):
        roles[person_id].append((role, role_tenant, role_organisation))
    completed = completed_by_many(ids)
    result = []
    for person in people:
        pk = person.pk
        person_jobs = jobs[pk]
        required, certification_requirements = rules.resolve(person_jobs)
        tenant_ids = {job.tenant_id for job in person_jobs}
        admin = False
        for role, role_tenant, role_organisation in roles[pk]:
            admin = admin or role == Role.PLATFORM_ADMIN
            tenant_ids.add(role_tenant or role_organisation)
        result.append(
            PersonInputs(
                person=person,
                disabled=off[pk],
                jobs=person_jobs,
                tenant_ids=tenant_ids,
                bundle_ids=bundles[pk],
                required=required,
                levels=levels[pk],
                certifications=_certifications(held[pk], certification_requirements),
                plan=plans[pk],
                career=careers.get(pk),
                completed=completed.get(pk, set()),
                dismissed=dismissed[pk],
                language=settings[pk].preferred_language or person.preferred_language or "nb",
                formats=list(settings[pk].preferred_formats or []),
                calendar=(
                    _one_to_one(person, "busy_calendar") if SignalCategory.CALENDAR not in off[pk] else None
                ),
                now=now,
                admin=admin,
            )
        )
    return result


def _certifications(
    held: list[Certification], requirements: list[CertificationRequirement]
) -> list[CertificationNeed]:
    """Required certifications (missing or with an expiry) and other held ones that expire;
    ``held`` newest first."""
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


def _careers(
    wishes: dict[int, CareerWish], jobs: dict[int, list[Job]], levels: dict[int, dict[int, int]]
) -> dict[int, CareerGoal]:
    """Each person's career goal: what the ladder step or the target position requires that
    they have not reached (the target position's requirements in the person's municipalities)."""
    if not wishes:
        return {}
    from laeringsarena.plans.models import StepCriterion

    steps = {wish.ladder_step_id for wish in wishes.values() if wish.ladder_step_id is not None}
    criteria: dict[int, list[Any]] = defaultdict(list)
    for criterion in (
        StepCriterion.objects.filter(step_id__in=steps).select_related("competence").order_by("pk")
    ):
        criteria[criterion.step_id].append(criterion)
    targets = {
        wish.target_position_id
        for wish in wishes.values()
        if wish.ladder_step_id is None and wish.target_position_id is not None
    }
    tenants = {job.tenant_id for pk in wishes for job in jobs[pk]}
    by_position: dict[int, list[CompetenceRequirement]] = defaultdict(list)
    if targets:
        for requirement in (
            CompetenceRequirement.objects.filter(position_id__in=targets, tenant_id__in=tenants)
            .select_related("competence")
            .order_by("pk")
        ):
            assert requirement.position_id is not None
            by_position[requirement.position_id].append(requirement)
    goals: dict[int, CareerGoal] = {}
    for pk, wish in wishes.items():
        have = levels[pk]
        if wish.ladder_step is not None:
            needs = [
                (c.competence, c.level, have.get(c.competence_id))
                for c in criteria[wish.ladder_step.pk]
                if have.get(c.competence_id, 0) < c.level
            ]
            goals[pk] = CareerGoal(wish.ladder_step.title, "ladder", None, needs)
            continue
        if wish.target_position is None:
            continue
        mine = {job.tenant_id for job in jobs[pk]}
        required: dict[int, int] = {}
        competences: dict[int, Competence] = {}
        for requirement in by_position[wish.target_position.pk]:
            if requirement.tenant_id in mine and requirement.required_level > required.get(
                requirement.competence_id, 0
            ):
                required[requirement.competence_id] = requirement.required_level
                competences[requirement.competence_id] = requirement.competence
        needs = [
            (competences[cid], level, have.get(cid))
            for cid, level in sorted(required.items())
            if have.get(cid, 0) < level
        ]
        goals[pk] = CareerGoal(wish.target_position.name, "position", wish.target_position.pk, needs)
    return goals


def busy_intervals(calendar: BusyCalendar) -> list[availability.Interval]:
    return availability.from_json(calendar.busy)
