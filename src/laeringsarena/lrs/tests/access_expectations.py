"""Who may open the lrs app's views and API operations (see core/tests/test_access.py)."""

from __future__ import annotations

from laeringsarena.testing.access import Expectations

WEB: dict[str, Expectations] = {}
API: dict[str, Expectations] = {}
