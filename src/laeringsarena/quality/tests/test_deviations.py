"""Reporting and reading deviations through the API: confidentiality, anonymity, audit, PII."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from laeringsarena.conftest import bearer, client_for
from laeringsarena.quality import services
from laeringsarena.quality.models import Deviation, DeviationEvent, DeviationRead
from laeringsarena.quality.tests.support import URL, report


def test_employee_reports_and_gets_201_with_the_id_and_the_leaders_are_told(
    setup, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = report(setup.employee, setup)
    assert response.status_code == 201
    deviation = Deviation.objects.get(pk=response.json()["id"])
    assert deviation.reporter == setup.employee.person
    assert deviation.state == "received"
    assert deviation.deadline is not None
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"leder@alfa.test", "sjef@alfa.test"}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("employee", 200),  # the reporter
        ("leader", 200),  # the unit's leader
        ("sector_leader", 200),  # the superior
        ("same_unit", 404),  # a colleague in the same unit
        ("colleague", 404),  # someone in another unit
        ("school_leader", 404),  # a leader of another unit
        ("hr", 404),
        ("union_rep", 404),
        ("beta_leader", 404),  # another municipality
        ("beta_employee", 404),
    ],
)
def test_only_the_reporter_and_the_handler_chain_can_read_a_deviation(setup, who, status):
    deviation_id = report(setup.employee, setup).json()["id"]
    response = Client().get(f"{URL}/{deviation_id}", **bearer(getattr(setup, who)))
    assert response.status_code == status
    if status == 404:
        assert response["Content-Type"] == "application/problem+json"
        assert "rom 12" not in response.content.decode()
    else:
        assert response.json()["what_happened"].startswith("Kveldsmedisin")


def test_every_read_is_written_to_the_audit_log(setup):
    deviation_id = report(setup.employee, setup).json()["id"]
    Client().get(f"{URL}/{deviation_id}", **bearer(setup.leader))
    Client().get(f"{URL}/{deviation_id}", **bearer(setup.same_unit))  # refused: not logged as a read
    client_for(setup.sector_leader).get(f"/avvik/{deviation_id}/")
    reads = list(DeviationRead.objects.filter(deviation_id=deviation_id).order_by("at", "pk"))
    assert [(r.user_id, r.what) for r in reads] == [
        (setup.leader.pk, "api.detail"),
        (setup.sector_leader.pk, "web.detail"),
    ]
    assert all(r.at is not None for r in reads)


def test_the_list_shows_what_the_caller_may_handle_filtered_by_state(setup):
    first = report(setup.employee, setup).json()["id"]
    report(setup.employee, setup, unit_id=setup.alpha_school.pk)
    leader = Client()
    body = leader.get(f"{URL}?state=received", **bearer(setup.leader)).json()
    assert [item["id"] for item in body["items"]] == [first]
    assert leader.get(f"{URL}?state=closed", **bearer(setup.leader)).json()["count"] == 0
    assert Client().get(URL, **bearer(setup.same_unit)).json()["count"] == 0
    assert Client().get(URL, **bearer(setup.employee)).json()["count"] == 0  # reporting is not handling
    assert DeviationRead.objects.filter(deviation_id=first, user=setup.leader, what="api.list").exists()


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_anonymous_report_leaves_no_trace_of_the_reporter(setup, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    logs = Records()
    root = logging.getLogger()
    root.addHandler(logs)
    previous_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = report(setup.employee, setup, anonymous=True, what_happened="Feil dosett ble gitt.")
            Client().get(f"{URL}/{response.json()['id']}", **bearer(setup.employee))
    finally:
        root.removeHandler(logs)
        root.setLevel(previous_level)
    assert response.status_code == 201
    deviation_id = response.json()["id"]
    deviation = Deviation.objects.get(pk=deviation_id)
    person = setup.employee.person
    identifiers = {str(person.pk), person.email, person.given_name, setup.employee.email}
    # The database: no column anywhere in the deviation, its events or read log points to the reporter.
    assert deviation.reporter_id is None and deviation.anonymous
    local = timezone.localtime(deviation.created_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0), "the day only, not the minute"
    assert DeviationEvent.objects.get(deviation=deviation).actor_id is None
    assert not DeviationRead.objects.filter(deviation=deviation).exists()
    with connection.cursor() as cursor:
        for table in ("quality_deviation", "quality_deviationevent", "quality_deviationread"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            for row in cursor.fetchall():
                text = "|".join(map(str, row))
                assert person.email not in text and person.given_name not in text
    # The API: the reporter cannot find it, and handlers see no reporter.
    assert Client().get(f"{URL}/{deviation_id}", **bearer(setup.employee)).status_code == 404
    seen = Client().get(f"{URL}/{deviation_id}", **bearer(setup.leader)).json()
    assert seen["reporter"] is None and seen["anonymous"] is True
    assert all(event["actor"] is None for event in seen["events"])
    assert client_for(setup.employee).get("/avvik/mine/").content.decode().count("Feil dosett") == 0
    # Notifications and logs.
    assert mail.outbox, "the handlers are still told"
    for message in mail.outbox:
        assert not identifiers & set(message.body.split()) and person.email not in message.to
    assert logs.records, "the refused read is logged by Django"
    for record in logs.records:
        assert person.email not in record.getMessage() and setup.employee.email not in record.getMessage()
    # Closing it sends feedback to nobody but handlers.
    mail.outbox.clear()
    d = Deviation.objects.get(pk=deviation_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(setup.leader, d, "under_treatment")
        services.transition(setup.leader, d, "measures_decided", measures="Dobbeltkontroll.")
        services.transition(setup.leader, d, "closed", feedback="Takk.")
    assert mail.outbox
    assert all(person.email not in m.to for m in mail.outbox)


def test_national_identity_number_and_phone_number_give_a_warning_before_sending(setup):
    text = "Beboer 01010012356 ringte fra 912 34 567."
    response = report(setup.employee, setup, what_happened=text)
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "personal-data"
    assert {(e["reason"], e["text"]) for e in problem["errors"]} == {
        ("national_id", "01010012356"),
        ("phone", "912 34 567"),
    }
    assert not Deviation.objects.exists()
    assert (
        report(setup.employee, setup, what_happened=text, acknowledge_personal_data=True).status_code == 201
    )


def test_a_deviation_cannot_be_reported_in_another_municipality(setup):
    response = report(setup.beta_employee, setup)
    assert response.status_code in (400, 403)
    assert not Deviation.objects.exists()
