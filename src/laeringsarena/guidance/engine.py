"""The recommender's view of the catalogue: numpy arrays aligned with the search index slots.

Built on the catalogue's in-memory search index (:func:`catalogue.search_index.engine`), so the
text analysis (stems, compounds, synonyms, Nynorsk/Danish variants) is the one the catalogue
search uses. Added here: competence links, bundle membership, upcoming sessions, popularity
(completions in the last year) and per-topic relevance vectors, cached per process until the
catalogue, the completions or the ratings change.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Count, Max
from django.utils import timezone

from laeringsarena.catalogue import search_index
from laeringsarena.catalogue.models import (
    Bundle,
    Offering,
    OfferingSession,
    Participation,
    ParticipationKind,
    Rating,
    SearchChange,
)
from laeringsarena.search.engine import Index
from laeringsarena.search.query import plan

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
TOPIC_HITS = 300
LINKED = 1.0  # an offering linked to the competence
TEXT = 0.75  # the best text match for the competence's name; others scaled below
POPULAR_DAYS = 365


def completion_model() -> Any:
    """``learning.models.Completion`` when the learning app has it (offering completions count)."""
    try:
        module = importlib.import_module("laeringsarena.learning.models")
    except ImportError:  # pragma: no cover - the learning app is part of the project
        return None
    model = getattr(module, "Completion", None)
    if model is None or not any(f.name == "offering" for f in model._meta.get_fields()):
        return None
    return model


def completed_offering_counts(since: dt.datetime | None = None, person_ids: Any = None) -> dict[int, int]:
    """Offering id → people who completed it: the catalogue's «taken» records and learning completions."""
    people: dict[int, set[int]] = defaultdict(set)
    participations = Participation.objects.filter(kind=ParticipationKind.COMPLETED)
    if since is not None:
        participations = participations.filter(at__gte=since)
    if person_ids is not None:
        participations = participations.filter(person_id__in=person_ids)
    for offering_id, person_id in participations.values_list("offering_id", "person_id").iterator(2000):
        people[offering_id].add(person_id)
    model = completion_model()
    if model is not None:
        completions = model.objects.filter(offering__isnull=False)
        if since is not None:
            completions = completions.filter(completed_at__gte=since)
        if person_ids is not None:
            completions = completions.filter(person_id__in=person_ids)
        for offering_id, person_id in completions.values_list("offering_id", "person_id").iterator(2000):
            people[offering_id].add(person_id)
    return {offering_id: len(ids) for offering_id, ids in people.items()}


def completed_by(person_id: int) -> set[int]:
    """Offerings the person has completed (either record counts)."""
    return completed_by_many([person_id]).get(person_id, set())


def completed_by_many(person_ids: Any) -> dict[int, set[int]]:
    """Person id → offerings completed (either record counts), in two queries for all of them."""
    done: dict[int, set[int]] = defaultdict(set)
    for person_id, offering_id in (
        Participation.objects.filter(person_id__in=person_ids, kind=ParticipationKind.COMPLETED)
        .order_by()
        .values_list("person_id", "offering_id")
    ):
        done[person_id].add(offering_id)
    model = completion_model()
    if model is not None:
        for person_id, offering_id in (
            model.objects.filter(person_id__in=person_ids, offering__isnull=False)
            .order_by()
            .values_list("person_id", "offering_id")
        ):
            done[person_id].add(offering_id)
    return dict(done)


def _stamp() -> tuple[object, ...]:
    model = completion_model()
    completions = model.objects.aggregate(m=Max("pk"), n=Count("pk")) if model is not None else None
    return (
        SearchChange.objects.aggregate(m=Max("pk"))["m"],
        Participation.objects.aggregate(m=Max("at"), n=Count("pk")),
        completions,
        Bundle.offerings.through.objects.aggregate(m=Max("pk"), n=Count("pk")),
        Rating.objects.aggregate(m=Max("updated_at"), n=Count("pk")),
        timezone.localdate(),
    )


