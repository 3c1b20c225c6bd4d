"""The write path of plans: development plans, course requests, talks and competence plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.core.errors import Conflict, InvalidInput, PermissionDenied
from laeringsarena.people.models import Employment, Person
from laeringsarena.plans import access
from laeringsarena.plans.models import (
    CompetencePlan,
    CourseRequest,
    DevelopmentPlan,
    DevelopmentTalk,
    ItemKind,
    ItemStatus,
    Milestone,
    PlanComment,
    PlanItem,
    RequestEvent,
    RequestStatus,
    SignOff,
    TalkStatus,
)
from laeringsarena.plans.talks import TOPIC_KEYS


def plan_for(person: Person | int) -> DevelopmentPlan:
    person_id = person if isinstance(person, int) else person.pk
    plan, _created = DevelopmentPlan.objects.get_or_create(person_id=person_id)
    return plan


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as err:
        raise InvalidInput(_("Ugyldig dato."), errors=[{"field": field, "reason": str(value)}]) from err


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation as err:
        raise InvalidInput(_("Ugyldig tall."), errors=[{"field": field, "reason": str(value)}]) from err
    if number < 0:
        raise InvalidInput(
            _("Tallet kan ikke være negativt."), errors=[{"field": field, "reason": str(value)}]
        )
    return number


@transaction.atomic
def add_item(
    user: Any,
    person: Person,
    *,
    kind: str,
    title: str,
    goal: str = "",
    due_on: Any = None,
    competence_id: int | None = None,
    target_level: int | None = None,
    offering_id: int | None = None,
) -> PlanItem:
    """Add an item. An item the employee adds on their own is a wish until the leader plans it."""
    actor = access.person_id(user)
    errors = []
    if kind not in ItemKind.values:
        errors.append({"field": "kind", "reason": _("ukjent type")})
    if not title.strip():
        errors.append({"field": "title", "reason": _("mangler")})
    if errors:
        raise InvalidInput(_("Tiltaket kan ikke lagres."), errors=errors)
    own = actor == person.pk
    return PlanItem.objects.create(
        plan=plan_for(person),
        kind=kind,
        title=title.strip()[:300],
        goal=goal.strip(),
        due_on=_date(due_on, "due_on"),
        competence_id=competence_id,
        target_level=target_level,
        offering_id=offering_id,
        status=ItemStatus.WISH if own else ItemStatus.PLANNED,
        wished_by_employee=own,
        created_by_id=actor,
    )


def update_item(
    user: Any, item: PlanItem, *, status: str | None = None, progress: int | None = None
) -> PlanItem:
    """Employee and leader both update status and progress. Only a leader turns a wish into a plan."""
    actor = access.person_id(user)
    own = actor == item.plan.person_id
    if status is not None:
        if status not in ItemStatus.values:
            raise InvalidInput(_("Ukjent status."), errors=[{"field": "status", "reason": status}])
        if own and item.status == ItemStatus.WISH and status not in (ItemStatus.WISH, ItemStatus.CANCELLED):
            raise PermissionDenied(_("Lederen din tar stilling til ønsket."))
        item.status = status
        if status == ItemStatus.DONE:
            item.progress = 100
    if progress is not None:
        if not 0 <= progress <= 100:
            raise InvalidInput(
                _("Fremdrift er 0–100 %."), errors=[{"field": "progress", "reason": str(progress)}]
            )
        item.progress = progress
        if progress and item.status == ItemStatus.PLANNED:
            item.status = ItemStatus.IN_PROGRESS
    item.save()
    return item


def add_milestone(user: Any, item: PlanItem, *, title: str, due_on: Any = None) -> Milestone:
    """A sub-goal (delmål) of a plan item; the employee and the leader both add them."""
    access.require_plan_editor(user, item.plan.person_id)
    if not title.strip():
        raise InvalidInput(_("Skriv hva delmålet er."), errors=[{"field": "title", "reason": _("mangler")}])
    return Milestone.objects.create(item=item, title=title.strip()[:300], due_on=_date(due_on, "due_on"))


def set_milestone_done(
    user: Any, milestone: Milestone, done: bool, *, on: dt.date | None = None
) -> Milestone:
    """Mark a sub-goal reached (or not yet); the item's progress follows the share reached."""
    access.require_plan_editor(user, milestone.item.plan.person_id)
    milestone.done_on = (on or timezone.localdate()) if done else None
    milestone.save(update_fields=["done_on"])
    item = milestone.item
    milestones = list(item.milestones.all())
    reached = sum(1 for m in milestones if m.done_on)
    if item.status not in (ItemStatus.DONE, ItemStatus.CANCELLED, ItemStatus.WISH):
        item.progress = round(100 * reached / len(milestones))
        if item.progress and item.status == ItemStatus.PLANNED:
            item.status = ItemStatus.IN_PROGRESS
        item.save(update_fields=["progress", "status", "updated_at"])
    return milestone


