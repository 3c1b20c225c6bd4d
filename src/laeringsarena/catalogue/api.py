"""API of the catalogue app, mounted under /api/v1/catalogue/.

Search, offerings, providers and ratings are open to anonymous callers for published public
offerings (the national catalogue is open to all); internal offerings need a login inside the
owning municipality or one it shared with. Writes need a login.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from laeringsarena.accounts import permissions
from laeringsarena.catalogue import access, feeds, selectors, services
from laeringsarena.catalogue.models import BundleGrant, Offering, Provider, Rating, RatingStatus
from laeringsarena.catalogue.search_index import FACETS
from laeringsarena.core.api_support import API_AUTH, PROBLEM_RESPONSES
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.organisations.models import Organisation

router = Router(tags=["catalogue"])


def _anyone(request: HttpRequest) -> bool:
    """Anonymous fallback: open endpoints answer without a login (with less to see)."""
    return True


OPEN_AUTH = [*API_AUTH, _anyone]


class ProviderOut(Schema):
    slug: str
    name: str
    kind: str
    accredited: bool
    declared_quality: bool


class SessionOut(Schema):
    starts_at: str
    ends_at: str | None
    online: bool
    place: str
    county: str


class SearchResult(Schema):
    id: int
    external_id: str
    provider: str
    provider_name: str
    title: str
    title_highlighted: str
    summary: str
    summary_highlighted: str
    format: str
    language: str
    price_model: str
    duration_minutes: int | None
    ects_credits: float | None
    rating: float | None
    rating_count: int
    score: float
    explanation: dict[str, Any]
    url: str


class SearchOut(Schema):
    count: int
    results: list[SearchResult]
    facets: dict[str, dict[str, int]]
    notes: list[str]


class OfferingOut(Schema):
    id: int
    external_id: str
    provider: str
    title: str
    summary: str
    description: str
    learning_outcomes: str
    format: str
    language: str
    level: str
    price_model: str
    price_nok: float | None
    ects_credits: float | None
    duration_minutes: int | None
    licence: str
    external_url: str
    status: str
    visibility: str
    rating: float | None
    rating_count: int
    sessions: list[SessionOut]
    competences: list[str]


class IngestError(Schema):
    record: int
    id: str
    field: str
    reason: str


class IngestOut(Schema):
    provider: str
    full: bool
    received: int
    created: int
    updated: int
    unchanged: int
    retired: int
    rejected: int
    errors: list[IngestError]


class RatingIn(Schema):
    stars: int = Field(..., ge=1, le=5)
    review: str = ""
    on_behalf_of: int | None = None


class RatingOut(Schema):
    id: int
    stars: int
    review: str
    status: str
    employer: bool
    updated_at: str


class FlagIn(Schema):
    reason: str


class ModerationIn(Schema):
    status: str


class TakenIn(Schema):
    kind: str = "completed"


class ReferOut(Schema):
    url: str


def _filters(request: HttpRequest) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for name in FACETS:
        values = [v for raw in request.GET.getlist(name) for v in raw.split(",") if v]
        if values:
            filters[name] = values
    return filters


@router.get(
    "/search",
    response={200: SearchOut, **PROBLEM_RESPONSES},
    auth=OPEN_AUTH,
    summary="Search the catalogue",
    openapi_extra={
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "Facet filter; repeat or comma-separate values",
            }
            for name in FACETS
        ]
    },
)
def search(
    request: HttpRequest, q: str = "", limit: int = 10, offset: int = 0, sort: str = "relevance"
) -> SearchOut:
    """Language-aware search (Bokmål, Nynorsk, Danish, English) with facet counts.

    Facet filters: `format`, `duration`, `price`, `language`, `provider`, `credits`, `mode`,
    `county`. Sort: `relevance` (text, then Bayesian rating, provider declaration and fit to
    your position), `newest`, `rating`, `shortest`, `title`. Anonymous callers see published
    public offerings only.
    """
    if limit < 1 or limit > selectors.MAX_LIMIT or offset < 0:
        raise InvalidInput(_("limit må være 1–100 og offset 0 eller mer."))
    outcome = selectors.search(
        request.user, q, _filters(request), sort=sort, offset=offset, limit=limit, as_you_type=False
    )
    return SearchOut(
        count=outcome.count,
        results=[
            SearchResult(
                id=hit.offering.pk,
                external_id=hit.offering.external_id,
                provider=hit.offering.provider.slug,
                provider_name=hit.offering.provider.name,
                title=hit.offering.title,
                title_highlighted=str(hit.title_html),
                summary=hit.offering.summary,
                summary_highlighted=str(hit.summary_html),
                format=hit.offering.format,
                language=hit.offering.language,
                price_model=hit.offering.price_model,
                duration_minutes=hit.offering.duration_minutes,
                ects_credits=float(hit.offering.ects_credits) if hit.offering.ects_credits else None,
                rating=hit.offering.rating_mean,
                rating_count=hit.offering.rating_count,
                score=round(hit.score, 6),
                explanation=hit.explanation(),
                url=f"/katalog/{hit.offering.pk}/",
            )
            for hit in outcome.hits
        ],
        facets=outcome.facets,
        notes=outcome.notes,
    )


def offering_out(offering: Offering) -> OfferingOut:
    return OfferingOut(
        id=offering.pk,
        external_id=offering.external_id,
        provider=offering.provider.slug,
        title=offering.title,
        summary=offering.summary,
        description=offering.description,
        learning_outcomes=offering.learning_outcomes,
        format=offering.format,
        language=offering.language,
        level=offering.level,
        price_model=offering.price_model,
        price_nok=float(offering.price_nok) if offering.price_nok is not None else None,
        ects_credits=float(offering.ects_credits) if offering.ects_credits else None,
        duration_minutes=offering.duration_minutes,
        licence=offering.licence,
        external_url=offering.external_url,
        status=offering.status,
        visibility=offering.visibility,
        rating=offering.rating_mean,
        rating_count=offering.rating_count,
        sessions=[
            SessionOut(
                starts_at=s.starts_at.isoformat(),
                ends_at=s.ends_at.isoformat() if s.ends_at else None,
                online=s.online,
                place=s.place,
                county=s.county,
            )
            for s in offering.sessions.all()
        ],
        competences=[str(c) for c in offering.competences.all()],
    )


@router.get(
    "/offerings/{offering_id}",
    response={200: OfferingOut, **PROBLEM_RESPONSES},
    auth=OPEN_AUTH,
    summary="One offering",
)
def get_offering(request: HttpRequest, offering_id: int) -> OfferingOut:
    return offering_out(access.access_offering(request.user, offering_id))


@router.get(
    "/providers", response={200: list[ProviderOut], **PROBLEM_RESPONSES}, auth=OPEN_AUTH, summary="Providers"
)
def list_providers(request: HttpRequest) -> list[ProviderOut]:
    return [
        ProviderOut(
            slug=p.slug, name=p.name, kind=p.kind, accredited=p.accredited, declared_quality=p.has_declaration
        )
        for p in Provider.objects.order_by("name")
    ]


@router.post(
    "/providers/{slug}/ingest",
    response={200: IngestOut, **PROBLEM_RESPONSES},
    summary="Ingest a provider feed (JSON or CSV)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": "https://laeringsarena.no/schemas/offering-feed.schema.json"}
                },
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
def ingest(request: HttpRequest, slug: str) -> IngestOut:
    """Per-record validation: valid records land, invalid ones are listed in `errors` with the
    reason. Idempotent by the records' `id`. In a full feed, missing offerings are retired.
    Needs Permission.CATALOGUE_EDIT on the provider's organisation (or platform admin)."""
    provider = access.access_provider_for_edit(request.user, slug)
    filename = ""
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(_("Send feeden i skjemafeltet «file»."))
        data, filename = upload.read(), upload.name or ""
    else:
        data = request.body
    if not data.strip():
        raise InvalidInput(_("Forespørselen er tom; send feeden."))
    result = feeds.ingest(provider, data, filename=filename, content_type=request.content_type or "")
    return IngestOut(**result.as_dict())


