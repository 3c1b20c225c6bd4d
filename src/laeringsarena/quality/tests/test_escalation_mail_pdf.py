"""Escalation up the chain, one e-mail per handler with a public link, and the PDF agenda item."""

from __future__ import annotations

import datetime as dt
import re
import zlib

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from laeringsarena.accounts.models import Role
from laeringsarena.conftest import bearer, client_for
from laeringsarena.quality import agenda_pdf, jobs, selectors, services
from laeringsarena.quality.models import Deviation, DeviationEvent
from laeringsarena.quality.tests.support import URL, report
from laeringsarena.testing import factories as f


@pytest.fixture
def chief(setup):
    """The municipality's leadership (kommunedirektør): the level above the sector."""
    user = f.UserFactory(person=f.PersonFactory(email="direktor@alfa.test"))
    f.EmploymentFactory(person=user.person, unit=setup.alpha_school)
    f.RoleFactory(person=user.person, role=Role.LEADER, organisation=setup.alpha)
    return user


def at(day: dt.date):
    """The clock at 06:00 local time on ``day``, when the daily job runs."""
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(6))), tick=False)


def run(day: dt.date) -> str:
    with at(day):
        return jobs.escalate(timezone.now())


def test_a_deviation_left_open_climbs_the_chain_once_per_level(
    setup, chief, django_capture_on_commit_callbacks
):
    deviation_id = report(setup.employee, setup).json()["id"]
    deadline = Deviation.objects.get(pk=deviation_id).deadline
    reading = f"{URL}/{deviation_id}"
    assert Client().get(reading, **bearer(chief)).status_code == 404  # not in the chain yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(deadline).startswith("0 deviation(s)")  # on the deadline day: not yet late
        assert run(deadline + dt.timedelta(days=1)).startswith("1 deviation(s)")  # → the sector
        run(deadline + dt.timedelta(days=2))
        run(deadline + dt.timedelta(days=7))  # six days after the first step: wait
    assert [m.to for m in mail.outbox] == [["sjef@alfa.test"]]
    assert Client().get(reading, **bearer(chief)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert run(deadline + dt.timedelta(days=8)).startswith("1 deviation(s)")  # → municipality
        run(deadline + dt.timedelta(days=9))
        run(deadline + dt.timedelta(days=30))  # the top: nothing more
    assert [m.to for m in mail.outbox] == [["sjef@alfa.test"], ["direktor@alfa.test"]]
    deviation = Deviation.objects.get(pk=deviation_id)
    assert deviation.escalation_level == 2 and deviation.escalated_to == setup.alpha
    assert deviation.escalated_on == deadline + dt.timedelta(days=8)
    notes = list(
        DeviationEvent.objects.filter(deviation=deviation, kind="escalated").values_list("note", flat=True)
    )
    assert len(notes) == 2 and "Helse og omsorg" in notes[0] and "Alfa kommune" in notes[1]
    # The municipality's leadership now reads and handles it, and hears about every change.
    assert Client().get(reading, **bearer(chief)).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(setup.leader, deviation, "under_treatment")
    assert ["direktor@alfa.test"] in [m.to for m in mail.outbox]
    # Another sector's deviations stay out of the sector leader's and the chief's sight.
    assert Client().get(reading, **bearer(setup.school_leader)).status_code == 404


def test_a_level_without_leaders_is_passed_over(setup, chief, django_capture_on_commit_callbacks):
    """The school sector has no leader of its own: the first step goes to the municipality."""
    deviation_id = report(setup.employee, setup, unit_id=setup.alpha_school.pk).json()["id"]
    deadline = Deviation.objects.get(pk=deviation_id).deadline
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run(deadline + dt.timedelta(days=1))
        run(deadline + dt.timedelta(days=20))
    assert ["direktor@alfa.test"] in [m.to for m in mail.outbox]
    assert Deviation.objects.get(pk=deviation_id).escalation_level == 2
    assert DeviationEvent.objects.filter(deviation_id=deviation_id, kind="escalated").count() == 1


def test_a_new_deadline_that_is_missed_starts_over_with_the_superior(
    setup, chief, django_capture_on_commit_callbacks
):
    deviation_id = report(setup.employee, setup).json()["id"]
    deadline = Deviation.objects.get(pk=deviation_id).deadline
    with django_capture_on_commit_callbacks(execute=True):
        run(deadline + dt.timedelta(days=1))
        run(deadline + dt.timedelta(days=8))
    new_deadline = deadline + dt.timedelta(days=20)
    Deviation.objects.filter(pk=deviation_id).update(deadline=new_deadline)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run(new_deadline + dt.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["sjef@alfa.test"]]
    deviation = Deviation.objects.get(pk=deviation_id)
    assert deviation.escalation_level == 1
    assert deviation.escalated_to == setup.alpha  # access once given is kept


def test_closed_deviations_stop_climbing(setup, chief):
    deviation_id = report(setup.employee, setup).json()["id"]
    deadline = Deviation.objects.get(pk=deviation_id).deadline
    run(deadline + dt.timedelta(days=1))
    Deviation.objects.filter(pk=deviation_id).update(state="closed")
    run(deadline + dt.timedelta(days=9))
    assert Deviation.objects.get(pk=deviation_id).escalation_level == 1


@override_settings(PUBLIC_URL="https://laering.alfa.no")
def test_each_handler_gets_a_message_of_their_own_with_a_public_link(
    setup, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deviation_id = report(setup.employee, setup).json()["id"]
    assert sorted(m.to[0] for m in mail.outbox) == ["leder@alfa.test", "sjef@alfa.test"]
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert f"https://laering.alfa.no/avvik/{deviation_id}/" in message.body
        assert "leder@alfa.test" not in message.body and "sjef@alfa.test" not in message.body


# --- The leader-meeting agenda as PDF ----------------------------------------------------------


def _streams(pdf: bytes) -> bytes:
    """All content and font streams of a PDF, inflated."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return b"\n".join(out)


@pytest.fixture
def meeting(setup):
    setup.alpha_home.name = "Ærøy bo- og omsorgssenter – Åsen"
    setup.alpha_home.save()
    report(setup.employee, setup)
    return selectors.meeting_overview(setup.leader, timezone.localdate() - dt.timedelta(days=30))


def test_the_leader_downloads_the_agenda_as_pdf(setup, meeting):
    response = client_for(setup.leader).get("/avvik/ledermote/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="avvik-ledermote-')
    assert response.content.startswith(b"%PDF-")
    assert client_for(setup.employee).get("/avvik/ledermote/?format=pdf").status_code == 404
    page = client_for(setup.leader).get("/avvik/ledermote/").content.decode()
    assert "format=pdf" in page and "format=md" in page


@pytest.mark.skipif(agenda_pdf.font_files() is None, reason="fonts-dejavu-core is not installed")
def test_the_pdf_embeds_dejavu_and_maps_norwegian_letters(meeting):
    pdf = agenda_pdf.render(meeting)
    assert b"DejaVuSans" in pdf
    streams = _streams(pdf)
    # The embedded font's ToUnicode map holds Æ, ø, å and the dash: they are real characters.
    for code in (b"<00C6>", b"<00F8>", b"<00E5>", b"<2013>"):
        assert code in streams.upper() or code.lower() in streams


def test_without_dejavu_the_pdf_falls_back_to_latin_1(meeting):
    pdf = agenda_pdf.render(meeting, fonts=None)
    assert b"DejaVu" not in pdf and b"Helvetica" in pdf
    text = _streams(pdf).decode("latin-1")
    assert "Ærøy bo- og omsorgssenter - Åsen" in text  # æøå kept, the dash replaced
    assert "Spørsmål til lederne" in text
