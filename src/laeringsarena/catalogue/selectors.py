"""Reads: catalogue search with facets, ranking and highlighting, scoped by access."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.safestring import SafeString, mark_safe

from laeringsarena.catalogue import access, search_index
from laeringsarena.catalogue.models import Offering, Provider
from laeringsarena.catalogue.search_index import FACETS
from laeringsarena.search.highlight import highlight
from laeringsarena.search.query import plan

if TYPE_CHECKING:
    from laeringsarena.catalogue.access import AnyUser

SORTS = {
    "relevance": ("relevance", None),
    "newest": ("newest", "published"),
    "rating": ("rating", "rating"),
    "shortest": ("duration_asc", "duration"),
    "title": ("title", None),
}
MAX_LIMIT = 100
POSITION_FIT = 1.1


@dataclass
class SearchHit:
    offering: Offering
    score: float
    text_score: float
    title_html: SafeString
    summary_html: SafeString
    rating: float
    position_fit: bool
    declared: bool

    def explanation(self) -> dict[str, Any]:
        return {
            "text_relevance": round(self.text_score, 4),
            "bayesian_rating": round(self.rating, 2),
            "rating_count": self.offering.rating_count,
            "provider_declared_quality": self.declared,
            "fits_your_position": self.position_fit,
        }


@dataclass
class SearchOutcome:
    count: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    notes: list[str] = field(default_factory=list)
    relaxed: bool = False


def position_ids(user: AnyUser) -> list[str]:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    from laeringsarena.people.models import Employment

    ids = Employment.objects.active().filter(person_id=person_id).values_list("position_id", flat=True)
    return [str(pk) for pk in ids]


def search(
    user: AnyUser,
    q: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    *,
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 10,
    as_you_type: bool = True,
    node: search_index.Node | None = None,
) -> SearchOutcome:
    index = node.engine() if node is not None else search_index.engine()
    q = q.strip()[:200]
    query_plan = plan(index, q, as_you_type=as_you_type) if q else None
    tenants = [str(pk) for pk in access.tenant_ids(user)]
    if access.is_platform_admin(user):
        visible = index.alive()
    else:
        visible = index.mask_for("_vis", ["public", *(["municipal"] if tenants else [])])
        if tenants:
            visible |= index.mask_for("_owner", tenants) | index.mask_for("_shared", tenants)
    positions = position_ids(user)
    boost = index.column("quality").copy()
    fit = index.mask_for("_position", positions) if positions else np.zeros(len(boost), dtype=np.bool_)
    boost[fit] *= POSITION_FIT
    sort_mode, column = SORTS.get(sort, SORTS["relevance"])
    if not q and sort_mode == "relevance":
        sort_mode, column = "rating", "quality"
    clean_filters = {
        name: list(values) for name, values in (filters or {}).items() if name in FACETS and values
    }
    limit = max(1, min(limit, MAX_LIMIT))
    result = index.search(
        query_plan.clauses if query_plan else [],
        visible=visible,
        filters=clean_filters,
        facets=FACETS,
        boost=boost,
        sort=sort_mode,
        sort_column=column,
        offset=max(0, offset),
        limit=limit,
    )
    offerings = Offering.objects.select_related("provider").in_bulk([hit.key for hit in result.hits])
    ratings = index.column("rating")
    terms = query_plan.terms if query_plan else set()
    prefixes = query_plan.prefixes if query_plan else set()
    hits = []
    memo: dict[tuple[str, str], bool] = {}
    for hit in result.hits:
        offering = offerings.get(hit.key)
        if offering is None:
            continue
        slot = index.slot_of[hit.key]
        hits.append(
            SearchHit(
                offering=offering,
                score=hit.score,
                text_score=hit.text_score if q else 0.0,
                title_html=mark_safe(  # noqa: S308 - highlight() escapes the text
                    highlight(offering.title, index.analyser, terms, prefixes, offering.language, memo)
                ),
                summary_html=mark_safe(  # noqa: S308 - highlight() escapes the text
                    highlight(offering.summary, index.analyser, terms, prefixes, offering.language, memo)
                ),
                rating=float(ratings[slot]),
                position_fit=bool(fit[slot]) if len(fit) else False,
                declared=offering.provider.has_declaration,
            )
        )
    return SearchOutcome(
        count=result.count,
        hits=hits,
        facets=result.facets,
        notes=query_plan.notes if query_plan else [],
        relaxed=result.relaxed,
    )


def provider_names() -> dict[str, str]:
    return dict(Provider.objects.values_list("slug", "name"))
