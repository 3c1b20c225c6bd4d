"""Development plans, course requests, talks, competence plans with årshjul, career ladders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from laeringsarena.competence import services as competence_services
from laeringsarena.competence.models import Framework
from laeringsarena.conftest import bearer, client_for
from laeringsarena.plans import ical
from laeringsarena.plans.models import (
    CareerLadder,
    CompetencePlan,
    CourseRequest,
    CycleEvent,
    DevelopmentTalk,
    LadderStep,
    PlanItem,
    StepCriterion,
)


@pytest.fixture
def health(db):
    return Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True)


def test_me_plan_is_empty_at_first_and_shows_a_wish_the_employee_flags(world):
    api = Client()
    first = api.get("/api/v1/me/plan", **bearer(world.employee))
    assert first.status_code == 200
    assert first.json()["items"] == []
    created = api.post(
        "/api/v1/me/plan/items",
        {"kind": "job_exchange", "title": "Hospitering i hjemmetjenesten", "goal": "Lære velferdsteknologi"},
        content_type="application/json",
        **bearer(world.employee),
    )
    assert created.status_code == 201
    body = api.get("/api/v1/me/plan", **bearer(world.employee)).json()
    assert body["person_id"] == world.employee.person_id
    item = body["items"][0]
    assert (item["title"], item["status"], item["wished_by_employee"]) == (
        "Hospitering i hjemmetjenesten",
        "wish",
        True,
    )
    # Somebody else's plan is not theirs to read through /me/plan.
    assert api.get("/api/v1/me/plan", **bearer(world.colleague)).json()["items"] == []


def test_me_plan_needs_login(db):
    response = Client().get("/api/v1/me/plan")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_employee_cannot_turn_their_own_wish_into_a_plan_but_the_leader_can(world):
    client_for(world.employee).post(
        "/min-plan/", {"action": "add", "kind": "network", "title": "Fagnettverk"}
    )
    item = PlanItem.objects.get(title="Fagnettverk")
    response = client_for(world.employee).post(
        "/min-plan/", {"action": "update", "item": item.pk, "status": "planned"}
    )
    assert response.status_code == 403
    leader = client_for(world.leader)
    url = f"/personer/{world.employee.person_id}/utviklingsplan/"
    assert "Fagnettverk" in leader.get(url).content.decode()
    leader.post(url, {"action": "update", "item": item.pk, "status": "planned", "progress": "30"})
    item.refresh_from_db()
    assert (item.status, item.progress) == ("in_progress", 30)


def test_course_request_approved_and_enrolled_with_history(world):
    client_for(world.employee).post(
        "/min-plan/", {"action": "request", "title": "Kurs i sårbehandling", "motivation": "Trykksår"}
    )
    request = CourseRequest.objects.get(title="Kurs i sårbehandling")
    assert request.unit == world.alpha_home
    leader = client_for(world.leader)
    assert "Kurs i sårbehandling" in leader.get("/kursforesporsler/").content.decode()
    leader.post(
        f"/kursforesporsler/{request.pk}/",
        {"action": "approve", "time_off_hours": "7,5", "cover": "Vikar", "cost_nok": "3 500"},
    )
    request.refresh_from_db()
    assert request.status == "approved"
    assert (str(request.time_off_hours), request.cover, str(request.cost_nok)) == ("7.5", "Vikar", "3500.00")
    assert request.plan_item is not None and request.plan_item.status == "planned"
    leader.post(f"/kursforesporsler/{request.pk}/", {"action": "enrol"})
    request.refresh_from_db()
    assert request.status == "enrolled"
    assert list(request.events.values_list("status", flat=True)) == ["submitted", "approved", "enrolled"]
    page = client_for(world.employee).get(f"/kursforesporsler/{request.pk}/").content.decode()
    assert "Påmeldt" in page


def test_rejection_needs_a_reason_and_is_kept_in_history(world):
    client_for(world.employee).post("/min-plan/", {"action": "request", "title": "Lederkurs"})
    request = CourseRequest.objects.get(title="Lederkurs")
    leader = client_for(world.leader)
    assert leader.post(f"/kursforesporsler/{request.pk}/", {"action": "reject"}).status_code == 400
    leader.post(f"/kursforesporsler/{request.pk}/", {"action": "reject", "reason": "Ikke budsjett i år"})
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == ("rejected", "Ikke budsjett i år")
    assert request.events.last().note == "Ikke budsjett i år"


def test_employee_cannot_approve_their_own_request_and_other_leaders_cannot_see_it(world):
    client_for(world.employee).post("/min-plan/", {"action": "request", "title": "Eget kurs"})
    request = CourseRequest.objects.get(title="Eget kurs")
    assert (
        client_for(world.employee).post(f"/kursforesporsler/{request.pk}/", {"action": "approve"}).status_code
        == 403
    )
    assert client_for(world.beta_leader).get(f"/kursforesporsler/{request.pk}/").status_code == 404
    assert client_for(world.union_rep).get(f"/kursforesporsler/{request.pk}/").status_code == 404


def test_development_talk_with_competence_topic_and_both_confirmations(world):
    leader = client_for(world.leader)
    leader.post(
        f"/personer/{world.employee.person_id}/utviklingsplan/",
        {"action": "talk", "scheduled_on": "2030-05-02"},
    )
    talk = DevelopmentTalk.objects.get(person_id=world.employee.person_id)
    employee = client_for(world.employee)
    page = employee.get(f"/samtaler/{talk.pk}/").content.decode()
    assert "Er det noe du ønsker å lære?" in page
    employee.post(f"/samtaler/{talk.pk}/", {"action": "prepare", "competence": "Demensomsorg"})
    assert "Demensomsorg" in leader.get(f"/samtaler/{talk.pk}/").content.decode()
    leader.post(f"/samtaler/{talk.pk}/", {"action": "record", "agreed_actions": "Veiledning fra høsten"})
    employee.post(f"/samtaler/{talk.pk}/", {"action": "confirm"})
    talk.refresh_from_db()
    assert talk.status == "held"
    leader.post(f"/samtaler/{talk.pk}/", {"action": "confirm"})
    talk.refresh_from_db()
    assert talk.status == "confirmed"
    assert talk.employee_preparation["competence"] == "Demensomsorg"


def _plan(world) -> CompetencePlan:
    plan = CompetencePlan.objects.create(
        organisation=world.alpha_home,
        title="Kompetanseplan, sykehjem; 2030",
        period_start=dt.date(2030, 1, 1),
        period_end=dt.date(2031, 12, 31),
    )
    CycleEvent.objects.create(
        plan=plan,
        kind="talks",
        title="Medarbeidersamtaler, våren – alle ansatte på avdelingene skal ha hatt samtale før påske",
        starts_on=dt.date(2030, 3, 1),
        ends_on=dt.date(2030, 4, 30),
    )
    return plan


def test_union_rep_reads_comments_and_signs_off_a_competence_plan(world):
    plan = _plan(world)
    union = client_for(world.union_rep)
    assert union.get(f"/kompetanseplaner/{plan.pk}/").status_code == 200
    union.post(f"/kompetanseplaner/{plan.pk}/", {"action": "comment", "text": "Husk nattevaktene"})
    union.post(f"/kompetanseplaner/{plan.pk}/", {"action": "sign"})
    page = client_for(world.leader).get(f"/kompetanseplaner/{plan.pk}/").content.decode()
    assert "Husk nattevaktene" in page
    assert plan.signoffs.get().role == "union_representative"
    # …but never individual plans.
    assert union.get(f"/personer/{world.employee.person_id}/utviklingsplan/").status_code == 404
    assert client_for(world.beta_leader).get(f"/kompetanseplaner/{plan.pk}/").status_code == 404
    assert client_for(world.employee).get(f"/kompetanseplaner/{plan.pk}/").status_code == 403


def test_arshjul_is_valid_icalendar(world):
    plan = _plan(world)
    response = client_for(world.leader).get(f"/kompetanseplaner/{plan.pk}/arshjul.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20300301" in unfolded
    assert "DTEND;VALUE=DATE:20300501" in unfolded  # exclusive end
    assert "RRULE:FREQ=YEARLY;UNTIL=20311231" in unfolded
    assert "SUMMARY:Medarbeidersamtaler\\, våren – alle ansatte" in unfolded
    assert "X-WR-CALNAME:Årshjul – Kompetanseplan\\, sykehjem\\; 2030" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 1 and "DTSTAMP:" in unfolded and "UID:plan-" in unfolded


def test_fold_never_splits_a_multibyte_character():
    folded = ical.fold("SUMMARY:" + "æ" * 80)
    for part in folded.split("\r\n"):
        assert len(part.encode()) <= 75
        part.encode().decode("utf-8")


def test_career_ladder_shows_where_the_person_stands(world, health):
    ladder = CareerLadder.objects.create(tenant=world.alpha, name="Fagstige helsefagarbeider")
    for order, level in ((1, 2), (2, 4)):
        step = LadderStep.objects.create(ladder=ladder, order=order, title=f"Trinn {order}")
        StepCriterion.objects.create(step=step, competence=health.competences.get(code="PS1"), level=level)
    competence_services.record_assessment(
        world.employee.person_id, health.competences.get(code="PS1"), 3, "leader"
    )
    page = client_for(world.employee).get("/fagstiger/").content.decode()
    assert "Du står på trinn 1." in page
    assert (
        "Fagstige helsefagarbeider" not in client_for(world.beta_employee).get("/fagstiger/").content.decode()
    )


def test_course_request_through_the_api_and_unknown_offerings_are_not_found(world):
    api = Client()
    created = api.post(
        "/api/v1/me/course-requests",
        {"title": "Kurs i sårbehandling", "motivation": "Trykksår"},
        content_type="application/json",
        **bearer(world.employee),
    )
    assert created.status_code == 201
    assert created.json()["status"] == "submitted"
    plan = api.get("/api/v1/me/plan", **bearer(world.employee)).json()
    assert [r["title"] for r in plan["course_requests"]] == ["Kurs i sårbehandling"]
    missing = api.post(
        "/api/v1/me/course-requests",
        {"offering_id": 999999},
        content_type="application/json",
        **bearer(world.employee),
    )
    assert missing.status_code == 404


def test_leader_creates_a_unit_plan_with_measures_spending_and_arshjul(world, health):
    leader = client_for(world.leader)
    response = leader.post(
        "/kompetanseplaner/",
        {
            "title": "Plan for sykehjemmet",
            "organisation": world.alpha_home.pk,
            "period_start": "2030-01-01",
            "period_end": "2030-12-31",
            "budget_nok": "100 000",
            "budget_hours": "400",
        },
    )
    plan = CompetencePlan.objects.get(title="Plan for sykehjemmet")
    assert response.status_code == 302 and plan.budget_nok == 100000
    url = f"/kompetanseplaner/{plan.pk}/"
    leader.post(
        url,
        {
            "action": "measure",
            "title": "Legemiddelkurs",
            "competence": health.competences.get(code="PS1").pk,
            "priority": "1",
            "planned_nok": "20000",
            "planned_hours": "80",
        },
    )
    measure = plan.measures.get()
    leader.post(url, {"action": "spent", "measure": measure.pk, "spent_nok": "5000", "spent_hours": "20"})
    leader.post(
        url,
        {
            "action": "event",
            "kind": "revision",
            "title": "Revisjon",
            "starts_on": "2030-09-01",
            "yearly": "on",
        },
    )
    page = leader.get(url).content.decode()
    assert "5000 / 20000" in page and "20 / 80" in page
    assert "SUMMARY:Revisjon" in leader.get(f"{url}arshjul.ics").content.decode()
    # A union representative reads and comments but cannot add measures or create plans elsewhere.
    union = client_for(world.union_rep)
    union.post(url, {"action": "measure", "title": "Eget tiltak"})
    assert plan.measures.count() == 1
    assert (
        union.post(
            "/kompetanseplaner/",
            {
                "title": "X",
                "organisation": world.alpha_home.pk,
                "period_start": "2030-01-01",
                "period_end": "2030-12-31",
            },
        ).status_code
        == 403
    )