def record_completion(completion: Any) -> int:
    """A completed catalogue offering finishes the plan items that named it (the learning app's
    ``completion_recorded``); returns how many items were finished. Idempotent."""
    offering_id = getattr(completion, "offering_id", None)
    if not offering_id:
        return 0
    items = PlanItem.objects.filter(plan__person_id=completion.person_id, offering_id=offering_id).exclude(
        status__in=[ItemStatus.DONE, ItemStatus.CANCELLED]
    )
    return items.update(status=ItemStatus.DONE, progress=100, updated_at=timezone.now())


# --- Course requests ------------------------------------------------------------------------------


def _event(request: CourseRequest, status: str, actor_id: int | None, note: str = "") -> None:
    RequestEvent.objects.create(request=request, status=status, actor_id=actor_id, note=note)


@transaction.atomic
def request_course(
    user: Any, *, title: str = "", offering: Any = None, motivation: str = ""
) -> CourseRequest:
    person_id = access.person_id(user)
    employment = (
        Employment.objects.active(timezone.localdate())
        .filter(person_id=person_id)
        .order_by("-percentage", "pk")
        .first()
    )
    if employment is None:
        raise InvalidInput(_("Du har ingen aktiv stilling å søke fra."))
    title = (offering.title if offering is not None and not title.strip() else title).strip()
    if not title:
        raise InvalidInput(
            _("Skriv hvilket kurs du søker om."), errors=[{"field": "title", "reason": _("mangler")}]
        )
    request = CourseRequest.objects.create(
        person_id=person_id, unit=employment.unit, offering=offering, title=title[:300], motivation=motivation
    )
    _event(request, RequestStatus.SUBMITTED, person_id, motivation)
    return request


@transaction.atomic
def decide(
    user: Any,
    request: CourseRequest,
    *,
    approve: bool,
    reason: str = "",
    time_off_hours: Any = None,
    cover: str = "",
    cost_nok: Any = None,
) -> CourseRequest:
    """The leader approves (with time off, cover and cost) or rejects (with a reason)."""
    request = access.access_course_request(user, request.pk, decide=True)
    if request.status != RequestStatus.SUBMITTED:
        raise Conflict(_("Søknaden er allerede behandlet."))
    if not approve and not reason.strip():
        raise InvalidInput(
            _("Skriv en begrunnelse for avslaget."), errors=[{"field": "reason", "reason": _("mangler")}]
        )
    actor = access.person_id(user)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by_id = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason.strip()
    if approve:
        request.time_off_hours = _decimal(time_off_hours, "time_off_hours")
        request.cover = cover.strip()[:300]
        request.cost_nok = _decimal(cost_nok, "cost_nok")
        if request.plan_item is None:
            request.plan_item = PlanItem.objects.create(
                plan=plan_for(request.person_id),
                kind=ItemKind.OFFERING,
                title=request.title,
                goal=request.motivation,
                offering=request.offering,
                status=ItemStatus.PLANNED,
                created_by_id=actor,
            )
    request.save()
    _event(request, request.status, actor, reason.strip())
    return request


@transaction.atomic
def enrol(user: Any, request: CourseRequest) -> CourseRequest:
    request = access.access_course_request(user, request.pk, decide=True)
    if request.status != RequestStatus.APPROVED:
        raise Conflict(_("Bare godkjente søknader kan meldes på."))
    request.status = RequestStatus.ENROLLED
    request.save(update_fields=["status"])
    if request.plan_item is not None and request.plan_item.status == ItemStatus.PLANNED:
        request.plan_item.status = ItemStatus.IN_PROGRESS
        request.plan_item.save(update_fields=["status", "updated_at"])
    _event(request, RequestStatus.ENROLLED, access.person_id(user))
    _enrol_in_learning_paths(user, request)
    return request


