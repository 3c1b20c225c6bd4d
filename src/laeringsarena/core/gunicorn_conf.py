"""gunicorn settings for ``laeringsarena serve`` (passed as ``--config python:…``).

The application is loaded once in the master (``preload_app``) and the catalogue's search
index is built there before any worker is forked: workers share its pages copy-on-write and
answer their first search at once, instead of each spending a minute (at 100k offerings)
reading and analysing the catalogue on somebody's request. Set
``LAERINGSARENA_SEARCH_PRELOAD=false`` to skip it (each worker then builds on first use).
"""

from __future__ import annotations

import os
import time
from typing import Any

preload_app = True


def _enabled() -> bool:
    return os.environ.get("LAERINGSARENA_SEARCH_PRELOAD", "true").strip().lower() not in {
        "0",
        "false",
        "no",
        "off",
    }


def when_ready(server: Any) -> None:
    """Runs in the master after the app is loaded, before the first worker is forked."""
    from django.db import connections
    from django.urls import get_resolver

    # Import every view and API module now (≈ 2 s of imports and schema building), once,
    # rather than in each worker's first request.
    get_resolver().url_patterns  # noqa: B018 - the attribute access does the importing
    if not _enabled():
        return

    try:
        from laeringsarena.catalogue import search_index

        started = time.perf_counter()
        index = search_index.engine()
        server.log.info(
            "Search index ready before fork: %s offerings in %.1f s",
            index.size,
            time.perf_counter() - started,
        )
    except Exception:  # e.g. not migrated yet: workers then build on first use
        server.log.exception("Search index not built before fork; workers build it on first use")
    finally:
        # Never hand an open database connection to forked workers.
        connections.close_all()
