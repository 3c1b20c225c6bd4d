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
    memo: dict[tuple[str, str], bool] | None = None,
) -> str:
    """HTML-escaped ``text`` with matching words wrapped in ``<mark>``.

    ``memo`` (one dict per query) remembers each word's verdict across the titles and summaries
    of a result page.
    """
    if not text or not (terms or prefixes):
        return html.escape(text)
    lang = "en" if language == "en" else "nb"
    if memo is None:
        memo = {}
    out: list[str] = []
    last = 0
    for match in _WORDS.finditer(text):
        word = match.group(0)  # \w and "-" only: nothing to escape
        start = match.start()
        if start > last:
            out.append(html.escape(text[last:start]))
        last = match.end()
        verdict = memo.get((word, lang))
        if verdict is None:
            verdict = memo[word, lang] = _matches(word, analyser, terms, prefixes, lang)
        out.append(f"<mark>{word}</mark>" if verdict else word)
    out.append(html.escape(text[last:]))
    return "".join(out)


def _matches(
    word: str, analyser: Analyser, terms: set[str], prefixes: set[str] | frozenset[str], language: str
) -> bool:
    for piece in fold(word).split("-"):
        if not piece:
            continue
        stemmed, parts = analyser.stem_parts(piece, language)
        if stemmed in terms or stem(piece, "en") in terms:
            return True
        if any(part in terms for part in parts):
            return True
        if any(piece.startswith(prefix) or stemmed.startswith(prefix) for prefix in prefixes):
            return True
    return False
