"""The permission service: subtree scopes, roles, and tenant isolation."""

from __future__ import annotations

import datetime as dt

import pytest

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.testing import factories as f


def test_a_leader_sees_people_in_their_unit_and_below_but_not_elsewhere(world):
    visible = set(permissions.people(world.leader).values_list("email", flat=True))

    assert {"ansatt@alfa.test", "leder@alfa.test", "tillitsvalgt@alfa.test"} <= visible
    assert "laerer@alfa.test" not in visible  # another sector
    assert "ansatt@beta.test" not in visible  # another municipality


def test_a_leader_role_covers_sub_units(world):
    nurse = f.EmploymentFactory(unit=world.alpha_home_ward).person
    assert permissions.people(world.leader).filter(pk=nurse.pk).exists()
    assert permissions.has_permission(world.leader, Permission.PEOPLE_VIEW, world.alpha_home_ward)


def test_an_employee_sees_only_themselves(world):
    assert list(permissions.people(world.employee)) == [world.employee.person]
    assert not permissions.has_permission(world.employee, Permission.PEOPLE_VIEW)


def test_hr_sees_the_whole_municipality_and_nothing_of_the_other(world):
    visible = permissions.people(world.hr)
    assert visible.filter(email="laerer@alfa.test").exists()
    assert visible.filter(email="ansatt@alfa.test").exists()
    assert not visible.filter(email__endswith="@beta.test").exists()
    assert permissions.has_permission(world.hr, Permission.PEOPLE_IMPORT, world.alpha)
    assert not permissions.has_permission(world.hr, Permission.PEOPLE_IMPORT, world.beta)


def test_union_representatives_see_aggregates_but_not_individuals(world):
    assert permissions.has_permission(world.union_rep, Permission.AGGREGATES_VIEW, world.alpha)
    assert list(permissions.people(world.union_rep)) == [world.union_rep.person]


def test_another_tenants_organisation_is_not_found_rather_than_forbidden(world):
    with pytest.raises(NotFound):
        permissions.access_organisation(world.leader, world.beta_unit.pk, Permission.ORGANISATION_VIEW)
    with pytest.raises(NotFound):
        permissions.access_tenant(world.leader, "beta", Permission.AGGREGATES_VIEW)


def test_own_tenant_without_the_permission_is_forbidden(world):
    with pytest.raises(PermissionDenied):
        permissions.access_organisation(world.employee, world.alpha_school.pk, Permission.PEOPLE_VIEW)


def test_ended_roles_and_employments_grant_nothing(world):
    past = dt.date(2020, 12, 31)
    person = f.PersonFactory(email="tidligere@alfa.test")
    f.EmploymentFactory(person=person, unit=world.alpha_home, end_date=past)
    f.RoleFactory(person=person, role=Role.LEADER, organisation=world.alpha_home, end_date=past)
    user = f.UserFactory(person=person)

    assert permissions.roles(user) == set()
    assert not permissions.has_permission(user, Permission.ORGANISATION_VIEW, world.alpha)


def test_a_person_with_jobs_in_two_municipalities_sees_both_structures(world):
    f.EmploymentFactory(person=world.employee.person, unit=world.beta_unit, percentage=20)
    permissions.forget_cached_grants(world.employee)

    assert set(permissions.tenants(world.employee)) == {world.alpha, world.beta}


def test_the_platform_admin_sees_every_tenant(world):
    root = f.platform()
    admin = f.UserFactory(person=f.PersonFactory(email="admin@test"))
    f.RoleFactory(person=admin.person, role=Role.PLATFORM_ADMIN, organisation=root)

    assert permissions.people(admin).filter(email="ansatt@beta.test").exists()
    assert permissions.has_permission(admin, Permission.PEOPLE_IMPORT, world.beta)


def test_anonymous_has_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not permissions.organisations(anonymous).exists()
    assert not permissions.people(anonymous).exists()


def test_role_holders_walk_up_the_chain(world):
    sector_leader = f.RoleFactory(role=Role.LEADER, organisation=world.alpha_health).person

    leaders = set(permissions.role_holders(Role.LEADER, world.alpha_home_ward))

    assert leaders == {world.leader.person, sector_leader}
    assert permissions.role_paths(world.leader, Role.LEADER) == [world.alpha_home.path]


def test_holders_of_a_permission_are_found_for_notifications(world):
    importers = set(permissions.holders(Permission.PEOPLE_IMPORT, world.alpha_school))
    assert importers == {world.hr.person}
    assert not permissions.holders(Permission.PEOPLE_IMPORT, world.beta_unit).exists()
