"""Mark the words of a text that matched the query."""

from __future__ import annotations

import html
import re

from laeringsarena.search.analysis import Analyser, fold, stem

_WORDS = re.compile(r"\w+(?:-\w+)*", re.UNICODE)


def highlight(
    text: str,
    analyser: Analyser,
    terms: set[str],
    prefixes: set[str] | frozenset[str] = frozenset(),
    language: str = "nb",
) -> str:
    """HTML-escaped ``text`` with matching words wrapped in ``<mark>``."""
    if not text or not (terms or prefixes):
        return html.escape(text)
    lang = "en" if language == "en" else "nb"
    out: list[str] = []
    last = 0
    for match in _WORDS.finditer(text):
        word = match.group(0)
        out.append(html.escape(text[last : match.start()]))
        last = match.end()
        if _matches(word, analyser, terms, prefixes, lang):
            out.append(f"<mark>{html.escape(word)}</mark>")
        else:
            out.append(html.escape(word))
    out.append(html.escape(text[last:]))
    return "".join(out)


def _matches(
    word: str, analyser: Analyser, terms: set[str], prefixes: set[str] | frozenset[str], language: str
) -> bool:
    for piece in fold(word).split("-"):
        if not piece:
            continue
        analysed = analyser.term(piece, language)
        if analysed.stem in terms or stem(piece, "en") in terms:
            return True
        if any(part in terms for part in analysed.parts):
            return True
        if any(piece.startswith(prefix) or analysed.stem.startswith(prefix) for prefix in prefixes):
            return True
    return False
