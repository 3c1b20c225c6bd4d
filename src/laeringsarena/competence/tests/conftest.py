"""Fixtures for the competence tests."""

from __future__ import annotations

from laeringsarena.core.tests.test_browser import browser, demo, screenshot_dir  # noqa: F401 - shared fixtures
