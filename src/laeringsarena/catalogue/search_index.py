"""The catalogue's search index: one in-memory engine per process, kept current from the database.

Every change to an offering adds a row to :class:`SearchChange` (in the same transaction as
the change). Before each search the process reads the newest row (one indexed query); if it
moved, the process re-reads just the changed offerings. If the process missed rows (or the
database was replaced), it rebuilds from scratch. So several web nodes over one PostgreSQL
serve the same results as soon as a change commits — see docs/decisions/0002-search.md.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from laeringsarena.catalogue.models import (
    Format,
    Offering,
    OfferingSession,
    Provider,
    SearchChange,
    Status,
)
from laeringsarena.search.engine import Document, Index

COLUMNS = ["published", "rating", "duration", "quality", "credits"]
RATING_PRIOR_MEAN = 3.5
RATING_PRIOR_COUNT = 5  # the "minimum count": fewer ratings pull towards the prior mean
ONLINE_FORMATS = {Format.ELEARNING, Format.VIDEO, Format.PODCAST, Format.WEBINAR, Format.MICRO, Format.GAME}
FREEZE_FROM = 20_000  # offerings; below this a full collection is cheap anyway
FACETS = ["format", "duration", "price", "language", "provider", "credits", "mode", "county"]


def bayesian_rating(count: int, total: int) -> float:
    """Rating pulled towards the prior mean until enough people have rated."""
    return (RATING_PRIOR_COUNT * RATING_PRIOR_MEAN + total) / (RATING_PRIOR_COUNT + count)


def quality_factor(count: int, total: int, declared: bool) -> float:
    """Multiplier on text relevance: 0.75 (all ones) … 1.15 (all fives), +5 % for a declaration."""
    factor = 1 + 0.1 * (bayesian_rating(count, total) - RATING_PRIOR_MEAN)
    return factor * (1.05 if declared else 1.0)


def duration_bucket(minutes: int | None) -> str:
    if minutes is None:
        return "unknown"
    if minutes < 15:
        return "lt15m"
    if minutes <= 60:
        return "15m-1h"
    if minutes <= 8 * 60:
        return "1h-1d"
    return "gt1d"


def _document(
    offering: Offering,
    sessions: Sequence[tuple[bool, str]] = (),
    shared: Sequence[int] = (),
    positions: Sequence[int] = (),
) -> Document:
    """The search document of an offering; ``sessions`` are (online, county) pairs."""
    modes = set()
    if offering.format in ONLINE_FORMATS or any(online for online, _county in sessions):
        modes.add("online")
    if any(not online for online, _county in sessions) or offering.format in {
        Format.CLASSROOM,
        Format.GATHERING,
    }:
        modes.add("place")
    provider = offering.provider
    published = offering.published_at or offering.created_at or timezone.now()
    facets: dict[str, list[str]] = {
        "format": [offering.format],
        "duration": [duration_bucket(offering.duration_minutes)],
        "price": [offering.price_model],
        "language": [offering.language],
        "provider": [provider.slug],
        "credits": ["yes" if offering.ects_credits else "no"],
        "mode": sorted(modes),
        "county": sorted({county for _online, county in sessions if county}),
        "_vis": [offering.visibility],
        "_owner": [str(offering.owner_id)] if offering.owner_id else [],
        "_shared": [str(pk) for pk in shared],
        "_position": [str(pk) for pk in positions],
    }
    return Document(
        key=offering.pk,
        fields={
            "title": offering.title,
            "keywords": offering.keywords,
            "summary": offering.summary,
            "outcomes": offering.learning_outcomes,
            "description": offering.description,
            "provider": provider.name,
        },
        language=offering.language,
        facets=facets,
        columns={
            "published": published.timestamp(),
            "rating": bayesian_rating(offering.rating_count, offering.rating_sum),
            "duration": float(offering.duration_minutes or 0),
            "quality": quality_factor(offering.rating_count, offering.rating_sum, provider.has_declaration),
            "credits": float(offering.ects_credits or 0),
        },
        sort_title=offering.title.casefold(),
    )


LOAD_CHUNK = 2000


def _grouped(rows: Iterable[tuple[int, Any]]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


def _documents(offerings: list[Offering]) -> list[Document]:
    """Documents for a chunk of offerings, with their sessions and relations in three queries.

    (Django's prefetch_related builds a queryset per object and relation: at 100k offerings that
    was over half of the index build.)
    """
    ids = [o.pk for o in offerings]
    sessions = _grouped(
        (pk, (online, county))
        for pk, online, county in OfferingSession.objects.filter(offering_id__in=ids).values_list(
            "offering_id", "online", "county"
        )
    )
    shared = _grouped(
        Offering.shared_with.through.objects.filter(offering_id__in=ids).values_list(
            "offering_id", "organisation_id"
        )
    )
    positions = _grouped(
        Offering.target_positions.through.objects.filter(offering_id__in=ids).values_list(
            "offering_id", "position_id"
        )
    )
    return [
        _document(o, sessions.get(o.pk, ()), shared.get(o.pk, ()), positions.get(o.pk, ())) for o in offerings
    ]


def _load(ids: Iterable[int] | None = None) -> list[Document]:
    queryset = Offering.objects.filter(status=Status.PUBLISHED).select_related("provider")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    documents: list[Document] = []
    chunk: list[Offering] = []
    for offering in queryset.iterator(chunk_size=LOAD_CHUNK):
        chunk.append(offering)
        if len(chunk) == LOAD_CHUNK:
            documents.extend(_documents(chunk))
            chunk = []
    if chunk:
        documents.extend(_documents(chunk))
    return documents


@dataclass
class Node:
    """One process's index and how far it has read the change log.

    A web process uses the module-level default node; tests and the benchmark create more to
    play several web nodes over one database.
    """

    index: Index | None = None
    marker: tuple[int, dt.datetime] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    builds: int = 0
    updates: int = 0

    def reset(self) -> None:
        with self.lock:
            self.index = None
            self.marker = None

    def engine(self) -> Index:
        """The current index, caught up with every committed change."""
        latest = SearchChange.objects.order_by("-pk").values_list("pk", "at").first()
        with self.lock:
            if self.index is not None and latest == self.marker:
                return self.index
            if self.index is not None and self.marker is not None and latest is not None:
                seen = SearchChange.objects.filter(pk=self.marker[0]).values_list("at", flat=True).first()
                if seen == self.marker[1]:
                    changed = set(
                        SearchChange.objects.filter(pk__gt=self.marker[0], pk__lte=latest[0]).values_list(
                            "offering_id", flat=True
                        )
                    )
                    documents = {doc.key: doc for doc in _load(changed)}
                    for key in changed:
                        if key in documents:
                            self.index.upsert(documents[key])
                        else:
                            self.index.remove(key)
                    self.marker = latest
                    self.updates += 1
                    return self.index
            index = Index(column_names=COLUMNS)
            index.build(_load())
            index.alive()  # finalise the arrays now rather than in the first search
            if index.size >= FREEZE_FROM:
                # Millions of long-lived objects: keep them out of the garbage collector's scans.
                gc.collect()
                gc.freeze()
            self.index = index
            self.marker = latest
            self.builds += 1
            return index


_default = Node()


def reset() -> None:
    """Forget this process's in-memory index (tests; a changed analyser)."""
    _default.reset()


