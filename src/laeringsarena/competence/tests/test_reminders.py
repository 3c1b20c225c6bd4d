"""Campaign reminders go out by themselves before the deadlines, once a day at most."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from laeringsarena.competence import services
from laeringsarena.competence.models import Campaign, CampaignStatus, Framework, Participant
from laeringsarena.core import scheduling

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def campaign(world):
    framework = Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True)
    campaign = Campaign.objects.create(
        tenant=world.alpha,
        organisation=world.alpha_home,
        framework=framework,
        name="Kartlegging høsten",
        self_deadline=dt.date(2030, 3, 8),
        leader_deadline=dt.date(2030, 3, 15),
    )
    Participant.objects.create(campaign=campaign, person=world.employee.person, unit=world.alpha_home)
    Participant.objects.create(
        campaign=campaign, person=world.leader.person, unit=world.alpha_home, self_done_at=timezone.now()
    )
    return campaign


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 5), tzinfo=OSLO)


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the reminders for a day; e-mail is queued after commit, so run those callbacks too."""

    def run(day: dt.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_due_reminders(morning(day))

    return run


def test_employees_who_have_not_answered_are_reminded_a_week_and_two_days_before(world, campaign, remind):
    assert remind(dt.date(2030, 3, 2)) == 0  # six days: not a reminder day
    assert remind(dt.date(2030, 3, 1)) == 1
    assert [m.to for m in mail.outbox] == [[world.employee.person.email]]
    assert "8.03.2030" in mail.outbox[0].body or "08.03.2030" in mail.outbox[0].body

    assert remind(dt.date(2030, 3, 1)) == 0  # a second run that day
    assert remind(dt.date(2030, 3, 6)) == 1
    assert remind(dt.date(2030, 3, 8)) == 1  # on the day itself


def test_in_the_leader_phase_the_units_own_leader_is_reminded_with_a_count(world, campaign, remind):
    campaign.status = CampaignStatus.LEADER_ASSESSMENT
    campaign.save()
    assert remind(dt.date(2030, 3, 8)) == 1
    (message,) = mail.outbox
    assert message.to == [world.leader.person.email]
    assert "2 medarbeidere" in message.body and world.employee.person.full_name not in message.body


def test_closed_campaigns_send_nothing_and_the_scheduler_runs_the_job(world, campaign, remind):
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    assert remind(dt.date(2030, 3, 1)) == 0
    assert "competence-reminders" in scheduling.discover()
