"""Helpers for the community tests: groups built through the services, as people would."""

from __future__ import annotations

import pytest

from laeringsarena.accounts.models import User
from laeringsarena.community import services
from laeringsarena.community.models import Group, GroupKind, JoinPolicy, Membership, MembershipStatus
from laeringsarena.testing import factories as f


def colleague_at(unit, email: str) -> User:
    person = f.PersonFactory(email=email)
    f.EmploymentFactory(person=person, unit=unit)
    return f.UserFactory(person=person)


def add_member(group: Group, user: User, role: str = "member") -> Membership:
    return Membership.objects.create(
        group=group, person=user.person, role=role, status=MembershipStatus.ACTIVE
    )


@pytest.fixture
def guidance(world) -> Group:
    """A guidance group at Alfa sykehjem: the employee coordinates, the leader is a member."""
    group = services.create_group(
        world.employee, kind=GroupKind.GUIDANCE, name="Veiledning", join_policy=JoinPolicy.REQUEST
    )
    add_member(group, world.leader)
    return group
