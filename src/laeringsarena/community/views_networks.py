"""Web pages for networks across municipalities: propose one, and accept or decline it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laeringsarena.community import access, networks
from laeringsarena.community.models import JoinPolicy
from laeringsarena.community.views import SECTION
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, LaeringsarenaError, PermissionDenied
from laeringsarena.organisations.models import Organisation


@login_required
@nav_section(SECTION)
def network_new(request: HttpRequest) -> HttpResponse:
    """An admin (HR) proposes a network with other municipalities."""
    managed = list(
        Organisation.objects.filter(pk__in=access.managed_tenant_ids(request.user)).order_by("name")
    )
    if not managed:
        raise PermissionDenied(_("Nettverk på tvers av kommuner foreslås av kommunens administratorer (HR)."))
    home_slug = request.POST.get("tenant") or request.GET.get("kommune") or managed[0].slug
    home = next((t for t in managed if t.slug == home_slug), managed[0])
    context: dict[str, Any] = {
        "managed": managed,
        "home": home,
        "candidates": networks.candidate_municipalities(home),
        "policies": [(k, str(v)) for k, v in JoinPolicy.choices],
        "form": {},
        "chosen": [],
    }
    if request.method == "POST":
        data = request.POST
        context |= {"form": data, "chosen": data.getlist("municipalities")}
        try:
            group = networks.propose_network(
                request.user,
                tenant_slug=home.slug,
                name=data.get("name", ""),
                description=data.get("description", ""),
                join_policy=data.get("join_policy", JoinPolicy.REQUEST),
                municipalities=data.getlist("municipalities"),
            )
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(
                request, _("Forslaget er sendt. Nettverket blir opprettet når alle kommunene har sagt ja.")
            )
            return redirect("community:network_agreement", pk=group.pk)
    return render(request, "community/network_new.html", context, status=400 if context.get("error") else 200)


@login_required
@nav_section(SECTION)
def network_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """Where each participating municipality's admin says yes or no."""
    proposal = networks.access_proposal(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        tenant = request.POST.get("tenant", "")
        try:
            if action == "accept":
                networks.accept(request.user, pk, tenant)
                messages.success(request, _("Kommunen er med i nettverket."))
            elif action == "decline":
                networks.decline(request.user, pk, tenant, request.POST.get("reason", ""))
                messages.success(
                    request, _("Dere har takket nei. Kommunen som foreslo nettverket, får beskjed.")
                )
            elif action == "continue":
                networks.continue_without_declined(request.user, pk)
                messages.success(request, _("Forslaget gjelder nå bare kommunene som ikke har takket nei."))
            elif action == "withdraw":
                networks.withdraw(request.user, pk)
                messages.success(request, _("Forslaget er trukket."))
                return redirect("community:notices")
            else:
                raise InvalidInput(_("Ukjent handling."))
        except LaeringsarenaError as err:
            if err.status == 404:
                raise
            messages.error(request, str(err.detail))
        return redirect("community:network_agreement", pk=pk)
    return render(request, "community/network_agreement.html", {"proposal": proposal})
