"""The daily job: hand-over for coordinators who left, and meeting reminders by e-mail."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from laeringsarena.community import services
from laeringsarena.community.models import MemberRole, Membership, MembershipStatus
from laeringsarena.community.tests.conftest import add_member, colleague_at


def test_members_get_one_reminder_with_the_meeting_attached(world, guidance):
    start = timezone.now() + dt.timedelta(hours=5)
    services.plan_meeting(
        world.employee,
        guidance.pk,
        title="Veiledning",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    later = timezone.now() + dt.timedelta(days=5)
    services.plan_meeting(
        world.employee, guidance.pk, title="Senere", starts_at=later, ends_at=later + dt.timedelta(hours=1)
    )

    out = StringIO()
    call_command("community_daily", stdout=out)
    call_command("community_daily", stdout=StringIO())

    assert "meeting reminders sent: 1" in out.getvalue()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Påminnelse: Veiledning"
    assert sorted(message.bcc) == sorted([world.employee.person.email, world.leader.person.email])
    assert message.attachments[0][0] == "mote.ics" and "BEGIN:VEVENT" in message.attachments[0][1]


def test_the_daily_job_hands_over_when_a_coordinator_has_left(world, guidance):
    co = colleague_at(world.alpha_home, "nest@alfa.test")
    add_member(guidance, co, MemberRole.CO_COORDINATOR)
    world.employee.person.employments.update(end_date=timezone.localdate() - dt.timedelta(days=1))

    call_command("community_daily", stdout=StringIO())

    assert Membership.objects.get(group=guidance, person=co.person).role == MemberRole.COORDINATOR
    assert (
        Membership.objects.get(group=guidance, person=world.employee.person).status == MembershipStatus.ENDED
    )
