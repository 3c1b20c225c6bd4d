"""Min enhet, Kommunen and Administrasjon: thin adapters over the services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, PermissionDenied
from laeringsarena.organisations import selectors
from laeringsarena.organisations.models import Organisation
from laeringsarena.people import services as people_services


@login_required
@nav_section("my_unit")
def my_units(request: HttpRequest) -> HttpResponse:
    """The units a leader leads, with head count, FTE and people."""
    if not permissions.has_role(request.user, Role.LEADER):
        raise PermissionDenied()
    units = selectors.led_units(request.user)
    if len(units) == 1:
        return redirect("organisations:unit", pk=units[0].pk)
    return render(
        request,
        "organisations/my_units.html",
        {"units": [(unit, selectors.unit_summary(unit)) for unit in units]},
    )


@login_required
@nav_section("my_unit")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = permissions.access_organisation(request.user, pk, Permission.PEOPLE_VIEW)
    query = request.GET.get("q", "").strip()[:100]
    children = selectors.child_summaries(unit)
    employments = selectors.unit_employments(unit, query=query)
    if request.headers.get("HX-Request") == "true":
        # htmx asks for the filtered rows only, as the leader types.
        return render(
            request,
            "organisations/_people_rows.html",
            {"employments": employments, "children": children, "query": query},
        )
    return render(
        request,
        "organisations/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors().exclude(kind="platform"),
            "summary": selectors.unit_summary(unit),
            "children": children,
            "employments": employments,
            "query": query,
        },
    )


@login_required
@nav_section("my_unit")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.access_person(request.user, pk)
    employments = (
        permissions.employments(request.user)
        .filter(person=person)
        .select_related("organisation", "unit", "position")
        .order_by("-start_date")
    )
    return render(request, "organisations/person_detail.html", {"person": person, "employments": employments})


@login_required
@nav_section("municipality")
def overview(request: HttpRequest) -> HttpResponse:
    """Kommunen: pick the municipality (most people have exactly one)."""
    permissions.require(request.user, Permission.AGGREGATES_VIEW)
    tenants = [
        t
        for t in permissions.tenants(request.user)
        if any(
            t.path.startswith(p) or p.startswith(t.path)
            for p in permissions.scope_paths(request.user, Permission.AGGREGATES_VIEW)
        )
    ]
    if len(tenants) == 1:
        return redirect("organisations:tenant_overview", slug=tenants[0].slug)
    return render(request, "organisations/overview.html", {"tenants": tenants})


@login_required
@nav_section("municipality")
def tenant_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Aggregated figures for the parts of the municipality the user may see."""
    tenant = permissions.access_tenant(request.user, slug, Permission.AGGREGATES_VIEW)
    scopes = [
        org
        for org in Organisation.objects.filter(
            path__in=permissions.scope_paths(request.user, Permission.AGGREGATES_VIEW)
        )
        if org.path.startswith(tenant.path) or tenant.path.startswith(org.path)
    ]
    roots = [tenant] if any(tenant.path.startswith(o.path) for o in scopes) else scopes
    return render(
        request,
        "organisations/tenant_overview.html",
        {
            "tenant": tenant,
            "sections": [
                (root, selectors.unit_summary(root), selectors.child_summaries(root)) for root in roots
            ],
            "min_group_size": permissions.MIN_GROUP_SIZE,
        },
    )


@login_required
@nav_section("administration")
def administration(request: HttpRequest) -> HttpResponse:
    if not (
        permissions.has_permission(request.user, Permission.PEOPLE_IMPORT)
        or permissions.has_permission(request.user, Permission.ROLES_MANAGE)
    ):
        raise PermissionDenied()
    tenants = [
        t
        for t in permissions.tenants(request.user)
        if permissions.has_permission(request.user, Permission.PEOPLE_IMPORT, t)
    ]
    return render(request, "organisations/administration.html", {"tenants": tenants})


@login_required
@nav_section("administration")
def import_employees(request: HttpRequest, slug: str) -> HttpResponse:
    tenant = permissions.access_tenant(request.user, slug, Permission.PEOPLE_IMPORT)
    permissions.require(request.user, Permission.PEOPLE_IMPORT, tenant)
    context: dict[str, object] = {"tenant": tenant, "columns": people_services.column_docs()}
    if request.method == "POST":
        upload = request.FILES.get("file")
        dry_run = request.POST.get("dry_run") == "on"
        if upload is None:
            context["form_error"] = True
        else:
            try:
                context["result"] = people_services.import_employees(tenant, upload.read(), dry_run=dry_run)
                context["dry_run"] = dry_run
            except InvalidInput as err:
                context["error"] = err
    status = 400 if context.get("error") or context.get("form_error") else 200
    return render(request, "organisations/import.html", context, status=status)
