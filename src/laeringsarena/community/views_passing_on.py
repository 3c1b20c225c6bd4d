"""Web pages for passing learning on: "pass it on" mini-courses, job exchange, ask a colleague."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from laeringsarena.community import access, passing_on, services
from laeringsarena.community.models import (
    ExchangeAgreement,
    ExchangeKind,
    ExchangeMode,
    ExchangeStatus,
    GroupKind,
    LinkKind,
)
from laeringsarena.community.views import SECTION, _datetime, _int, _my_groups
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, LaeringsarenaError, NotFound

# --- Passing learning on --------------------------------------------------------------------


@login_required
@nav_section(SECTION)
def mini_courses(request: HttpRequest) -> HttpResponse:
    """ "Pass it on": share what you learned with your unit in a short session."""
    access.person_of(request.user)
    context: dict[str, Any] = {"form": {"title": request.GET.get("tittel", "")}}
    if request.method == "POST":
        data = request.POST
        context["form"] = data
        try:
            starts = _datetime(data.get("starts_at"))
            if starts is None:
                raise InvalidInput(_("Oppgi når minikurset starter."))
            course = passing_on.offer_mini_course(
                request.user,
                title=data.get("title", ""),
                starts_at=starts,
                summary=data.get("summary", ""),
                duration_minutes=_int(data.get("duration_minutes")) or 30,
                location=data.get("location", ""),
                link=services.Link(kind=LinkKind.OFFERING, id=None, title=data["link_title"])
                if data.get("link_title", "").strip()
                else None,
            )
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Minikurset er planlagt. Inviter kollegene dine."))
            return redirect("community:mini_course", pk=course.pk)
    from laeringsarena.community import pass_it_on as flow

    context["courses"] = passing_on.visible_mini_courses(request.user).select_related("host", "unit")[:30]
    context["summaries"] = flow.unit_summaries(request.user)[:20]
    context["invitations"] = flow.open_invitations(access.person_of(request.user))
    return render(
        request, "community/mini_courses.html", context, status=400 if context.get("error") else 200
    )


@login_required
@nav_section(SECTION)
def mini_course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = passing_on.access_mini_course(request.user, pk)
    person = access.person_of(request.user)
    host = course.host_id == person.pk
    if request.method == "POST":
        if not host:
            raise NotFound()
        try:
            if request.POST.get("action") == "invite":
                count = passing_on.invite_unit(request.user, pk)
                messages.success(
                    request,
                    ngettext("%(n)s kollega er invitert.", "%(n)s kolleger er invitert.", count)
                    % {"n": count},
                )
            else:
                ids = [int(v) for v in request.POST.getlist("attended") if v.isdigit()]
                count = passing_on.record_attendance(request.user, pk, ids)
                messages.success(
                    request,
                    ngettext(
                        "Oppmøtet er registrert (%(n)s deltaker).",
                        "Oppmøtet er registrert (%(n)s deltakere).",
                        count,
                    )
                    % {"n": count},
                )
        except LaeringsarenaError as err:
            messages.error(request, str(err.detail))
        return redirect("community:mini_course", pk=pk)
    return render(
        request,
        "community/mini_course_detail.html",
        {
            "course": course,
            "host": host,
            "started": course.starts_at <= timezone.now(),
            "invitations": course.invitations.select_related("person") if host else [],
        },
    )


@login_required
@nav_section(SECTION)
def exchange(request: HttpRequest) -> HttpResponse:
    """Job exchange and shadowing: offers and wishes, matches and the leaders' agreement."""
    person = access.person_of(request.user)
    from laeringsarena.competence.models import Competence
    from laeringsarena.organisations.models import Position

    context: dict[str, Any] = {
        "form": {},
        "kinds": [(k, str(v)) for k, v in ExchangeKind.choices],
        "modes": [(k, str(v)) for k, v in ExchangeMode.choices],
        "positions": Position.objects.filter(employments__organisation_id__in=access.tenant_ids(request.user))
        .distinct()
        .order_by("name"),
        "networks": [m.group for m in _my_groups(person) if m.group.kind == GroupKind.REGIONAL],
        "is_leader": bool(access.leader_paths(request.user)),
        "competences": Competence.objects.order_by("name"),
    }
    if request.method == "POST":
        data = request.POST
        context["form"] = data
        try:
            posting = passing_on.post_exchange(
                request.user,
                kind=data.get("kind", ""),
                mode=data.get("mode", ExchangeMode.SHADOWING),
                position_code=data.get("position_code", ""),
                description=data.get("description", ""),
                days=_int(data.get("days")) or 2,
                network_id=_int(data.get("network_id")),
                competence_ids=[int(v) for v in data.getlist("competence_ids") if v.isdigit()],
            )
        except LaeringsarenaError as err:
            context["error"] = err
        else:
            messages.success(request, _("Lagt ut. Se forslagene som passer."))
            return redirect("community:exchange_posting", pk=posting.pk)
    context |= {
        "postings": passing_on.visible_postings(request.user)
        .filter(status=ExchangeStatus.OPEN)
        .select_related("unit", "position", "network")[:50],
        "to_decide": passing_on.agreements_to_decide(request.user),
    }
    return render(request, "community/exchange.html", context, status=400 if context.get("error") else 200)


