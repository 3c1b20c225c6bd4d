"""Who may open the lrs app's views and API operations (see core/tests/test_access.py)."""

from __future__ import annotations

from laeringsarena.testing.access import ALLOW, Expectations, always

# The xAPI resources do not use the web session: they answer every caller (with the xAPI error
# 400 for a missing X-Experience-API-Version header, then 401 without Basic client credentials).
# Who may read what is tested in lrs/tests/test_xapi_auth.py with real clients.
XAPI = {None: always(ALLOW)}

WEB: dict[str, Expectations] = {
    "lrs:xapi_about": XAPI,
    "lrs:xapi_statements": XAPI,
    "lrs:xapi_state": XAPI,
    "lrs:xapi_activity_profile": XAPI,
    "lrs:xapi_activities": XAPI,
    "lrs:xapi_agent_profile": XAPI,
    "lrs:xapi_agents": XAPI,
}
API: dict[str, Expectations] = {}
