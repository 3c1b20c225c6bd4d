"""Job exchange: matched by position and competences; when both leaders agree it is recorded as
learning in the development plans of the people taking part."""

from __future__ import annotations

import datetime as dt

import pytest

from laeringsarena.accounts.models import Role
from laeringsarena.community import passing_on
from laeringsarena.community.tests.conftest import colleague_at
from laeringsarena.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceLevel,
    CompetenceRequirement,
    Framework,
)
from laeringsarena.conftest import client_for
from laeringsarena.plans.models import ItemKind, ItemStatus, PlanItem
from laeringsarena.testing import factories as f


@pytest.fixture
def competences(world):
    framework = Framework.objects.create(slug="helse", name="Helse og omsorg")
    area = CompetenceArea.objects.create(framework=framework, code="A", name="Klinikk")
    return {
        name: Competence.objects.create(framework=framework, area=area, code=code, name=name)
        for code, name in (("1", "Legemiddelhåndtering"), ("2", "Sårstell"), ("3", "Palliasjon"))
    }


@pytest.fixture
def school_leader(world):
    leader = colleague_at(world.alpha_school, "rektor@alfa.test")
    f.RoleFactory(person=leader.person, role=Role.LEADER, organisation=world.alpha_school)
    return leader


def test_matching_weighs_position_and_competences(world, competences):
    nurse = f.PositionFactory(code="2223", name="Sykepleier")
    # The nursing home teaches wound care to nurses (its requirement for the position).
    CompetenceRequirement.objects.create(
        tenant=world.alpha,
        organisation=world.alpha_home,
        position=nurse,
        competence=competences["Sårstell"],
        required_level=3,
    )
    offer = passing_on.post_exchange(
        world.leader, kind="offer", position_code="2223", description="Hospiter hos sykepleierne."
    )
    # A health worker at the school (other position) wants wound care: matched by competence.
    by_competence = passing_on.post_exchange(
        world.colleague,
        kind="wish",
        position_code="5321",
        description="Vil lære sårstell.",
        competence_ids=[competences["Sårstell"].pk],
    )
    # Someone else wants palliative care in another position: no match.
    other = colleague_at(world.alpha_school, "annen@alfa.test")
    unrelated = passing_on.post_exchange(
        other,
        kind="wish",
        position_code="5321",
        description="Palliasjon.",
        competence_ids=[competences["Palliasjon"].pk],
    )
    # A nurse elsewhere whose own gap (required medication level 3, has 1) the offer does not teach,
    # but the same position: matched by position.
    nurse_user = colleague_at(world.alpha_school, "sykepleier@alfa.test")
    nurse_user.person.employments.update(position=nurse)
    same_position = passing_on.post_exchange(
        nurse_user, kind="wish", position_code="2223", description="Vil se sykehjemmet."
    )
    # A nurse who wants wound care too: both reasons, ranked first.
    both_user = colleague_at(world.alpha_school, "sykepleier2@alfa.test")
    both_user.person.employments.update(position=nurse)
    CompetenceRequirement.objects.create(
        tenant=world.alpha,
        organisation=world.alpha_school,
        position=nurse,
        competence=competences["Sårstell"],
        required_level=2,
    )
    CompetenceLevel.objects.create(
        person=both_user.person,
        competence=competences["Sårstell"],
        level=1,
        source="self",
        assessed_on=dt.date(2025, 1, 1),
    )
    CompetenceLevel.objects.create(
        person=nurse_user.person,
        competence=competences["Sårstell"],
        level=3,
        source="self",
        assessed_on=dt.date(2025, 1, 1),
    )
    both = passing_on.post_exchange(both_user, kind="wish", position_code="2223", description="Sår.")

    found = passing_on.matches(world.leader, offer)
    assert [m.posting for m in found] == [both, same_position, by_competence]
    assert unrelated not in [m.posting for m in found]
    assert found[0].reasons == ["Samme stilling", "Kompetanse: Sårstell"]
    assert found[2].reasons == ["Kompetanse: Sårstell"]
    page = client_for(world.leader).get(f"/fellesskap/jobbytte/{offer.pk}/").content.decode()
    assert "Kompetanse: Sårstell" in page


def test_an_agreed_shadowing_is_recorded_in_the_plan_of_the_person_going(world, school_leader):
    offer = passing_on.post_exchange(
        world.leader, kind="offer", position_code="5321", description="To dager på sykehjemmet.", days=2
    )
    wish = passing_on.post_exchange(world.colleague, kind="wish", position_code="5321", description="Gjerne!")
    agreement = passing_on.propose_exchange(world.colleague, offer.pk, wish.pk)
    passing_on.agree_exchange(world.leader, agreement.pk)
    assert not PlanItem.objects.exists()  # one leader is not enough

    passing_on.agree_exchange(school_leader, agreement.pk)
    item = PlanItem.objects.get()
    assert item.plan.person == world.colleague.person and item.kind == ItemKind.JOB_EXCHANGE
    assert item.status == ItemStatus.PLANNED and "Alfa sykehjem" in item.title
    agreement.refresh_from_db()
    assert agreement.wish_plan_item_id == item.pk and agreement.offer_plan_item_id is None
    # The person sees it in their development plan.
    assert "Alfa sykehjem" in client_for(world.colleague).get("/min-plan/").content.decode()


def test_an_agreed_two_way_exchange_is_recorded_in_both_plans(world, school_leader):
    # A health worker offers to swap places (no leader needed to post a swap offer).
    offer = passing_on.post_exchange(
        world.employee,
        kind="offer",
        mode="exchange",
        position_code="5321",
        description="Bytt med meg i tre dager.",
        days=3,
    )
    wish = passing_on.post_exchange(world.colleague, kind="wish", position_code="5321", description="Ja!")
    agreement = passing_on.propose_exchange(world.employee, offer.pk, wish.pk)
    passing_on.agree_exchange(world.leader, agreement.pk)
    passing_on.agree_exchange(school_leader, agreement.pk)

    items = {i.plan.person: i for i in PlanItem.objects.select_related("plan__person")}
    assert set(items) == {world.employee.person, world.colleague.person}
    assert "Alfa sykehjem" in items[world.colleague.person].title
    assert "Alfa skole" in items[world.employee.person].title
    # Agreeing again records nothing twice.
    passing_on.agree_exchange(world.leader, agreement.pk)
    assert PlanItem.objects.count() == 2