def _rating_out(rating: Rating) -> RatingOut:
    return RatingOut(
        id=rating.pk,
        stars=rating.stars,
        review=rating.review,
        status=rating.status,
        employer=rating.on_behalf_of_id is not None,
        updated_at=rating.updated_at.isoformat(),
    )


@router.get(
    "/offerings/{offering_id}/ratings",
    response={200: list[RatingOut], **PROBLEM_RESPONSES},
    auth=OPEN_AUTH,
    summary="Visible ratings and reviews of an offering",
)
def list_ratings(request: HttpRequest, offering_id: int) -> list[RatingOut]:
    offering = access.access_offering(request.user, offering_id)
    ratings = offering.ratings.filter(status=RatingStatus.VISIBLE).order_by("-updated_at")[:100]
    return [_rating_out(r) for r in ratings]


@router.put(
    "/offerings/{offering_id}/my-rating",
    response={200: RatingOut, **PROBLEM_RESPONSES, 429: dict},
    summary="Rate an offering (one rating per person, editable)",
)
def put_rating(request: HttpRequest, offering_id: int, payload: RatingIn) -> RatingOut:
    permissions.require_login(request.user)
    offering = access.access_offering(request.user, offering_id)
    organisation = None
    if payload.on_behalf_of is not None:
        organisation = Organisation.objects.filter(pk=payload.on_behalf_of).first()
        if organisation is None:
            raise NotFound()
    rating = services.rate(request.user, offering, payload.stars, payload.review, on_behalf_of=organisation)
    return _rating_out(rating)