def engine() -> Index:
    """This process's index, caught up with every committed change."""
    return _default.engine()


def log_changes(offering_ids: Iterable[int]) -> None:
    """Record that these offerings changed (call inside the writing transaction)."""
    SearchChange.objects.bulk_create([SearchChange(offering_id=pk) for pk in set(offering_ids)])


def prune_log(keep: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Drop old change rows; a node that falls further behind rebuilds."""
    latest = SearchChange.objects.order_by("-pk").first()
    if latest is None:
        return 0
    deleted, _ = SearchChange.objects.filter(at__lt=timezone.now() - keep).exclude(pk=latest.pk).delete()
    return deleted


@receiver(post_save, sender=Offering)
@receiver(post_delete, sender=Offering)
def _offering_changed(sender: type, instance: Offering, **kwargs: object) -> None:
    log_changes([instance.pk])


@receiver(post_save, sender=OfferingSession)
@receiver(post_delete, sender=OfferingSession)
def _session_changed(sender: type, instance: OfferingSession, **kwargs: object) -> None:
    log_changes([instance.offering_id])


@receiver(m2m_changed, sender=Offering.shared_with.through)
@receiver(m2m_changed, sender=Offering.target_positions.through)
def _sharing_changed(sender: type, instance: object, **kwargs: object) -> None:
    if isinstance(instance, Offering):
        log_changes([instance.pk])
    elif str(kwargs.get("action", "")).startswith("post_") and kwargs.get("pk_set"):
        log_changes(kwargs["pk_set"])  # type: ignore[arg-type]


@receiver(post_save, sender=Provider)
def _provider_changed(sender: type, instance: Provider, created: bool = False, **kwargs: object) -> None:
    if not created:
        log_changes(instance.offerings.values_list("pk", flat=True))
