"""Fixtures for the quality tests."""

from __future__ import annotations

import pytest

from laeringsarena.core.tests.test_browser import browser, demo, screenshot_dir  # noqa: F401 - shared fixtures
from laeringsarena.quality.tests.support import build


@pytest.fixture
def setup(world):
    """The world plus a sector leader (kommunalsjef), a colleague in the same unit and a school leader."""
    return build(world)
