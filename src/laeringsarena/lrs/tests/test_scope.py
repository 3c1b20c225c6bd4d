"""Scoped clients (e.g. a cmi5 AU's auth token): only their actor's and registration's records."""

from __future__ import annotations

import json
import urllib.parse
import uuid

from laeringsarena.lrs import services
from laeringsarena.lrs.tests.factories import XapiClient, statement

KARI = {"objectType": "Agent", "name": "Kari", "mbox": "mailto:kari0@example.org"}
OLA = {"objectType": "Agent", "name": "Ola", "mbox": "mailto:ola@example.org"}
AU = "https://laeringsarena.example/activities/au/1"


def _scoped(world, registration: str, **kwargs) -> XapiClient:
    scope = services.ClientScope(agent=KARI, registration=registration, **kwargs)
    return XapiClient(world.alpha, scope=scope)


def _own(registration: str, **overrides) -> dict:
    fields = {
        "actor": KARI,
        "object": {"objectType": "Activity", "id": AU},
        "context": {"registration": registration},
    }
    return statement(**{**fields, **overrides})


def test_a_scoped_client_reads_only_its_own_actors_statements_of_its_registration(world):
    registration = str(uuid.uuid4())
    full = XapiClient(world.alpha)
    [colleague] = full.post("statements", statement(actor=OLA)).json()
    [other_registration] = full.post("statements", _own(str(uuid.uuid4()))).json()
    au = _scoped(world, registration)
    [own] = au.post("statements", _own(registration)).json()

    listed = au.get("statements").json()["statements"]
    assert [s["id"] for s in listed] == [own]
    assert au.get("statements", {"statementId": own}).status_code == 200
    assert au.get("statements", {"statementId": colleague}).status_code == 404
    assert au.get("statements", {"statementId": other_registration}).status_code == 404
    # Asking for the colleague explicitly does not widen the scope.
    asked = au.get("statements", {"agent": json.dumps(OLA)}).json()["statements"]
    assert asked == []
    # The unscoped client still sees everything.
    assert len(full.get("statements").json()["statements"]) == 3


def test_a_scoped_client_cannot_send_statements_of_another_actor_or_registration_or_void(world):
    registration = str(uuid.uuid4())
    au = _scoped(world, registration)
    other_actor = statement(actor=OLA, object={"id": AU}, context={"registration": registration})
    response = au.post("statements", other_actor)
    assert response.status_code == 403 and "actor" in response.json()["error"]
    response = au.post("statements", _own(str(uuid.uuid4())))
    assert response.status_code == 403 and "registration" in response.json()["error"]
    assert au.post("statements", statement(actor=KARI)).status_code == 403  # no registration

    [own] = au.post("statements", _own(registration)).json()
    voiding = _own(
        registration,
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": own},
    )
    response = au.post("statements", voiding)
    assert response.status_code == 403 and "void" in response.json()["error"]
    assert XapiClient(world.alpha).get("statements", {"statementId": own}).status_code == 200
    # Nothing of a refused batch is stored.
    batch = [_own(registration), statement(actor=OLA)]
    assert au.post("statements", batch).status_code == 403
    assert len(au.get("statements").json()["statements"]) == 1


def test_a_scoped_client_uses_only_its_own_state_and_agent_profile(world):
    registration = str(uuid.uuid4())
    au = _scoped(world, registration, activity_prefix="https://laeringsarena.example/activities/au/")

    def state_path(agent: dict, reg: str, activity: str = AU) -> str:
        query = {"activityId": activity, "agent": json.dumps(agent), "stateId": "s", "registration": reg}
        return "activities/state?" + urllib.parse.urlencode(query)

    assert au.put(state_path(KARI, registration), {"a": 1}).status_code == 204
    assert au.get(state_path(KARI, registration)).json() == {"a": 1}
    assert au.get(state_path(OLA, registration)).status_code == 403
    assert au.put(state_path(OLA, registration), {"a": 2}).status_code == 403
    assert au.get(state_path(KARI, str(uuid.uuid4()))).status_code == 403
    other_activity = "https://laeringsarena.example/activities/other"
    assert au.get(state_path(KARI, registration, other_activity)).status_code == 403

    profile = {"agent": json.dumps(OLA), "profileId": "cmi5LearnerPreferences"}
    assert au.get("agents/profile?" + urllib.parse.urlencode(profile)).status_code == 403
    own_profile = {"agent": json.dumps(KARI), "profileId": "cmi5LearnerPreferences"}
    assert au.get("agents/profile?" + urllib.parse.urlencode(own_profile)).status_code == 404
    assert au.get("agents", {"agent": json.dumps(OLA)}).status_code == 403
    assert au.get("activities", {"activityId": other_activity}).status_code == 403
    activity_profile = {"activityId": AU, "profileId": "p"}
    path = "activities/profile?" + urllib.parse.urlencode(activity_profile)
    assert au.put(path, {"x": 1}, HTTP_IF_NONE_MATCH="*").status_code == 403


def test_a_scoped_client_may_void_when_allowed(world):
    registration = str(uuid.uuid4())
    au = _scoped(world, registration, can_void=True)
    [own] = au.post("statements", _own(registration)).json()
    voiding = _own(
        registration,
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": own},
    )
    assert au.post("statements", voiding).status_code == 200
    assert au.get("statements", {"voidedStatementId": own}).status_code == 200
