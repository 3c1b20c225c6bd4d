"""Passing learning on: mini-courses, job exchange with both leaders' agreement, ask a colleague."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from laeringsarena.accounts.models import Role
from laeringsarena.community import passing_on, services
from laeringsarena.community.models import ExchangeStatus, GroupKind, JoinPolicy
from laeringsarena.community.tests.conftest import add_member, colleague_at
from laeringsarena.conftest import client_for
from laeringsarena.core.errors import Conflict, NotFound, PermissionDenied
from laeringsarena.testing import factories as f


def test_pass_it_on_invites_the_unit_and_attendance_becomes_learning(world):
    start = timezone.now() - dt.timedelta(hours=1)
    course = passing_on.offer_mini_course(world.employee, title="Fra kurset i demens", starts_at=start)

    invited = passing_on.invite_unit(world.employee, course.pk)
    assert invited == 2  # the leader and the union rep work at the nursing home; not the school
    assert passing_on.invite_unit(world.employee, course.pk) == 0  # no duplicates

    passing_on.record_attendance(world.employee, course.pk, [world.leader.person.pk])

    learned = passing_on.learning_at_work(world.leader.person)
    assert [(i.kind, i.title) for i in learned] == [("mini_course", "Fra kurset i demens")]
    assert passing_on.learning_at_work(world.union_rep.person) == []
    assert [i.kind for i in passing_on.learning_at_work(world.employee.person)] == ["mini_course_held"]
    home = client_for(world.leader).get("/fellesskap/").content.decode()
    assert "Fra kurset i demens" in home and "Deltok på minikurs" in home


def test_only_the_host_records_attendance_and_only_after_the_start(world):
    later = timezone.now() + dt.timedelta(days=1)
    course = passing_on.offer_mini_course(world.employee, title="Senere", starts_at=later)
    passing_on.invite_unit(world.employee, course.pk)
    with pytest.raises(Conflict):
        passing_on.record_attendance(world.employee, course.pk, [])
    with pytest.raises(PermissionDenied):
        passing_on.invite_unit(world.leader, course.pk)
    with pytest.raises(NotFound):  # another unit does not see it at all
        passing_on.access_mini_course(world.colleague, course.pk)


def exchange_world(world):
    """A nurse offer at the nursing home (by its leader), a wish from the school for the same position."""
    school_leader = colleague_at(world.alpha_school, "rektor@alfa.test")
    f.RoleFactory(person=school_leader.person, role=Role.LEADER, organisation=world.alpha_school)
    offer = passing_on.post_exchange(
        world.leader, kind="offer", position_code="5321", description="To dager hospitering på sykehjemmet."
    )
    wish = passing_on.post_exchange(
        world.colleague, kind="wish", position_code="5321", description="Vil se hvordan de jobber der."
    )
    return school_leader, offer, wish


def test_matching_by_position_and_both_leaders_must_agree(world):
    school_leader, offer, wish = exchange_world(world)
    f.PositionFactory(code="2223", name="Sykepleier")
    other_position = passing_on.post_exchange(
        world.colleague, kind="wish", position_code="2223", description="Sykepleier?"
    )
    same_unit = passing_on.post_exchange(
        world.employee, kind="wish", position_code="5321", description="Her?"
    )

    found = {m.posting for m in passing_on.matches(world.leader, offer)}
    assert wish in found and other_position not in found and same_unit not in found

    agreement = passing_on.propose_exchange(world.colleague, offer.pk, wish.pk)
    assert not agreement.agreed
    with pytest.raises(PermissionDenied):  # the employee cannot approve for the leaders
        passing_on.agree_exchange(world.colleague, agreement.pk)

    passing_on.agree_exchange(world.leader, agreement.pk)  # the host unit's leader
    agreement.refresh_from_db()
    assert agreement.host_agreed_at and not agreement.home_agreed_at and not agreement.agreed
    passing_on.agree_exchange(school_leader, agreement.pk)  # the person's own leader

    agreement.refresh_from_db()
    assert agreement.agreed
    offer.refresh_from_db()
    assert offer.status == ExchangeStatus.MATCHED
    assert [i.kind for i in passing_on.learning_at_work(world.colleague.person)] == ["exchange"]
    assert [i.kind for i in passing_on.learning_at_work(world.leader.person)] == ["exchange"]


def test_only_leaders_offer_to_take_someone_in(world):
    with pytest.raises(PermissionDenied):
        passing_on.post_exchange(world.employee, kind="offer", position_code="5321", description="x")


def test_exchange_postings_stay_in_the_municipality_unless_posted_to_a_network(world):
    _school_leader, offer, _wish = exchange_world(world)
    with pytest.raises(NotFound):
        passing_on.access_posting(world.beta_employee, offer.pk)

    network = services.create_group(
        world.hr, kind=GroupKind.REGIONAL, name="Region", join_policy=JoinPolicy.OPEN, municipalities=["beta"]
    )
    network.municipalities.update(agreed_at=timezone.now())
    add_member(network, world.leader)
    add_member(network, world.beta_leader)
    shared = passing_on.post_exchange(
        world.leader, kind="offer", position_code="5321", description="Også for Beta", network_id=network.pk
    )

    assert passing_on.access_posting(world.beta_leader, shared.pk) == shared
    with pytest.raises(NotFound):  # Beta people outside the network see nothing
        passing_on.access_posting(world.beta_employee, shared.pk)
    with pytest.raises(NotFound):  # and Alfa colleagues outside it neither
        passing_on.access_posting(world.colleague, shared.pk)


def test_ask_a_colleague_within_a_group(world, guidance):
    question = passing_on.ask(world.leader, guidance.pk, "Hvem kan dobbeltkontrollere i natt?")
    answer = passing_on.answer(world.employee, question.pk, "Jeg kan.")
    with pytest.raises(PermissionDenied):
        passing_on.accept_answer(world.employee, question.pk, answer.pk)
    passing_on.accept_answer(world.leader, question.pk, answer.pk)

    page = client_for(world.leader).get(f"/fellesskap/sporsmal/{question.pk}/").content.decode()
    assert "Jeg kan." in page and "Hjalp" in page
    for outsider in (world.colleague, world.hr, world.beta_employee):
        assert client_for(outsider).get(f"/fellesskap/sporsmal/{question.pk}/").status_code == 404
