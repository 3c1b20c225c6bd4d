"""Basic auth with per-organisation clients: isolation, revocation, expiry; the CLI."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from laeringsarena.lrs import services
from laeringsarena.lrs.agents import agent_for, person_for
from laeringsarena.lrs.signals import statements_stored
from laeringsarena.lrs.tests.factories import XapiClient, statement
from laeringsarena.lrs.validation import StatementError


def test_a_client_of_one_municipality_cannot_read_the_others_statements(world):
    alpha, beta = XapiClient(world.alpha), XapiClient(world.beta)
    [statement_id] = alpha.post("statements", statement()).json()
    assert alpha.get("statements", {"statementId": statement_id}).status_code == 200
    assert beta.get("statements", {"statementId": statement_id}).status_code == 404
    assert beta.get("statements").json()["statements"] == []


def test_missing_wrong_revoked_and_expired_credentials_get_401(world):
    lrs = XapiClient(world.alpha)
    http = Client()
    version = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    assert http.get("/xapi/statements", **version).status_code == 401
    wrong = base64.b64encode(f"{lrs.key}:wrong".encode()).decode()
    response = http.get("/xapi/statements", HTTP_AUTHORIZATION=f"Basic {wrong}", **version)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Basic")
    services.revoke_client(lrs.lrs_client)
    assert lrs.get("statements").status_code == 401
    expired = XapiClient(world.alpha)
    expired.lrs_client.expires_at = timezone.now() - dt.timedelta(seconds=1)
    expired.lrs_client.save()
    assert expired.get("statements").status_code == 401


def test_cli_create_list_and_revoke(world):
    out = io.StringIO()
    call_command("lrs", "create-client", "--org", "alfa", "--json", stdout=out)
    credentials = json.loads(out.getvalue())
    assert set(credentials) == {"key", "secret"}
    token = base64.b64encode(f"{credentials['key']}:{credentials['secret']}".encode()).decode()
    auth = {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    assert Client().get("/xapi/statements", **auth).status_code == 200
    out = io.StringIO()
    call_command("lrs", "list-clients", "--org", "alfa", "--json", stdout=out)
    assert credentials["key"] in out.getvalue() and credentials["secret"] not in out.getvalue()
    call_command("lrs", "revoke-client", credentials["key"], stdout=io.StringIO())
    assert Client().get("/xapi/statements", **auth).status_code == 401


def test_record_statements_validates_stores_and_signals_after_commit(
    world, django_capture_on_commit_callbacks
):
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, organisation: Any, statements: list[dict[str, Any]], **kwargs: Any) -> None:
        received.extend(statements)

    statements_stored.connect(receiver)
    try:
        person = world.employee.person
        with django_capture_on_commit_callbacks(execute=True):
            ids = services.record_statements(world.alpha, [statement(actor=agent_for(person))])
        assert [s["id"] for s in received] == ids
        assert received[0]["stored"] and received[0]["authority"]
        assert person_for(received[0]["actor"]) == person
        try:
            services.record_statements(world.alpha, [statement(actor={"name": "nobody"})])
        except StatementError as error:
            assert "statement.actor" in str(error)
        else:
            raise AssertionError("a bad statement was accepted")
    finally:
        statements_stored.disconnect(receiver)


def test_state_documents_for_internal_callers(world):
    agent = agent_for(world.employee.person)
    activity = "https://laeringsarena.example/au/1"
    services.put_state(
        world.alpha,
        activity_id=activity,
        agent=agent,
        state_id="LMS.LaunchData",
        registration=None,
        content=b'{"launchMode": "Normal"}',
        content_type="application/json",
    )
    content, content_type = services.get_state(
        world.alpha, activity_id=activity, agent=agent, state_id="LMS.LaunchData", registration=None
    ) or (b"", "")
    assert json.loads(content) == {"launchMode": "Normal"} and content_type == "application/json"
    assert (
        services.get_state(
            world.beta, activity_id=activity, agent=agent, state_id="LMS.LaunchData", registration=None
        )
        is None
    )
