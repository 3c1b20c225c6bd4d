"""API of the competence app, mounted under /api/v1/competence/."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.competence import access, frameworks, selectors, services
from laeringsarena.competence.models import Campaign
from laeringsarena.core.api_support import PROBLEM_RESPONSES, Page
from laeringsarena.core.errors import InvalidInput
from laeringsarena.organisations.models import Organisation, Position

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


# --- Requirements (kompetansekrav) ------------------------------------------------------------


class CompetenceRequirementOut(Schema):
    id: int
    competence_id: int
    code: str
    name: str
    required_level: int
    organisation_id: int | None
    position_code: str | None


class CertificationRequirementOut(Schema):
    id: int
    name: str
    validity_months: int | None
    organisation_id: int | None
    position_code: str | None


class RequirementsOut(Schema):
    competences: list[CompetenceRequirementOut]
    certifications: list[CertificationRequirementOut]


class RequirementIn(Schema):
    kind: Literal["competence", "certification"]
    competence_id: int | None = None
    required_level: int | None = None
    name: str = ""
    validity_months: int | None = None
    organisation_id: int | None = None
    position_code: str | None = None


def _requirements(tenant: Organisation) -> RequirementsOut:
    from laeringsarena.competence.models import CertificationRequirement, CompetenceRequirement

    competences = CompetenceRequirement.objects.filter(tenant=tenant).select_related("competence", "position")
    certifications = CertificationRequirement.objects.filter(tenant=tenant).select_related("position")
    return RequirementsOut(
        competences=[
            CompetenceRequirementOut(
                id=r.pk,
                competence_id=r.competence_id,
                code=r.competence.code,
                name=r.competence.name,
                required_level=r.required_level,
                organisation_id=r.organisation_id,
                position_code=r.position.code if r.position else None,
            )
            for r in competences.order_by("pk")
        ],
        certifications=[
            CertificationRequirementOut(
                id=r.pk,
                name=r.name,
                validity_months=r.validity_months,
                organisation_id=r.organisation_id,
                position_code=r.position.code if r.position else None,
            )
            for r in certifications.order_by("pk")
        ],
    )


@router.get(
    "/organisations/{slug}/requirements",
    response={200: RequirementsOut, **PROBLEM_RESPONSES},
    summary="Competence and certification requirements of a municipality",
)
def list_requirements(request: HttpRequest, slug: str) -> RequirementsOut:
    tenant = permissions.access_tenant(request.user, slug, Permission.COMPETENCE_MANAGE)
    return _requirements(tenant)


@router.post(
    "/organisations/{slug}/requirements",
    response={201: RequirementsOut, **PROBLEM_RESPONSES},
    summary="Add a competence requirement (required level) or a certification requirement (validity)",
)
def add_requirement(request: HttpRequest, slug: str, body: RequirementIn) -> Status[RequirementsOut]:
    tenant = permissions.access_tenant(request.user, slug, Permission.COMPETENCE_MANAGE)
    position_id = None
    if body.position_code:
        position = Position.objects.filter(code=body.position_code).first()
        if position is None:
            raise InvalidInput(
                _("Ukjent stilling."), errors=[{"field": "position_code", "reason": body.position_code}]
            )
        position_id = position.pk
    if body.kind == "competence":
        services.add_requirement(
            request.user,
            tenant,
            competence_id=body.competence_id or 0,
            required_level=body.required_level or 0,
            organisation_id=body.organisation_id,
            position_id=position_id,
        )
    else:
        services.add_certification_requirement(
            request.user,
            tenant,
            name=body.name,
            validity_months=body.validity_months,
            organisation_id=body.organisation_id,
            position_id=position_id,
        )
    return Status(201, _requirements(tenant))


@router.delete(
    "/organisations/{slug}/requirements/{kind}/{requirement_id}",
    response={204: None, **PROBLEM_RESPONSES},
    summary="Remove a requirement (kind: competence or certification)",
)
def remove_requirement(request: HttpRequest, slug: str, kind: str, requirement_id: int) -> Status[None]:
    tenant = permissions.access_tenant(request.user, slug, Permission.COMPETENCE_MANAGE)
    services.remove_requirement(request.user, tenant, kind=kind, pk=requirement_id)
    return Status(204, None)


# --- Mapping campaigns (kompetansekartlegging) -------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    organisation_id: int
    organisation: str
    framework_id: int
    status: str
    self_deadline: dt.date
    leader_deadline: dt.date
    competence_ids: list[int]
    participants: int
    self_done: int
    leader_done: int
    self_percent: int
    leader_percent: int


class CampaignIn(Schema):
    name: str
    organisation_id: int
    framework_id: int
    self_deadline: dt.date
    leader_deadline: dt.date
    competence_ids: list[int] | None = None


class CampaignAction(Schema):
    action: Literal["leader-phase", "close", "remind"]


def _campaign_out(campaign: Campaign) -> CampaignOut:
    rate = services.response_rate(campaign)
    return CampaignOut(
        id=campaign.pk,
        name=campaign.name,
        organisation_id=campaign.organisation_id,
        organisation=campaign.organisation.name,
        framework_id=campaign.framework_id,
        status=campaign.status,
        self_deadline=campaign.self_deadline,
        leader_deadline=campaign.leader_deadline,
        competence_ids=sorted(campaign.competences.values_list("pk", flat=True)),
        participants=rate.participants,
        self_done=rate.self_done,
        leader_done=rate.leader_done,
        self_percent=rate.self_percent,
        leader_percent=rate.leader_percent,
    )


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], **PROBLEM_RESPONSES},
    summary="Mapping campaigns I run or follow, with response rates",
)
@paginate(Page)
def list_campaigns(request: HttpRequest) -> list[CampaignOut]:
    return [_campaign_out(c) for c in access.campaigns(request.user).select_related("organisation")[:500]]


@router.post(
    "/campaigns",
    response={201: CampaignOut, **PROBLEM_RESPONSES},
    summary="Start a mapping campaign for a unit, sector or municipality",
)
def start_campaign(request: HttpRequest, body: CampaignIn) -> Status[CampaignOut]:
    organisation = permissions.access_organisation(
        request.user, body.organisation_id, Permission.ORGANISATION_VIEW
    )
    framework = access.access_framework(request.user, body.framework_id)
    campaign = services.start_campaign(
        request.user,
        organisation,
        framework,
        name=body.name,
        self_deadline=body.self_deadline,
        leader_deadline=body.leader_deadline,
        competence_ids=body.competence_ids,
    )
    return Status(201, _campaign_out(campaign))


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, **PROBLEM_RESPONSES},
    summary="One campaign with its response rate",
)
def get_campaign(request: HttpRequest, campaign_id: int) -> CampaignOut:
    return _campaign_out(access.access_campaign(request.user, campaign_id))


@router.post(
    "/campaigns/{campaign_id}/actions",
    response={200: CampaignOut, **PROBLEM_RESPONSES},
    summary="Move a campaign on: start the leader phase, close it, or remind those who have not answered",
)
def campaign_action(request: HttpRequest, campaign_id: int, body: CampaignAction) -> CampaignOut:
    campaign = access.access_campaign(request.user, campaign_id)
    if body.action == "leader-phase":
        campaign = services.start_leader_phase(request.user, campaign)
    elif body.action == "close":
        campaign = services.close_campaign(request.user, campaign)
    else:
        services.remind(request.user, campaign)
    return _campaign_out(campaign)
