"""The API beyond reflections and groups: feedback, mini-courses, job exchange, questions."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from laeringsarena.community import passing_on
from laeringsarena.community.tests.conftest import add_member, colleague_at
from laeringsarena.conftest import bearer

API = "/api/v1/community"


def call(method: str, user, path: str, body: object | None = None):
    return Client().generic(
        method, f"{API}{path}", json.dumps(body or {}), content_type="application/json", **bearer(user)
    )


def test_feedback_through_the_api_is_private_to_the_two(world):
    created = call(
        "POST", world.employee, "/feedback", {"giver_id": world.leader.person.pk, "task": "Nattevakt"}
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert [i["id"] for i in call("GET", world.leader, "/feedback").json()["items"]] == [pk]
    answered = call("POST", world.leader, f"/feedback/{pk}/answer", {"answer": "Godt jobbet."})
    assert answered.status_code == 200 and answered.json()["answer"] == "Godt jobbet."
    for outsider in (world.hr, world.union_rep, world.colleague, world.beta_leader):
        response = call("GET", outsider, f"/feedback/{pk}")
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
        assert call("GET", outsider, "/feedback").json()["items"] == []
    # The one who asked cannot answer their own request.
    assert call("POST", world.employee, f"/feedback/{pk}/answer", {"answer": "x"}).status_code == 403
    bad = call("POST", world.employee, "/feedback", {"giver_id": world.beta_leader.person.pk, "task": "x"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "giver_id"


def test_mini_courses_list_sign_up_and_attendance(world):
    starts = timezone.now() + dt.timedelta(days=3)
    created = call(
        "POST", world.employee, "/mini-courses", {"title": "Sengealarmen", "starts_at": starts.isoformat()}
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    # A colleague in the unit sees it and signs up; someone elsewhere does not see it.
    assert pk in [c["id"] for c in call("GET", world.leader, "/mini-courses").json()["items"]]
    signed = call("POST", world.leader, f"/mini-courses/{pk}/registration")
    assert signed.status_code == 200 and signed.json()["invited"] is True
    assert call("GET", world.colleague, f"/mini-courses/{pk}").status_code == 404
    assert call("POST", world.colleague, f"/mini-courses/{pk}/registration").status_code == 404
    # Attendance only once it has started, by the host.
    early = call(
        "PUT", world.employee, f"/mini-courses/{pk}/attendance", {"person_ids": [world.leader.person.pk]}
    )
    assert early.status_code == 409
    assert call("PUT", world.leader, f"/mini-courses/{pk}/attendance", {"person_ids": []}).status_code == 403
    from laeringsarena.community.models import MiniCourse

    MiniCourse.objects.filter(pk=pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    done = call(
        "PUT", world.employee, f"/mini-courses/{pk}/attendance", {"person_ids": [world.leader.person.pk]}
    )
    assert done.json() == {"attended": 1}
    assert call("GET", world.leader, f"/mini-courses/{pk}").json()["attended"] is True
    assert [i.kind for i in passing_on.learning_at_work(world.leader.person)] == ["mini_course"]


def test_job_exchange_through_the_api(world):
    from laeringsarena.accounts.models import Role
    from laeringsarena.testing import factories as f

    school_leader = colleague_at(world.alpha_school, "rektor@alfa.test")
    f.RoleFactory(person=school_leader.person, role=Role.LEADER, organisation=world.alpha_school)
    offer = call(
        "POST",
        world.leader,
        "/exchange-postings",
        {"kind": "offer", "position_code": "5321", "description": "To dager hos oss."},
    ).json()
    wish = call(
        "POST",
        world.colleague,
        "/exchange-postings",
        {"kind": "wish", "position_code": "5321", "description": "Vil lære."},
    ).json()
    detail = call("GET", world.colleague, f"/exchange-postings/{wish['id']}").json()
    assert [m["posting"]["id"] for m in detail["matches"]] == [offer["id"]]
    assert detail["matches"][0]["same_position"] is True
    # Not in Beta.
    assert call("GET", world.beta_employee, f"/exchange-postings/{offer['id']}").status_code == 404
    proposed = call(
        "POST", world.colleague, f"/exchange-postings/{wish['id']}/proposals", {"match_id": offer["id"]}
    )
    assert proposed.status_code == 201 and proposed.json()["agreed"] is False
    agreement = proposed.json()["id"]
    assert call("POST", world.colleague, f"/exchange-agreements/{agreement}/approval").status_code == 403
    call("POST", world.leader, f"/exchange-agreements/{agreement}/approval")
    final = call("POST", school_leader, f"/exchange-agreements/{agreement}/approval").json()
    assert final["agreed"] is True
    wrong = call("POST", world.colleague, f"/exchange-postings/{wish['id']}/proposals", {"match_id": 999999})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "match_id"


def test_questions_through_the_api_stay_in_the_group(world, guidance):
    asked = call("POST", world.employee, f"/groups/{guidance.pk}/questions", {"title": "Hvor er skjemaet?"})
    assert asked.status_code == 201
    pk = asked.json()["id"]
    answered = call("POST", world.leader, f"/questions/{pk}/answers", {"body": "I kvalitetssystemet."})
    answer_id = answered.json()["answers"][0]["id"]
    # Only the asker accepts; a wrong answer id is a clear 400.
    assert call("PUT", world.leader, f"/questions/{pk}/accepted", {"answer_id": answer_id}).status_code == 403
    assert call("PUT", world.employee, f"/questions/{pk}/accepted", {"answer_id": 0}).status_code == 400
    accepted = call("PUT", world.employee, f"/questions/{pk}/accepted", {"answer_id": answer_id})
    assert accepted.json()["accepted_answer_id"] == answer_id
    for outsider in (world.colleague, world.hr, world.beta_employee):
        assert call("GET", outsider, f"/questions/{pk}").status_code == 404
        assert call("GET", outsider, f"/groups/{guidance.pk}/questions").status_code == 404
    # Membership is what counts: a new member sees it.
    member = colleague_at(world.alpha_home, "ny@alfa.test")
    add_member(guidance, member)
    assert call("GET", member, f"/questions/{pk}").status_code == 200
