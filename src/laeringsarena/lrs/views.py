"""Web page for HR and administrators: the organisation's xAPI clients (LRS-klienter)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, NotFound, PermissionDenied
from laeringsarena.lrs import services
from laeringsarena.lrs.models import LrsClient

SECTION = "lrs_clients"


@login_required
@nav_section(SECTION)
def clients(request: HttpRequest) -> HttpResponse:
    """List, create (the secret is shown once) and revoke clients."""
    tenants = services.managed_tenants(request.user)
    if not tenants:
        raise PermissionDenied()
    created: tuple[LrsClient, str] | None = None
    errors: list[str] = []
    if request.method == "POST":
        by_slug = {t.slug: t for t in tenants}
        tenant = by_slug.get(request.POST.get("tenant", "")) or (tenants[0] if len(tenants) == 1 else None)
        expires_at = None
        if request.POST.get("expires"):
            try:
                day = dt.date.fromisoformat(request.POST["expires"])
                expires_at = dt.datetime.combine(day, dt.time(23, 59), tzinfo=timezone.get_current_timezone())
            except ValueError:
                errors.append(_("Utløpsdatoen må være en dato."))
        if tenant is None:
            errors.append(_("Velg kommunen klienten skal høre til."))
        if not errors and tenant is not None:
            try:
                created = services.create_client_for(
                    request.user, tenant, name=request.POST.get("name", ""), expires_at=expires_at
                )
            except InvalidInput:
                errors.append(_("Gi klienten et navn, og en utløpsdato fram i tid."))
    rows = LrsClient.objects.filter(organisation__in=tenants).select_related("organisation", "created_by")
    now = timezone.now()
    return render(
        request,
        "lrs/clients.html",
        {
            "tenants": tenants,
            "clients": [
                (c, c.revoked_at is None and (c.expires_at is None or c.expires_at > now)) for c in rows
            ],
            "created": created,
            "errors": errors,
            "endpoint": f"{settings.PUBLIC_URL}/xapi/",
        },
        status=400 if errors else 200,
    )


@require_POST
@login_required
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    tenants = services.managed_tenants(request.user)
    client = LrsClient.objects.filter(pk=pk, organisation__in=tenants).select_related("organisation").first()
    if client is None:
        raise NotFound()
    services.revoke_client_for(request.user, client)
    messages.success(request, _("Klienten «%(name)s» er trukket tilbake.") % {"name": client.name})
    return redirect("lrs:clients")
