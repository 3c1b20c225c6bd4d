"""Expiry states at boundary dates, certificates with validity, recertification, reminders and the
weekly digest with a controlled clock, and the two API endpoints with their access rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from laeringsarena.competence.models import Certification, CertificationRequirement
from laeringsarena.conftest import World, bearer, client_for
from laeringsarena.core.scheduling import discover, run_due
from laeringsarena.learning import jobs, services
from laeringsarena.learning.certification import ExpiryState, add_months, expiry_state
from laeringsarena.learning.digest import DigestSection
from laeringsarena.learning.models import Enrolment, EnrolmentSource, Notice, NoticeKind
from laeringsarena.learning.tests.factories import PathWorld

pytestmark = pytest.mark.django_db

OSLO = dt.timezone(dt.timedelta(hours=1))


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (dt.date(2025, 3, 1), ExpiryState.VALID),  # 31 days left
        (dt.date(2025, 3, 2), ExpiryState.EXPIRING),  # 30 days left: within the window
        (dt.date(2025, 3, 31), ExpiryState.EXPIRING),  # the day before
        (dt.date(2025, 4, 1), ExpiryState.EXPIRING),  # on the day: still valid that day
        (dt.date(2025, 4, 2), ExpiryState.EXPIRED),  # the day after
    ],
)
def test_expiry_state_at_the_boundaries(on: dt.date, state: ExpiryState) -> None:
    assert expiry_state(dt.date(2025, 4, 1), on, warn_days=30) == state


def test_validity_in_months_keeps_the_day_or_uses_the_last_day_of_the_month() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 15), 24) == dt.date(2026, 11, 15)
    assert expiry_state(None, dt.date(2030, 1, 1)) == ExpiryState.VALID


def test_a_requirement_enrols_everyone_without_a_valid_certificate_once(
    world: World, blended: PathWorld, requirement: CertificationRequirement
) -> None:
    now = dt.datetime(2025, 5, 5, 6, tzinfo=OSLO)
    Certification.objects.create(
        person=world.leader.person, name=requirement.name, issued_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2026, 1, 1), requirement=requirement,
    )  # fmt: skip
    created = services.enrol_from_requirements(world.alpha, now=now)
    assert {e.person_id for e in created} == {world.employee.person_id, world.union_rep.person_id}
    assert all(e.mandatory and e.source == EnrolmentSource.REQUIREMENT for e in created)
    assert created[0].due_on == dt.date(2025, 6, 4)  # the path's 30 days
    assert services.enrol_from_requirements(world.alpha, now=now) == []


def test_recertification_enrolment_starts_before_expiry_and_only_once(
    world: World, blended: PathWorld, requirement: CertificationRequirement
) -> None:
    Certification.objects.create(
        person=world.employee.person, name=requirement.name, issued_on=dt.date(2024, 6, 1),
        expires_on=dt.date(2025, 6, 1), requirement=requirement,
    )  # fmt: skip
    early = dt.datetime(2025, 3, 1, 6, tzinfo=OSLO)  # 92 days before: too early
    assert services.enrol_recertification(now=early) == []
    in_time = dt.datetime(2025, 4, 10, 6, tzinfo=OSLO)  # 52 days before (path: 60)
    [enrolment] = services.enrol_recertification(now=in_time)
    assert enrolment.source == EnrolmentSource.RECERTIFICATION and enrolment.due_on == dt.date(2025, 6, 1)
    services.withdraw(world.leader, enrolment, now=in_time)
    assert services.enrol_recertification(now=in_time + dt.timedelta(days=1)) == []


def test_reminders_before_the_due_date_and_expiry_are_sent_once_in_app_and_by_email(
    world: World,
    blended: PathWorld,
    requirement: CertificationRequirement,
    django_capture_on_commit_callbacks: Any,
) -> None:
    start = dt.datetime(2025, 5, 1, 6, tzinfo=OSLO)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol_people(
            world.leader,
            blended.path,
            [world.employee.person],
            due_on=dt.date(2025, 5, 20),
            mandatory=True,
            now=start,
        )
        Certification.objects.create(
            person=world.employee.person, name="Førerkort klasse B", issued_on=dt.date(2015, 1, 1),
            expires_on=dt.date(2025, 6, 5),
        )  # fmt: skip
    mail.outbox.clear()
    for day in range(1, 26):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.send_reminders(start.replace(day=day))
    keys = list(
        Notice.objects.filter(person=world.employee.person)
        .order_by("created_at")
        .values_list("key", "created_at")
    )
    due = [(k, c.date()) for k, c in keys if k.startswith(("due", "overdue"))]
    enrolment = Enrolment.objects.get(person=world.employee.person)
    assert due == [
        (f"due:{enrolment.pk}:14", dt.date(2025, 5, 6)),
        (f"due:{enrolment.pk}:3", dt.date(2025, 5, 17)),
        (f"overdue:{enrolment.pk}", dt.date(2025, 5, 21)),
    ]
    expiry = [(k.rsplit(":", 1)[1], c.date()) for k, c in keys if k.startswith("expiry")]
    # 35 days left on the first run: the 60-day reminder; the 30-day one when 30 are left.
    assert expiry == [("60", dt.date(2025, 5, 1)), ("30", dt.date(2025, 5, 6))]
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 5 and "Frist 20. mai 2025: Smittevern" in subjects


def test_the_weekly_digest_collects_sections_and_is_sent_once_a_week(
    world: World, blended: PathWorld, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    services.enrol_people(world.leader, blended.path, [world.employee.person], due_on=dt.date(2025, 5, 20))
    from laeringsarena.learning import digest

    original = digest.collect_many

    def with_other_app(people: Any, now: dt.datetime) -> dict[int, list[DigestSection]]:
        extra = [DigestSection("Anbefalt for deg", ["Demensomsorgens ABC"], None)]
        collected = original(people, now)
        if world.employee.person_id in collected:
            collected[world.employee.person_id] += extra
        return collected

    monkeypatch.setattr(digest, "collect_many", with_other_app)
    monday = dt.datetime(2025, 5, 12, 7, 5, tzinfo=OSLO)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "learning-digest" in run_due(monday, only="learning-digest")
    to_employee = [m for m in mail.outbox if world.employee.person.email in m.to]
    assert len(to_employee) == 1
    body = to_employee[0].body
    assert "Dette gjenstår" in body and "Smittevern: 0/4" in body and "Demensomsorgens ABC" in body
    # People with nothing to report get no e-mail.
    assert not [m for m in mail.outbox if world.colleague.person.email in m.to]
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due(monday + dt.timedelta(hours=3), only="learning-digest") == []
        jobs.send_digest(monday + dt.timedelta(days=1))
    assert len([m for m in mail.outbox if world.employee.person.email in m.to]) == 1
    assert Notice.objects.filter(person=world.employee.person, kind=NoticeKind.DIGEST).count() == 1


def test_collect_many_gives_everyone_the_same_sections_as_collect(world: World, blended: PathWorld) -> None:
    from laeringsarena.learning import digest

    services.enrol_people(world.leader, blended.path, [world.employee.person], due_on=dt.date(2025, 5, 20))
    now = dt.datetime(2025, 5, 12, 7, 5, tzinfo=OSLO)
    people = [world.employee.person, world.colleague.person, world.leader.person]
    batch = digest.collect_many(people, now)
    assert {p.pk: digest.collect(p, now) for p in people} == batch
    assert batch[world.employee.person_id]  # the enrolled person has something to read


def test_the_jobs_are_registered() -> None:
    assert {"learning-reminders", "learning-enrolment", "learning-digest"} <= set(discover())


def test_api_me_learning_shows_required_items_progress_and_certificates(
    world: World, blended: PathWorld, requirement: CertificationRequirement
) -> None:
    services.enrol_people(world.leader, blended.path, [world.employee.person], mandatory=True,
                          due_on=dt.date(2000, 1, 1))  # fmt: skip
    Certification.objects.create(
        person=world.employee.person, name=requirement.name, issued_on=dt.date(1999, 1, 1),
        expires_on=dt.date(2000, 1, 1), requirement=requirement,
    )  # fmt: skip
    response = Client().get("/api/v1/me/learning", **bearer(world.employee))
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["id"] == world.employee.person_id
    [item] = body["required"]
    assert item["path"]["name"] == "Smittevern" and item["overdue"] is True
    assert (item["steps_done"], item["steps_total"]) == (0, 4)
    assert item["next_step"]["kind"] == "module"
    [cert] = body["certifications"]
    assert cert["state"] == "expired" and cert["renew_path_id"] == blended.path.pk
    assert Client().get("/api/v1/me/learning").status_code == 401


def test_api_unit_learning_is_for_the_units_leader_only(world: World, blended: PathWorld) -> None:
    services.enrol_people(world.leader, blended.path, [world.employee.person], mandatory=True,
                          due_on=dt.date(2000, 1, 1))  # fmt: skip
    url = f"/api/v1/units/{world.alpha_home.pk}/learning"
    response = Client().get(url, **bearer(world.leader))
    assert response.status_code == 200
    body = response.json()
    assert [r["person"]["id"] for r in body["overdue"]] == [world.employee.person_id]
    assert body["paths"][0]["enrolled"] == 1
    # Another unit in the same municipality: forbidden; another municipality: not found.
    assert (
        Client().get(f"/api/v1/units/{world.alpha_school.pk}/learning", **bearer(world.leader)).status_code
        == 403
    )
    assert Client().get(url, **bearer(world.beta_leader)).status_code == 404
    assert Client().get(url, **bearer(world.employee)).status_code == 403
    assert Client().get(url, **bearer(world.hr)).status_code == 200


def test_leader_overview_page_and_csv_show_only_the_leaders_unit(world: World, blended: PathWorld) -> None:
    services.enrol_people(
        world.hr, blended.path, [world.employee.person, world.colleague.person], mandatory=True
    )
    leader = client_for(world.leader)
    page = leader.get(f"/laering/enheter/{world.alpha_home.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert world.employee.person.full_name in html and world.colleague.person.full_name not in html
    csv_text = leader.get(f"/laering/enheter/{world.alpha_home.pk}/csv/?status=open").content.decode(
        "utf-8-sig"
    )
    assert csv_text.splitlines()[0].startswith("navn;e-post;enhet;læringssti")
    assert world.employee.person.full_name in csv_text and world.colleague.person.full_name not in csv_text
    assert leader.get(f"/laering/enheter/{world.alpha_school.pk}/").status_code == 403
    assert client_for(world.beta_leader).get(f"/laering/enheter/{world.alpha_home.pk}/").status_code == 404