def _enrol_in_learning_paths(user: Any, request: CourseRequest) -> None:
    """The enrolment becomes real in Min læring: the person is enrolled on the municipality's
    published learning paths that deliver the requested offering (with the plan item's due date),
    so progress, reminders and completion are tracked there. An external course that no path
    delivers stays an enrolment with the provider, tracked by the request and the plan item."""
    from laeringsarena.learning import services as learning
    from laeringsarena.learning.models import LearningPath, PathStatus

    if request.offering_id is None:
        return
    paths = LearningPath.objects.filter(
        tenant_id=request.unit.tenant_id or request.unit_id,
        status=PathStatus.PUBLISHED,
        steps__offering_id=request.offering_id,
    ).distinct()
    due_on = request.plan_item.due_on if request.plan_item is not None else None
    for path in paths:
        learning.enrol_people(user, path, [request.person], due_on=due_on)


@transaction.atomic
def withdraw(user: Any, request: CourseRequest) -> CourseRequest:
    if request.person_id != access.person_id(user):
        raise PermissionDenied()
    if request.status not in (RequestStatus.SUBMITTED, RequestStatus.APPROVED):
        raise Conflict(_("Søknaden kan ikke trekkes nå."))
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
    _event(request, RequestStatus.WITHDRAWN, request.person_id)
    return request


# --- Development talks ------------------------------------------------------------------------------


def schedule_talk(user: Any, person: Person, on: dt.date) -> DevelopmentTalk:
    leader_id = access.person_id(user)
    if leader_id == person.pk:
        raise PermissionDenied(_("Lederen din setter opp samtalen."))
    employment = Employment.objects.active(timezone.localdate()).filter(person=person).first()
    if employment is None:
        raise InvalidInput(_("Personen har ingen aktiv stilling."))
    return DevelopmentTalk.objects.create(
        person=person, leader_id=leader_id, unit=employment.unit, scheduled_on=on
    )


def prepare_talk(user: Any, talk: DevelopmentTalk, answers: dict[str, str]) -> DevelopmentTalk:
    actor = access.person_id(user)
    if talk.status == TalkStatus.CONFIRMED:
        raise Conflict(_("Samtalen er bekreftet og kan ikke endres."))
    clean = {key: answers.get(key, "").strip()[:4000] for key in TOPIC_KEYS}
    if actor == talk.person_id:
        talk.employee_preparation = clean
    else:
        talk.leader_preparation = clean
    talk.save()
    return talk


def record_talk(user: Any, talk: DevelopmentTalk, agreed_actions: str) -> DevelopmentTalk:
    """The leader records the agreed actions; any earlier confirmation must then be given again."""
    if access.person_id(user) == talk.person_id:
        raise PermissionDenied()
    if talk.status == TalkStatus.CONFIRMED:
        raise Conflict(_("Samtalen er bekreftet og kan ikke endres."))
    talk.agreed_actions = agreed_actions.strip()
    talk.status = TalkStatus.HELD
    talk.employee_confirmed_at = talk.leader_confirmed_at = None
    talk.save()
    return talk


def confirm_talk(user: Any, talk: DevelopmentTalk) -> DevelopmentTalk:
    actor = access.person_id(user)
    if talk.status == TalkStatus.PLANNED:
        raise Conflict(_("Samtalen er ikke gjennomført ennå."))
    now = timezone.now()
    if actor == talk.person_id:
        talk.employee_confirmed_at = talk.employee_confirmed_at or now
    else:
        talk.leader_confirmed_at = talk.leader_confirmed_at or now
    if talk.employee_confirmed_at and talk.leader_confirmed_at:
        talk.status = TalkStatus.CONFIRMED
    talk.save()
    return talk


# --- Competence plans ---------------------------------------------------------------------------------


def _plan_role(user: Any, plan: CompetencePlan) -> str:
    held = {g.role for g in permissions.grants(user) if plan.organisation.path.startswith(g.path)}
    for role in (Role.UNION_REPRESENTATIVE, Role.SAFETY_DELEGATE, Role.LEADER, Role.HR, Role.PLATFORM_ADMIN):
        if role in held:
            return str(role)
    return "other"


