"""Refleksjon og nettverk: thin web adapters over the community services and access helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsarena.community import access, debriefs, handover, insight, passing_on, services
from laeringsarena.community import feedback as feedback_flow
from laeringsarena.community.ical import calendar
from laeringsarena.community.models import (
    CommunityNotice,
    DebriefOutcome,
    FeedbackRequest,
    GroupKind,
    JoinPolicy,
    LinkKind,
    Meeting,
    MeetingKind,
    MemberRole,
    Membership,
    MembershipStatus,
    OutcomeKind,
    PassItOnInvitation,
    PassItOnStatus,
    Post,
    Reflection,
)
from laeringsarena.community.prompts import REFLECTION_PROMPTS, prompt_choices
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, LaeringsarenaError, NotFound

SECTION = "community"


def _my_groups(person: Any) -> list[Membership]:
    return list(
        Membership.objects.filter(person=person, status=MembershipStatus.ACTIVE)
        .select_related("group", "group__tenant")
        .order_by("group__name")
    )


def _int(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _link_from(data: Any) -> services.Link | None:
    kind = data.get("link_kind", "")
    if not kind:
        return None
    return services.Link(kind=kind, id=_int(data.get("link_id")), title=data.get("link_title", ""))


@login_required
@nav_section(SECTION)
def home(request: HttpRequest) -> HttpResponse:
    """The reflection log with a quick form, the person's groups and feedback."""
    person = access.person_of(request.user)
    context: dict[str, Any] = {
        "prompts": prompt_choices(),
        "link_kinds": [(k, str(v)) for k, v in LinkKind.choices if k],
        "form": {"prompt": request.GET.get("prompt", "learned")},
    }
    if request.method == "POST":
        data = request.POST
        context["form"] = data
        try:
            reflection = services.write_reflection(
                request.user,
                body=data.get("body", ""),
                title=data.get("title", ""),
                prompt=data.get("prompt", ""),
                share_group_id=_int(data.get("share_group_id")),
                share_with_leader=data.get("share_with_leader") == "on",
                link=_link_from(data),
            )
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Refleksjonen er lagret."))
            return redirect("community:reflection", pk=reflection.pk)
    memberships = _my_groups(person)
    context |= {
        "memberships": memberships,
        "reflections": Reflection.objects.filter(author=person).select_related("shared_group")[:20],
        "feedback_to_give": FeedbackRequest.objects.filter(
            giver=person, answered_at__isnull=True
        ).select_related("requester"),
        "learning": passing_on.learning_at_work(person)[:10],
        "pass_it_on": PassItOnInvitation.objects.filter(person=person, status=PassItOnStatus.OPEN),
        "waiting_outcomes": DebriefOutcome.objects.filter(
            responsible=person,
            handed_over_at__isnull=True,
            debrief__group_id__in=access.active_group_ids(person),
        ),
        "can_insight": insight.can_view(request.user),
        "can_manage": bool(access.managed_tenant_ids(request.user)),
    }
    return render(request, "community/home.html", context, status=400 if context.get("error") else 200)


@login_required
@nav_section(SECTION)
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = access.access_reflection(request.user, pk)
    person = getattr(request.user, "person", None)
    mine = reflection.author_id == getattr(person, "pk", None)
    if request.method == "POST":
        if not mine:
            raise NotFound()
        try:
            services.share_reflection(
                request.user,
                pk,
                group_id=_int(request.POST.get("share_group_id")),
                with_leader=request.POST.get("share_with_leader") == "on",
            )
        except InvalidInput as err:
            messages.error(request, str(err.detail))
        else:
            messages.success(request, _("Delingen er oppdatert."))
        return redirect("community:reflection", pk=pk)
    return render(
        request,
        "community/reflection_detail.html",
        {
            "reflection": reflection,
            "mine": mine,
            "prompt_text": REFLECTION_PROMPTS.get(reflection.prompt, ""),
            "memberships": _my_groups(person) if mine else [],
        },
    )


