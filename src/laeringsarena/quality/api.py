"""API of the quality app, mounted under /api/v1/quality/: deviations and their handling."""

import datetime as dt
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from laeringsarena.accounts import permissions
from laeringsarena.core.api_support import PROBLEM_RESPONSES, Problem
from laeringsarena.core.errors import InvalidInput
from laeringsarena.quality import access, services
from laeringsarena.quality.attachments import Upload
from laeringsarena.quality.models import Deviation, DeviationAttachment, DeviationCategory, State
from laeringsarena.quality.views import serve_attachment

router = Router(tags=["quality"])

RESPONSES = {**PROBLEM_RESPONSES, 409: Problem}


class DeviationIn(Schema):
    unit_id: int = Field(description="Where it happened (a unit in the reporter's municipality)")
    category_id: int
    what_happened: str = Field(max_length=5000)
    severity: str = Field("medium", description="low, medium, high or critical")
    occurred_at: dt.datetime | None = None
    immediate_action: str = Field("", max_length=3000)
    suggestion: str = Field("", max_length=3000)
    anonymous: bool = Field(False, description="Store nothing about the reporter")
    procedure_id: int | None = None
    acknowledge_personal_data: bool = Field(
        False, description="Send even though the text seems to contain a national id or phone number"
    )


class Created(Schema):
    id: int


class Ref(Schema):
    id: int
    name: str


class EventOut(Schema):
    kind: str
    from_state: str
    to_state: str
    note: str
    at: dt.datetime
    actor: str | None


class DeviationSummary(Schema):
    id: int
    state: str
    unit: Ref
    forwarded_to: Ref | None
    category: Ref
    severity: str
    summary: str
    occurred_at: dt.datetime
    deadline: dt.date | None
    created_at: dt.datetime


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str = Field(description="Download (for the reporter and the handler chain; every read is logged)")


class DeviationOut(DeviationSummary):
    what_happened: str
    immediate_action: str
    suggestion: str
    anonymous: bool
    reporter: Ref | None
    measures: str
    feedback: str
    rejection_reason: str
    closed_at: dt.datetime | None
    can_handle: bool
    events: list[EventOut]
    attachments: list[AttachmentOut]


class DeviationPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[DeviationSummary]


class ListFilters(Schema):
    state: str | None = Field(
        None, description="received, under_treatment, measures_decided, closed, rejected"
    )
    page: int = Field(1, ge=1)
    page_size: int = Field(0, ge=0, le=500)


class TransitionIn(Schema):
    to: str = Field(description="The new state")
    note: str = ""
    measures: str = ""
    feedback: str = Field("", description="What the reporter is told when it is closed")
    reason: str = Field("", description="Required when rejecting")
    deadline: dt.date | None = None


class ForwardIn(Schema):
    unit_id: int
    note: str = ""


class CategoryOut(Schema):
    id: int
    tenant_id: int
    slug: str
    name: str
    is_hms: bool


class TextIn(Schema):
    text: str = Field(max_length=10000)


class FindingOut(Schema):
    kind: str
    text: str


def _ref(org: object) -> Ref | None:
    return Ref(id=org.pk, name=org.name) if org is not None else None  # type: ignore[attr-defined]


def _summary(d: Deviation) -> dict:
    return {
        "id": d.pk,
        "state": d.state,
        "unit": _ref(d.unit),
        "forwarded_to": _ref(d.forwarded_to),
        "category": _ref(d.category),
        "severity": d.severity,
        "summary": d.summary,
        "occurred_at": d.occurred_at,
        "deadline": d.deadline,
        "created_at": d.created_at,
    }


def attachment_out(a: DeviationAttachment) -> AttachmentOut:
    return AttachmentOut(
        id=a.pk,
        name=a.name,
        content_type=a.content_type,
        size=a.size,
        url=reverse("api:deviation_attachment", args=[a.deviation_id, a.pk]),
    )


def deviation_out(request: HttpRequest, d: Deviation) -> DeviationOut:
    handles = access.can_handle(request.user, d)
    events = (
        [
            EventOut(
                kind=e.kind,
                from_state=e.from_state,
                to_state=e.to_state,
                note=e.note,
                at=e.at,
                actor=e.actor.full_name if e.actor else None,
            )
            for e in d.events.select_related("actor")
        ]
        if handles
        else []
    )
    reporter = Ref(id=d.reporter.pk, name=d.reporter.full_name) if d.reporter else None
    return DeviationOut(
        **_summary(d),
        what_happened=d.what_happened,
        immediate_action=d.immediate_action,
        suggestion=d.suggestion,
        anonymous=d.anonymous,
        reporter=reporter,
        measures=d.measures,
        feedback=d.feedback if (handles or not d.is_open) else "",
        rejection_reason=d.rejection_reason,
        closed_at=d.closed_at,
        can_handle=handles,
        events=events,
        attachments=[attachment_out(a) for a in d.attachments.all()],
    )


@router.post(
    "/deviations", response={201: Created, **RESPONSES}, summary="Report a deviation", url_name="deviations"
)
def create_deviation(request: HttpRequest, payload: DeviationIn) -> Status:
    """File a deviation. With `anonymous: true` nothing about the reporter is stored. A text that
    seems to contain a national identity number or a phone number is refused with the problem
    code `personal-data` unless `acknowledge_personal_data` is true."""
    user = permissions.require_login(request.user)
    deviation = services.report_deviation(user, services.Report(**payload.dict()))
    return Status(201, Created(id=deviation.pk))


