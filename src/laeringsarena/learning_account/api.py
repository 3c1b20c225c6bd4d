"""API of the learning account (mounted at /api/v1/ without a prefix)."""

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from laeringsarena.core.api_support import PROBLEM_RESPONSES
from laeringsarena.learning_account import access, deletion, export, selectors, services

router = Router(tags=["learning_account"])


class OriginOut(Schema):
    label: str
    own: bool
    employer_id: int | None
    current: bool


class ItemOut(Schema):
    kind: str
    id: str
    title: str
    detail: str
    date: dt.date | None
    state: str
    origin: OriginOut
    visible_to_employer: bool


class EmploymentOut(Schema):
    employer_id: int
    employer: str
    unit: str
    position: str
    start_date: dt.date
    end_date: dt.date | None
    current: bool


class AccountOut(Schema):
    person_id: int
    name: str
    employments: list[EmploymentOut]
    completions: list[ItemOut]
    certifications: list[ItemOut]
    credentials: list[ItemOut]
    uploads: list[ItemOut]
    prior_learning: list[ItemOut]
    educations: list[ItemOut]


def _item(item: selectors.Item) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": str(item.pk),
        "title": item.title,
        "detail": item.detail,
        "date": item.date,
        "state": item.state,
        "origin": {
            "label": item.origin.label,
            "own": item.origin.own,
            "employer_id": item.origin.tenant_id,
            "current": item.origin.current,
        },
        "visible_to_employer": item.visible_to_employer,
    }


def _account(account: selectors.Account) -> dict[str, Any]:
    return {
        "person_id": account.person.pk,
        "name": account.person.full_name,
        "employments": [
            {
                "employer_id": e.organisation_id,
                "employer": e.organisation.name,
                "unit": e.unit.name,
                "position": e.position.name,
                "start_date": e.start_date,
                "end_date": e.end_date,
                "current": e.is_active(),
            }
            for e in account.employments
        ],
        **{key: [_item(i) for i in items] for key, _title, items in account.sections()},
    }


@router.get("/me/account", response={200: AccountOut, **PROBLEM_RESPONSES}, summary="My learning account")
def my_account(request: HttpRequest) -> Any:
    """Everything in the caller's learning account, across all employments past and present."""
    person = access.person_of(request.user)
    return _account(selectors.account_of(person))


@router.get(
    "/me/account/export",
    response={200: dict[str, Any], **PROBLEM_RESPONSES},
    summary="Export my learning account (JSON-LD)",
    openapi_extra={"responses": {200: {"content": {"application/ld+json": {}}}}},
)
def my_account_export(request: HttpRequest) -> Any:
    """The whole account as one JSON-LD document; signed credentials are included unchanged."""
    person = access.person_of(request.user)
    document = export.bundle(person)
    services.record_export(request.user, "json-ld")
    return HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type="application/ld+json; charset=utf-8"
    )


class PlanItemOut(Schema):
    kind: str
    id: str | None
    title: str
    reason: str
    employer_id: int | None
    employer: str


class DeletionPlanOut(Schema):
    delete_now: list[PlanItemOut]
    keep: list[PlanItemOut]
    review: list[PlanItemOut]


def _plan_item(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": item["kind"],
        "id": None if item["id"] is None else str(item["id"]),
        "title": item["title"],
        "reason": item["reason"],
        "employer_id": item["tenant_id"],
        "employer": item["tenant_name"],
    }


@router.get(
    "/me/account/deletion",
    response={200: DeletionPlanOut, **PROBLEM_RESPONSES},
    summary="What deletion would do",
)
def my_deletion_plan(request: HttpRequest) -> Any:
    """What a deletion request would delete at once, keep (with the reason) and send to HR."""
    from dataclasses import asdict

    plan = deletion.plan_for(access.person_of(request.user))
    return {
        "delete_now": [_plan_item(asdict(i)) for i in plan.delete_now],
        "keep": [_plan_item(asdict(i)) for i in plan.keep],
        "review": [_plan_item(asdict(i)) for i in plan.review],
    }


class DeletionIn(Schema):
    confirm: bool = False


class ReceiptOut(Schema):
    id: int
    requested_at: str
    deleted: list[PlanItemOut]
    kept: list[PlanItemOut]
    sent_for_review: list[PlanItemOut]
    requests: list[int]


@router.post(
    "/me/account/deletion",
    response={201: ReceiptOut, **PROBLEM_RESPONSES},
    summary="Ask for deletion of my learning account",
)
def my_deletion(request: HttpRequest, payload: DeletionIn) -> Any:
    """Delete what the caller owns at once, send the rest to HR; ``{"confirm": true}`` is required."""
    event = deletion.request_deletion(request.user, confirm=payload.confirm)
    receipt = event.data
    return 201, {
        "id": event.pk,
        "requested_at": receipt["requested_at"],
        "deleted": [_plan_item(i) for i in receipt["deleted"]],
        "kept": [_plan_item(i) for i in receipt["kept"]],
        "sent_for_review": [_plan_item(i) for i in receipt["sent_for_review"]],
        "requests": receipt["requests"],
    }


@router.get(
    "/learning-accounts/{person_id}",
    response={200: AccountOut, **PROBLEM_RESPONSES},
    summary="A person's learning account as their current employer sees it",
)
def person_account(request: HttpRequest, person_id: int) -> Any:
    """Leaders and HR, only while the person is employed in their scope; former employers get 403.

    The person themself gets their whole account (as ``GET /me/account``).
    """
    if person_id == getattr(request.user, "person_id", None):
        return _account(selectors.account_of(access.person_of(request.user)))
    person, tenant_ids = access.access_account(request.user, person_id)
    view = selectors.employer_view(selectors.account_of(person), tenant_ids)
    services.record_view(request.user, person)
    return _account(view)