@dataclass
class Catalogue:
    """Arrays over the search index slots (dead slots are masked by ``alive``)."""

    index: Index
    stamp: tuple[object, ...]
    alive: BoolArray
    keys: npt.NDArray[np.int64]
    format: npt.NDArray[np.int8]
    formats: list[str]
    language: npt.NDArray[np.int8]
    languages: list[str]
    price: npt.NDArray[np.int8]
    prices: list[str]
    duration: FloatArray  # minutes, 0 = unknown
    credits: FloatArray
    rating: FloatArray  # Bayesian rating (catalogue's prior)
    raters: FloatArray  # number of visible ratings
    popularity: FloatArray  # people who completed it in the last year
    popularity_score: FloatArray  # 0..1, log-scaled
    competence_slots: dict[int, npt.NDArray[np.intp]]
    slot_competences: dict[int, list[int]]
    bundle_slots: dict[int, npt.NDArray[np.intp]]
    session_slot: npt.NDArray[np.intp]
    session_start: npt.NDArray[np.float64]
    session_end: npt.NDArray[np.float64]
    topics: dict[str, FloatArray] = field(default_factory=dict)
    peers: dict[tuple[int, int], Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self) -> int:
        return len(self.keys)

    def slots(self, offering_ids: Any) -> npt.NDArray[np.intp]:
        slot_of = self.index.slot_of
        return np.asarray([slot_of[pk] for pk in offering_ids if pk in slot_of], dtype=np.intp)

    def topic(self, text: str) -> FloatArray:
        """Relevance 0..1 of every offering to a topic (a competence or certification name)."""
        cached = self.topics.get(text)
        if cached is not None:
            return cached
        vector = np.zeros(self.size, dtype=np.float32)
        query = plan(self.index, text, as_you_type=False)
        if query.clauses:
            result = self.index.search(query.clauses, limit=TOPIC_HITS, sort="relevance")
            if result.hits:
                best = max(hit.text_score for hit in result.hits) or 1.0
                for hit in result.hits:
                    vector[self.index.slot_of[hit.key]] = TEXT * hit.text_score / best
        with self.lock:
            self.topics[text] = vector
        return vector

    def competence(self, competence_id: int, name: str) -> FloatArray:
        key = f"competence:{competence_id}"
        cached = self.topics.get(key)
        if cached is not None:
            return cached
        vector = self.topic(name).copy()
        linked = self.competence_slots.get(competence_id)
        if linked is not None and len(linked):
            vector[linked] = LINKED
        with self.lock:
            self.topics[key] = vector
        return vector


