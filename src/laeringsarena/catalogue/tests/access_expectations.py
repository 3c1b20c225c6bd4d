"""Who may open the catalogue views and API operations.

The national catalogue is open: public offerings answer everyone, also anonymous visitors.
Internal offerings answer only inside the owning municipality (and those it shared with);
everyone else gets 404, so their existence does not leak.
"""

from __future__ import annotations

from django.utils import timezone

from laeringsarena.catalogue.models import Bundle, BundleGrant, ContentItem, Offering, Provider, Rating
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing.access import (
    FJORDVIK,
    NORDOY,
    NOT_ALLOWED,
    NOT_FOUND,
    Expectation,
    Expectations,
    always,
    everyone,
    logged_in,
    only,
)

EDITORS = {"leverandor", "admin"}


def inside(*allowed: set[str] | str) -> Expectation:
    """Visible to these roles; 404 for everyone else, anonymous included."""
    roles: set[str] = set()
    for item in allowed:
        roles |= {item} if isinstance(item, str) else item

    def expect(role: str) -> str:
        return "allow" if role in roles else NOT_FOUND

    return expect


def inside_login(*allowed: set[str] | str) -> Expectation:
    """Like inside(), but anonymous callers are asked to log in first."""
    base = inside(*allowed)
    return lambda role: "login" if role == "anonymous" else base(role)


OFFERING_TARGETS: dict[str | None, Expectation] = {
    "public_offering": everyone,
    "fjordvik_internal": inside(FJORDVIK, "admin"),
    "nordoy_internal": inside(NORDOY, "admin"),
    "shared_offering": inside(FJORDVIK, NORDOY, "admin"),
}

WEB: dict[str, Expectations] = {
    "catalogue:search": {None: everyone},
    "catalogue:offering": OFFERING_TARGETS,
    "catalogue:refer": {"public_offering": always(NOT_ALLOWED)},
    "catalogue:taken": {"public_offering": always(NOT_ALLOWED)},
    "catalogue:rate": {"public_offering": always(NOT_ALLOWED)},
    "catalogue:flag": {"public_rating": always(NOT_ALLOWED)},
    "catalogue:quiz": {"fjordvik_quiz": always(NOT_ALLOWED)},
    "catalogue:editor": {None: only(EDITORS)},
    "catalogue:new": {"fjordvik_provider": only(EDITORS), "ks_provider": only("admin")},
    "catalogue:edit": {
        "fjordvik_internal": only(EDITORS),
        "nordoy_internal": only("admin"),
        "public_offering": only("admin"),
    },
    "catalogue:moderation": {None: only(EDITORS)},
    "catalogue:feed": {"fjordvik_provider": only(EDITORS), "ks_provider": only("admin")},
    "catalogue:usage": {"fjordvik_provider": only(EDITORS), "ks_provider": only("admin")},
    # KS's bundle: only KS's editors (none in the demo municipalities) and platform admins.
    "catalogue:bundle": {"ks_bundle": only("admin")},
    "catalogue:bundle_revoke": {"ks_grant": always(NOT_ALLOWED)},
}

API: dict[str, Expectations] = {
    "GET /api/v1/catalogue/search": {None: everyone},
    "GET /api/v1/catalogue/providers": {None: everyone},
    "GET /api/v1/catalogue/offerings/{offering_id}": OFFERING_TARGETS,
    "GET /api/v1/catalogue/offerings/{offering_id}/ratings": OFFERING_TARGETS,
    "POST /api/v1/catalogue/offerings/{offering_id}/refer": {"public_offering": everyone},
    # An unknown kind: 400 for those who can see the offering (no side effects).
    "POST /api/v1/catalogue/offerings/{offering_id}/taken": {
        "public_offering": logged_in,
        "fjordvik_internal": inside_login(FJORDVIK, "admin"),
    },
    # An empty body: 400 for everyone logged in, 401 for anonymous.
    "PUT /api/v1/catalogue/offerings/{offering_id}/my-rating": {"public_offering": logged_in},
    "POST /api/v1/catalogue/ratings/{rating_id}/flags": {"public_rating": logged_in},
    # An unknown status: 400 for moderators, 403 for the rest.
    "POST /api/v1/catalogue/ratings/{rating_id}/moderation": {"public_rating": only("admin")},
    # An empty object: 400 (no offerings list) for editors; nothing is ingested.
    "POST /api/v1/catalogue/providers/{slug}/ingest": {
        "fjordvik_provider": only(EDITORS),
        "ks_provider": only("admin"),
    },
}

API.update(
    {
        "GET /api/v1/catalogue/bundles/{slug}/grants": {"ks_bundle": only("admin")},
        # An empty object: 400 (no holder named) for those who manage the bundle, 403 for others.
        "POST /api/v1/catalogue/bundles/{slug}/grants": {"ks_bundle": only("admin")},
        # A grant made for the matrix (Nordøy); revoking twice is harmless.
        "DELETE /api/v1/catalogue/bundles/{slug}/grants/{grant_id}": {"ks_grant": only("admin")},
    }
)

BODIES: dict[str, tuple[str, bytes, str]] = {
    "POST /api/v1/catalogue/offerings/{offering_id}/taken": ("application/json", b'{"kind": "bogus"}', ""),
    "POST /api/v1/catalogue/ratings/{rating_id}/moderation": ("application/json", b'{"status": "bogus"}', ""),
}


def targets() -> dict[str, dict[str, object]]:
    def offering(title: str) -> dict[str, object]:
        pk = Offering.objects.get(title=title).pk
        return {"pk": pk, "offering_id": pk}

    public = Offering.objects.filter(provider__slug="ks", visibility="public", status="published").order_by(
        "pk"
    )[0]
    rating = Rating.objects.filter(offering__provider__slug="ks").order_by("pk")[0]
    grant, _ = BundleGrant.objects.get_or_create(
        bundle=Bundle.objects.get(slug="ks-abonnement"),
        organisation=Organisation.objects.get(slug="nordoy", kind="municipality"),
        defaults={"valid_from": timezone.localdate()},
    )
    return {
        "public_offering": {"pk": public.pk, "offering_id": public.pk},
        "fjordvik_internal": offering("Velkommen til Fjordvik kommune"),
        "nordoy_internal": offering("Velkommen til Nordøy kommune"),
        "shared_offering": offering("Fagdag demens – Fjordvik og nabokommunene"),
        "public_rating": {"pk": rating.pk, "rating_id": rating.pk},
        "fjordvik_provider": {"slug": Provider.objects.get(slug="fjordvik").slug},
        "ks_provider": {"slug": "ks"},
        "ks_bundle": {"slug": "ks-abonnement"},
        "fjordvik_quiz": {"pk": ContentItem.objects.filter(kind="quiz").order_by("pk")[0].pk},
        "ks_grant": {"slug": "ks-abonnement", "grant_id": grant.pk, "pk": grant.pk},
    }
