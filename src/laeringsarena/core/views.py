"""Start page (Min læring) and the health check."""

from __future__ import annotations

import time

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from laeringsarena import __version__
from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.core import home as home_cards
from laeringsarena.core.decorators import login_required, nav_section


@login_required
@nav_section("my_learning")
def home(request: HttpRequest) -> HttpResponse:
    """Min læring: the person's employments and roles; learning content joins as it lands."""
    user = request.user
    person = getattr(user, "person", None)
    employments = []
    if person is not None:
        employments = list(
            person.employments.active()
            .select_related("organisation", "unit", "position")
            .order_by("-percentage")
        )
    grants = [g for g in permissions.grants(user) if g.role != Role.EMPLOYEE]
    from laeringsarena.organisations.models import Organisation

    names = dict(
        Organisation.objects.filter(pk__in={g.organisation_id for g in grants}).values_list("pk", "name")
    )
    roles = [{"label": Role(g.role).label, "organisation": names.get(g.organisation_id, "")} for g in grants]
    return render(
        request,
        "core/home.html",
        {"person": person, "employments": employments, "roles": roles, "cards": home_cards.cards(request)},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database status when healthy, 503 when the database does not answer."""
    started = time.perf_counter()
    database: dict[str, object]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as err:  # noqa: BLE001 - any failure means unhealthy
        database = {"status": "error", "vendor": connection.vendor, "error": type(err).__name__}
        status = 503
    database["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "version": __version__, "database": database},
        status=status,
    )
