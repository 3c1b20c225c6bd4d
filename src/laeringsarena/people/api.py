"""API: people, employments and the employee import, scoped by the permission service."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from laeringsarena.accounts import permissions
from laeringsarena.accounts.api import EmploymentOut, employment_out
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.api_support import PROBLEM_RESPONSES, Page
from laeringsarena.core.errors import InvalidInput
from laeringsarena.people import services
from laeringsarena.people.models import Employment

router = Router(tags=["people"])


class PersonSummary(Schema):
    id: int
    given_name: str
    family_name: str
    email: str | None


class PersonDetail(PersonSummary):
    phone: str
    employments: list[EmploymentOut]


class PeopleFilters(Schema):
    unit_id: int | None = None
    q: str | None = None


class EmploymentFilters(Schema):
    unit_id: int | None = None
    active: bool | None = None
    person_id: int | None = None


class ImportOut(Schema):
    rows: int
    created_people: int
    updated_people: int
    created_employments: int
    updated_employments: int
    unchanged_employments: int
    ended_employments: int
    created_positions: list[str]
    dry_run: bool


@router.get("/people", response={200: list[PersonSummary], **PROBLEM_RESPONSES}, summary="People I can see")
@paginate(Page)
def list_people(request: HttpRequest, filters: Query[PeopleFilters]) -> object:
    """People employed under the caller's scope (leaders: their units; HR: the municipality)."""
    permissions.require_login(request.user)
    queryset = permissions.people(request.user)
    if filters.unit_id:
        unit = permissions.access_organisation(request.user, filters.unit_id, Permission.PEOPLE_VIEW)
        queryset = queryset.filter(employments__unit__path__startswith=unit.path).distinct()
    if filters.q:
        for word in filters.q.split():
            queryset = queryset.filter(given_name__icontains=word) | queryset.filter(
                family_name__icontains=word
            )
    return queryset.order_by("family_name", "given_name", "pk")


@router.get("/people/{person_id}", response={200: PersonDetail, **PROBLEM_RESPONSES}, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> PersonDetail:
    person = permissions.access_person(request.user, person_id)
    visible = permissions.employments(request.user).filter(person=person)
    return PersonDetail(
        id=person.pk,
        given_name=person.given_name,
        family_name=person.family_name,
        email=person.email,
        phone=person.phone,
        employments=[employment_out(e) for e in visible.select_related("organisation", "unit", "position")],
    )


@router.get(
    "/employments", response={200: list[EmploymentOut], **PROBLEM_RESPONSES}, summary="Employments I can see"
)
@paginate(Page)
def list_employments(request: HttpRequest, filters: Query[EmploymentFilters]) -> object:
    permissions.require_login(request.user)
    queryset = permissions.employments(request.user).select_related("organisation", "unit", "position")
    if filters.unit_id:
        unit = permissions.access_organisation(request.user, filters.unit_id, Permission.PEOPLE_VIEW)
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if filters.person_id:
        queryset = queryset.filter(person_id=filters.person_id)
    if filters.active is not None:
        active_ids = Employment.objects.active(timezone.localdate()).values("pk")
        queryset = (
            queryset.filter(pk__in=active_ids) if filters.active else queryset.exclude(pk__in=active_ids)
        )
    return [employment_out(e) for e in queryset.order_by("pk")]


@router.post(
    "/organisations/{slug}/employee-imports",
    response={200: ImportOut, 400: dict, 401: dict, 403: dict, 404: dict},
    summary="Import employees from an HR export (CSV)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
            },
        }
    },
)
def import_employees(request: HttpRequest, slug: str, dry_run: bool = False) -> ImportOut:
    """Atomic, idempotent import. A file with any bad row imports nothing and the problem JSON
    lists every bad row (`errors[].line`, `errors[].field`, `errors[].reason`)."""
    tenant = permissions.access_tenant(request.user, slug, Permission.PEOPLE_IMPORT)
    permissions.require(request.user, Permission.PEOPLE_IMPORT, tenant)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(_("Send CSV-filen i skjemafeltet «file»."))
        data = upload.read()
    else:
        data = request.body
    if not data.strip():
        raise InvalidInput(_("Forespørselen er tom; send CSV-filen."))
    result = services.import_employees(tenant, data, dry_run=dry_run)
    return ImportOut(**result.as_dict(), dry_run=dry_run)
