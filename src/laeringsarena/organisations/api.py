"""API: organisations and positions, scoped by the permission service."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.api_support import PROBLEM_RESPONSES, Page
from laeringsarena.organisations.models import Organisation, Position

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    slug: str
    parent_id: int | None
    tenant_id: int | None
    depth: int
    org_number: str


class OrganisationFilters(Schema):
    kind: str | None = None
    parent_id: int | None = None
    tenant: str | None = None
    q: str | None = None


class PositionOut(Schema):
    code: str
    name: str


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **PROBLEM_RESPONSES},
    summary="Organisations I can see",
)
@paginate(Page)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> object:
    """Municipalities, sectors and units inside the caller's scope."""
    permissions.require_login(request.user)
    queryset = permissions.organisations(request.user).order_by("path")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.parent_id:
        queryset = queryset.filter(parent_id=filters.parent_id)
    if filters.tenant:
        queryset = queryset.filter(tenant__slug=filters.tenant)
    if filters.q:
        queryset = queryset.filter(name__icontains=filters.q)
    return queryset


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **PROBLEM_RESPONSES},
    summary="One organisation",
)
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    return permissions.access_organisation(request.user, organisation_id, Permission.ORGANISATION_VIEW)


@router.get(
    "/positions",
    response={200: list[PositionOut], **PROBLEM_RESPONSES},
    summary="Positions (stillinger)",
)
@paginate(Page)
def list_positions(request: HttpRequest) -> object:
    permissions.require_login(request.user)
    return Position.objects.order_by("code")
