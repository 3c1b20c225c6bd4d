"""Language-aware text analysis for Bokmål, Nynorsk, Danish and English.

The pipeline for one word: fold (case, accents, ``aa`` → ``å``, Danish/Swedish letters and
endings) → spelling variants (Nynorsk/Danish → Bokmål, from ``data/variants.csv``) → stem
(Snowball: the Norwegian stemmer for the Scandinavian languages, the English one for English)
→ compound parts (split by a lexicon: ``data/words.csv`` plus every word the index has seen).

Documents and queries go through the same functions, so that what is written in a document
and what is typed in the box meet in the middle. Pure Python; no Django.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import snowballstemmer

ANALYSER_VERSION = 1
DATA = Path(__file__).parent / "data"
SCANDINAVIAN = {"nb", "nn", "no", "da", "sv", "se"}

STOPWORDS = frozenset(
    [
        "og",
        "i",
        "på",
        "for",
        "til",
        "av",
        "med",
        "om",
        "som",
        "en",
        "et",
        "ei",
        "den",
        "det",
        "de",
        "er",
        "var",
        "å",
        "at",
        "fra",
        "har",
        "ved",
        "etter",
        "under",
        "over",
        "hva",
        "hvordan",
        "hvorfor",
        "når",
        "der",
        "her",
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "and",
        "or",
        "for",
        "with",
        "by",
        "at",
        "from",
        "is",
        "are",
        "how",
        "what",
        "eller",
        "men",
        "ikke",
        "seg",
        "sin",
        "sitt",
        "sine",
        "du",
        "jeg",
        "vi",
        "dere",
        "meg",
        "oss",
        "din",
        "ditt",
        "dine",
        "vår",
        "våre",
        "min",
        "mitt",
        "mine",
        "kva",
        "korleis",
        "kvifor",
        "eller",
        "ein",
        "eit",
        "dei",
        "ikkje",
        "eg",
        "me",
        "af",
        "og",
        "til",
        "med",
        "som",
        "den",
        "det",
        "er",
        "jer",
        "jeg",
        "vi",
        "mig",
        "os",
        "hvad",
        "hvordan",
        "hvorfor",
        "ikke",
        "eller",
    ]
)

# Endings that are not words on their own: a compound part must not be one of them.
_NOT_PARTS = frozenset(
    [
        "het",
        "hed",
        "else",
        "ing",
        "ning",
        "lig",
        "lige",
        "ige",
        "isk",
        "iske",
        "skap",
        "skab",
        "ere",
        "ene",
        "ane",
        "ast",
        "est",
        "ende",
        "ande",
    ]
)

_TRANSLATE = str.maketrans(
    {
        "ä": "æ",
        "ö": "ø",
        "ü": "y",
        "é": "e",
        "è": "e",
        "ê": "e",
        "ë": "e",
        "á": "a",
        "à": "a",
        "â": "a",
        "ó": "o",
        "ò": "o",
        "ô": "o",
        "í": "i",
        "ì": "i",
        "ú": "u",
        "ç": "c",
        "ñ": "n",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "č": "c",
        "š": "s",
        "ž": "z",
        "đ": "d",
        "ŋ": "n",
        "ŧ": "t",
    }
)
_WORD = re.compile(r"[0-9a-zæøå]+(?:[-'’][0-9a-zæøå]+)*")
# Danish/Swedish spellings of common endings, folded to Norwegian.
_ENDINGS = [(re.compile(r"tion"), "sjon"), (re.compile(r"(?<=...)hed(?=(?:en|er|ene|s)?$)"), "het")]
# Syncope before the stemmer's output: "legemiddel"/"legemidl(er)", "sykkel"/"sykl(er)".
_SYNCOPE = re.compile(r"([bdfgkmnpstv])\1?el$")
_SYNCOPE_AFTER = re.compile(r"([bdfgkmnpstv])\1l$")


_OTHER_LETTERS = re.compile(r"[^\x00-\x7fæøå]")


def fold(text: str) -> str:
    """Lower case, NFKC, accents off (æ, ø, å kept), ä/ö → æ/ø, aa → å."""
    text = unicodedata.normalize("NFKC", text).lower()
    if "aa" in text:
        text = text.replace("aa", "å")
    if _OTHER_LETTERS.search(text):
        text = text.translate(_TRANSLATE).replace("aa", "å")
        kept = []
        for char in text:
            if char in "æøå" or char.isascii():
                kept.append(char)
            else:
                base = unicodedata.normalize("NFD", char)[0]
                kept.append(base if base.isascii() else char)
        text = "".join(kept)
    return text


class Token(NamedTuple):
    """A word as written (folded) and its position in the text."""

    text: str
    position: int
    joined: bool = False  # the joined form of a hyphenated word ("hjertelungeredning")


def tokenise(text: str) -> list[Token]:
    """Words of a text; hyphenated words give their parts and the joined word."""
    tokens: list[Token] = []
    position = 0
    for match in _WORD.finditer(fold(text)):
        word = match.group(0).replace("’", "'")
        if "'" in word:
            word = word.split("'")[0]
        if "-" in word:
            parts = [part for part in word.split("-") if part]
            for part in parts:
                tokens.append(Token(part, position))
                position += 1
            tokens.append(Token("".join(parts), position - 1, joined=True))
            continue
        tokens.append(Token(word, position))
        position += 1
    return tokens


def _words_of(text: str) -> Iterator[str]:
    """The words of a text as tokenise() gives them, without positions (fast)."""
    for word in _WORD.findall(fold(text)):
        if "'" in word or "’" in word:
            word = word.replace("’", "'").split("'")[0]
        if "-" in word:
            parts = [part for part in word.split("-") if part]
            yield from parts
            yield "".join(parts)
        else:
            yield word


def _load_csv(name: str) -> list[list[str]]:
    rows: list[list[str]] = []
    with (DATA / name).open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.lstrip().startswith("#"))
        for row in csv.reader(lines):
            cells = [cell.strip() for cell in row if cell.strip()]
            if cells:
                rows.append(cells)
    return rows


@functools.cache
def variants() -> dict[str, str]:
    return {fold(row[0]): fold(row[1]) for row in _load_csv("variants.csv") if len(row) >= 2}


@functools.cache
def base_words() -> frozenset[str]:
    return frozenset(fold(row[0]) for row in _load_csv("words.csv"))


@functools.cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row) for row in _load_csv("synonyms.csv") if len(row) >= 2)


_STEMMERS: dict[str, snowballstemmer.stemmer] = {}


def _stemmer(kind: str) -> snowballstemmer.stemmer:
    if kind not in _STEMMERS:
        _STEMMERS[kind] = snowballstemmer.stemmer(kind)
    return _STEMMERS[kind]


def _fold_endings(word: str) -> str:
    for pattern, replacement in _ENDINGS:
        word = pattern.sub(replacement, word)
    return word


@functools.lru_cache(maxsize=200_000)
def stem(word: str, language: str = "nb") -> str:
    """The stem of one folded word (after spelling variants)."""
    if len(word) <= 2 or word.isdigit():
        return word
    word = variants().get(word, word)
    word = _fold_endings(word)
    word = variants().get(word, word)
    if language == "en":
        return _stemmer("english").stemWord(word)
    stemmed: str = _stemmer("norwegian").stemWord(word)
    if len(stemmed) >= 5:
        stemmed = _SYNCOPE.sub(r"\1l", stemmed)
        stemmed = _SYNCOPE_AFTER.sub(r"\1l", stemmed)
    return stemmed


class Lexicon:
    """Known words for compound splitting: the base list plus words seen in indexed text."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words: set[str] = set(base_words())
        self.words.update(words)
        self.stems: set[str] = {stem(word) for word in self.words}
        self._cache: dict[str, tuple[str, ...]] = {}

    def add(self, word: str) -> None:
        if word not in self.words and len(word) >= 3 and not word.isdigit():
            self.words.add(word)
            self.stems.add(stem(word))
            self._cache.clear()

    def knows(self, word: str, *, tail: bool = False) -> bool:
        if len(word) < 3 or word in _NOT_PARTS:
            return False
        word = variants().get(word, word)
        if word in self.words:
            return True
        return (tail or self._loose) and len(word) >= 4 and stem(word) in self.stems

    _loose = False

    def split_loose(self, word: str) -> tuple[str, ...]:
        """Like split(), but a head may be any form of a known word ("legemidel" ~ "legemidler").

        Used for query words the index does not know, where a looser guess beats no match.
        """
        key = "~" + word
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        self._loose = True
        try:
            best = self._split(word, depth=3, top=True) if len(word) >= 7 and word.isalpha() else None
        finally:
            self._loose = False
        result = tuple(best) if best and len(best) > 1 else ()
        self._cache[key] = result
        return result

    def split(self, word: str) -> tuple[str, ...]:
        """Compound parts of a folded word, or () if it is not a known compound.

        Fewest parts win; ties go to the split with the longest shortest part. Linking
        letters (``s``, ``e``) between parts are allowed: ``hverdagsrehabilitering``.
        """
        if len(word) < 7 or not word.isalpha():
            return ()
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        best = self._split(word, depth=3, top=True)
        result = tuple(best) if best and len(best) > 1 else ()
        self._cache[word] = result
        return result

    def _split(self, word: str, depth: int, top: bool = False) -> list[str] | None:
        if not top and self.knows(word, tail=True):
            return [word]
        if depth == 1:
            return None
        best: list[str] | None = None
        for cut in range(3, len(word) - 2):
            head, rest = word[:cut], word[cut:]
            heads = []
            if self.knows(head):
                heads.append((head, rest))
            if rest[0] in "se" and len(rest) > 3 and self.knows(head):
                heads.append((head, rest[1:]))
            for head_word, tail in heads:
                tail_parts = self._split(tail, depth - 1)
                if tail_parts is None:
                    continue
                candidate = [head_word, *tail_parts]
                if best is None or (len(candidate), -min(map(len, candidate))) < (
                    len(best),
                    -min(map(len, best)),
                ):
                    best = candidate
        return best


