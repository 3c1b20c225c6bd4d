"""Who may open the competence app's views and API operations."""

from __future__ import annotations

from laeringsarena.competence.models import Framework
from laeringsarena.testing.access import Expectations, logged_in, only

WEB: dict[str, Expectations] = {}

API: dict[str, Expectations] = {
    "GET /api/v1/competence/frameworks": {None: logged_in},
    "GET /api/v1/competence/frameworks/{framework_id}": {"digcomp": logged_in},
    "GET /api/v1/competence/frameworks/{framework_id}/export": {"digcomp": logged_in},
    "POST /api/v1/competence/organisations/{slug}/frameworks": {
        "fjordvik_slug": only("hr", "admin"),
        "nordoy_slug": only("admin"),
    },
    # Without ?unit= every logged-in caller gets 400; unit scoping is tested in test_gaps.py.
    "GET /api/v1/competence/gaps": {None: logged_in},
}


def targets() -> dict[str, dict[str, object]]:
    digcomp = Framework.objects.get(slug="digcomp", version="2.2", owner__isnull=True)
    return {"digcomp": {"framework_id": digcomp.pk}}