@login_required
@nav_section(SECTION)
def groups(request: HttpRequest) -> HttpResponse:
    """My groups, groups I can join, and a form to start a guidance group."""
    person = access.person_of(request.user)
    mine = {
        m.group_id: m for m in Membership.objects.filter(person=person).exclude(status=MembershipStatus.ENDED)
    }
    listed = list(access.listed_groups(request.user).select_related("tenant").order_by("name"))
    context: dict[str, Any] = {
        "mine": [(g, mine[g.pk]) for g in listed if g.pk in mine],
        "others": [g for g in listed if g.pk not in mine],
        "kinds": [(k, str(v)) for k, v in GroupKind.choices if k != GroupKind.REGIONAL],
        "can_manage": bool(access.managed_tenant_ids(request.user)),
        "policies": [(k, str(v)) for k, v in JoinPolicy.choices],
        "form": {},
    }
    if request.method == "POST":
        context["form"] = request.POST
        try:
            group = services.create_group(
                request.user,
                kind=request.POST.get("kind", GroupKind.GUIDANCE),
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
                join_policy=request.POST.get("join_policy", JoinPolicy.REQUEST),
                schedule=request.POST.get("schedule", ""),
            )
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Gruppen er opprettet. Du er koordinator."))
            return redirect("community:group", pk=group.pk)
    return render(request, "community/groups.html", context, status=400 if context.get("error") else 200)


