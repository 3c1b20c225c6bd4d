"""Reads: step states with gating, a person's progress (Min læring), unit overviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from laeringsarena.learning import certification
from laeringsarena.learning.certification import ExpiryState
from laeringsarena.learning.models import (
    Attempt,
    AttemptState,
    Completion,
    Enrolment,
    LearningPath,
    Notice,
    NoticeKind,
    SignOff,
    SignOffState,
    Step,
)
from laeringsarena.people.models import Person


class StepStatus:
    DONE = "done"
    PENDING = "pending"  # waiting for a klarsignal or for grading
    OPEN = "open"
    LOCKED = "locked"


@dataclass
class StepState:
    step: Step
    status: str
    completion: Completion | None = None
    locked_by: Step | None = None  # the gated step or prerequisite that keeps it closed
    pending_note: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in (StepStatus.OPEN, StepStatus.PENDING)


def step_states(enrolment: Enrolment, steps: list[Step] | None = None) -> list[StepState]:
    """Each step's status for the enrolment: done, pending, open or locked.

    A step is locked while an earlier *gated* step is not approved (completed), or while one of
    its prerequisites is not completed.
    """
    if steps is None:
        steps = list(
            enrolment.path.steps.prefetch_related("prerequisites").select_related(
                "offering", "module", "supervisor"
            )
        )
    done = {c.step_id: c for c in Completion.objects.filter(enrolment=enrolment, step__isnull=False)}
    waiting_sign_off = set(
        SignOff.objects.filter(enrolment=enrolment, state=SignOffState.REQUESTED).values_list(
            "step_id", flat=True
        )
    )
    waiting_grading = set(
        Attempt.objects.filter(enrolment=enrolment, state=AttemptState.AWAITING_GRADING).values_list(
            "step_id", flat=True
        )
    )
    by_id = {s.pk: s for s in steps}
    states: list[StepState] = []
    gate: Step | None = None
    for step in steps:
        completion = done.get(step.pk)
        missing = [p for p in step.prerequisites.all() if p.pk not in done]
        if completion is not None:
            state = StepState(step, StepStatus.DONE, completion)
        elif gate is not None:
            state = StepState(step, StepStatus.LOCKED, locked_by=gate)
        elif missing:
            state = StepState(step, StepStatus.LOCKED, locked_by=by_id.get(missing[0].pk, missing[0]))
        elif step.pk in waiting_sign_off or step.pk in waiting_grading:
            state = StepState(
                step,
                StepStatus.PENDING,
                pending_note="sign_off" if step.pk in waiting_sign_off else "grading",
            )
        else:
            state = StepState(step, StepStatus.OPEN)
        states.append(state)
        if step.gated and completion is None and gate is None:
            gate = step
    return states


@dataclass
class PathProgress:
    enrolment: Enrolment
    path: LearningPath
    done: int
    total: int
    next_step: Step | None
    overdue: bool

    @property
    def completed(self) -> bool:
        return self.enrolment.completed_at is not None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class CertificationRow:
    name: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    state: str  # valid, expiring, expired, missing
    requirement_id: int | None
    renew_path: LearningPath | None = None


@dataclass
class Progress:
    person: Person
    today: dt.date
    items: list[PathProgress] = field(default_factory=list)
    certifications: list[CertificationRow] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def open_items(self) -> list[PathProgress]:
        return [i for i in self.items if not i.completed]

    @property
    def required(self) -> list[PathProgress]:
        return [i for i in self.open_items if i.enrolment.mandatory]

    @property
    def next_expiry(self) -> CertificationRow | None:
        upcoming = [c for c in self.certifications if c.expires_on and c.state != ExpiryState.EXPIRED]
        return min(upcoming, key=lambda c: c.expires_on or dt.date.max) if upcoming else None


def path_progress(enrolment: Enrolment, today: dt.date) -> PathProgress:
    states = step_states(enrolment)
    required = [s for s in states if not s.step.optional]
    next_state = next((s for s in states if s.is_open), None)
    return PathProgress(
        enrolment=enrolment,
        path=enrolment.path,
        done=sum(1 for s in required if s.status == StepStatus.DONE),
        total=len(required),
        next_step=next_state.step if next_state else None,
        overdue=bool(enrolment.is_open and enrolment.due_on and enrolment.due_on < today),
    )


def progress_for(
    person: Person, today: dt.date, *, warn_days: int = certification.DEFAULT_WARN_DAYS
) -> Progress:
    """Min læring: what is required, how far, what remains, what expires next."""
    from laeringsarena.competence.selectors import requirements_for

    enrolments = list(
        Enrolment.objects.filter(person=person, withdrawn_at__isnull=True)
        .select_related("path__tenant", "path__grants_certification")
        .order_by("completed_at", "due_on", "enrolled_at")
    )
    # The newest enrolment per path (a recertification supersedes the completed one).
    latest: dict[int, Enrolment] = {}
    for enrolment in sorted(enrolments, key=lambda e: e.enrolled_at):
        latest[enrolment.path_id] = enrolment
    items = [path_progress(e, today) for e in latest.values()]
    items.sort(
        key=lambda i: (
            i.completed,
            not i.enrolment.mandatory,
            i.enrolment.due_on or dt.date.max,
            i.path.title,
        )
    )
    renew = {
        p.grants_certification_id: p
        for p in LearningPath.objects.filter(grants_certification__isnull=False, status="published").order_by(
            "pk"
        )
    }
    rows = []
    held: set[int] = set()
    for cert in certification.current_certifications(person.pk):
        state = certification.expiry_state(cert.expires_on, today, warn_days)
        if cert.requirement_id:
            held.add(cert.requirement_id)
        rows.append(
            CertificationRow(
                cert.name,
                cert.issued_on,
                cert.expires_on,
                state,
                cert.requirement_id,
                renew.get(cert.requirement_id),
            )
        )
    _competences, requirements = requirements_for(person.pk)
    for requirement in requirements:
        if requirement.pk not in held:
            rows.append(
                CertificationRow(
                    requirement.name, None, None, "missing", requirement.pk, renew.get(requirement.pk)
                )
            )
    notices = list(
        Notice.objects.filter(person=person, dismissed_at__isnull=True).exclude(kind=NoticeKind.DIGEST)[:10]
    )
    return Progress(person=person, today=today, items=items, certifications=rows, notices=notices)


def completed_paths(person: Person, *, since: dt.datetime) -> list[Completion]:
    return list(
        Completion.objects.filter(
            person=person, step__isnull=True, path__isnull=False, completed_at__gte=since
        )
        .select_related("path")
        .order_by("-completed_at")
    )


def person_completions(person: Person) -> QuerySet[Completion]:
    """Finished paths and offerings (not single steps), newest first."""
    return (
        Completion.objects.filter(person=person, step__isnull=True)
        .select_related("path", "offering", "certification")
        .order_by("-completed_at")
    )
