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
    """The index. Not thread-safe for writes; callers hold a lock around updates."""

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
        self._doc_terms: list[tuple[str, ...]] = []
        self._dirty = True
        self._arrays: dict[str, npt.NDArray[np.float64]] = {}
        self._alive_array: BoolArray = np.zeros(0, dtype=np.bool_)
        self._lengths_array: FloatArray = np.zeros(0, dtype=np.float32)
        self._vocabulary: list[str] = []
        self._deletes: dict[str, set[str]] = defaultdict(set)
        self._skeletons: dict[str, set[str]] = defaultdict(set)
        self._live = 0
        self._touched: list[_Postings] = []
        self._codes: dict[str, tuple[IntArray, list[str]]] = {}

    # -- writing ----------------------------------------------------------------------------

    def build(self, documents: Iterable[Document]) -> None:
        """Index many documents: learn their vocabulary first so compounds split well."""
        documents = list(documents)
        for document in documents:
            for text in document.fields.values():
                if text:
                    self.analyser.learn(text)
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
        self._doc_terms.append(tuple(weights))
        self.lengths.append(sum(weights.values()))
        for facet, values in document.facets.items():
            bucket = self.facet_postings[facet]
            for value in set(values):
                postings = bucket.get(value)
                if postings is None:
                    postings = bucket[value] = _Postings()
                if not postings.pending_idx:
                    self._touched.append(postings)
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

    def _refresh(self) -> None:
        if not self._dirty:
            return
        for postings in self._touched:
            postings.flush()
        self._touched = []
        self._alive_array = np.asarray(self._alive, dtype=np.bool_)
        self._lengths_array = np.asarray(self.lengths, dtype=np.float32)
        self._arrays = {name: np.asarray(values, dtype=np.float64) for name, values in self._columns.items()}
        self._vocabulary = sorted(self.postings)
        self._codes = {}
        size = len(self.keys)
        for facet, bucket in self.facet_postings.items():
            # Single-valued facets count with one bincount instead of one gather per value.
            codes = np.full(size, -1, dtype=np.int32)
            hits = np.zeros(size, dtype=np.int16)
            values = list(bucket)
            for code, value in enumerate(values):
                idx = bucket[value].idx
                codes[idx] = code
                hits[idx] += 1
            if not len(hits) or int(hits.max()) <= 1:
                self._codes[facet] = (codes, values)
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
        mask = np.zeros(len(self.keys), dtype=np.bool_)
        bucket = self.facet_postings.get(facet, {})
        for value in values:
            postings = bucket.get(value)
            if postings is not None:
                mask[postings.idx] = True
        return mask

    def alive(self) -> BoolArray:
        self._refresh()
        return self._alive_array

    def _term_scores(self, term: str, n: int, avg: float) -> tuple[IntArray, FloatArray] | None:
        postings = self.postings.get(term)
        if postings is None or not len(postings.idx):
            return None
        df = len(postings.idx)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        lengths = self._lengths_array[postings.idx]
        tf = postings.raw
        scores = tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths / avg)) * idf
        return postings.idx, scores.astype(np.float32)

    def _clause(self, clause: Clause, n: int, avg: float) -> tuple[BoolArray, FloatArray]:
        size = len(self.keys)
        cmask = np.zeros(size, dtype=np.bool_)
        cscore = np.zeros(size, dtype=np.float32)
        for alternative in clause.alternatives:
            if len(alternative.terms) == 1 and not alternative.prefixes:
                # The common case, in O(postings) rather than O(documents).
                found = self._term_scores(alternative.terms[0], n, avg)
                if found is not None:
                    idx, scores = found
                    cmask[idx] = True
                    cscore[idx] = np.maximum(cscore[idx], scores * alternative.factor)
                continue
            amask = np.ones(size, dtype=np.bool_)
            ascore = np.zeros(size, dtype=np.float32)
            ok = True
            for term in alternative.terms:
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
                pmask = np.zeros(size, dtype=np.bool_)
                pscore = np.zeros(size, dtype=np.float32)
                for prefix in alternative.prefixes:
                    for term in self.completions(prefix):
                        found = self._term_scores(term, n, avg)
                        if found is not None:
                            idx, scores = found
                            pmask[idx] = True
                            pscore[idx] = np.maximum(pscore[idx], scores)
                amask &= pmask
                ascore += pscore
            ascore *= alternative.factor
            ascore[~amask] = 0
            cmask |= amask
            np.maximum(cscore, ascore, out=cscore)
        return cmask, cscore

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
        base = self._alive_array.copy() if visible is None else (visible & self._alive_array)
        n = max(1, self._live)
        avg = float(self._lengths_array[self._alive_array].mean()) if self._live else 1.0
        relaxed = False
        if clauses:
            results = [self._clause(clause, n, avg) for clause in clauses]
            matched = np.ones(size, dtype=np.bool_)
            for cmask, _ in results:
                matched &= cmask
            if not (matched & base).any() and len(results) > 1:
                # Nothing has every word: rank documents with most of them instead.
                relaxed = True
                hits_per_doc = np.zeros(size, dtype=np.int16)
                for cmask, _ in results:
                    hits_per_doc += cmask
                need = max(1, math.ceil(len(results) / 2))
                matched = hits_per_doc >= need
            text = np.zeros(size, dtype=np.float32)
            for _, cscore in results:
                text += cscore
        else:
            matched = np.ones(size, dtype=np.bool_)
            text = np.ones(size, dtype=np.float32)
        matched &= base
        filter_masks = {
            name: self.mask_for(name, values) for name, values in (filters or {}).items() if values
        }
        final = matched.copy()
        for mask in filter_masks.values():
            final &= mask
        facet_counts: dict[str, dict[str, int]] = {}
        matched_idx: npt.NDArray[np.intp] | None = None
        for name in facets:
            others = [mask for other, mask in filter_masks.items() if other != name]
            if others:
                scope = matched.copy()
                for mask in others:
                    scope &= mask
                scope_idx = np.flatnonzero(scope)
            else:
                if matched_idx is None:
                    matched_idx = np.flatnonzero(matched)
                scope_idx = matched_idx
            counts: dict[str, int] = {}
            coded = self._codes.get(name)
            if coded is not None:
                codes, labels = coded
                picked = codes[scope_idx]
                tally = np.bincount(picked[picked >= 0], minlength=len(labels))
                counts = {labels[i]: int(tally[i]) for i in np.flatnonzero(tally)}
            else:
                scope_mask = np.zeros(size, dtype=np.bool_)
                scope_mask[scope_idx] = True
                for value, postings in self.facet_postings.get(name, {}).items():
                    count = int(np.count_nonzero(scope_mask[postings.idx]))
                    if count:
                        counts[value] = count
            facet_counts[name] = counts
        score = text.astype(np.float64)
        if boost is not None:
            score = score * boost
        candidates = np.flatnonzero(final)
        count = len(candidates)
        if sort == "relevance" or sort_column is None:
            if sort == "title":
                order = sorted(candidates.tolist(), key=lambda i: self.titles[i])
                page = order[offset : offset + limit]
            else:
                page = _top(candidates, -score[candidates], offset, limit)
        else:
            values = self._arrays[sort_column][candidates]
            descending = not sort.endswith("_asc")
            page = _top(candidates, -values if descending else values, offset, limit, tie=-score[candidates])
        hits = [Hit(self.keys[i], float(score[i]), float(text[i])) for i in page]
        return Result(count=count, hits=hits, facets=facet_counts, relaxed=relaxed)


def _top(
    candidates: npt.NDArray[np.intp],
    keys: npt.NDArray[np.float64] | npt.NDArray[np.float32],
    offset: int,
    limit: int,
    tie: npt.NDArray[np.float64] | None = None,
) -> list[int]:
    end = offset + limit
    if not len(candidates) or offset >= len(candidates):
        return []
    if end < len(candidates) // 4 and tie is None:
        part = np.argpartition(keys, end - 1)[:end]
        order = part[np.lexsort((candidates[part], keys[part]))]
    else:
        order = np.lexsort((candidates, tie, keys)) if tie is not None else np.lexsort((candidates, keys))
    return [int(i) for i in candidates[order[offset:end]]]