@login_required
@nav_section(SECTION)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who may know the group sees what it is; members see its content."""
    group = access.access_group(request.user, pk)
    person = getattr(request.user, "person", None)
    mine = access.membership(person, group)
    member = mine is not None and mine.status == MembershipStatus.ACTIVE
    coordinator = member and mine is not None and mine.role in access.COORDINATING
    context: dict[str, Any] = {
        "group": group,
        "mine": mine,
        "member": member,
        "coordinator": coordinator,
        "agreed": access.is_agreed(group),
        "can_manage": access.can_manage(request.user, group),
        "municipalities": group.municipalities.select_related("tenant").order_by("tenant__name"),
    }
    if member:
        posts = list(group.posts.select_related("author").order_by("created_at", "pk"))
        threads = [(p, [r for r in posts if r.parent_id == p.pk]) for p in posts if p.parent_id is None]
        now = timezone.now()
        context |= {
            "threads": threads[::-1],
            "members": group.memberships.filter(status=MembershipStatus.ACTIVE).select_related("person"),
            "upcoming": group.meetings.filter(ends_at__gte=now),
            "past": group.meetings.filter(ends_at__lt=now).order_by("-starts_at")[:10],
            "debriefs": group.debriefs.all()[:10],
            "questions": group.questions.select_related("asker").prefetch_related("answers")[:20],
            "resources": group.resources.select_related("added_by")[:30],
            "roles": [(k, str(v)) for k, v in MemberRole.choices],
            "meeting_kinds": [(k, str(v)) for k, v in MeetingKind.choices],
            "can_plan": coordinator or (person is not None and group.facilitator_id == person.pk),
        }
        if coordinator:
            context["pending"] = group.memberships.filter(
                status__in=[MembershipStatus.REQUESTED, MembershipStatus.INVITED]
            ).select_related("person")
            context["reports"] = (
                Post.objects.filter(group=group, reports__isnull=False, reports__resolved_at__isnull=True)
                .distinct()
                .select_related("author")
                .prefetch_related("reports")
            )
    elif context["can_manage"]:
        # Admins manage roles without seeing the content: only who coordinates.
        context["coordinators"] = group.memberships.filter(
            status=MembershipStatus.ACTIVE, role__in=access.COORDINATING
        ).select_related("person")
        context["roles"] = [(k, str(v)) for k, v in MemberRole.choices]
    return render(request, "community/group_detail.html", context)


def _back(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    """Run a group action; show its error as a message instead of an error page for input errors."""
    try:
        result = action()
    except InvalidInput as err:
        messages.error(request, str(err.detail))
    except LaeringsarenaError as err:
        if err.status == 404:
            raise
        messages.error(request, str(err.detail))
    else:
        if isinstance(result, str):
            messages.success(request, result)
    return redirect("community:group", pk=pk)


@require_POST
@login_required
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    def act() -> str:
        found = services.join(request.user, pk)
        return (
            _("Du er med i gruppen.")
            if found.status == MembershipStatus.ACTIVE
            else _("Forespørselen er sendt til koordinatoren.")
        )

    return _back(request, pk, act)


@require_POST
@login_required
def group_leave(request: HttpRequest, pk: int) -> HttpResponse:
    access.access_group(request.user, pk)
    services.leave(request.user, pk)
    messages.success(request, _("Du har forlatt gruppen."))
    return redirect("community:groups")


@require_POST
@login_required
def group_invite(request: HttpRequest, pk: int) -> HttpResponse:
    return _back(
        request,
        pk,
        lambda: (
            services.invite(request.user, pk, request.POST.get("email", "")) and _("Invitasjonen er sendt.")
        ),
    )


@require_POST
@login_required
def group_post(request: HttpRequest, pk: int) -> HttpResponse:
    return _back(
        request,
        pk,
        lambda: (
            services.write_post(
                request.user, pk, request.POST.get("body", ""), _int(request.POST.get("parent_id"))
            )
            and _("Innlegget er publisert.")
        ),
    )


@require_POST
@login_required
def group_resource(request: HttpRequest, pk: int) -> HttpResponse:
    data = request.POST
    return _back(
        request,
        pk,
        lambda: (
            services.share_resource(
                request.user,
                pk,
                title=data.get("title", ""),
                url=data.get("url", ""),
                description=data.get("description", ""),
            )
            and _("Ressursen er delt.")
        ),
    )


@require_POST
@login_required
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    post = Post.objects.filter(pk=pk).first()
    if post is None:
        raise NotFound()
    access.access_group_content(request.user, post.group_id)
    return _back(
        request,
        post.group_id,
        lambda: (
            services.report_post(request.user, pk, request.POST.get("reason", ""))
            and _("Takk. Koordinatorene ser på innlegget.")
        ),
    )


@require_POST
@login_required
def post_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    post = Post.objects.filter(pk=pk).first()
    if post is None:
        raise NotFound()
    access.access_group_content(request.user, post.group_id)
    if request.POST.get("decision") == "keep":
        return _back(
            request,
            post.group_id,
            lambda: services.dismiss_reports(request.user, pk) and _("Innlegget blir stående."),
        )
    return _back(
        request,
        post.group_id,
        lambda: (
            services.hide_post(request.user, pk, request.POST.get("reason", "")) and _("Innlegget er skjult.")
        ),
    )


@require_POST
@login_required
def membership_decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = Membership.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    access.access_group(request.user, found.group_id)
    decision = request.POST.get("decision", "")

    def act() -> str:
        if decision == "approve":
            services.approve(request.user, pk)
            return _("Medlemmet er tatt opp.")
        if decision == "decline":
            services.decline(request.user, pk)
            return _("Forespørselen er avslått.")
        services.set_role(request.user, pk, request.POST.get("role", ""))
        return _("Rollen er endret.")

    return _back(request, found.group_id, act)


def _datetime(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@require_POST
@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    data = request.POST

    def act() -> str:
        starts, ends = _datetime(data.get("starts_at")), _datetime(data.get("ends_at"))
        if starts is None or ends is None:
            raise InvalidInput(_("Oppgi når møtet starter og slutter."))
        services.plan_meeting(
            request.user,
            pk,
            title=data.get("title", ""),
            starts_at=starts,
            ends_at=ends,
            kind=data.get("kind", MeetingKind.MEETING),
            location=data.get("location", ""),
            agenda=data.get("agenda", ""),
        )
        return _("Møtet er lagt inn.")

    return _back(request, pk, act)


@login_required
@nav_section(SECTION)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = Meeting.objects.filter(pk=pk).select_related("group").first()
    if meeting is None:
        raise NotFound()
    group = access.access_group_content(request.user, meeting.group_id)
    person = getattr(request.user, "person", None)
    can_edit = access.is_coordinator(person, group) or (
        person is not None and group.facilitator_id == person.pk
    )
    if request.method == "POST":
        services.write_minutes(request.user, pk, request.POST.get("minutes", ""))
        messages.success(request, _("Referatet er lagret."))
        return redirect("community:meeting", pk=pk)
    return render(
        request, "community/meeting_detail.html", {"meeting": meeting, "group": group, "can_edit": can_edit}
    )


@login_required
def group_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's meetings as an iCalendar file (members only)."""
    group = access.access_group_content(request.user, pk)
    body = calendar(group, group.meetings.all(), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gruppe-{group.pk}.ics"'
    return response


@login_required
@nav_section(SECTION)
def debrief_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = access.access_group_content(request.user, pk)
    templates = debriefs.templates_for(group)
    template_id = _int(request.GET.get("mal") or request.POST.get("template_id"))
    template = next((t for t in templates if t.pk == template_id), None)
    questions = debriefs.template_questions(template)
    context: dict[str, Any] = {
        "group": group,
        "templates": templates,
        "template": template,
        "questions": questions,
        "answers": {},
        "form": {},
        "link_kinds": [(k, str(v)) for k, v in LinkKind.choices if k],
    }
    if request.method == "POST":
        data = request.POST
        answers = {q["key"]: data.get(f"answer_{q['key']}", "") for q in questions}
        context |= {"answers": answers, "form": data}
        try:
            debrief = debriefs.hold_debrief(
                request.user,
                pk,
                title=data.get("title", ""),
                answers=answers,
                template_id=template.pk if template else None,
                occurred_on=parse_date(data.get("occurred_on", "") or "")
                if data.get("occurred_on")
                else None,
                link=_link_from(data),
            )
        except (InvalidInput, ValueError) as err:
            context["error"] = err if isinstance(err, InvalidInput) else InvalidInput(_("Ugyldig dato."))
        else:
            messages.success(request, _("Gjennomgangen er lagret. Legg inn hva den fører til."))
            return redirect("community:debrief", pk=debrief.pk)
    return render(
        request, "community/debrief_form.html", context, status=400 if context.get("error") else 200
    )


@login_required
@nav_section(SECTION)
def debrief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    debrief = access.access_debrief(request.user, pk)
    context: dict[str, Any] = {
        "debrief": debrief,
        "group": debrief.group,
        "outcome_kinds": [(k, str(v)) for k, v in OutcomeKind.choices],
        "members": debrief.group.memberships.filter(status=MembershipStatus.ACTIVE).select_related("person"),
        "procedures": debriefs.procedures_for(request.user, debrief.group),
        "form": {},
    }
    if request.method == "POST" and request.POST.get("hand_on"):
        try:
            outcome = handover.hand_on(request.user, _int(request.POST.get("hand_on")) or 0)
        except LaeringsarenaError as err:
            if err.status == 404:
                raise
            messages.error(request, str(err.detail))
        else:
            if outcome.handed_over:
                messages.success(request, _("Oppfølgingen er sendt videre."))
            else:
                messages.error(request, outcome.handover_note)
        return redirect("community:debrief", pk=pk)
    if request.method == "POST":
        data = request.POST
        context["form"] = data
        try:
            due = data.get("due_date") or ""
            outcome = debriefs.add_outcome(
                request.user,
                pk,
                kind=data.get("kind", ""),
                description=data.get("description", ""),
                responsible_id=_int(data.get("responsible_id")),
                due_date=parse_date(due) if due else None,
                procedure_id=_int(data.get("procedure_id")),
            )
        except (InvalidInput, ValueError) as err:
            context["error"] = err if isinstance(err, InvalidInput) else InvalidInput(_("Ugyldig dato."))
        else:
            if outcome.handed_over:
                messages.success(request, _("Oppfølgingen er registrert. Den er sendt videre."))
            else:
                messages.success(
                    request, _("Oppfølgingen er registrert. %(note)s") % {"note": outcome.handover_note}
                )
            return redirect("community:debrief", pk=pk)
    context["outcomes"] = [
        (o, handover.target_url(o) if o.handed_over else "")
        for o in debrief.outcomes.select_related("responsible")
    ]
    return render(
        request, "community/debrief_detail.html", context, status=400 if context.get("error") else 200
    )


@login_required
@nav_section(SECTION)
def feedback(request: HttpRequest) -> HttpResponse:
    """Ask for and give feedback after larger tasks; private to the two people."""
    person = access.person_of(request.user)
    context: dict[str, Any] = {"givers": feedback_flow.feedback_givers(person), "form": {}}
    if request.method == "POST":
        context["form"] = request.POST
        try:
            feedback_flow.request_feedback(
                request.user,
                giver_id=_int(request.POST.get("giver_id")) or 0,
                task=request.POST.get("task", ""),
                question=request.POST.get("question", ""),
            )
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Forespørselen er sendt."))
            return redirect("community:feedback")
    context |= {
        "asked": FeedbackRequest.objects.filter(requester=person).select_related("giver"),
        "to_give": FeedbackRequest.objects.filter(giver=person).select_related("requester"),
    }
    return render(request, "community/feedback.html", context, status=400 if context.get("error") else 200)


@login_required
@nav_section(SECTION)
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_feedback(request.user, pk)
    person = access.person_of(request.user)
    context: dict[str, Any] = {"item": found, "giver": found.giver_id == person.pk}
    if request.method == "POST":
        try:
            feedback_flow.give_feedback(request.user, pk, request.POST.get("answer", ""))
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Tilbakemeldingen er sendt."))
            return redirect("community:feedback_detail", pk=pk)
    return render(
        request, "community/feedback_detail.html", context, status=400 if context.get("error") else 200
    )


@login_required
@nav_section(SECTION)
def notices(request: HttpRequest) -> HttpResponse:
    """For the municipality's admins: groups without a coordinator, networks awaiting agreement."""
    managed = access.managed_tenant_ids(request.user)
    if not managed:
        from laeringsarena.core.errors import PermissionDenied

        raise PermissionDenied()
    if request.method == "POST" and request.POST.get("action") == "template":
        lines = [line.strip() for line in request.POST.get("questions", "").splitlines() if line.strip()]
        try:
            debriefs.create_template(
                request.user,
                request.POST.get("tenant", ""),
                request.POST.get("name", ""),
                [{"label": line} for line in lines],
            )
        except InvalidInput as err:
            messages.error(request, str(err.detail))
        else:
            messages.success(request, _("Malen for gjennomganger er lagret."))
        return redirect("community:notices")
    items = CommunityNotice.objects.filter(tenant_id__in=managed, resolved_at__isnull=True).select_related(
        "group", "tenant"
    )
    from laeringsarena.community.models import DebriefTemplate
    from laeringsarena.organisations.models import Organisation

    return render(
        request,
        "community/notices.html",
        {
            "notices": items,
            "tenants": Organisation.objects.filter(pk__in=managed).order_by("name"),
            "templates": DebriefTemplate.objects.filter(tenant_id__in=managed).select_related("tenant"),
        },
    )


@login_required
@nav_section(SECTION)
def insight_view(request: HttpRequest) -> HttpResponse:
    """Learning conditions for leaders, HR and union representatives: aggregated only."""
    unit = insight.choose_scope(request.user, _int(request.GET.get("enhet")))
    from laeringsarena.accounts import permissions
    from laeringsarena.accounts.permissions import Permission

    children = [
        child
        for child in unit.children.order_by("name")
        if permissions.has_permission(request.user, Permission.AGGREGATES_VIEW, child)
    ]
    return render(
        request,
        "community/insight.html",
        {"insight": insight.build(unit), "scopes": insight.scopes(request.user), "children": children},
    )
