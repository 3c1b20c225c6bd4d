"""The reflection log: private by default; shared only with a group's members or the leader."""

from __future__ import annotations

import pytest
from django.test import Client

from laeringsarena.accounts.models import Role
from laeringsarena.community.models import MembershipStatus, Reflection
from laeringsarena.community.tests.conftest import add_member, colleague_at
from laeringsarena.conftest import bearer
from laeringsarena.testing import factories as f

URL = "/api/v1/community/reflections"


def write(user, **payload):
    body = {"body": "Jeg lærte å roe ned tempoet når en beboer blir urolig.", **payload}
    return Client().post(URL, body, content_type="application/json", **bearer(user))


def read(user, pk: int) -> int:
    return Client().get(f"{URL}/{pk}", **bearer(user)).status_code


def test_a_new_reflection_is_private_and_answers_201_with_its_id(world):
    response = write(world.employee, prompt="hard", title="Kveldsvakt")

    assert response.status_code == 201
    body = response.json()
    assert body["id"] == Reflection.objects.get().pk
    assert body["private"] is True
    assert body["shared_group_id"] is None and body["shared_with_leader"] is False
    assert body["prompt_text"] == "Hva var vanskelig, og hva gjorde du?"
    assert read(world.employee, body["id"]) == 200


def test_a_private_reflection_is_never_visible_to_the_leader_or_anyone_else(world):
    pk = write(world.employee).json()["id"]
    sector_leader = colleague_at(world.alpha_health, "sjef@alfa.test")
    f.RoleFactory(person=sector_leader.person, role=Role.LEADER, organisation=world.alpha_health)

    for other in (world.leader, sector_leader, world.hr, world.union_rep, world.colleague, world.beta_leader):
        assert read(other, pk) == 404, other.email
    assert Client().get(f"{URL}/{pk}").status_code == 401
    # Not in anyone else's list either.
    listed = Client().get(URL, **bearer(world.leader)).json()
    assert listed["count"] == 0


def test_shared_with_the_leader_it_reaches_the_leaders_of_the_unit_chain_only(world):
    pk = write(world.employee, share_with_leader=True).json()["id"]
    sector_leader = colleague_at(world.alpha_health, "sjef@alfa.test")
    f.RoleFactory(person=sector_leader.person, role=Role.LEADER, organisation=world.alpha_health)
    school_leader = colleague_at(world.alpha_school, "rektor@alfa.test")
    f.RoleFactory(person=school_leader.person, role=Role.LEADER, organisation=world.alpha_school)

    assert read(world.leader, pk) == 200
    assert read(sector_leader, pk) == 200
    # HR has people access but is not the leader; another unit's leader and colleagues see nothing.
    for other in (world.hr, school_leader, world.colleague, world.union_rep, world.beta_leader):
        assert read(other, pk) == 404, other.email


def test_making_it_private_again_hides_it_from_the_leader(world):
    pk = write(world.employee, share_with_leader=True).json()["id"]
    assert read(world.leader, pk) == 200

    response = Client().put(
        f"{URL}/{pk}/sharing",
        {"share_with_leader": False},
        content_type="application/json",
        **bearer(world.employee),
    )

    assert response.status_code == 200 and response.json()["private"] is True
    assert read(world.leader, pk) == 404


def test_only_the_author_may_change_who_sees_a_reflection(world):
    pk = write(world.employee).json()["id"]
    response = Client().put(
        f"{URL}/{pk}/sharing",
        {"share_with_leader": True},
        content_type="application/json",
        **bearer(world.leader),
    )
    assert response.status_code == 404
    assert Reflection.objects.get(pk=pk).is_private


def test_shared_with_a_group_only_its_active_members_see_it(world, guidance):
    outsider = colleague_at(world.alpha_home, "utenfor@alfa.test")
    former = colleague_at(world.alpha_home, "tidligere@alfa.test")
    add_member(guidance, former)
    pk = write(world.employee, share_group_id=guidance.pk).json()["id"]
    assert read(former, pk) == 200

    guidance.memberships.filter(person=former.person).update(status=MembershipStatus.ENDED)

    assert read(world.leader, pk) == 200  # a member of the group
    assert read(former, pk) == 404
    assert read(outsider, pk) == 404


def test_one_cannot_share_with_a_group_one_is_not_a_member_of(world, guidance):
    response = write(world.colleague, share_group_id=guidance.pk)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "share_group_id"
    assert not Reflection.objects.exists()


def test_a_reflection_can_link_to_an_offering(world):
    response = write(world.employee, link={"kind": "offering", "id": 17, "title": "Demensomsorgens ABC"})

    assert response.status_code == 201
    assert response.json()["link"] == {"kind": "offering", "id": 17, "title": "Demensomsorgens ABC"}


@pytest.mark.parametrize(
    "payload", [{"body": "  "}, {"prompt": "nonsense"}, {"link": {"kind": "x", "title": "y"}}]
)
def test_invalid_reflections_are_refused_with_problem_json(world, payload):
    response = write(world.employee, **payload)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_groups_lists_the_callers_active_groups_only(world, guidance):
    mine = Client().get("/api/v1/community/groups", **bearer(world.employee)).json()
    theirs = Client().get("/api/v1/community/groups", **bearer(world.colleague)).json()

    assert [(g["name"], g["my_role"]) for g in mine["items"]] == [("Veiledning", "coordinator")]
    assert theirs["items"] == []
