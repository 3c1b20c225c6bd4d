"""Web pages: my recommendations, «Hvorfor dette?», settings (signals, career wish, calendar) and
aggregated uptake for leaders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsarena.catalogue.access import access_offering
from laeringsarena.catalogue.models import LANGUAGES, Format
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput
from laeringsarena.guidance import services, uptake
from laeringsarena.guidance.models import (
    BusyCalendar,
    CareerWish,
    Dismissal,
    DismissReason,
    SignalCategory,
)
from laeringsarena.organisations.models import Position


@login_required
@nav_section("recommendations")
def mine(request: HttpRequest) -> HttpResponse:
    person = services.person_of(request.user)
    items = services.recommend(person, limit=10)
    services.record_shown(person, items)
    settings = services.settings_for(person)
    off = [label for value, label in SignalCategory.choices if value in settings.disabled_signals]
    snoozed = Dismissal.objects.filter(person=person).select_related("offering").order_by("-created_at")[:20]
    return render(
        request,
        "guidance/mine.html",
        {"items": items, "reasons": DismissReason.choices, "off": off, "dismissed": snoozed},
    )


@login_required
@nav_section("recommendations")
def why(request: HttpRequest, pk: int) -> HttpResponse:
    person = services.person_of(request.user)
    access_offering(request.user, pk)
    item = services.explain(person, pk)
    inputs = services.inputs_for(person)
    calendar = inputs.calendar
    return render(
        request,
        "guidance/why.html",
        {
            "item": item,
            "inputs": inputs,
            "calendar": calendar,
            "categories": [
                (value, label, value not in inputs.disabled) for value, label in SignalCategory.choices
            ],
            "gaps": [
                (c, level, inputs.levels.get(c.pk))
                for c, level in inputs.required
                if inputs.levels.get(c.pk, 0) < level
            ],
        },
    )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("guidance:mine")


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    if reason == "undo":
        services.undo_dismiss(request.user, pk)
        messages.success(request, _("Anbefalingen kan vises igjen."))
    else:
        services.dismiss(request.user, pk, reason)
        messages.success(
            request,
            {
                DismissReason.NOT_RELEVANT: _("Greit, vi viser ikke dette igjen."),
                DismissReason.ALREADY_KNOWN: _("Greit, vi regner med at du kan dette."),
                DismissReason.NOT_NOW: _("Greit, vi venter 30 dager før vi viser dette igjen."),
            }[DismissReason(reason)],
        )
    return redirect(_back(request))


def _settings_context(request: HttpRequest) -> dict[str, Any]:
    from laeringsarena.plans.models import LadderStep

    person = services.person_of(request.user)
    settings = services.settings_for(person)
    tenants = set(person.employments.values_list("organisation_id", flat=True))
    return {
        "settings": settings,
        "categories": [
            (value, label, value not in settings.disabled_signals) for value, label in SignalCategory.choices
        ],
        "formats": [(value, label, value in settings.preferred_formats) for value, label in Format.choices],
        "languages": LANGUAGES,
        "wish": CareerWish.objects.filter(person=person)
        .select_related("target_position", "ladder_step")
        .first(),
        "positions": Position.objects.order_by("name"),
        "steps": LadderStep.objects.filter(ladder__tenant_id__in=tenants).select_related("ladder"),
        "calendar": BusyCalendar.objects.filter(person=person).first(),
    }


@login_required
@nav_section("recommendations")
def settings_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "signals":
                on = set(request.POST.getlist("signals"))
                services.save_settings(
                    request.user,
                    disabled=[v for v in SignalCategory.values if v not in on],
                    formats=request.POST.getlist("formats"),
                    language=request.POST.get("language", ""),
                )
                messages.success(request, _("Innstillingene er lagret."))
            elif action == "wish":
                services.set_career_wish(
                    request.user,
                    position_id=int(request.POST["position"]) if request.POST.get("position") else None,
                    ladder_step_id=int(request.POST["step"]) if request.POST.get("step") else None,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Karriereønsket er lagret."))
            elif action == "clear_wish":
                services.clear_career_wish(request.user)
                messages.success(request, _("Karriereønsket er fjernet."))
            elif action == "calendar":
                upload = request.FILES.get("ics")
                data: bytes | str = upload.read() if upload else request.POST.get("text", "")
                if not data:
                    raise InvalidInput(_("Last opp en .ics-fil eller lim inn kalenderen."))
                calendar = services.save_calendar(
                    request.user, data, filename=(upload.name or "") if upload else ""
                )
                messages.success(
                    request,
                    _("Kalenderen er lagret: %(count)s opptatte perioder.") % {"count": len(calendar.busy)},
                )
            elif action == "delete_calendar":
                services.delete_calendar(request.user)
                messages.success(request, _("Kalenderen er slettet."))
            else:
                raise InvalidInput(_("Ukjent handling."))
        except (InvalidInput, ValueError) as err:
            context = _settings_context(request)
            context["error"] = str(err)
            return render(request, "guidance/settings.html", context, status=400)
        return redirect("guidance:settings")
    return render(request, "guidance/settings.html", _settings_context(request))


@login_required
@nav_section("recommendations_uptake")
def uptake_view(request: HttpRequest) -> HttpResponse:
    rows = uptake.report(request.user)
    return render(
        request,
        "guidance/uptake.html",
        {"rows": rows, "reasons": DismissReason.choices, "min_group": uptake.MIN_GROUP_SIZE},
    )
