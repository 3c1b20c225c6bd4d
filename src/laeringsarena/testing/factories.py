"""factory_boy factories for tests: valid objects with as little ceremony as possible."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from laeringsarena.accounts.models import Role, RoleAssignment, User
from laeringsarena.organisations.models import Organisation, OrganisationKind, Position
from laeringsarena.people.models import Employment, Person


def platform() -> Organisation:
    root = Organisation.objects.filter(kind=OrganisationKind.PLATFORM).first()
    return root or Organisation.objects.create(
        kind=OrganisationKind.PLATFORM, name="Læringsarena", slug="laeringsarena"
    )


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Testvik {n} kommune")
    slug = factory.Sequence(lambda n: f"testvik-{n}")
    parent = factory.LazyFunction(platform)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.SECTOR
    name = factory.Sequence(lambda n: f"Sektor {n}")
    slug = factory.Sequence(lambda n: f"sektor-{n}")
    parent = factory.SubFactory(MunicipalityFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.UNIT
    name = factory.Sequence(lambda n: f"Enhet {n}")
    slug = factory.Sequence(lambda n: f"enhet-{n}")
    parent = factory.SubFactory(SectorFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    code = "5321"
    name = "Helsefagarbeider"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Kari{n}")
    family_name = "Nordmann"
    email = factory.Sequence(lambda n: f"person{n}@example.no")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.LazyAttribute(lambda u: u.person.email if u.person else f"user{id(u)}@example.no")
    person = factory.SubFactory(PersonFactory)
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    organisation = factory.LazyAttribute(lambda e: Organisation.objects.get(pk=e.unit.tenant_id))
    position = factory.SubFactory(PositionFactory)
    percentage = Decimal("100")
    start_date = factory.LazyFunction(lambda: dt.date(2020, 1, 1))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    role = Role.LEADER
    organisation = factory.SubFactory(UnitFactory)
    start_date = factory.LazyFunction(lambda: dt.date(2020, 1, 1))
