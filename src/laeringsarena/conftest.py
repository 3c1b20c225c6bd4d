"""Fixtures shared by every app's tests: a small two-municipality world built with factories."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from laeringsarena.accounts.models import ApiToken, Role, User
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing import factories as f


@pytest.fixture(autouse=True)
def _bokmal_between_tests():
    """Every test starts in Bokmål. A request through the test client activates the visitor's
    language for the whole thread (LocaleMiddleware does not reset it), which would otherwise
    leak into the next test's services and e-mails."""
    from django.utils import translation

    translation.activate("nb")
    yield
    translation.deactivate()


@dataclass
class World:
    alpha: Organisation  # municipality "alfa"
    alpha_health: Organisation  # sector
    alpha_home: Organisation  # unit: nursing home
    alpha_home_ward: Organisation  # sub-unit of the nursing home
    alpha_school: Organisation  # unit in another sector
    beta: Organisation  # municipality "beta"
    beta_unit: Organisation
    employee: User  # works at alpha_home
    colleague: User  # works at alpha_school
    leader: User  # leads alpha_home
    hr: User  # HR for alpha
    union_rep: User
    beta_employee: User
    beta_leader: User


@pytest.fixture
def world(db: None) -> World:
    alpha = f.MunicipalityFactory(name="Alfa kommune", slug="alfa")
    health = f.SectorFactory(parent=alpha, name="Helse og omsorg", slug="helse")
    school_sector = f.SectorFactory(parent=alpha, name="Oppvekst", slug="oppvekst")
    home = f.UnitFactory(parent=health, name="Alfa sykehjem", slug="alfa-sykehjem")
    ward = f.UnitFactory(parent=home, name="Avdeling 1", slug="avdeling-1")
    school = f.UnitFactory(parent=school_sector, name="Alfa skole", slug="alfa-skole")
    beta = f.MunicipalityFactory(name="Beta kommune", slug="beta")
    beta_unit = f.UnitFactory(
        parent=f.SectorFactory(parent=beta, slug="beta-helse"), name="Beta omsorg", slug="beta-omsorg"
    )

    def user_at(
        unit: Organisation, email: str, role: str | None = None, role_org: Organisation | None = None
    ) -> User:
        person = f.PersonFactory(email=email)
        f.EmploymentFactory(person=person, unit=unit)
        if role:
            f.RoleFactory(person=person, role=role, organisation=role_org or unit)
        return f.UserFactory(person=person)

    return World(
        alpha=alpha,
        alpha_health=health,
        alpha_home=home,
        alpha_home_ward=ward,
        alpha_school=school,
        beta=beta,
        beta_unit=beta_unit,
        employee=user_at(home, "ansatt@alfa.test"),
        colleague=user_at(school, "laerer@alfa.test"),
        leader=user_at(home, "leder@alfa.test", Role.LEADER),
        hr=user_at(school, "hr@alfa.test", Role.HR, alpha),
        union_rep=user_at(home, "tillitsvalgt@alfa.test", Role.UNION_REPRESENTATIVE, alpha),
        beta_employee=user_at(beta_unit, "ansatt@beta.test"),
        beta_leader=user_at(beta_unit, "leder@beta.test", Role.LEADER),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: User) -> dict[str, str]:
    _token, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
