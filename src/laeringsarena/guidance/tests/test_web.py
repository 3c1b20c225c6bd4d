"""API, pages, calendar parsing, leaders' aggregated uptake, fairness report, digest and home card."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laeringsarena.catalogue.models import Participation, ParticipationKind
from laeringsarena.conftest import bearer, client_for
from laeringsarena.core.errors import InvalidInput
from laeringsarena.guidance import availability, fairness, services
from laeringsarena.guidance.digest import sections
from laeringsarena.guidance.models import BusyCalendar, Dismissal, Impression
from laeringsarena.guidance.tests import factories as g
from laeringsarena.testing import factories as f

pytestmark = pytest.mark.django_db


def test_api_lists_recommendations_with_reason_and_signals(world):
    medicines = g.competence("Legemiddelhåndtering")
    g.requirement(world.alpha, medicines, 3)
    course = g.offering("Legemiddelhåndtering i praksis", competences=[medicines], price_model="employer")
    response = Client().get("/api/v1/me/recommendations", **bearer(world.employee))
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["offering"]["id"] == course.pk and item["offering"]["title"] == course.title
    assert item["reason"].startswith("Stillingen din krever nivå 3 i legemiddelhåndtering")
    assert item["signals"][0]["key"] == "gap" and item["signals"][0]["personal"] is False
    assert item["signals"][0]["data"]["required_level"] == 3
    assert item["funding"] == [{"kind": "employer", "text": "Arbeidsgiveren betaler"}]
    assert Impression.objects.filter(person=world.employee.person, offering=course).exists()


def test_api_dismiss_with_reason_then_left_out(world):
    course = g.offering("Kurs A")
    client = Client()
    url = f"/api/v1/me/recommendations/{course.pk}/dismiss"
    bad = client.post(url, {"reason": "boring"}, content_type="application/json", **bearer(world.employee))
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    ok = client.post(url, {"reason": "not_now"}, content_type="application/json", **bearer(world.employee))
    assert ok.status_code == 200 and ok.json()["reason"] == "not_now" and ok.json()["until"]
    listed = client.get("/api/v1/me/recommendations", **bearer(world.employee)).json()["items"]
    assert course.pk not in [i["offering"]["id"] for i in listed]


def test_api_dismiss_an_offering_of_another_municipality_is_not_found(world):
    hidden = g.offering("Internt i Beta", visibility="internal", owner=world.beta)
    response = Client().post(
        f"/api/v1/me/recommendations/{hidden.pk}/dismiss",
        {"reason": "not_relevant"},
        content_type="application/json",
        **bearer(world.employee),
    )
    assert response.status_code == 404


def test_pages_list_explain_and_dismiss(world):
    course = g.offering("Kurs om dokumentasjon")
    client = client_for(world.employee)
    page = client.get(reverse("guidance:mine"))
    assert page.status_code == 200 and "Kurs om dokumentasjon" in page.content.decode()
    why = client.get(reverse("guidance:why", args=[course.pk])).content.decode()
    assert "Signalene som talte med" in why and "Vi bruker aldri utdanning" in why
    response = client.post(reverse("guidance:dismiss", args=[course.pk]), {"reason": "not_relevant"})
    assert response.status_code == 302
    assert Dismissal.objects.get(person=world.employee.person).reason == "not_relevant"
    client.post(reverse("guidance:dismiss", args=[course.pk]), {"reason": "undo"})
    assert not Dismissal.objects.exists()


def test_settings_page_switches_signals_sets_wish_and_calendar(world):
    client = client_for(world.employee)
    client.post(
        reverse("guidance:settings"), {"action": "signals", "signals": ["plan"], "formats": ["video"]}
    )
    settings = services.settings_for(world.employee.person)
    assert "plan" not in settings.disabled_signals and "calendar" in settings.disabled_signals
    assert settings.preferred_formats == ["video"]
    position = f.PositionFactory(code="2223", name="Sykepleier")
    client.post(reverse("guidance:settings"), {"action": "wish", "position": position.pk})
    assert world.employee.person.career_wish.target_position == position
    bad = client.post(reverse("guidance:settings"), {"action": "calendar", "text": "not a calendar"})
    assert bad.status_code == 400 and "iCalendar" in bad.content.decode()


def test_calendar_recurring_events_and_freebusy():
    now = dt.datetime(2030, 1, 7, 7, 0, tzinfo=timezone.get_current_timezone())  # a Monday
    ics = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\n"
        "BEGIN:VEVENT\nUID:1\nDTSTART;TZID=Europe/Oslo:20300107T080000\nDTEND;TZID=Europe/Oslo:20300107T160000\n"
        "RRULE:FREQ=DAILY;COUNT=5\nEXDATE;TZID=Europe/Oslo:20300109T080000\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:2\nDTSTART:20300108T170000Z\nDTEND:20300108T180000Z\nTRANSP:TRANSPARENT\nEND:VEVENT\n"
        "BEGIN:VFREEBUSY\nUID:3\nFREEBUSY:20300112T090000Z/PT2H\nEND:VFREEBUSY\n"
        "END:VCALENDAR\n"
    )
    parsed = availability.parse(ics, now=now)
    assert len(parsed.busy) == 5  # 4 shifts (one excluded), no transparent event, one free/busy period
    free = availability.free_time(parsed.busy, now, (parsed.covers_from, parsed.covers_to))
    longest = dict(free.longest_by_day())
    assert longest[dt.date(2030, 1, 7)] == 240  # 16:00–20:00
    assert longest[dt.date(2030, 1, 9)] == 720  # the excluded day is free all day


def test_calendar_rejects_what_is_not_icalendar():
    with pytest.raises(InvalidInput):
        availability.parse("hello")


def test_leader_sees_aggregated_uptake_never_dismissed_items(world):
    course = g.offering("Hemmelig avvist kurs")
    people = [world.employee.person]
    for _ in range(5):
        person = f.PersonFactory()
        f.EmploymentFactory(person=person, unit=world.alpha_home)
        people.append(person)
    for person in people:
        services.record_shown(person, services.recommend(person))
    Participation.objects.create(offering=course, person=people[1], kind=ParticipationKind.STARTED)
    services.dismiss(world.employee, course.pk, "not_relevant")
    page = client_for(world.leader).get(reverse("guidance:uptake"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Alfa sykehjem" in html and "Hemmelig avvist kurs" not in html
    assert world.employee.person.full_name not in html
    assert client_for(world.employee).get(reverse("guidance:uptake")).status_code == 403


def test_uptake_suppresses_small_groups(world):
    from laeringsarena.guidance import uptake

    rows = uptake.report(world.beta_leader)
    assert rows and all(row.suppressed and row.recommended == 0 for row in rows)


def test_fairness_report_by_education_percentage_and_age(world):
    for n in range(10):
        person = f.PersonFactory(birth_year=1960 + 4 * n)
        f.EmploymentFactory(person=person, unit=world.alpha_home, percentage=20 if n % 2 else 100)
    for n in range(8):
        g.offering(f"Kurs {n}", format=["elearning", "video", "webinar", "micro"][n % 4])
    result = fairness.report(limit=5)
    percentage = {r.group: r for r in result.rows if r.dimension == "percentage"}
    assert percentage["lt50"].people == 5 and percentage["100"].people >= 5
    assert percentage["lt50"].mean_recommendations == percentage["100"].mean_recommendations == 5
    assert result.spread("percentage", "mean_formats") == 0
    assert {r.dimension for r in result.rows} == {"education", "percentage", "age"}
    assert all(r.suppressed for r in result.rows if r.people < 5)
    assert result.coverage == 5 / 8


def test_fairness_command_prints_table_and_json(world, capsys):
    g.offering("Kurs")
    call_command("guidance_fairness", "--limit", "3")
    assert "dekning av katalogen" in capsys.readouterr().out
    call_command("guidance_fairness", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["limit"] == 10 and "spread" in data


def test_digest_section_and_home_card(world):
    g.offering("Kurs til ukesoppsummeringen", price_model="free")
    result = sections(world.employee.person, timezone.now())
    assert result[0].title == "Anbefalt for deg"
    assert result[0].lines == ["Kurs til ukesoppsummeringen – På et språk du foretrekker (Gratis)"]
    home = client_for(world.employee).get(reverse("core:home")).content.decode()
    assert "Anbefalt for deg" in home and "Kurs til ukesoppsummeringen" in home


def test_saved_calendar_keeps_the_upload(world):
    ics = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n"
    services.save_calendar(world.employee, ics.encode(), filename="turnus.ics")
    stored = BusyCalendar.objects.get(person=world.employee.person)
    assert stored.ics == ics and stored.filename == "turnus.ics" and stored.busy == []
