"""An in-memory inverted index with BM25 scoring, facet counts and filters (numpy).

Each web process holds one :class:`Index`, built from the database and kept current from a
change log (see ``catalogue/search_index.py`` and docs/decisions/0002-search.md). Documents
are plain data: the analysed term weights, facet values (several per facet allowed) and
numeric columns for sorting and boosting. Nothing here knows Django.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from laeringsarena.search.analysis import Analyser, allowed_typos, deletes, edit_distance, skeleton

FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "keywords": 2.0,
    "summary": 1.5,
    "outcomes": 1.0,
    "description": 1.0,
    "provider": 0.8,
}
PART_FACTOR = 0.6  # a compound part counts a little less than the word itself
K1, B = 1.2, 0.5
DENSE_FROM = 16  # a term in more than 1/16 of the documents is scored densely
SCORE_CACHE_PER_DOCUMENT = 64  # cached BM25 score entries per document (≈ 64 dense terms)

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class Document:
    key: int
    fields: Mapping[str, str]
    language: str = "nb"
    facets: Mapping[str, Sequence[str]] = field(default_factory=dict)
    columns: Mapping[str, float] = field(default_factory=dict)
    sort_title: str = ""


def term_weights(analyser: Analyser, document: Document) -> dict[str, float]:
    """Analysed terms of a document with field-weighted frequencies."""
    weights: dict[str, float] = defaultdict(float)
    english = document.language == "en"
    for name, text in document.fields.items():
        if not text:
            continue
        field_weight = FIELD_WEIGHTS.get(name, 1.0)
        part_weight = field_weight * PART_FACTOR
        for stemmed, parts in analyser.stems(text, document.language):
            weights[stemmed] += field_weight
            if english:
                continue
            for part in parts:
                if part != stemmed:
                    weights[part] += part_weight
    return weights


@dataclass
class Alternative:
    terms: tuple[str, ...]  # all required
    factor: float = 1.0
    prefixes: tuple[str, ...] = ()  # as-you-type: any term starting with one of these


@dataclass
class Clause:
    """One query word (or synonym phrase): a document matches if any alternative matches."""

    text: str
    alternatives: list[Alternative]


class _Postings:
    __slots__ = ("idx", "pending_idx", "pending_raw", "raw")

    def __init__(self) -> None:
        self.idx: IntArray = np.empty(0, dtype=np.int32)
        self.raw: FloatArray = np.empty(0, dtype=np.float32)
        self.pending_idx: list[int] = []
        self.pending_raw: list[float] = []

    def flush(self) -> None:
        if self.pending_idx:
            self.idx = np.concatenate([self.idx, np.asarray(self.pending_idx, dtype=np.int32)])
            self.raw = np.concatenate([self.raw, np.asarray(self.pending_raw, dtype=np.float32)])
            self.pending_idx, self.pending_raw = [], []


@dataclass
class Hit:
    key: int
    score: float
    text_score: float


@dataclass
class Result:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    relaxed: bool = False


class Index:
    """The index. Not thread-safe for writes; callers hold a lock around updates.

    Postings are numpy arrays; BM25 scores per term are computed once per index state and
    cached. Facet values are kept as bitmaps (one row of 64-bit words per value), so counting
    a facet is one ``bitwise_count`` over its rows. Per-document arrays (alive, length,
    columns) grow with spare capacity and are synced incrementally, so a single upsert costs
    O(changed document), not O(index).
    """

    def __init__(self, analyser: Analyser | None = None, column_names: Iterable[str] = ()) -> None:
        self.analyser = analyser or Analyser()
        self.keys: list[int] = []
        self.slot_of: dict[int, int] = {}
        self.postings: dict[str, _Postings] = {}
        self.facet_postings: dict[str, dict[str, _Postings]] = defaultdict(dict)
        self.lengths: list[float] = []
        self.titles: list[str] = []
        self.column_names = list(column_names)
        self._columns: dict[str, list[float]] = {name: [] for name in self.column_names}
        self._alive: list[bool] = []
        self._dirty = True
        self._vocabulary: list[str] = []
        self._vocabulary_sorted = True
        self._deletes: dict[str, set[str]] = defaultdict(set)
        self._skeletons: dict[str, set[str]] = defaultdict(set)
        self._live = 0
        self._length_sum = 0.0
        self._touched: list[_Postings] = []
        self._touched_facets: list[tuple[str, str, _Postings]] = []
        # numpy mirrors of the per-document lists, with spare capacity
        self._capacity = 0
        self._synced = 0
        self._alive_store: BoolArray = np.zeros(0, dtype=np.bool_)
        self._lengths_store: FloatArray = np.zeros(0, dtype=np.float32)
        self._column_store: dict[str, npt.NDArray[np.float64]] = {
            name: np.zeros(0) for name in self.column_names
        }
        self._alive_array: BoolArray = np.zeros(0, dtype=np.bool_)
        self._lengths_array: FloatArray = np.zeros(0, dtype=np.float32)
        self._arrays: dict[str, npt.NDArray[np.float64]] = {}
        self._norm: FloatArray = np.zeros(0, dtype=np.float32)
        # facet bitmaps: facet → (values, matrix[value, word])
        self._facet_values: dict[str, list[str]] = defaultdict(list)
        self._facet_row: dict[str, dict[str, int]] = defaultdict(dict)
        self._bits: dict[str, npt.NDArray[np.uint64]] = {}
        self._scores: dict[str, tuple[IntArray, FloatArray]] = {}
        self._dense: dict[str, FloatArray] = {}
        self._scored = 0
        self._n = 1
        self._avg = 1.0

    # -- writing ----------------------------------------------------------------------------

    def build(self, documents: Iterable[Document]) -> None:
        """Index many documents: learn their vocabulary first so compounds split well."""
        documents = list(documents)
        for document in documents:
            for text in document.fields.values():
                if text:
                    self.analyser.learn(text)
        self._vocabulary_sorted = False
        for document in documents:
            self._add(document)
        self._dirty = True

    def upsert(self, document: Document, *, learn: bool = True) -> None:
        if learn:
            for text in document.fields.values():
                if text:
                    self.analyser.learn(text)
        self.remove(document.key)
        self._add(document)
        self._dirty = True

    def remove(self, key: int) -> None:
        slot = self.slot_of.pop(key, None)
        if slot is not None and self._alive[slot]:
            self._alive[slot] = False
            self._live -= 1
            self._length_sum -= self.lengths[slot]
            if slot < self._synced:
                self._alive_store[slot] = False
            self._dirty = True

    def _add(self, document: Document) -> None:
        slot = len(self.keys)
        self.keys.append(document.key)
        self.slot_of[document.key] = slot
        weights = term_weights(self.analyser, document)
        for term, weight in weights.items():
            postings = self.postings.get(term)
            if postings is None:
                postings = self.postings[term] = _Postings()
                self._learn_term(term)
            if not postings.pending_idx:
                self._touched.append(postings)
            postings.pending_idx.append(slot)
            postings.pending_raw.append(weight)
        length = sum(weights.values())
        self.lengths.append(length)
        self._length_sum += length
        for facet, values in document.facets.items():
            bucket = self.facet_postings[facet]
            for value in set(values):
                postings = bucket.get(value)
                if postings is None:
                    postings = bucket[value] = _Postings()
                if not postings.pending_idx:
                    self._touched_facets.append((facet, value, postings))
                postings.pending_idx.append(slot)
                postings.pending_raw.append(1.0)
        for name in self.column_names:
            self._columns[name].append(float(document.columns.get(name, 0.0)))
        self.titles.append(document.sort_title)
        self._alive.append(True)
        self._live += 1

    def _learn_term(self, term: str) -> None:
        if term.isalpha() and len(term) >= 4:
            for variant in deletes(term):
                self._deletes[variant].add(term)
        self._skeletons[skeleton(term)].add(term)
        if self._vocabulary_sorted:
            bisect.insort(self._vocabulary, term)
        else:
            self._vocabulary.append(term)

    def _grow(self, size: int) -> None:
        """Make room for ``size`` documents in the numpy mirrors (doubling, so amortised O(1))."""
        if size <= self._capacity:
            return
        capacity = max(size, 2 * self._capacity, 1024)
        synced = self._synced

        def grown(old: npt.NDArray[Any], dtype: type, fill: object = 0) -> npt.NDArray[Any]:
            new: npt.NDArray[Any] = np.full(capacity, fill, dtype=dtype)
            new[:synced] = old[:synced]
            return new

        self._alive_store = grown(self._alive_store, np.bool_, False)
        self._lengths_store = grown(self._lengths_store, np.float32)
        self._column_store = {
            name: grown(self._column_store.get(name, np.zeros(0)), np.float64) for name in self.column_names
        }
        words = _words(capacity)
        for facet, matrix in self._bits.items():
            wider = np.zeros((matrix.shape[0], words), dtype=np.uint64)
            wider[:, : matrix.shape[1]] = matrix
            self._bits[facet] = wider
        self._capacity = capacity

    def _refresh(self) -> None:
        if not self._dirty:
            return
        size = len(self.keys)
        self._grow(size)
        start = self._synced
        if start < size:
            self._alive_store[start:size] = self._alive[start:size]
            self._lengths_store[start:size] = self.lengths[start:size]
            for name in self.column_names:
                self._column_store[name][start:size] = self._columns[name][start:size]
            self._synced = size
        for postings in self._touched:
            postings.flush()
        self._touched = []
        words = _words(self._capacity)
        for facet, value, postings in self._touched_facets:
            rows = self._facet_row[facet]
            row = rows.get(value)
            matrix = self._bits.get(facet)
            if row is None:
                row = rows[value] = len(self._facet_values[facet])
                self._facet_values[facet].append(value)
                bigger = np.zeros((row + 1, words), dtype=np.uint64)
                if matrix is not None:
                    bigger[:row] = matrix
                matrix = self._bits[facet] = bigger
            assert matrix is not None
            slots = np.asarray(postings.pending_idx, dtype=np.int64)
            bits = np.left_shift(np.uint64(1), (slots & 63).astype(np.uint64))
            np.bitwise_or.at(matrix[row], slots >> 6, bits)
            postings.flush()
        self._touched_facets = []
        if not self._vocabulary_sorted:
            self._vocabulary.sort()
            self._vocabulary_sorted = True
        self._alive_array = self._alive_store[:size]
        self._lengths_array = self._lengths_store[:size]
        self._arrays = {name: store[:size] for name, store in self._column_store.items()}
        self._n = max(1, self._live)
        self._avg = self._length_sum / self._live if self._live > 0 else 1.0
        self._norm = (K1 * (1 - B + B * self._lengths_array / self._avg)).astype(np.float32)
        self._scores = {}
        self._dense = {}
        self._scored = 0
        self._dirty = False

    # -- reading ----------------------------------------------------------------------------

    @property
    def size(self) -> int:
        return self._live

    def column(self, name: str) -> npt.NDArray[np.float64]:
        self._refresh()
        return self._arrays[name]

    def document_frequency(self, term: str) -> int:
        postings = self.postings.get(term)
        return 0 if postings is None else len(postings.idx) + len(postings.pending_idx)

    def has_term(self, term: str) -> bool:
        return term in self.postings

    def fuzzy(self, term: str, limit: int = 5) -> list[tuple[str, int]]:
        """Known terms within the allowed edit distance, closest and most frequent first."""
        allowed = allowed_typos(term)
        if not allowed:
            return []
        candidates: set[str] = set()
        for variant in deletes(term):
            candidates |= self._deletes.get(variant, set())
        found = []
        for candidate in candidates:
            if candidate == term:
                continue
            distance = edit_distance(term, candidate, allowed)
            if distance <= allowed:
                found.append((distance, -self.document_frequency(candidate), candidate))
        found.sort()
        return [(candidate, distance) for distance, _, candidate in found[:limit]]

    def near_spellings(self, term: str) -> list[str]:
        return sorted(self._skeletons.get(skeleton(term), set()) - {term})

    def completions(self, prefix: str, limit: int = 12) -> list[str]:
        """Known terms starting with ``prefix`` (most frequent first)."""
        self._refresh()
        start = bisect.bisect_left(self._vocabulary, prefix)
        found = []
        for term in self._vocabulary[start : start + 400]:
            if not term.startswith(prefix):
                break
            found.append(term)
        found.sort(key=lambda t: -self.document_frequency(t))
        return found[:limit]

    def mask_for(self, facet: str, values: Iterable[str]) -> BoolArray:
        """Documents with any of ``values`` in ``facet``."""
        self._refresh()
        size = len(self.keys)
        matrix = self._bits.get(facet)
        rows = self._facet_row.get(facet, {})
        picked = [rows[value] for value in values if value in rows]
        if matrix is None or not picked:
            return np.zeros(size, dtype=np.bool_)
        words = np.bitwise_or.reduce(matrix[picked], axis=0) if len(picked) > 1 else matrix[picked[0]]
        bits = np.unpackbits(words.view(np.uint8), count=size, bitorder="little")
        return bits.view(np.bool_)

    def alive(self) -> BoolArray:
        self._refresh()
        return self._alive_array

    def facet_counts(self, facet: str, scope: BoolArray) -> dict[str, int]:
        """How many documents in ``scope`` have each value of ``facet`` (values with none left out)."""
        self._refresh()
        return self._count(facet, _pack(scope, _words(self._capacity)))

    def _count(self, facet: str, packed: npt.NDArray[np.uint64]) -> dict[str, int]:
        matrix = self._bits.get(facet)
        if matrix is None:
            return {}
        tally = np.bitwise_count(matrix & packed).sum(axis=1)
        labels = self._facet_values[facet]
        return {labels[i]: int(tally[i]) for i in np.flatnonzero(tally)}

    def _term_scores(self, term: str, n: int, avg: float) -> tuple[IntArray, FloatArray] | None:
        """BM25 of ``term`` for each document containing it (cached until the index changes)."""
        cached = self._scores.get(term)
        if cached is not None:
            return cached
        postings = self.postings.get(term)
        if postings is None or not len(postings.idx):
            return None
        df = len(postings.idx)
        # dead postings may make df exceed n; clamp so idf (and every score) stays > 0
        idf = math.log(1 + (max(self._n - df, 0) + 0.5) / (df + 0.5))
        tf = postings.raw
        scores = (tf * ((K1 + 1) * idf) / (tf + self._norm[postings.idx])).astype(np.float32)
        if self._scored + df > SCORE_CACHE_PER_DOCUMENT * max(len(self.keys), 16_384):
            self._scores, self._dense, self._scored = {}, {}, 0
        self._scores[term] = (postings.idx, scores)
        self._scored += df
        return postings.idx, scores

    def _dense_scores(self, term: str) -> FloatArray | None:
        """BM25 of a very common term as one value per document (0 = absent), or None.

        Scattering tens of thousands of postings costs more than arithmetic over a contiguous
        array, so terms in more than 1/16 of the documents are kept dense (cached like scores).
        """
        size = len(self.keys)
        postings = self.postings.get(term)
        if postings is None or len(postings.idx) * DENSE_FROM < size:
            return None
        dense = self._dense.get(term)
        if dense is None:
            found = self._term_scores(term, self._n, self._avg)
            if found is None:
                return None
            dense = np.zeros(size, dtype=np.float32)
            dense[found[0]] = found[1]
            self._scored += size
            self._dense[term] = dense
        return dense

    def _clause(self, clause: Clause, n: int, avg: float) -> tuple[BoolArray, FloatArray]:
        size = len(self.keys)
        cscore = np.zeros(size, dtype=np.float32)
        for alternative in clause.alternatives:
            if len(alternative.terms) == 1 and not alternative.prefixes:
                # The common case, in O(postings) rather than O(documents).
                term = alternative.terms[0]
                dense = self._dense_scores(term)
                if dense is not None:
                    if alternative.factor != 1.0:
                        dense = dense * np.float32(alternative.factor)
                    np.maximum(cscore, dense, out=cscore)
                    continue
                found = self._term_scores(term, n, avg)
                if found is not None:
                    idx, scores = found
                    if alternative.factor != 1.0:
                        scores = scores * np.float32(alternative.factor)
                    cscore[idx] = np.maximum(cscore[idx], scores)
                continue
            amask = np.ones(size, dtype=np.bool_)
            ascore = np.zeros(size, dtype=np.float32)
            ok = True
            for term in alternative.terms:
                dense = self._dense_scores(term)
                if dense is not None:
                    amask &= dense > 0
                    ascore += dense
                    continue
                found = self._term_scores(term, n, avg)
                if found is None:
                    ok = False
                    break
                idx, scores = found
                tmask = np.zeros(size, dtype=np.bool_)
                tmask[idx] = True
                amask &= tmask
                ascore[idx] += scores
            if not ok:
                continue
            if alternative.prefixes:
                pscore = np.zeros(size, dtype=np.float32)
                for prefix in alternative.prefixes:
                    for term in self.completions(prefix):
                        found = self._term_scores(term, n, avg)
                        if found is not None:
                            idx, scores = found
                            pscore[idx] = np.maximum(pscore[idx], scores)
                amask &= pscore > 0
                ascore += pscore
            ascore *= alternative.factor
            ascore[~amask] = 0
            np.maximum(cscore, ascore, out=cscore)
        # every score is > 0 where a term occurs (BM25 idf and tf are positive)
        return cscore > 0, cscore

    def search(
        self,
        clauses: Sequence[Clause],
        *,
        visible: BoolArray | None = None,
        filters: Mapping[str, Iterable[str]] | None = None,
        facets: Sequence[str] = (),
        boost: npt.NDArray[np.float64] | None = None,
        sort: str = "relevance",
        sort_column: str | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> Result:
        self._refresh()
        size = len(self.keys)
        base = self._alive_array if visible is None else (visible & self._alive_array)
        n, avg = self._n, self._avg
        relaxed = False
        text: FloatArray | None
        if clauses:
            results = [self._clause(clause, n, avg) for clause in clauses]
            matched = results[0][0] & base
            for cmask, _ in results[1:]:
                matched &= cmask
            if len(results) > 1 and not matched.any():
                # Nothing has every word: rank documents with most of them instead.
                relaxed = True
                hits_per_doc = np.zeros(size, dtype=np.int16)
                for cmask, _ in results:
                    hits_per_doc += cmask
                need = max(1, math.ceil(len(results) / 2))
                matched = (hits_per_doc >= need) & base
            text = results[0][1]
            for _, cscore in results[1:]:
                text += cscore
        else:
            matched = base.copy()
            text = None
        filter_masks = {
            name: self.mask_for(name, values) for name, values in (filters or {}).items() if values
        }
        final = matched
        for mask in filter_masks.values():
            final = final & mask
        facet_counts: dict[str, dict[str, int]] = {}
        packed: dict[tuple[str, ...], npt.NDArray[np.uint64]] = {}
        for name in facets:
            # disjunctive: a facet's own filter does not narrow its counts
            others = tuple(other for other in filter_masks if other != name)
            if others not in packed:
                scope = matched
                for other in others:
                    scope = scope & filter_masks[other]
                packed[others] = _pack(scope, _words(self._capacity))
            facet_counts[name] = self._count(name, packed[others])
        candidates = np.flatnonzero(final)
        count = len(candidates)
        if text is None:
            score = np.ones(count, dtype=np.float64)
            text_of = np.ones(count, dtype=np.float32)
        else:
            text_of = text[candidates]
            score = text_of.astype(np.float64)
        if boost is not None:
            score = score * boost[candidates]
        if sort == "relevance" or sort_column is None:
            if sort == "title":
                order = sorted(range(count), key=lambda i: self.titles[candidates[i]])
                page = order[offset : offset + limit]
            else:
                page = _top(-score, offset, limit)
        else:
            values = self._arrays[sort_column][candidates]
            descending = not sort.endswith("_asc")
            page = _top(-values if descending else values, offset, limit, tie=-score)
        hits = [Hit(self.keys[candidates[i]], float(score[i]), float(text_of[i])) for i in page]
        return Result(count=count, hits=hits, facets=facet_counts, relaxed=relaxed)


def _words(capacity: int) -> int:
    return (capacity + 63) // 64


def _pack(mask: BoolArray, words: int) -> npt.NDArray[np.uint64]:
    """A boolean mask as little-endian 64-bit words (bit i of the mask = bit i % 64 of word i // 64)."""
    packed = np.zeros(words * 8, dtype=np.uint8)
    raw = np.packbits(mask, bitorder="little")
    packed[: len(raw)] = raw
    return packed.view(np.uint64)


def _top(
    keys: npt.NDArray[np.float64] | npt.NDArray[np.float32],
    offset: int,
    limit: int,
    tie: npt.NDArray[np.float64] | None = None,
) -> list[int]:
    """Positions of the ``offset``…``offset+limit`` smallest keys (ties: ``tie``, then position)."""
    end = offset + limit
    total = len(keys)
    if not total or offset >= total:
        return []
    if end < total // 4:
        part = np.argpartition(keys, end - 1)[:end]
        if tie is None:
            order = part[np.lexsort((part, keys[part]))]
        else:
            # everything tied with the k-th key may belong in the page
            cut = keys[part].max()
            part = np.flatnonzero(keys <= cut)
            order = part[np.lexsort((part, tie[part], keys[part]))]
    else:
        positions = np.arange(total)
        order = np.lexsort((positions, tie, keys)) if tie is not None else np.lexsort((positions, keys))
    return [int(i) for i in order[offset:end]]
