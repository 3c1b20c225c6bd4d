"""From the text in the search box to clauses for the engine.

Every query word becomes one clause (all clauses must match, with a fallback to "most of
them"); a clause matches a document through any of its alternatives: the stem, the English
stem, the compound parts, a synonym (also several words: "helse, miljø og sikkerhet" ↔ HMS),
a near spelling across the Scandinavian languages, a typo correction, or — for the word being
typed — any known term starting with it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from laeringsarena.search.analysis import Analyser, Lexicon, Term, stem, synonym_groups, variants
from laeringsarena.search.engine import Alternative, Clause, Index

MAX_PHRASE = 5


@dataclass
class Plan:
    clauses: list[Clause]
    terms: set[str] = field(default_factory=set)  # for highlighting
    prefixes: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)  # what the engine did, for the person


@functools.cache
def _synonyms() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Each synonym alternative (as stems) → every alternative of its group (as stems)."""
    analyser = Analyser(Lexicon())
    table: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in synonym_groups():
        analysed: list[tuple[str, ...]] = []
        for phrase in group:
            terms = [t for t in analyser.terms(phrase) if not t.joined]
            if not terms:
                continue
            analysed.append(tuple(t.stem for t in terms))
            if len(terms) == 1 and terms[0].parts:
                analysed.append(terms[0].parts)
        for key in analysed:
            table.setdefault(key, [])
            table[key].extend(a for a in analysed if a not in table[key])
    return table


def plan(index: Index, text: str, *, as_you_type: bool = True) -> Plan:
    analysed = [t for t in index.analyser.terms(text) if not t.joined]
    typing_last = as_you_type and bool(text) and not text[-1].isspace()
    result = Plan(clauses=[])
    synonyms = _synonyms()
    i = 0
    while i < len(analysed):
        matched = False
        for length in range(min(MAX_PHRASE, len(analysed) - i), 0, -1):
            key = tuple(t.stem for t in analysed[i : i + length])
            group = synonyms.get(key)
            if group is None:
                continue
            alternatives = [Alternative(alt, 1.0 if alt == key else 0.9) for alt in group]
            if length == 1:
                alternatives += _word_alternatives(index, analysed[i], False, result)[1:]
            words = " ".join(t.word for t in analysed[i : i + length])
            result.clauses.append(Clause(words, alternatives))
            others = [" ".join(alt) for alt in group if alt != key]
            if others:
                result.notes.append(f"{words} ~ {', '.join(others)}")
            for alt in group:
                result.terms.update(alt)
            i += length
            matched = True
            break
        if matched:
            continue
        term = analysed[i]
        last = i == len(analysed) - 1
        result.clauses.append(
            Clause(term.word, _word_alternatives(index, term, typing_last and last, result))
        )
        i += 1
    return result


def _word_alternatives(index: Index, term: Term, typing: bool, result: Plan) -> list[Alternative]:
    alternatives = [Alternative((term.stem,))]
    result.terms.add(term.stem)
    english = stem(term.word, "en")
    if english != term.stem:
        alternatives.append(Alternative((english,)))
        result.terms.add(english)
    if term.parts:
        alternatives.append(Alternative(term.parts, 0.9))
        result.terms.update(term.parts)
        result.notes.append(f"{term.word} = {' + '.join(term.parts)}")
        # A part may have synonyms too: "medicinhåndtering" → legemiddel + håndtering.
        synonyms = _synonyms()
        for position, part in enumerate(term.parts):
            for alternative in synonyms.get((part,), []):
                if alternative != (part,):
                    replaced = (*term.parts[:position], *alternative, *term.parts[position + 1 :])
                    alternatives.append(Alternative(replaced, 0.8))
                    result.terms.update(alternative)
    known = index.has_term(term.stem) or index.has_term(english)
    if term.parts and all(index.has_term(part) for part in term.parts):
        known = True
    if not known and not term.parts:
        loose = index.analyser.lexicon.split_loose(term.word)
        if loose:
            parts = tuple(stem(variants().get(part, part)) for part in loose)
            term = Term(term.word, term.stem, parts, term.position)
            alternatives.append(Alternative(parts, 0.85))
            result.terms.update(parts)
            known = all(index.has_term(part) for part in parts)
    if not known:
        for near in index.near_spellings(term.stem)[:5]:
            alternatives.append(Alternative((near,), 0.85))
            result.terms.add(near)
        corrections = index.fuzzy(term.stem)
        for correction, distance in corrections:
            alternatives.append(Alternative((correction,), 0.75 if distance == 1 else 0.6))
            result.terms.add(correction)
        if corrections:
            result.notes.append(f"{term.word} → {corrections[0][0]}")
        if term.parts:
            fixed = []
            for part in term.parts:
                if index.has_term(part):
                    fixed.append(part)
                else:
                    guesses = index.fuzzy(part, limit=1)
                    if not guesses:
                        break
                    fixed.append(guesses[0][0])
            else:
                alternatives.append(Alternative(tuple(fixed), 0.7))
                result.terms.update(fixed)
    if typing and len(term.word) >= 3:
        alternatives.append(Alternative((), 0.8, prefixes=(term.word,)))
        result.prefixes.add(term.word)
        # A compound being typed: a known head and the start of the next part ("demensomsor").
        lexicon = index.analyser.lexicon
        for cut in range(len(term.word) - 2, 2, -1):
            head, rest = term.word[:cut], term.word[cut:]
            if lexicon.knows(head) and index.has_term(stem(head)):
                tail = rest[1:] if rest[0] in "se" and len(rest) > 3 else rest
                alternatives.append(Alternative((stem(head),), 0.7, prefixes=(tail,)))
                result.terms.add(stem(head))
                result.prefixes.add(tail)
                break
    return alternatives
