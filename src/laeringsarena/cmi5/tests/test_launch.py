"""The real cmi5 launch flow, with Django's test client playing the AU (cmi5 §8, §10, §11, §9.3)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from laeringsarena.cmi5 import selectors
from laeringsarena.cmi5 import vocabulary as v
from laeringsarena.cmi5.models import AssignableUnit, AuStatus, LaunchSession, Registration, Satisfaction
from laeringsarena.cmi5.services import SESSION_LIFETIME
from laeringsarena.cmi5.tests.factories import FIRST_AU, SECOND_AU, import_test_course, structure_with
from laeringsarena.conftest import client_for
from laeringsarena.lrs import services as lrs

pytestmark = pytest.mark.django_db


@dataclass
class Au:
    """What an AU knows after being launched: its URL parameters, token and launch data."""

    url: str
    params: dict[str, str]
    token: str = ""
    launch_data: dict[str, Any] | None = None

    @property
    def actor(self) -> dict[str, Any]:
        return json.loads(self.params["actor"])

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {
            "HTTP_AUTHORIZATION": f"Basic {token if token is not None else self.token}",
            "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3",
        }

    def fetch(self) -> dict[str, Any]:
        response = Client().post(urlsplit(self.params["fetch"]).path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        return response.json()

    def start(self) -> None:
        body = self.fetch()
        self.token = body["auth-token"]
        response = Client().get(
            "/xapi/activities/state",
            {
                "stateId": "LMS.LaunchData",
                "activityId": self.params["activityId"],
                "agent": self.params["actor"],
                "registration": self.params["registration"],
            },
            **self.headers(),
        )
        assert response.status_code == 200, response.content
        self.launch_data = json.loads(response.content)

    def statement(self, verb: str, result: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        assert self.launch_data is not None
        context = json.loads(json.dumps(self.launch_data["contextTemplate"]))
        context["registration"] = self.params["registration"]
        category = [{"id": v.CATEGORY_CMI5}]
        if result and ("success" in result or "completion" in result):
            category.append({"id": v.CATEGORY_MOVEON})
        context.setdefault("contextActivities", {})["category"] = category
        statement = {
            "id": str(uuid.uuid4()),
            "actor": self.actor,
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": self.params["activityId"]},
            "context": context,
            "timestamp": timezone.now().isoformat(),
        }
        if result:
            statement["result"] = result
        statement.update(extra)
        return statement

    def send(self, *statements: dict[str, Any], token: str | None = None) -> Any:
        return Client().post(
            "/xapi/statements",
            json.dumps(list(statements)),
            content_type="application/json",
            **self.headers(token),
        )

    def send_verb(self, verb: str, scaled: float | None = None) -> Any:
        result: dict[str, Any] = {"duration": "PT30S"}
        if verb == "completed":
            result["completion"] = True
        elif verb in ("passed", "failed"):
            result["success"] = verb == "passed"
            if scaled is not None:
                result["score"] = {"scaled": scaled}
        elif verb == "initialized":
            result = {}
        response = self.send(self.statement(verb, result or None))
        assert response.status_code == 200, response.content
        return response


@pytest.fixture
def course(world):
    return import_test_course(world.alpha)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the LRS's after-commit signal (the test transaction never commits)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def launch(client: Client, au: AssignableUnit, mode: str | None = None, commit=None) -> Au:
    def post():
        return client.post(f"/cmi5/au/{au.uuid}/start", {"launch_mode": mode} if mode else {})

    response = commit(post) if commit else post()
    assert response.status_code == 302
    location = response["Location"]
    return Au(url=location, params=dict(parse_qsl(urlsplit(location).query)))


def first_au(course) -> AssignableUnit:
    return course.aus.get(publisher_id=FIRST_AU)


def statements(organisation, **filters: Any) -> list[dict[str, Any]]:
    """Statements in the municipality's LRS, read through GET /xapi/statements like any reporting tool."""
    client, secret = lrs.create_client(organisation, name="rapport")
    token = base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    params = {key: str(value) for key, value in filters.items()}
    response = Client().get(
        "/xapi/statements", params, HTTP_AUTHORIZATION=f"Basic {token}", HTTP_X_EXPERIENCE_API_VERSION="1.0.3"
    )
    assert response.status_code == 200, response.content
    return json.loads(response.content)["statements"]