class Term(NamedTuple):
    """One analysed word: its stem and, for a compound, the stems of its parts."""

    word: str
    stem: str
    parts: tuple[str, ...] = ()
    position: int = 0
    joined: bool = False


@dataclass
class Analyser:
    """Analyses documents and queries with one lexicon."""

    lexicon: Lexicon = field(default_factory=Lexicon)
    _words: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = field(default_factory=dict, repr=False)

    def stems(self, text: str, language: str = "nb") -> Iterator[tuple[str, tuple[str, ...]]]:
        """(stem, compound part stems) of every word: the fast path for indexing documents."""
        lang = "en" if language == "en" else "nb"
        cache = self._words
        for word in _words_of(text):
            if word in STOPWORDS:
                continue
            found = cache.get((word, lang))
            if found is None:
                term = self.term(word, lang)
                found = cache[word, lang] = (term.stem, term.parts)
            yield found

    def stem_parts(self, word: str, language: str = "nb") -> tuple[str, tuple[str, ...]]:
        """(stem, compound part stems) of one folded word, from the same cache as :meth:`stems`."""
        lang = "en" if language == "en" else "nb"
        found = self._words.get((word, lang))
        if found is None:
            term = self.term(word, lang)
            found = self._words[word, lang] = (term.stem, term.parts)
        return found

    def terms(self, text: str, language: str = "nb") -> Iterator[Term]:
        lang = "en" if language == "en" else "nb"
        for token in tokenise(text):
            word = token.text
            if word in STOPWORDS:
                continue
            yield self.term(word, lang, token.position, joined=token.joined)

    def term(self, word: str, language: str = "nb", position: int = 0, *, joined: bool = False) -> Term:
        stemmed = stem(word, language)
        parts: tuple[str, ...] = ()
        if language != "en":
            split = self.lexicon.split(word)
            if split:
                parts = tuple(stem(variants().get(part, part)) for part in split)
        return Term(word, stemmed, parts, position, joined)

    def learn(self, text: str) -> None:
        """Add a document's words to the lexicon (the index's own vocabulary)."""
        known = self.lexicon.words
        for word in _words_of(text):
            if word not in known and word not in STOPWORDS:
                self.lexicon.add(word)
                self._words.clear()  # splits may change with a new word


# ---------------------------------------------------------------------------------------------
# Typo tolerance: symmetric deletes (SymSpell) over the index vocabulary.


def deletes(word: str) -> set[str]:
    """The word and every form with one letter removed."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau–Levenshtein distance (adjacent transpositions count 1), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
        if min(previous) > limit:
            return limit + 1
    return previous[-1]


def allowed_typos(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def skeleton(word: str) -> str:
    """A spelling skeleton for near-spellings across the Scandinavian languages.

    Voiced/voiceless consonant pairs merge, doubled letters collapse, ``c`` becomes ``k``/``s``
    and ``j`` after a vowel becomes ``i`` (Danish *pleje* ~ Norwegian *pleie*).
    """
    word = re.sub(r"c(?=[eiy])", "s", word).replace("c", "k").replace("ph", "f").replace("x", "ks")
    word = word.replace("w", "v").replace("z", "s").replace("q", "k")
    word = re.sub(r"(?<=[aeiouyæøå])j", "i", word)
    word = word.translate(str.maketrans("bdg", "ptk"))
    return re.sub(r"(.)\1+", r"\1", word)