@router.post(
    "/offerings/{offering_id}/taken",
    response={200: dict, **PROBLEM_RESPONSES},
    summary="I have started/completed this offering",
)
def mark_taken(request: HttpRequest, offering_id: int, payload: TakenIn) -> dict[str, str]:
    permissions.require_login(request.user)
    offering = access.access_offering(request.user, offering_id)
    record = services.mark_taken(request.user, offering, payload.kind)
    return {"kind": record.kind}


@router.post(
    "/offerings/{offering_id}/refer",
    response={200: ReferOut, **PROBLEM_RESPONSES},
    auth=OPEN_AUTH,
    summary="Record a click on the external link and get the URL",
)
def refer(request: HttpRequest, offering_id: int) -> ReferOut:
    offering = access.access_offering(request.user, offering_id)
    return ReferOut(url=services.record_referral(request.user, offering))


def _access_rating(request: HttpRequest, rating_id: int) -> Rating:
    rating = Rating.objects.select_related("offering__provider").filter(pk=rating_id).first()
    if rating is None:
        raise NotFound()
    access.access_offering(request.user, rating.offering_id)
    return rating


@router.post(
    "/ratings/{rating_id}/flags",
    response={200: dict, **PROBLEM_RESPONSES, 409: dict},
    summary="Report a rating for moderation",
)
def flag_rating(request: HttpRequest, rating_id: int, payload: FlagIn) -> dict[str, str]:
    permissions.require_login(request.user)
    rating = _access_rating(request, rating_id)
    services.flag(request.user, rating, payload.reason)
    rating.refresh_from_db()
    return {"status": rating.status}


@router.post(
    "/ratings/{rating_id}/moderation",
    response={200: RatingOut, **PROBLEM_RESPONSES},
    summary="Show or hide a rating (provider editors, admin)",
)
def moderate_rating(request: HttpRequest, rating_id: int, payload: ModerationIn) -> RatingOut:
    permissions.require_login(request.user)
    rating = _access_rating(request, rating_id)
    return _rating_out(services.moderate(request.user, rating, payload.status))


class BundleGrantIn(Schema):
    organisation: str = Field("", description="Slug of the organisation (its whole subtree gets access)")
    person_email: str = Field("", description="E-mail of the person (instead of an organisation)")
    valid_from: date | None = None
    valid_to: date | None = None


class BundleGrantOut(Schema):
    id: int
    bundle: str
    organisation: str | None
    organisation_name: str | None
    person_email: str | None
    valid_from: date
    valid_to: date | None
    active: bool


def _grant_out(grant: BundleGrant) -> BundleGrantOut:
    today = timezone.localdate()
    return BundleGrantOut(
        id=grant.pk,
        bundle=grant.bundle.slug,
        organisation=grant.organisation.slug if grant.organisation else None,
        organisation_name=grant.organisation.name if grant.organisation else None,
        person_email=grant.person.email if grant.person else None,
        valid_from=grant.valid_from,
        valid_to=grant.valid_to,
        active=grant.valid_from <= today and (grant.valid_to is None or grant.valid_to >= today),
    )


@router.get(
    "/bundles/{slug}/grants",
    response={200: list[BundleGrantOut], **PROBLEM_RESPONSES},
    summary="Who holds a subscription bundle",
)
def list_bundle_grants(request: HttpRequest, slug: str) -> list[BundleGrantOut]:
    """Needs Permission.CATALOGUE_EDIT on the bundle's provider (or platform admin)."""
    bundle = services.access_bundle_for_edit(request.user, slug)
    grants = bundle.grants.select_related("bundle", "organisation", "person").order_by("-valid_from", "pk")
    return [_grant_out(grant) for grant in grants]


@router.post(
    "/bundles/{slug}/grants",
    response={201: BundleGrantOut, **PROBLEM_RESPONSES},
    summary="Grant a subscription bundle to an organisation or a person",
)
def create_bundle_grant(
    request: HttpRequest, slug: str, payload: BundleGrantIn
) -> tuple[int, BundleGrantOut]:
    """Name either `organisation` (slug) or `person_email`. An active grant for the same holder
    is updated rather than duplicated. Needs Permission.CATALOGUE_EDIT on the bundle's provider."""
    bundle = services.access_bundle_for_edit(request.user, slug)
    organisation, person = services.find_grantee(payload.organisation, payload.person_email)
    grant = services.grant_bundle(
        request.user,
        bundle,
        organisation=organisation,
        person=person,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
    )
    return 201, _grant_out(grant)


@router.delete(
    "/bundles/{slug}/grants/{grant_id}",
    response={200: BundleGrantOut, **PROBLEM_RESPONSES},
    summary="Revoke a bundle grant (access ends today; the grant is kept as history)",
)
def revoke_bundle_grant(request: HttpRequest, slug: str, grant_id: int) -> BundleGrantOut:
    bundle = services.access_bundle_for_edit(request.user, slug)
    grant = bundle.grants.select_related("bundle", "organisation", "person").filter(pk=grant_id).first()
    if grant is None:
        raise NotFound()
    return _grant_out(services.revoke_bundle_grant(request.user, grant))