def build(index: Index, stamp: tuple[object, ...], now: dt.datetime | None = None) -> Catalogue:
    now = now or timezone.now()
    size = len(index.keys)
    keys = np.asarray(index.keys, dtype=np.int64)
    slot_of = index.slot_of
    alive = index.alive().copy()

    def codes(facet: str) -> tuple[npt.NDArray[np.int8], list[str]]:
        values = sorted(index.facet_postings.get(facet, {}))
        array = np.full(size, -1, dtype=np.int8)
        for code, value in enumerate(values):
            array[index.mask_for(facet, [value])] = code
        return array, values

    fmt, formats = codes("format")
    language, languages = codes("language")
    price, prices = codes("price")
    counts = completed_offering_counts(since=now - dt.timedelta(days=POPULAR_DAYS))
    popularity = np.zeros(size, dtype=np.float32)
    for offering_id, n in counts.items():
        slot = slot_of.get(offering_id)
        if slot is not None:
            popularity[slot] = n
    top = float(popularity.max()) if size else 0.0
    popularity_score = (
        (np.log1p(popularity) / math.log1p(top)).astype(np.float32) if top else popularity.copy()
    )
    raters = np.zeros(size, dtype=np.float32)
    for offering_id, count in Offering.objects.filter(rating_count__gt=0).values_list("pk", "rating_count"):
        slot = slot_of.get(offering_id)
        if slot is not None:
            raters[slot] = count
    competence_lists: dict[int, list[int]] = defaultdict(list)
    slot_competences: dict[int, list[int]] = defaultdict(list)
    for offering_id, competence_id in Offering.competences.through.objects.values_list(
        "offering_id", "competence_id"
    ).iterator(5000):
        slot = slot_of.get(offering_id)
        if slot is not None:
            competence_lists[competence_id].append(slot)
            slot_competences[slot].append(competence_id)
    bundle_lists: dict[int, list[int]] = defaultdict(list)
    for bundle_id, offering_id in Bundle.offerings.through.objects.values_list(
        "bundle_id", "offering_id"
    ).iterator(5000):
        slot = slot_of.get(offering_id)
        if slot is not None:
            bundle_lists[bundle_id].append(slot)
    sessions = OfferingSession.objects.filter(
        starts_at__gte=now - dt.timedelta(days=1), starts_at__lte=now + dt.timedelta(days=60)
    ).values_list("offering_id", "starts_at", "ends_at")
    rows = [
        (slot_of[o], s.timestamp(), (e or s + dt.timedelta(hours=1)).timestamp())
        for o, s, e in sessions.iterator(5000)
        if o in slot_of
    ]
    rows.sort(key=lambda r: r[1])
    return Catalogue(
        index=index,
        stamp=stamp,
        alive=alive,
        keys=keys,
        format=fmt,
        formats=formats,
        language=language,
        languages=languages,
        price=price,
        prices=prices,
        duration=index.column("duration").astype(np.float32),
        credits=index.column("credits").astype(np.float32),
        rating=index.column("rating").astype(np.float32),
        raters=raters,
        popularity=popularity,
        popularity_score=popularity_score,
        competence_slots={k: np.asarray(v, dtype=np.intp) for k, v in competence_lists.items()},
        slot_competences=dict(slot_competences),
        bundle_slots={k: np.asarray(v, dtype=np.intp) for k, v in bundle_lists.items()},
        session_slot=np.asarray([r[0] for r in rows], dtype=np.intp),
        session_start=np.asarray([r[1] for r in rows], dtype=np.float64),
        session_end=np.asarray([r[2] for r in rows], dtype=np.float64),
    )


_lock = threading.Lock()
_current: Catalogue | None = None
_checked_at = 0.0
# Popularity, ratings, completions and bundles are re-checked at most this often (seconds);
# catalogue changes (the search index's change log) are seen at once.
RECHECK_SECONDS = 30.0


def catalogue(*, node: search_index.Node | None = None) -> Catalogue:
    """This process's catalogue arrays, rebuilt when anything they depend on changed."""
    global _current, _checked_at
    index = node.engine() if node is not None else search_index.engine()
    current = _current
    clock = time.monotonic()
    if current is not None and current.index is index and clock - _checked_at < RECHECK_SECONDS:
        return current
    stamp = _stamp()
    if current is not None and current.index is index and current.stamp == stamp:
        _checked_at = clock
        return current
    with _lock:
        current = _current
        if current is None or current.index is not index or current.stamp != stamp:
            current = _current = build(index, stamp)
        _checked_at = clock
        return current


def reset() -> None:
    """Forget the cached arrays (tests)."""
    global _current, _checked_at
    _current = None
    _checked_at = 0.0


def visible_mask(cat: Catalogue, tenant_ids: set[int], *, admin: bool = False) -> BoolArray:
    """The offerings a person in these municipalities may see (as the catalogue search does)."""
    index = cat.index
    if admin:
        return cat.alive.copy()
    tenants = [str(pk) for pk in tenant_ids]
    visible = index.mask_for("_vis", ["public", *(["municipal"] if tenants else [])])
    if tenants:
        visible |= index.mask_for("_owner", tenants) | index.mask_for("_shared", tenants)
    return visible & cat.alive


def position_mask(cat: Catalogue, position_ids: list[int]) -> BoolArray:
    if not position_ids:
        return np.zeros(cat.size, dtype=np.bool_)
    return cat.index.mask_for("_position", [str(pk) for pk in position_ids])