def test_launch_url_carries_the_cmi5_parameters_and_the_content_is_ours(world, course):
    au = first_au(course)
    client = client_for(world.employee)
    launched = launch(client, au)
    parts = urlsplit(launched.url)
    assert parts.path == f"/cmi5/innhold/{course.uuid}/index.html"
    params = launched.params
    assert set(params) == {"endpoint", "fetch", "actor", "registration", "activityId"}
    assert params["endpoint"] == "http://testserver/xapi/"
    assert params["fetch"].startswith("http://testserver/cmi5/fetch/")
    assert params["activityId"] == au.activity_id != au.publisher_id
    person = world.employee.person
    assert launched.actor["account"]["name"] == str(person.pk)
    registration = Registration.objects.get(course=course, person=person)
    assert params["registration"] == str(registration.uuid)
    # The AU's own query string is kept beside the launch parameters.
    second = launch(client, course.aus.get(publisher_id=SECOND_AU))
    assert dict(parse_qsl(urlsplit(second.url).query))["del"] == "ekstra"
    assert second.params["registration"] == params["registration"]  # one registration per person×course
    assert client.get(parts.path).status_code == 200


def test_the_fetch_url_gives_the_token_once_and_then_the_error_the_spec_requires(world, course):
    launched = launch(client_for(world.employee), first_au(course))
    first = launched.fetch()
    assert set(first) == {"auth-token"}
    second = launched.fetch()
    assert second["error-code"] == "1"
    assert second["error-text"]
    get = Client().get(urlsplit(launched.params["fetch"]).path)
    assert get.status_code == 405
    unknown = Client().post("/cmi5/fetch/made-up-token").json()
    assert unknown["error-code"] == "2"


def test_launch_data_and_learner_preferences_are_written_before_launch(world, course):
    au = first_au(course)
    launched = launch(client_for(world.employee), au)
    launched.start()
    data = launched.launch_data
    session = LaunchSession.objects.get()
    assert data["launchMode"] == "Normal"
    assert data["launchMethod"] == "OwnWindow"
    assert data["moveOn"] == "CompletedAndPassed"
    assert data["masteryScore"] == 0.8
    assert data["launchParameters"] == '{"del": 1}'
    assert data["entitlementKey"] == {"courseStructure": "testkurs-2025"}
    assert data["returnURL"] == f"http://testserver/cmi5/kurs/{course.uuid}/"
    template = data["contextTemplate"]
    assert template["extensions"][v.EXT_SESSION_ID] == str(session.session_id)
    assert template["contextActivities"]["grouping"][0]["id"] == au.publisher_id
    preferences = Client().get(
        "/xapi/agents/profile",
        {"agent": launched.params["actor"], "profileId": "cmi5LearnerPreferences"},
        **launched.headers(),
    )
    assert preferences.status_code == 200
    assert json.loads(preferences.content)["languagePreference"].startswith("nb-NO")


def test_the_lms_records_launched_with_the_cmi5_context(world, course):
    au = first_au(course)
    launched = launch(client_for(world.employee), au)
    (statement,) = statements(world.alpha, registration=launched.params["registration"])
    assert statement["verb"]["id"] == v.LAUNCHED
    assert statement["object"]["id"] == au.activity_id
    context = statement["context"]
    assert {"id": v.CATEGORY_CMI5, "objectType": "Activity"} in context["contextActivities"]["category"]
    assert context["contextActivities"]["grouping"][0]["id"] == au.publisher_id
    session = LaunchSession.objects.get()
    extensions = context["extensions"]
    assert extensions[v.EXT_SESSION_ID] == str(session.session_id)
    assert extensions[v.EXT_LAUNCH_MODE] == "Normal"
    assert extensions[v.EXT_MOVE_ON] == "CompletedAndPassed"
    assert extensions[v.EXT_MASTERY_SCORE] == 0.8
    assert extensions[v.EXT_LAUNCH_PARAMETERS] == '{"del": 1}'
    assert extensions[v.EXT_LAUNCH_URL] == f"http://testserver/cmi5/innhold/{course.uuid}/index.html"


