"""API of the guidance app (mounted at /api/v1/; full paths)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from laeringsarena.core.api_support import PROBLEM_RESPONSES
from laeringsarena.guidance import services
from laeringsarena.guidance.recommender import Recommendation

router = Router(tags=["guidance"])


class OfferingOut(Schema):
    id: int
    title: str
    summary: str
    provider: str
    format: str
    language: str
    level: str
    duration_minutes: int | None
    price_model: str
    price_nok: float | None
    ects_credits: float | None
    url: str


class SignalOut(Schema):
    key: str = Field(description="gap, certification, plan, career, colleagues, position, quality, …")
    category: str = Field(description="requirements and catalogue are always on; the rest are personal")
    personal: bool
    text: str
    weight: float
    data: dict[str, Any]


class FundingOut(Schema):
    kind: str
    text: str


class RecommendationOut(Schema):
    offering: OfferingOut
    reason: str
    signals: list[SignalOut]
    funding: list[FundingOut]
    score: float


class RecommendationsOut(Schema):
    items: list[RecommendationOut]
    personal_signals_off: list[str]


class RecommendationsQuery(Schema):
    limit: int = Field(5, ge=1, le=20)


class DismissIn(Schema):
    reason: str = Field(description="not_relevant, already_known or not_now (snoozed for 30 days)")


class DismissOut(Schema):
    offering_id: int
    reason: str
    until: str | None


def recommendation_out(item: Recommendation) -> RecommendationOut:
    offering = item.offering
    return RecommendationOut(
        offering=OfferingOut(
            id=offering.pk,
            title=offering.title,
            summary=offering.summary,
            provider=offering.provider.name,
            format=offering.format,
            language=offering.language,
            level=offering.level,
            duration_minutes=offering.duration_minutes,
            price_model=offering.price_model,
            price_nok=float(offering.price_nok) if offering.price_nok is not None else None,
            ects_credits=float(offering.ects_credits) if offering.ects_credits is not None else None,
            url=reverse("catalogue:offering", args=[offering.pk]),
        ),
        reason=item.reason,
        signals=[
            SignalOut(
                key=s.key, category=s.category, personal=s.personal, text=s.text, weight=s.weight, data=s.data
            )
            for s in item.signals
        ],
        funding=[FundingOut(kind=f.kind, text=f.text) for f in item.funding],
        score=item.score,
    )


@router.get(
    "/me/recommendations",
    response={200: RecommendationsOut, **PROBLEM_RESPONSES},
    summary="My recommendations",
)
def my_recommendations(request: HttpRequest, params: Query[RecommendationsQuery]) -> RecommendationsOut:
    """Recommended offerings for the caller, each with a one-line `reason`, the `signals` used (with
    the data behind each) and funding information. Dismissed items are left out."""
    person = services.person_of(request.user)
    items = services.recommend(person, limit=params.limit)
    services.record_shown(person, items)
    settings = services.settings_for(person)
    return RecommendationsOut(
        items=[recommendation_out(item) for item in items],
        personal_signals_off=list(settings.disabled_signals),
    )


@router.post(
    "/me/recommendations/{offering_id}/dismiss",
    response={200: DismissOut, **PROBLEM_RESPONSES},
    summary="Dismiss a recommendation",
)
def dismiss(request: HttpRequest, offering_id: int, body: DismissIn) -> DismissOut:
    """Dismiss with a reason: `not_relevant`, `already_known` or `not_now` (snoozed for 30 days).
    The next recommendations respect it. Only the person ever sees their dismissals."""
    dismissal = services.dismiss(request.user, offering_id, body.reason)
    return DismissOut(
        offering_id=dismissal.offering_id,
        reason=dismissal.reason,
        until=dismissal.until.isoformat() if dismissal.until else None,
    )
