"""API of the competence app, mounted under /api/v1/competence/."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.competence import access, frameworks, selectors
from laeringsarena.core.api_support import PROBLEM_RESPONSES
from laeringsarena.core.errors import InvalidInput

router = Router(tags=["competence"])


class LevelOut(Schema):
    value: int
    name: str
    group: str
    description: str


class CompetenceOut(Schema):
    id: int
    code: str
    name: str
    description: str


class AreaOut(Schema):
    id: int
    code: str
    name: str
    description: str
    competences: list[CompetenceOut]


class FrameworkSummary(Schema):
    id: int
    slug: str
    version: str
    name: str
    description: str
    language: str
    source: str
    owner_id: int | None
    areas: int
    competences: int
    levels: int


class FrameworkDetail(Schema):
    id: int
    slug: str
    version: str
    name: str
    description: str
    language: str
    source: str
    owner_id: int | None
    areas: list[AreaOut]
    levels: list[LevelOut]


class GapCell(Schema):
    competence_id: int
    code: str
    name: str
    required: int
    assessed: int | None
    source: str | None
    gap: int


class PersonGaps(Schema):
    person_id: int
    name: str
    position: str
    unit_id: int
    total_gap: int
    competences: list[GapCell]


class CompetenceGaps(Schema):
    competence_id: int
    code: str
    name: str
    people_required: int
    people_meeting: int
    average_required: float
    average_assessed: float | None
    total_gap: int


class GapsOut(Schema):
    unit_id: int
    unit: str
    people: list[PersonGaps]
    competences: list[CompetenceGaps]


@router.get(
    "/frameworks",
    response={200: list[FrameworkSummary], **PROBLEM_RESPONSES},
    summary="Competence frameworks I can use",
)
def list_frameworks(request: HttpRequest) -> list[FrameworkSummary]:
    """Shared frameworks (DigComp 2.2, Kommunal helse og omsorg) and the municipality's own."""
    return [
        FrameworkSummary(
            id=f.pk,
            slug=f.slug,
            version=f.version,
            name=f.name,
            description=f.description,
            language=f.language,
            source=f.source,
            owner_id=f.owner_id,
            areas=f.area_count,
            competences=f.competence_count,
            levels=f.level_count,
        )
        for f in selectors.framework_list(access.frameworks(request.user))
    ]


@router.get(
    "/frameworks/{framework_id}",
    response={200: FrameworkDetail, **PROBLEM_RESPONSES},
    summary="One framework with areas, competences and levels",
)
def get_framework(request: HttpRequest, framework_id: int) -> FrameworkDetail:
    framework = access.access_framework(request.user, framework_id)
    data = frameworks.to_dict(framework)
    ids = {c.code: c.pk for c in framework.competences.all()}
    area_ids = {a.code: a.pk for a in framework.areas.all()}
    return FrameworkDetail(
        id=framework.pk,
        slug=framework.slug,
        version=framework.version,
        name=framework.name,
        description=framework.description,
        language=framework.language,
        source=framework.source,
        owner_id=framework.owner_id,
        levels=[LevelOut(**level) for level in data["levels"]],
        areas=[
            AreaOut(
                id=area_ids[area["code"]],
                code=area["code"],
                name=area["name"],
                description=area["description"],
                competences=[CompetenceOut(id=ids[c["code"]], **c) for c in area["competences"]],
            )
            for area in data["areas"]
        ],
    )


@router.get(
    "/frameworks/{framework_id}/export",
    response={200: None, **PROBLEM_RESPONSES},
    summary="Export a framework as JSON or CSV",
)
def export_framework(request: HttpRequest, framework_id: int, format: str = "json") -> HttpResponse:
    framework = access.access_framework(request.user, framework_id)
    if format == "csv":
        response = HttpResponse(frameworks.to_csv(framework), content_type="text/csv; charset=utf-8")
        extension = "csv"
    elif format == "json":
        response = HttpResponse(frameworks.to_json(framework), content_type="application/json")
        extension = "json"
    else:
        raise InvalidInput(
            _("Formatet må være json eller csv."), errors=[{"field": "format", "reason": format}]
        )
    response["Content-Disposition"] = (
        f'attachment; filename="{framework.slug}-{framework.version}.{extension}"'
    )
    return response


@router.post(
    "/organisations/{slug}/frameworks",
    response={201: FrameworkSummary, 409: dict, **PROBLEM_RESPONSES},
    summary="Import a framework (JSON or CSV) for a municipality",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def import_framework(request: HttpRequest, slug: str) -> Status[FrameworkSummary]:
    """The body is a framework in the JSON or CSV format of docs/competence-frameworks.md."""
    tenant = permissions.access_tenant(request.user, slug, Permission.COMPETENCE_MANAGE)
    permissions.require(request.user, Permission.COMPETENCE_MANAGE, tenant)
    framework = frameworks.import_framework(
        frameworks.parse(request.body, request.content_type or ""), tenant
    )
    summary = selectors.framework_list(type(framework).objects.filter(pk=framework.pk))[0]
    return Status(
        201,
        FrameworkSummary(
            id=summary.pk,
            slug=summary.slug,
            version=summary.version,
            name=summary.name,
            description=summary.description,
            language=summary.language,
            source=summary.source,
            owner_id=summary.owner_id,
            areas=summary.area_count,
            competences=summary.competence_count,
            levels=summary.level_count,
        ),
    )


@router.get(
    "/gaps",
    response={200: GapsOut, **PROBLEM_RESPONSES},
    summary="Competence gaps of a unit: per person and per competence",
)
def gaps(request: HttpRequest, unit: int = 0) -> HttpResponse:
    """For the unit's leader and HR: required and assessed level, and the gap, per person and competence."""
    permissions.require_login(request.user)
    if not unit:
        raise InvalidInput(_("Oppgi enheten: ?unit=ID"), errors=[{"field": "unit", "reason": _("mangler")}])
    organisation = access.access_unit_for_gaps(request.user, unit)
    # The body matches GapsOut (documented in the schema); it is serialised directly because
    # validating thousands of cells again costs more than the analysis itself.
    return JsonResponse(selectors.unit_gaps(organisation).as_dict())