def test_a_whole_session_satisfies_the_block_and_the_course_once(world, course, commit):
    au = first_au(course)
    client = client_for(world.employee)
    launched = launch(client, au, commit=commit)
    launched.start()
    commit(lambda: launched.send_verb("initialized"))
    commit(lambda: launched.send_verb("completed"))
    registration = Registration.objects.get()
    assert registration.satisfied_at is None
    commit(lambda: launched.send_verb("passed", 1.0))
    commit(lambda: launched.send_verb("terminated"))
    registration.refresh_from_db()
    assert registration.satisfied_at is not None
    status = AuStatus.objects.get(registration=registration, au=au)
    assert status.completed_at and status.passed_at and status.score_scaled == 1.0
    satisfied = statements(world.alpha, registration=registration.uuid, verb=v.SATISFIED)
    objects = {s["object"]["id"]: s for s in satisfied}
    block = course.blocks.get()
    assert set(objects) == {block.activity_id, course.activity_id}
    course_statement = objects[course.activity_id]
    assert course_statement["object"]["definition"]["type"] == v.ACTIVITY_TYPE_COURSE
    assert objects[block.activity_id]["object"]["definition"]["type"] == v.ACTIVITY_TYPE_BLOCK
    session_id = str(LaunchSession.objects.get().session_id)
    assert course_statement["context"]["extensions"][v.EXT_SESSION_ID] == session_id  # the triggering session
    assert course_statement["context"]["contextActivities"]["grouping"][0]["id"] == course.publisher_id
    assert course_statement["actor"]["account"]["name"] == str(world.employee.person.pk)
    # The same statements again (a retry), and a new session with more: no second "satisfied".
    again = launch(client, au, commit=commit)
    again.start()
    commit(lambda: again.send_verb("initialized"))
    commit(lambda: again.send_verb("terminated"))
    assert len(statements(world.alpha, registration=registration.uuid, verb=v.SATISFIED)) == 2
    assert Satisfaction.objects.count() == 2
    page = client.get(f"/cmi5/kurs/{course.uuid}/").content.decode()
    assert "Kurset er fullført." in page


def test_statements_with_the_token_are_accepted_and_the_token_expires(world, course, commit):
    launched = launch(client_for(world.employee), first_au(course))
    launched.start()
    assert launched.send(launched.statement("initialized")).status_code == 200
    with time_machine.travel(timezone.now() + SESSION_LIFETIME + dt.timedelta(minutes=1)):
        assert launched.send(launched.statement("completed", {"completion": True})).status_code == 401


def test_terminated_ends_the_token_after_a_short_grace(world, course, commit):
    launched = launch(client_for(world.employee), first_au(course))
    launched.start()
    commit(lambda: launched.send_verb("initialized"))
    commit(lambda: launched.send_verb("terminated"))
    assert launched.send(launched.statement("experienced")).status_code == 200  # within the grace
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        assert launched.send(launched.statement("experienced")).status_code == 401


def test_a_new_launch_abandons_the_open_session_and_ends_its_token(world, course, commit):
    client = client_for(world.employee)
    first = launch(client, first_au(course), commit=commit)
    first.start()
    commit(lambda: first.send_verb("initialized"))
    second = launch(client, first_au(course), commit=commit)
    old, new = LaunchSession.objects.order_by("launched_at")
    assert old.abandoned_at is not None and new.is_open
    (abandoned,) = statements(world.alpha, verb=v.ABANDONED)
    assert abandoned["context"]["extensions"][v.EXT_SESSION_ID] == str(old.session_id)
    assert abandoned["result"]["duration"].startswith("PT")
    assert first.send(first.statement("completed", {"completion": True})).status_code == 401
    assert second.fetch()["auth-token"]


