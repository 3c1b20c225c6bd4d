"""API of the learning app (mounted at /api/v1/; use full paths)."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from laeringsarena.core.api_support import PROBLEM_RESPONSES
from laeringsarena.core.errors import NotFound
from laeringsarena.learning import access, overview, selectors

router = Router(tags=["learning"])


class Ref(Schema):
    id: int
    name: str


class NextStep(Schema):
    id: int
    title: str
    kind: str


class LearningItem(Schema):
    enrolment_id: int
    path: Ref
    mandatory: bool
    source: str
    due_on: dt.date | None
    overdue: bool
    steps_done: int
    steps_total: int
    percent: int
    completed_at: dt.datetime | None
    next_step: NextStep | None


class CertificationOut(Schema):
    name: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    state: str = Field(description="valid, expiring (within 30 days), expired or missing")
    requirement_id: int | None
    renew_path_id: int | None


class MyLearning(Schema):
    person: Ref
    on: dt.date
    required: list[LearningItem] = Field(description="Open mandatory enrolments")
    items: list[LearningItem] = Field(description="Every enrolment, the newest per path")
    certifications: list[CertificationOut]
    next_expiry: CertificationOut | None


def _item(progress: selectors.PathProgress) -> LearningItem:
    enrolment = progress.enrolment
    step = progress.next_step
    return LearningItem(
        enrolment_id=enrolment.pk,
        path=Ref(id=progress.path.pk, name=progress.path.title),
        mandatory=enrolment.mandatory,
        source=enrolment.source,
        due_on=enrolment.due_on,
        overdue=progress.overdue,
        steps_done=progress.done,
        steps_total=progress.total,
        percent=progress.percent,
        completed_at=enrolment.completed_at,
        next_step=NextStep(id=step.pk, title=step.title, kind=step.kind)
        if step and not progress.completed
        else None,
    )


def _cert(row: selectors.CertificationRow) -> CertificationOut:
    return CertificationOut(
        name=row.name,
        issued_on=row.issued_on,
        expires_on=row.expires_on,
        state=row.state,
        requirement_id=row.requirement_id,
        renew_path_id=row.renew_path.pk if row.renew_path else None,
    )


@router.get("/me/learning", response={200: MyLearning, **PROBLEM_RESPONSES}, operation_id="my_learning")
def my_learning(request: HttpRequest) -> MyLearning:
    """The caller's required items, progress per path and certifications with expiry state."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise NotFound("Brukeren har ingen læringskonto.")
    progress = selectors.progress_for(person, timezone.localdate())
    return MyLearning(
        person=Ref(id=person.pk, name=person.full_name),
        on=progress.today,
        required=[_item(i) for i in progress.required],
        items=[_item(i) for i in progress.items],
        certifications=[_cert(c) for c in progress.certifications],
        next_expiry=_cert(progress.next_expiry) if progress.next_expiry else None,
    )


class PathSummaryOut(Schema):
    path_id: int
    title: str
    enrolled: int
    completed: int
    completion_rate: int
    average_score: float | None


class PersonRow(Schema):
    person: Ref
    unit: Ref
    path: Ref
    mandatory: bool
    due_on: dt.date | None
    overdue: bool
    steps_done: int
    steps_total: int
    completed_at: dt.datetime | None
    score: float | None


class ExpiringOut(Schema):
    person: Ref
    name: str
    expires_on: dt.date | None
    days_left: int | None
    state: str


class UnitLearning(Schema):
    unit: Ref
    on: dt.date
    people: int
    completion_rate: int
    paths: list[PathSummaryOut]
    rows: list[PersonRow]
    overdue: list[PersonRow]
    expiring_30: list[ExpiringOut]
    expiring_60: list[ExpiringOut]
    expiring_90: list[ExpiringOut]
    expired: list[ExpiringOut]


def _row(row: overview.Row) -> PersonRow:
    return PersonRow(
        person=Ref(id=row.person.pk, name=row.person.full_name),
        unit=Ref(id=row.unit.pk, name=row.unit.name),
        path=Ref(id=row.path_id, name=row.path_title),
        mandatory=row.mandatory,
        due_on=row.due_on,
        overdue=row.overdue,
        steps_done=row.done,
        steps_total=row.total,
        completed_at=row.completed_at,
        score=row.score,
    )


def _expiring(rows: list[overview.ExpiringRow]) -> list[ExpiringOut]:
    return [
        ExpiringOut(
            person=Ref(id=r.person.pk, name=r.person.full_name),
            name=r.name,
            expires_on=r.expires_on,
            days_left=r.days_left,
            state=r.state,
        )
        for r in rows
    ]


@router.get(
    "/units/{unit_id}/learning",
    response={200: UnitLearning, **PROBLEM_RESPONSES},
    operation_id="unit_learning",
)
def unit_learning(request: HttpRequest, unit_id: int) -> UnitLearning:
    """A unit's learning records for its leader (LEARNING_RECORDS_VIEW on the unit)."""
    unit = access.access_records_unit(request.user, unit_id)
    data = overview.unit_overview(unit, timezone.localdate())
    return UnitLearning(
        unit=Ref(id=unit.pk, name=unit.name),
        on=data.today,
        people=data.people,
        completion_rate=data.completion_rate,
        paths=[
            PathSummaryOut(
                path_id=p.path_id,
                title=p.title,
                enrolled=p.enrolled,
                completed=p.completed,
                completion_rate=p.rate,
                average_score=p.average_score,
            )
            for p in data.paths
        ],
        rows=[_row(r) for r in data.rows],
        overdue=[_row(r) for r in data.overdue],
        expiring_30=_expiring(data.expiring_within(30)),
        expiring_60=_expiring(data.expiring_within(60)),
        expiring_90=_expiring(data.expiring_within(90)),
        expired=_expiring(data.expired),
    )