def comment(user: Any, plan: CompetencePlan, text: str) -> PlanComment:
    plan = access.access_competence_plan(user, plan.pk)
    if not text.strip():
        raise InvalidInput(_("Skriv en kommentar."), errors=[{"field": "text", "reason": _("mangler")}])
    return PlanComment.objects.create(
        plan=plan, author_id=access.person_id(user), role=_plan_role(user, plan), text=text.strip()[:4000]
    )


def sign_off(user: Any, plan: CompetencePlan) -> SignOff:
    plan = access.access_competence_plan(user, plan.pk)
    role = _plan_role(user, plan)
    signoff, _created = SignOff.objects.get_or_create(plan=plan, person_id=access.person_id(user), role=role)
    return signoff


def _require_editor(user: Any, plan: CompetencePlan) -> None:
    if not access.can_edit_competence_plan(user, plan):
        raise PermissionDenied()


def create_competence_plan(
    user: Any,
    organisation: Any,
    *,
    title: str,
    period_start: Any,
    period_end: Any,
    strategy: str = "",
    budget_nok: Any = None,
    budget_hours: Any = None,
) -> CompetencePlan:
    plan = CompetencePlan(organisation=organisation, title=title.strip()[:300], strategy=strategy.strip())
    _require_editor(user, plan)
    start, end = _date(period_start, "period_start"), _date(period_end, "period_end")
    if not plan.title or start is None or end is None or end < start:
        raise InvalidInput(
            _("Planen trenger tittel og en periode."),
            errors=[{"field": "period_end", "reason": _("ugyldig")}],
        )
    plan.period_start, plan.period_end = start, end
    plan.budget_nok = _decimal(budget_nok, "budget_nok") or Decimal(0)
    plan.budget_hours = _decimal(budget_hours, "budget_hours") or Decimal(0)
    plan.save()
    return plan


def add_measure(user: Any, plan: CompetencePlan, data: dict[str, Any]) -> Any:
    from laeringsarena.plans.models import Measure

    _require_editor(user, plan)
    if not str(data.get("title", "")).strip():
        raise InvalidInput(
            _("Tiltaket trenger en tittel."), errors=[{"field": "title", "reason": _("mangler")}]
        )
    priority = str(data.get("priority") or "2")
    return Measure.objects.create(
        plan=plan,
        title=str(data["title"]).strip()[:300],
        competence_id=int(data["competence"]) if str(data.get("competence") or "").isdigit() else None,
        priority=int(priority) if priority.isdigit() else 2,
        responsible=str(data.get("responsible", "")).strip()[:200],
        milestone=str(data.get("milestone", "")).strip()[:300],
        due_on=_date(data.get("due_on"), "due_on"),
        planned_nok=_decimal(data.get("planned_nok"), "planned_nok") or Decimal(0),
        planned_hours=_decimal(data.get("planned_hours"), "planned_hours") or Decimal(0),
    )


def record_spending(user: Any, plan: CompetencePlan, measure_id: int, data: dict[str, Any]) -> Any:
    _require_editor(user, plan)
    measure = plan.measures.filter(pk=measure_id).first()
    if measure is None:
        raise InvalidInput(_("Ukjent tiltak."))
    measure.spent_nok = _decimal(data.get("spent_nok"), "spent_nok") or Decimal(0)
    measure.spent_hours = _decimal(data.get("spent_hours"), "spent_hours") or Decimal(0)
    measure.done = data.get("done") == "on"
    measure.save()
    return measure


def add_cycle_event(user: Any, plan: CompetencePlan, data: dict[str, Any]) -> Any:
    from laeringsarena.plans.models import CycleEvent, CycleKind

    _require_editor(user, plan)
    starts = _date(data.get("starts_on"), "starts_on")
    if starts is None or not str(data.get("title", "")).strip() or data.get("kind") not in CycleKind.values:
        raise InvalidInput(_("Hendelsen trenger type, tittel og dato."))
    return CycleEvent.objects.create(
        plan=plan,
        kind=data["kind"],
        title=str(data["title"]).strip()[:300],
        starts_on=starts,
        ends_on=_date(data.get("ends_on"), "ends_on"),
        yearly=data.get("yearly") == "on",
    )
