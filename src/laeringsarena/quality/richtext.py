"""Rich text for procedures: a small Markdown subset, rendered on the server and sanitised.

Authors write Markdown (headings, bold, italics, lists, numbered steps, links, tables, quotes);
Python-Markdown turns it into HTML and nh3 (the Rust ``ammonia`` sanitiser) keeps only the tags
and attributes below, so pasted HTML, scripts, event handlers, styles and ``javascript:`` links
never reach a reader's browser. Single line breaks are kept, as people type them.
"""

from __future__ import annotations

import html as html_lib

import markdown  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "a", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
EXTENSIONS = ["nl2br", "sane_lists", "tables"]


def render(text: str) -> SafeString:
    """Markdown → sanitised HTML, safe to put in a template as it is."""
    html = markdown.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    # Headings start at h2: the page's h1 is the document title, so "# x" moves one level down.
    if "<h1>" in html:
        for level in (3, 2, 1):
            html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def plain_text(text: str) -> str:
    """The words only (for search and snippets): rendered, then every tag removed."""
    html = markdown.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    return " ".join(html_lib.unescape(nh3.clean(html, tags=set())).split())
