"""Who may open the lrs app's views and API operations (see core/tests/test_access.py)."""

from __future__ import annotations

from laeringsarena.lrs.models import LrsClient
from laeringsarena.testing.access import ALLOW, NOT_ALLOWED, Expectations, always, only

# The xAPI resources do not use the web session: they answer every caller (with the xAPI error
# 400 for a missing X-Experience-API-Version header, then 401 without Basic client credentials).
# Who may read what is tested in lrs/tests/test_xapi_auth.py with real clients.
XAPI = {None: always(ALLOW)}

WEB: dict[str, Expectations] = {
    "lrs:clients": {None: only("hr", "admin")},
    "lrs:client_revoke": {"demo_client": always(NOT_ALLOWED)},
    "lrs:xapi_about": XAPI,
    "lrs:xapi_statements": XAPI,
    "lrs:xapi_state": XAPI,
    "lrs:xapi_activity_profile": XAPI,
    "lrs:xapi_activities": XAPI,
    "lrs:xapi_agent_profile": XAPI,
    "lrs:xapi_agents": XAPI,
}
API: dict[str, Expectations] = {}


def targets() -> dict[str, dict[str, object]]:
    client = LrsClient.objects.filter(organisation__slug="fjordvik").order_by("pk").first()
    return {"demo_client": {"pk": client.pk if client else 0}}
