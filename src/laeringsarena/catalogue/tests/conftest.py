from __future__ import annotations

from collections.abc import Iterator

import pytest

from laeringsarena.catalogue import search_index


@pytest.fixture(autouse=True)
def _fresh_search_index() -> Iterator[None]:
    """Each test starts without an in-memory index (the database is new for each test)."""
    search_index.reset()
    yield
    search_index.reset()
