"""API of the plans app, mounted under /api/v1/."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from laeringsarena.core.api_support import PROBLEM_RESPONSES
from laeringsarena.people.models import Person
from laeringsarena.plans import access, services
from laeringsarena.plans.models import CourseRequest, PlanItem

router = Router(tags=["plans"])


class MilestoneOut(Schema):
    title: str
    due_on: dt.date | None
    done_on: dt.date | None


class PlanItemOut(Schema):
    id: int
    kind: str
    title: str
    goal: str
    status: str
    progress: int
    due_on: dt.date | None
    wished_by_employee: bool
    offering_id: int | None
    competence_id: int | None
    competence: str | None
    target_level: int | None
    milestones: list[MilestoneOut]


class CourseRequestOut(Schema):
    id: int
    title: str
    offering_id: int | None
    status: str
    motivation: str
    decision_reason: str
    time_off_hours: float | None
    cover: str
    cost_nok: float | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


class PlanOut(Schema):
    person_id: int
    updated_at: dt.datetime
    items: list[PlanItemOut]
    course_requests: list[CourseRequestOut]


class WishIn(Schema):
    kind: str
    title: str
    goal: str = ""
    due_on: dt.date | None = None
    competence_id: int | None = None
    offering_id: int | None = None


class CourseRequestIn(Schema):
    title: str = ""
    offering_id: int | None = None
    motivation: str = ""


def _item(item: PlanItem) -> PlanItemOut:
    return PlanItemOut(
        id=item.pk,
        kind=item.kind,
        title=item.title,
        goal=item.goal,
        status=item.status,
        progress=item.progress,
        due_on=item.due_on,
        wished_by_employee=item.wished_by_employee,
        offering_id=item.offering_id,
        competence_id=item.competence_id,
        competence=item.competence.name if item.competence else None,
        target_level=item.target_level,
        milestones=[
            MilestoneOut(title=m.title, due_on=m.due_on, done_on=m.done_on) for m in item.milestones.all()
        ],
    )


def _request(r: CourseRequest) -> CourseRequestOut:
    return CourseRequestOut(
        id=r.pk,
        title=r.title,
        offering_id=r.offering_id,
        status=r.status,
        motivation=r.motivation,
        decision_reason=r.decision_reason,
        time_off_hours=float(r.time_off_hours) if r.time_off_hours is not None else None,
        cover=r.cover,
        cost_nok=float(r.cost_nok) if r.cost_nok is not None else None,
        created_at=r.created_at,
        decided_at=r.decided_at,
    )


@router.get("/me/plan", response={200: PlanOut, **PROBLEM_RESPONSES}, summary="My development plan")
def my_plan(request: HttpRequest) -> PlanOut:
    """The caller's individual development plan: items with goal, gap, milestones, due date,
    status and progress, and their course requests."""
    plan = services.plan_for(access.person_id(request.user))
    items = plan.items.select_related("competence").prefetch_related("milestones")
    requests = CourseRequest.objects.filter(person_id=plan.person_id)
    return PlanOut(
        person_id=plan.person_id,
        updated_at=plan.updated_at,
        items=[_item(i) for i in items],
        course_requests=[_request(r) for r in requests],
    )


@router.post("/me/plan/items", response={201: PlanItemOut, **PROBLEM_RESPONSES}, summary="Flag a wish")
def add_wish(request: HttpRequest, body: WishIn) -> Status[PlanItemOut]:
    """The employee adds a wish to their own plan; the leader decides whether to plan it."""
    from laeringsarena.catalogue.access import access_offering

    person = Person.objects.get(pk=access.person_id(request.user))
    if body.offering_id:
        access_offering(request.user, body.offering_id)
    item = services.add_item(
        request.user,
        person,
        kind=body.kind,
        title=body.title,
        goal=body.goal,
        due_on=body.due_on,
        competence_id=body.competence_id,
        offering_id=body.offering_id,
    )
    return Status(201, _item(item))


@router.post(
    "/me/course-requests", response={201: CourseRequestOut, **PROBLEM_RESPONSES}, summary="Ask for a course"
)
def request_course(request: HttpRequest, body: CourseRequestIn) -> Status[CourseRequestOut]:
    from laeringsarena.catalogue.access import access_offering

    # An offering the caller cannot see is "not found", like everywhere else.
    offering = access_offering(request.user, body.offering_id) if body.offering_id else None
    created = services.request_course(
        request.user, title=body.title, offering=offering, motivation=body.motivation
    )
    return Status(201, _request(created))