@router.get(
    "/deviations",
    response={200: DeviationPage, **RESPONSES},
    summary="Deviations I handle",
    url_name="deviations",
)
def list_deviations(request: HttpRequest, filters: Query[ListFilters]) -> DeviationPage:
    """Deviations the caller may handle (as leader, superior, forwarded-to or category handler)."""
    queryset = access.handled_deviations(request.user).select_related("unit", "forwarded_to", "category")
    if filters.state:
        if filters.state not in State.values:
            raise InvalidInput(errors=[{"field": "state", "reason": "unknown"}])
        queryset = queryset.filter(state=filters.state)
    size = filters.page_size or settings.API_PAGE_SIZE
    count = queryset.count()
    start = (filters.page - 1) * size
    items = list(queryset.order_by("-created_at", "-pk")[start : start + size])
    services.record_reads(request.user, items, "api.list")
    return DeviationPage(
        count=count,
        page=filters.page,
        pages=max(1, math.ceil(count / size)),
        page_size=size,
        items=[DeviationSummary(**_summary(d)) for d in items],
    )


@router.get("/deviations/{deviation_id}", response={200: DeviationOut, **RESPONSES}, summary="One deviation")
def get_deviation(request: HttpRequest, deviation_id: int) -> DeviationOut:
    """404 for anyone but the reporter and the handler chain. Every read is logged."""
    deviation = services.read_deviation(request.user, deviation_id, "api.detail")
    return deviation_out(request, deviation)


@router.post(
    "/deviations/{deviation_id}/transitions",
    response={200: DeviationOut, **RESPONSES},
    summary="Change state",
)
def transition_deviation(request: HttpRequest, deviation_id: int, payload: TransitionIn) -> DeviationOut:
    """received → under_treatment → measures_decided → closed, or → rejected (with `reason`)."""
    user = permissions.require_login(request.user)
    deviation = access.access_deviation(user, deviation_id)
    services.transition(
        user,
        deviation,
        payload.to,
        note=payload.note,
        measures=payload.measures,
        feedback=payload.feedback,
        reason=payload.reason,
        deadline=payload.deadline,
    )
    return deviation_out(request, deviation)


@router.post(
    "/deviations/{deviation_id}/forwardings",
    response={200: DeviationOut, **RESPONSES},
    summary="Forward to another unit",
)
def forward_deviation(request: HttpRequest, deviation_id: int, payload: ForwardIn) -> DeviationOut:
    user = permissions.require_login(request.user)
    deviation = access.access_deviation(user, deviation_id)
    services.forward(user, deviation, payload.unit_id, payload.note)
    return deviation_out(request, deviation)


@router.post(
    "/deviations/{deviation_id}/attachments",
    response={201: list[AttachmentOut], **RESPONSES},
    summary="Add photos or PDFs to a deviation",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                        },
                        "required": ["files"],
                    }
                }
            },
        }
    },
)
def add_attachments(request: HttpRequest, deviation_id: int) -> Status:
    """Multipart form field `files` (one or more): JPEG, PNG, WebP or PDF, at most 10 MB each and
    5 per deviation. Pictures are re-encoded without metadata (EXIF, GPS). For the reporter
    (not anonymous) and the handler chain while the deviation is open; others get 404."""
    user = permissions.require_login(request.user)
    deviation = access.access_deviation(user, deviation_id)
    if not (request.content_type or "").startswith("multipart/form-data"):
        raise InvalidInput(
            _("Send filene som multipart/form-data i feltet «files»."),
            errors=[{"field": "files", "reason": "required"}],
        )
    files: list[Upload] = [(f.name or "", f) for f in request.FILES.getlist("files")]
    added = services.add_attachments(user, deviation, files)
    return Status(201, [attachment_out(a) for a in added])


@router.get(
    "/deviations/{deviation_id}/attachments/{attachment_id}",
    response={200: None, **RESPONSES},
    summary="Download an attachment of a deviation",
    url_name="deviation_attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_attachment(request: HttpRequest, deviation_id: int, attachment_id: int) -> HttpResponse:
    """404 for anyone but the reporter and the handler chain; the read is logged."""
    attachment = services.access_attachment(request.user, deviation_id, attachment_id, "api.attachment")
    return serve_attachment(attachment)  # type: ignore[return-value]


@router.get("/categories", response={200: list[CategoryOut], **RESPONSES}, summary="Deviation categories")
def list_categories(request: HttpRequest) -> list[CategoryOut]:
    """The categories of the municipalities where the caller is employed."""
    permissions.require_login(request.user)
    tenants = {u.tenant_id for u in access.reporting_units(request.user)}
    for tenant in permissions.tenants(request.user).filter(pk__in=tenants):
        services.ensure_categories(tenant)
    return [
        CategoryOut(id=c.pk, tenant_id=c.tenant_id, slug=c.slug, name=c.name, is_hms=c.is_hms)
        for c in DeviationCategory.objects.filter(tenant_id__in=tenants, active=True)
    ]


@router.post(
    "/personal-data-checks",
    response={200: list[FindingOut], **RESPONSES},
    summary="Check a text for personal identifiers",
)
def check_text(request: HttpRequest, payload: TextIn) -> list[FindingOut]:
    permissions.require_login(request.user)
    return [FindingOut(**f.as_dict()) for f in services.check_personal_data(payload.text)]