def test_browse_mode_does_not_count_towards_completion(world, course, commit):
    launched = launch(client_for(world.employee), first_au(course), mode="Browse", commit=commit)
    launched.start()
    assert launched.launch_data["launchMode"] == "Browse"
    commit(lambda: launched.send_verb("completed"))
    commit(lambda: launched.send_verb("passed", 1.0))
    assert not Registration.objects.get().satisfied_at
    assert AuStatus.objects.get(au=first_au(course)).completed_at is None


@pytest.mark.parametrize(
    ("move_on", "mastery", "sent", "satisfied"),
    [
        ("Passed", "0.8", [("passed", 0.9)], True),
        ("Passed", "0.8", [("completed", None)], False),
        ("Passed", "0.8", [("failed", 0.5)], False),
        ("Completed", "", [("completed", None)], True),
        ("Completed", "", [("passed", 1.0)], False),
        ("CompletedAndPassed", "0.8", [("completed", None)], False),
        ("CompletedAndPassed", "0.8", [("passed", 1.0)], False),
        ("CompletedAndPassed", "0.8", [("completed", None), ("passed", 1.0)], True),
        ("CompletedOrPassed", "0.8", [("passed", 0.8)], True),
        ("CompletedOrPassed", "0.8", [("completed", None)], True),
        ("CompletedOrPassed", "0.8", [("failed", 0.2)], False),
    ],
)
def test_move_on_criteria(world, commit, move_on, mastery, sent, satisfied):
    course = import_test_course(world.alpha, structure_with(move_on=move_on, mastery=mastery))
    launched = launch(client_for(world.employee), first_au(course), commit=commit)
    launched.start()
    commit(lambda: launched.send_verb("initialized"))
    for verb, scaled in sent:
        commit(lambda verb=verb, scaled=scaled: launched.send_verb(verb, scaled))
    commit(lambda: launched.send_verb("terminated"))
    registration = Registration.objects.get()
    assert (registration.satisfied_at is not None) is satisfied
    found = statements(world.alpha, registration=registration.uuid, verb=v.SATISFIED)
    assert len(found) == (2 if satisfied else 0)


def test_a_course_of_not_applicable_aus_is_satisfied_at_registration(world, commit):
    course = import_test_course(world.alpha, structure_with(move_on="NotApplicable", mastery=""))
    launch(client_for(world.employee), first_au(course), commit=commit)
    registration = Registration.objects.get()
    assert registration.satisfied_at is not None
    (satisfied,) = statements(world.alpha, registration=registration.uuid, activity=course.activity_id)
    assert satisfied["verb"]["id"] == v.SATISFIED
    session = satisfied["context"]["extensions"][v.EXT_SESSION_ID]
    assert session != str(LaunchSession.objects.get().session_id)  # outside an AU session: its own id


def test_statements_of_someone_else_do_not_count(world, course, commit):
    launched = launch(client_for(world.employee), first_au(course), commit=commit)
    launched.start()
    other = {"objectType": "Agent", "account": {"homePage": "http://testserver", "name": "999999"}}
    commit(lambda: launched.send(launched.statement("completed", {"completion": True}, actor=other)))
    commit(lambda: launched.send(launched.statement("passed", {"success": True}, actor=other)))
    assert not AuStatus.objects.filter(completed_at__isnull=False).exists()


def test_launch_url_for_learning_paths(world, course):
    au = first_au(course)
    assert selectors.launch_url(au.activity_id) == f"/cmi5/au/{au.uuid}/"
    assert selectors.launch_url(course.activity_id) == f"/cmi5/kurs/{course.uuid}/"
    assert selectors.launch_url("https://example.org/unknown") is None


def test_people_of_another_municipality_cannot_launch(world, course):
    response = client_for(world.beta_employee).post(f"/cmi5/au/{first_au(course).uuid}/start")
    assert response.status_code == 404
    assert not LaunchSession.objects.exists()
