"""Fixtures for the guidance tests: fresh in-memory indexes for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from laeringsarena.catalogue import search_index
from laeringsarena.guidance import engine


@pytest.fixture(autouse=True)
def _fresh_indexes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    search_index.reset()
    engine.reset()
    monkeypatch.setattr(engine, "RECHECK_SECONDS", 0.0)
    yield
    search_index.reset()
    engine.reset()
