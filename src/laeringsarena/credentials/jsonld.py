"""JSON-LD processing without the network: vendored contexts and RDFC-1.0 canonicalisation.

Canonicalisation uses PyLD's URDNA2015. RDF Dataset Canonicalization (RDFC-1.0, the W3C
Recommendation that `eddsa-rdfc-2022` names) is URDNA2015 with SHA-256 and canonical N-Quads;
the one observable difference is how string literals are escaped: RDFC-1.0 writes ``\\b \\t \\n
\\f \\r \\" \\\\`` as ECHAR and every other control character (U+0000–U+001F, U+007F) as UCHAR,
while PyLD escapes only ``\\t \\n \\r \\" \\\\`` and writes other control characters raw. Both the
first-degree hashes and the output go through ``pyld.nquads.escape``, so we install the RDFC-1.0
escaping there (the same table as digitalbazaar's rdf-canonize 5). RDFC-1.0 also asks
implementations to bound the work spent on "poison" graphs; PyLD has no such bound, so
``canonicalize`` refuses input with more than ``MAX_BLANK_NODES`` blank nodes instead.
The W3C vc-di-eddsa test vectors (tests/test_vectors.py) check the result byte for byte.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pyld.context_resolver
import pyld.nquads
from pyld import jsonld

CONTEXTS_DIR = Path(__file__).with_name("contexts")
MAX_BLANK_NODES = 200

_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_ESCAPE_RE = re.compile(r'[\x00-\x1f\x7f"\\]')


def rdfc_escape(value: str) -> str:
    """Escape a string literal as canonical N-Quads (RDFC-1.0 §4, RDF 1.2 N-Quads canonical form)."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(0)) or f"\\u{ord(m.group(0)):04X}", value)


pyld.nquads.escape = rdfc_escape  # see the module docstring


def _context_cache_key(context: dict[str, Any]) -> bytes:
    """PyLD's key for caching a processed inline (scoped) context.

    PyLD computes it with a pure-Python JSON Canonicalization (JCS) of the context on every
    typed node — a quarter of the time spent signing a credential. The key only has to be
    deterministic and unique per context content, which sorted ``json.dumps`` (C accelerated) is.
    """
    return json.dumps(context, sort_keys=True, separators=(",", ":"), default=dict).encode()


pyld.context_resolver.canonicalize = _context_cache_key


class UnknownContext(ValueError):
    """A JSON-LD context that is not vendored (verification never fetches one)."""


@cache
def _index() -> dict[str, str]:
    data: dict[str, str] = json.loads((CONTEXTS_DIR / "index.json").read_text())
    return data


@cache
def _context(url: str) -> dict[str, Any]:
    filename = _index().get(url)
    if filename is None:
        raise UnknownContext(url)
    document: dict[str, Any] = json.loads((CONTEXTS_DIR / filename).read_text())
    return document


def known_contexts() -> list[str]:
    return sorted(_index())


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD document loader serving only the vendored contexts."""
    try:
        document = _context(url)
    except UnknownContext as error:
        raise jsonld.JsonLdError(
            f"JSON-LD context {url} is not known here", "jsonld.LoadDocumentError", {"url": url}
        ) from error
    return {"contextUrl": None, "documentUrl": url, "document": document}


def canonicalize(document: dict[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document (safe mode: undefined terms fail)."""
    expanded = jsonld.expand(document, {"documentLoader": document_loader, "safe": True})
    _check_dropped(document, expanded)
    nquads: str = jsonld.normalize(
        expanded,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader},
    )
    if nquads.count("_:c14n") and len(set(re.findall(r"_:c14n\d+", nquads))) > MAX_BLANK_NODES:
        raise ValueError("too many blank nodes to canonicalise safely")
    return nquads


def _check_dropped(document: dict[str, Any], expanded: list[Any]) -> None:
    """Data Integrity's "safe mode": nothing may be dropped or left relative by expansion.

    An empty expansion of a non-empty document means everything was dropped; a ``@type`` that
    is not an absolute IRI is an undefined type (jsonld.js rejects both in safe mode, PyLD's
    safe mode does not catch the second).
    """
    if document and not expanded:
        raise ValueError("the document has no JSON-LD meaning (wrong or missing @context)")
    _check_types(expanded)


def _check_types(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _check_types(item)
    elif isinstance(node, dict):
        types = node.get("@type", [])
        for value in types if isinstance(types, list) else [types]:
            if isinstance(value, str) and ":" not in value and value != "@json":
                raise ValueError(f"undefined type {value!r} (not in any @context)")
        for key, value in node.items():
            if key not in ("@type", "@value", "@language", "@id"):
                _check_types(value)
