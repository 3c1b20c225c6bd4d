""" "Pass it on" after a completed course: invited once, in the app and by e-mail; can say no."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from laeringsarena.community.models import MiniCourse, PassItOnInvitation, PassItOnStatus
from laeringsarena.conftest import client_for
from laeringsarena.learning import completions
from laeringsarena.learning.models import Completion
from laeringsarena.learning.signals import completion_recorded


def complete(world, user, title: str, capture) -> Completion:
    with capture(execute=True), transaction.atomic():
        return completions.record_external(
            user.person.pk,
            world.alpha.pk,
            completed_at=timezone.now() - dt.timedelta(hours=1),
            title=title,
            provider="KS Læring",
        )


@pytest.fixture
def invited(world, django_capture_on_commit_callbacks):
    complete(world, world.employee, "Demensomsorgens ABC", django_capture_on_commit_callbacks)
    return PassItOnInvitation.objects.get(person=world.employee.person)


def test_completing_a_course_invites_the_person_to_pass_it_on_in_the_app_and_by_email(world, invited):
    assert invited.status == PassItOnStatus.OPEN and invited.unit == world.alpha_home
    assert invited.title == "Demensomsorgens ABC"
    [message] = mail.outbox
    assert message.to == [world.employee.person.email]
    assert "Demensomsorgens ABC" in message.subject
    assert f"/fellesskap/del-videre/{invited.pk}/" in message.body
    # In the app: on Min læring and on the community page.
    assert "Demensomsorgens ABC" in client_for(world.employee).get("/").content.decode()
    assert "Vil du dele det du lærte?" in client_for(world.employee).get("/fellesskap/").content.decode()


def test_no_nagging_one_invitation_per_completion_and_per_course(
    world, invited, django_capture_on_commit_callbacks
):
    completion = Completion.objects.get(pk=invited.completion_id)
    completion_recorded.send(sender=Completion, completion=completion)  # delivered again
    complete(world, world.employee, "Demensomsorgens ABC", django_capture_on_commit_callbacks)  # taken again
    assert PassItOnInvitation.objects.filter(person=world.employee.person).count() == 1
    assert len(mail.outbox) == 1


def test_saying_no_closes_the_invitation_for_good(world, invited):
    client = client_for(world.employee)
    response = client.post(f"/fellesskap/del-videre/{invited.pk}/", {"action": "decline"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.status == PassItOnStatus.DECLINED
    assert "Demensomsorgens ABC" not in client.get("/").content.decode()
    # Answering again is refused with a message, not an error page.
    again = client.post(f"/fellesskap/del-videre/{invited.pk}/", {"action": "summary", "summary": "x"})
    assert again.status_code == 302
    invited.refresh_from_db()
    assert invited.status == PassItOnStatus.DECLINED


def test_holding_a_mini_course_schedules_it_and_invites_the_unit(world, invited):
    starts = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(world.employee).post(
        f"/fellesskap/del-videre/{invited.pk}/",
        {"action": "mini_course", "starts_at": starts, "duration_minutes": "20", "location": "Vaktrommet"},
    )
    course = MiniCourse.objects.get()
    assert response["Location"] == f"/fellesskap/minikurs/{course.pk}/"
    assert course.title == "Demensomsorgens ABC" and course.link_title == "Demensomsorgens ABC"
    # Everyone else working in the unit is invited (the leader and the union representative).
    invited_ids = set(course.invitations.values_list("person_id", flat=True))
    assert invited_ids == {world.leader.person.pk, world.union_rep.person.pk}
    invited.refresh_from_db()
    assert invited.status == PassItOnStatus.MINI_COURSE and invited.mini_course == course


def test_a_summary_is_shared_with_the_unit_only(world, invited):
    client_for(world.employee).post(
        f"/fellesskap/del-videre/{invited.pk}/",
        {"action": "summary", "summary": "Møt personen, ikke diagnosen."},
    )
    assert (
        "Møt personen, ikke diagnosen."
        in client_for(world.leader).get("/fellesskap/minikurs/").content.decode()
    )
    for outsider in (world.colleague, world.beta_employee, world.hr):
        page = client_for(outsider).get("/fellesskap/minikurs/").content.decode()
        assert "Møt personen" not in page


def test_the_invitation_is_the_invited_persons_only(world, invited):
    for other in (world.leader, world.colleague, world.hr, world.beta_employee):
        assert client_for(other).get(f"/fellesskap/del-videre/{invited.pk}/").status_code == 404
    assert client_for(world.employee).get(f"/fellesskap/del-videre/{invited.pk}/").status_code == 200
