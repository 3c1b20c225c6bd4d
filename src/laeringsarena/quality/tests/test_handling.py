"""Handling: received → under treatment → measures decided → closed, forwarding, escalation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from laeringsarena.conftest import bearer
from laeringsarena.quality.models import Deviation, DeviationEvent
from laeringsarena.quality.tests.support import URL, report


def move(user, deviation_id, **body):
    return Client().post(
        f"{URL}/{deviation_id}/transitions", json.dumps(body), content_type="application/json", **bearer(user)
    )


def test_leader_handles_a_deviation_to_the_end_and_the_reporter_gets_feedback(
    setup, django_capture_on_commit_callbacks
):
    deviation_id = report(setup.employee, setup).json()["id"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert move(setup.leader, deviation_id, to="under_treatment", note="Ser på det").status_code == 200
        assert move(setup.leader, deviation_id, to="measures_decided").status_code == 400  # measures missing
        body = move(setup.leader, deviation_id, to="measures_decided", measures="Dobbeltkontroll").json()
        assert body["state"] == "measures_decided"
        closed = move(setup.leader, deviation_id, to="closed", feedback="Takk! Vi innfører dobbeltkontroll.")
    assert closed.json()["state"] == "closed"
    to_reporter = [m for m in mail.outbox if "ansatt@alfa.test" in m.to]
    assert len(to_reporter) == 1 and "Vi innfører dobbeltkontroll" in to_reporter[0].body
    assert {"sjef@alfa.test"} <= {a for m in mail.outbox for a in m.to}  # every change is told
    seen = Client().get(f"{URL}/{deviation_id}", **bearer(setup.employee)).json()
    assert seen["feedback"] == "Takk! Vi innfører dobbeltkontroll." and seen["events"] == []
    kinds = list(DeviationEvent.objects.filter(deviation_id=deviation_id).values_list("kind", "to_state"))
    assert kinds == [
        ("reported", "received"),
        ("transition", "under_treatment"),
        ("transition", "measures_decided"),
        ("transition", "closed"),
    ]


def test_rejecting_needs_a_reason_and_the_reporter_cannot_handle(setup):
    deviation_id = report(setup.employee, setup).json()["id"]
    assert move(setup.employee, deviation_id, to="rejected", reason="x").status_code == 403
    assert move(setup.same_unit, deviation_id, to="rejected", reason="x").status_code == 404
    assert move(setup.leader, deviation_id, to="rejected").status_code == 400
    assert move(setup.leader, deviation_id, to="closed").status_code == 409
    assert (
        move(setup.leader, deviation_id, to="rejected", reason="Ikke et avvik").json()["state"] == "rejected"
    )


def test_forwarding_lets_the_other_units_leader_handle_it(setup):
    deviation_id = report(setup.employee, setup).json()["id"]
    assert Client().get(f"{URL}/{deviation_id}", **bearer(setup.school_leader)).status_code == 404
    response = Client().post(
        f"{URL}/{deviation_id}/forwardings",
        json.dumps({"unit_id": setup.alpha_school.pk}),
        content_type="application/json",
        **bearer(setup.leader),
    )
    assert response.status_code == 200
    assert Client().get(f"{URL}/{deviation_id}", **bearer(setup.school_leader)).status_code == 200
    assert move(setup.school_leader, deviation_id, to="under_treatment").status_code == 200
    assert Client().get(f"{URL}/{deviation_id}", **bearer(setup.colleague)).status_code == 404
    other = Client().post(
        f"{URL}/{deviation_id}/forwardings",
        json.dumps({"unit_id": setup.beta_unit.pk}),
        content_type="application/json",
        **bearer(setup.leader),
    )
    assert other.status_code == 400  # never to another municipality


def test_escalation_tells_the_superior_once_per_deadline(setup, django_capture_on_commit_callbacks):
    deviation_id = report(setup.employee, setup).json()["id"]
    deviation = Deviation.objects.get(pk=deviation_id)
    late = deviation.deadline + dt.timedelta(days=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("quality_escalate", today=late)
        call_command("quality_escalate", today=late)
        call_command("quality_escalate", today=late + dt.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["sjef@alfa.test"]]
    assert DeviationEvent.objects.filter(deviation_id=deviation_id, kind="escalated").count() == 1
    Deviation.objects.filter(pk=deviation_id).update(deadline=late + dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("quality_escalate", today=late + dt.timedelta(days=5))
    assert len(mail.outbox) == 2, "a new deadline that is missed escalates again"


@pytest.mark.parametrize("state", ["closed", "rejected"])
def test_closed_deviations_are_not_escalated(setup, state):
    deviation_id = report(setup.employee, setup).json()["id"]
    Deviation.objects.filter(pk=deviation_id).update(state=state)
    call_command("quality_escalate", today=timezone.localdate() + dt.timedelta(days=60))
    assert not DeviationEvent.objects.filter(kind="escalated").exists()
