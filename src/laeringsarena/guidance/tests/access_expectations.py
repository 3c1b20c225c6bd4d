"""Who may open the guidance app's views and API operations.

Recommendations, «why», settings and dismissals are the caller's own; leaders see aggregated
uptake only (``AGGREGATES_VIEW``), never anyone's dismissed items.
"""

from __future__ import annotations

import json

from laeringsarena.catalogue.models import Offering, Status, Visibility
from laeringsarena.testing.access import (
    AGGREGATES,
    FJORDVIK,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    Expectation,
    Expectations,
    logged_in,
    only,
)


def _post_only(role: str) -> str:
    return LOGIN if role == "anonymous" else NOT_ALLOWED


def _fjordvik_internal(role: str) -> str:
    if role == "anonymous":
        return LOGIN
    return "allow" if role in FJORDVIK | {"admin"} else NOT_FOUND


fjordvik_internal: Expectation = _fjordvik_internal

WEB: dict[str, Expectations] = {
    "guidance:mine": {None: logged_in},
    "guidance:settings": {None: logged_in},
    "guidance:uptake": {None: only(AGGREGATES)},
    "guidance:why": {"guidance_public_offering": logged_in, "guidance_fjordvik_offering": fjordvik_internal},
    "guidance:dismiss": {"guidance_public_offering": _post_only},
}

API: dict[str, Expectations] = {
    "GET /api/v1/me/recommendations": {None: logged_in},
    "POST /api/v1/me/recommendations/{offering_id}/dismiss": {
        "guidance_public_offering": logged_in,
        "guidance_fjordvik_offering": fjordvik_internal,
    },
}

BODIES = {
    "POST /api/v1/me/recommendations/{offering_id}/dismiss": (
        "application/json",
        json.dumps({"reason": "not_now"}).encode(),
        "",
    ),
}


def targets() -> dict[str, dict[str, object]]:
    public = (
        Offering.objects.filter(status=Status.PUBLISHED, visibility=Visibility.PUBLIC).order_by("pk").first()
    )
    internal = (
        Offering.objects.filter(
            status=Status.PUBLISHED, visibility=Visibility.INTERNAL, owner__slug="fjordvik"
        )
        .order_by("pk")
        .first()
    )
    assert public is not None and internal is not None
    return {
        "guidance_public_offering": {"pk": public.pk, "offering_id": public.pk},
        "guidance_fjordvik_offering": {"pk": internal.pk, "offering_id": internal.pk},
    }