@login_required
@nav_section(SECTION)
def exchange_posting(request: HttpRequest, pk: int) -> HttpResponse:
    posting = passing_on.access_posting(request.user, pk)
    if request.method == "POST":
        other = _int(request.POST.get("match_id")) or 0
        offer, wish = (pk, other) if posting.kind == ExchangeKind.OFFER else (other, pk)
        try:
            agreement = passing_on.propose_exchange(request.user, offer, wish)
        except LaeringsarenaError as err:
            if err.status == 404:
                raise
            messages.error(request, str(err.detail))
        else:
            messages.success(
                request,
                _("Avtalt – begge lederne har godkjent.")
                if agreement.agreed
                else _("Foreslått. Lederne må godkjenne."),
            )
        return redirect("community:exchange_posting", pk=pk)
    agreements = ExchangeAgreement.objects.filter(Q(offer=posting) | Q(wish=posting)).select_related(
        "offer__unit", "wish__unit", "wish__author", "offer__author"
    )
    return render(
        request,
        "community/exchange_posting.html",
        {"posting": posting, "matches": passing_on.matches(request.user, posting), "agreements": agreements},
    )


@require_POST
@login_required
def exchange_agree(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = passing_on.agree_exchange(request.user, pk)
    messages.success(
        request,
        _("Avtalt – begge lederne har godkjent.")
        if agreement.agreed
        else _("Godkjent. Venter på den andre lederen."),
    )
    return redirect("community:exchange")


@require_POST
@login_required
def group_ask(request: HttpRequest, pk: int) -> HttpResponse:
    question = passing_on.ask(request.user, pk, request.POST.get("title", ""), request.POST.get("body", ""))
    return redirect("community:question", pk=question.pk)


@login_required
@nav_section(SECTION)
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = passing_on.access_question(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("accept"):
                passing_on.accept_answer(request.user, pk, _int(request.POST.get("accept")) or 0)
            else:
                passing_on.answer(request.user, pk, request.POST.get("body", ""))
        except InvalidInput as err:
            messages.error(request, str(err.detail))
        return redirect("community:question", pk=pk)
    person = access.person_of(request.user)
    return render(
        request,
        "community/question_detail.html",
        {
            "question": question,
            "answers": question.answers.select_related("author"),
            "asker": question.asker_id == person.pk,
        },
    )


@login_required
@nav_section(SECTION)
def pass_it_on(request: HttpRequest, pk: int) -> HttpResponse:
    """The invitation after a completed course: hold a mini-course, share a summary, or no thanks."""
    from laeringsarena.community import pass_it_on as flow

    invitation = flow.access_invitation(request.user, pk)
    context: dict[str, Any] = {"invitation": invitation, "form": {}}
    if request.method == "POST":
        data = request.POST
        context["form"] = data
        action = data.get("action", "")
        try:
            if action == "mini_course":
                starts = _datetime(data.get("starts_at"))
                if starts is None:
                    raise InvalidInput(_("Oppgi når minikurset starter."))
                course = flow.hold_mini_course(
                    request.user,
                    pk,
                    starts_at=starts,
                    title=data.get("title", ""),
                    summary=data.get("summary", ""),
                    duration_minutes=_int(data.get("duration_minutes")) or 30,
                    location=data.get("location", ""),
                )
                messages.success(request, _("Minikurset er planlagt, og kollegene i enheten er invitert."))
                return redirect("community:mini_course", pk=course.pk)
            if action == "summary":
                flow.share_summary(request.user, pk, data.get("summary", ""))
                messages.success(request, _("Takk! Oppsummeringen er delt med enheten din."))
                return redirect("community:mini_courses")
            if action == "decline":
                flow.decline(request.user, pk)
                messages.success(request, _("Greit – vi spør ikke igjen om dette kurset."))
                return redirect("community:home")
            raise InvalidInput(_("Ukjent handling."))
        except InvalidInput as err:
            context["error"] = err
        except LaeringsarenaError as err:
            if err.status == 404:
                raise
            messages.error(request, str(err.detail))
            return redirect("community:pass_it_on", pk=pk)
    return render(request, "community/pass_it_on.html", context, status=400 if context.get("error") else 200)
