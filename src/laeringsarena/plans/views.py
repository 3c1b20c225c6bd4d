"""Web pages: Min plan, a person's plan for the leader, course requests, talks,
competence plans with the årshjul export, and career ladders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.competence.models import Competence, CompetenceLevel
from laeringsarena.competence.selectors import requirements_for
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person
from laeringsarena.plans import access, ical, services
from laeringsarena.plans.models import (
    CareerLadder,
    CourseRequest,
    CycleKind,
    DevelopmentTalk,
    ItemKind,
    ItemStatus,
    Milestone,
    PlanItem,
    RequestStatus,
)
from laeringsarena.plans.talks import TOPICS


def _plan_context(person: Person) -> dict[str, Any]:
    plan = services.plan_for(person)
    required, _certs = requirements_for(person.pk)
    levels = dict(CompetenceLevel.objects.filter(person=person).values_list("competence_id", "level"))
    gaps = [(c, level, levels.get(c.pk)) for c, level in required if levels.get(c.pk, 0) < level]
    return {
        "person": person,
        "plan": plan,
        "items": plan.items.select_related("competence", "offering").prefetch_related("milestones"),
        "kinds": ItemKind.choices,
        "statuses": ItemStatus.choices,
        "gaps": gaps,
        "requests": CourseRequest.objects.filter(person=person).prefetch_related("events"),
        "talks": DevelopmentTalk.objects.filter(person=person),
    }


def _handle_item_post(request: HttpRequest, person: Person) -> None:
    action = request.POST.get("action")
    if action == "add":
        competence = request.POST.get("competence") or None
        services.add_item(
            request.user,
            person,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            goal=request.POST.get("goal", ""),
            due_on=request.POST.get("due_on"),
            competence_id=int(competence) if competence and competence.isdigit() else None,
        )
        messages.success(request, _("Tiltaket er lagt til."))
    elif action == "update":
        item = PlanItem.objects.filter(pk=request.POST.get("item", "0") or 0, plan__person=person).first()
        if item is None:
            raise NotFound()
        progress = request.POST.get("progress", "")
        services.update_item(
            request.user,
            item,
            status=request.POST.get("status") or None,
            progress=int(progress) if progress.isdigit() else None,
        )
        messages.success(request, _("Tiltaket er oppdatert."))
    elif action == "milestone":
        item = PlanItem.objects.filter(pk=request.POST.get("item", "0") or 0, plan__person=person).first()
        if item is None:
            raise NotFound()
        services.add_milestone(
            request.user, item, title=request.POST.get("title", ""), due_on=request.POST.get("due_on")
        )
        messages.success(request, _("Delmålet er lagt til."))
    elif action == "milestone-done":
        milestone = Milestone.objects.filter(
            pk=request.POST.get("milestone", "0") or 0, item__plan__person=person
        ).first()
        if milestone is None:
            raise NotFound()
        services.set_milestone_done(request.user, milestone, request.POST.get("done") == "1")
        messages.success(request, _("Delmålet er oppdatert."))


def _plan_page(request: HttpRequest, person: Person, own: bool) -> HttpResponse:
    context = _plan_context(person)
    context["own"] = own
    if request.method == "POST":
        try:
            if request.POST.get("action") == "request" and own:
                services.request_course(
                    request.user,
                    title=request.POST.get("title", ""),
                    motivation=request.POST.get("motivation", ""),
                )
                messages.success(request, _("Søknaden er sendt til lederen din."))
            elif request.POST.get("action") == "talk" and not own:
                import datetime as dt

                try:
                    day = dt.date.fromisoformat(request.POST.get("scheduled_on", ""))
                except ValueError as err:
                    raise InvalidInput(
                        _("Velg en dato."), errors=[{"field": "scheduled_on", "reason": ""}]
                    ) from err
                talk = services.schedule_talk(request.user, person, day)
                return redirect("plans:talk", pk=talk.pk)
            else:
                _handle_item_post(request, person)
        except InvalidInput as err:
            context["error"] = err
            return render(request, "plans/plan.html", context, status=400)
        return redirect(request.path)
    return render(request, "plans/plan.html", context)


@login_required
@nav_section("my_plan")
def my_plan(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(pk=access.person_id(request.user)).first()
    if person is None:
        raise NotFound()
    return _plan_page(request, person, own=True)


@login_required
@nav_section("competence")
def person_plan(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_plan_person(request.user, pk)
    if person.pk == request.user.person_id:  # type: ignore[union-attr]
        return redirect("plans:my_plan")
    return _plan_page(request, person, own=False)


@login_required
@nav_section("competence")
def course_requests(request: HttpRequest) -> HttpResponse:
    if not permissions.has_permission(request.user, Permission.PEOPLE_VIEW):
        raise PermissionDenied()
    rows = access.course_requests_to_decide(request.user).select_related("person", "unit", "offering")
    return render(
        request,
        "plans/requests.html",
        {
            "waiting": [r for r in rows if r.status == RequestStatus.SUBMITTED],
            "decided": [r for r in rows if r.status != RequestStatus.SUBMITTED][:100],
        },
    )


@login_required
@nav_section("my_plan")
def course_request(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.access_course_request(request.user, pk)
    can_decide = course.person_id != request.user.person_id and course in access.course_requests_to_decide(  # type: ignore[union-attr]
        request.user
    )
    context: dict[str, Any] = {"course": course, "can_decide": can_decide}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("approve", "reject"):
                services.decide(
                    request.user,
                    course,
                    approve=action == "approve",
                    reason=request.POST.get("reason", ""),
                    time_off_hours=request.POST.get("time_off_hours"),
                    cover=request.POST.get("cover", ""),
                    cost_nok=request.POST.get("cost_nok"),
                )
            elif action == "enrol":
                services.enrol(request.user, course)
            elif action == "withdraw":
                services.withdraw(request.user, course)
        except InvalidInput as err:
            context["error"] = err
            return render(request, "plans/request.html", context, status=400)
        return redirect("plans:course_request", pk=course.pk)
    context["events"] = course.events.select_related("actor")
    return render(request, "plans/request.html", context)


@login_required
@nav_section("my_plan")
def talk(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access.access_talk(request.user, pk)
    me = request.user.person_id  # type: ignore[union-attr]
    is_employee = me == conversation.person_id
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "prepare":
            services.prepare_talk(
                request.user, conversation, {k: request.POST.get(k, "") for k, _h, _q in TOPICS}
            )
        elif action == "record":
            services.record_talk(request.user, conversation, request.POST.get("agreed_actions", ""))
        elif action == "confirm":
            services.confirm_talk(request.user, conversation)
        return redirect("plans:talk", pk=conversation.pk)
    mine = conversation.employee_preparation if is_employee else conversation.leader_preparation
    other = conversation.leader_preparation if is_employee else conversation.employee_preparation
    topics = [
        {
            "key": key,
            "heading": heading,
            "question": question,
            "mine": mine.get(key, ""),
            "other": other.get(key, ""),
        }
        for key, heading, question in TOPICS
    ]
    return render(
        request,
        "plans/talk.html",
        {"talk": conversation, "topics": topics, "is_employee": is_employee, "person": conversation.person},
    )


@login_required
@nav_section("competence_plans")
def competence_plans(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Permission.PLANS_VIEW)
    plans = access.competence_plans(request.user).select_related("organisation")
    editable = [
        o
        for o in Organisation.objects.filter(
            path__in=permissions.scope_paths(request.user, Permission.PEOPLE_VIEW)
            + permissions.scope_paths(request.user, Permission.COMPETENCE_MANAGE)
        ).exclude(kind="platform")
        for o in [o, *o.subtree().exclude(pk=o.pk).filter(kind__in=["sector", "unit"]).order_by("path")[:100]]
    ]
    context: dict[str, Any] = {"plans": plans, "editable": editable}
    if request.method == "POST":
        organisation = next((o for o in editable if str(o.pk) == request.POST.get("organisation")), None)
        if organisation is None:
            raise PermissionDenied()
        try:
            plan = services.create_competence_plan(
                request.user,
                organisation,
                title=request.POST.get("title", ""),
                period_start=request.POST.get("period_start"),
                period_end=request.POST.get("period_end"),
                strategy=request.POST.get("strategy", ""),
                budget_nok=request.POST.get("budget_nok"),
                budget_hours=request.POST.get("budget_hours"),
            )
        except InvalidInput as err:
            context["error"] = err
            return render(request, "plans/competence_plans.html", context, status=400)
        return redirect("plans:competence_plan", pk=plan.pk)
    return render(request, "plans/competence_plans.html", context)


@login_required
@nav_section("competence_plans")
def competence_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_competence_plan(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "comment":
                services.comment(request.user, plan, request.POST.get("text", ""))
            elif action == "sign":
                services.sign_off(request.user, plan)
            elif action == "measure":
                services.add_measure(request.user, plan, request.POST.dict())
            elif action == "spent":
                services.record_spending(
                    request.user, plan, int(request.POST.get("measure", "0") or 0), request.POST.dict()
                )
            elif action == "event":
                services.add_cycle_event(request.user, plan, request.POST.dict())
        except InvalidInput as err:
            messages.error(request, str(err.detail))
        return redirect("plans:competence_plan", pk=plan.pk)
    measures = plan.measures.select_related("competence")
    totals = measures.aggregate(
        planned_nok=Sum("planned_nok"),
        spent_nok=Sum("spent_nok"),
        planned_hours=Sum("planned_hours"),
        spent_hours=Sum("spent_hours"),
    )
    return render(
        request,
        "plans/competence_plan.html",
        {
            "plan": plan,
            "measures": measures,
            "totals": totals,
            "comments": plan.comments.select_related("author"),
            "signoffs": plan.signoffs.select_related("person"),
            "cycle": plan.cycle.all(),
            "can_edit": access.can_edit_competence_plan(request.user, plan),
            "ics_url": reverse("plans:competence_plan_ics", args=[plan.pk]),
            "cycle_kinds": CycleKind.choices,
            "competence_choices": Competence.objects.filter(framework__owner__isnull=True).order_by(
                "framework_id", "code"
            ),
        },
    )


@login_required
def competence_plan_ics(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_competence_plan(request.user, pk)
    response = HttpResponse(
        ical.calendar(plan, request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="arshjul-{plan.pk}.ics"'
    return response


@login_required
@nav_section("my_plan")
def ladders(request: HttpRequest) -> HttpResponse:
    """Career ladders of the user's municipalities, with the steps the person meets."""
    person_id = getattr(request.user, "person_id", None)
    levels = dict(
        CompetenceLevel.objects.filter(person_id=person_id or 0).values_list("competence_id", "level")
    )
    result = []
    for ladder in CareerLadder.objects.filter(tenant__in=permissions.tenants(request.user)).prefetch_related(
        "steps__criteria__competence"
    ):
        steps = []
        for step in ladder.steps.all():
            criteria = [(c, levels.get(c.competence_id)) for c in step.criteria.all()]
            steps.append(
                {"step": step, "criteria": criteria, "met": all((lv or 0) >= c.level for c, lv in criteria)}
            )
        reached = 0
        for index, step_info in enumerate(steps, start=1):
            if not step_info["met"]:
                break
            reached = index
        result.append({"ladder": ladder, "steps": steps, "reached": reached})
    return render(request, "plans/ladders.html", {"ladders": result})
