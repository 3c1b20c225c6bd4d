"""The demo population: size, structure, the fixed logins and their roles, idempotency."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role, RoleAssignment, User
from laeringsarena.accounts.permissions import Permission
from laeringsarena.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from laeringsarena.demo.services import DemoSummary, load_demo
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment, Person
from laeringsarena.people.services import import_employees

pytestmark = pytest.mark.django_db

# email → (role, slug of the organisation it is held on)
EXPECTED_ROLES: dict[str, tuple[str, str]] = {
    "ansatt@fjordvik.demo": (Role.EMPLOYEE, "fjordvik"),
    "ansatt2@fjordvik.demo": (Role.EMPLOYEE, "fjordvik"),
    "leder@fjordvik.demo": (Role.LEADER, "fjordvik-sykehjem"),
    "kommunalsjef@fjordvik.demo": (Role.LEADER, "helse-og-omsorg"),
    "hr@fjordvik.demo": (Role.HR, "fjordvik"),
    "tillitsvalgt@fjordvik.demo": (Role.UNION_REPRESENTATIVE, "fjordvik"),
    "verneombud@fjordvik.demo": (Role.SAFETY_DELEGATE, "fjordvik"),
    "kvalitet@fjordvik.demo": (Role.QUALITY_COORDINATOR, "fjordvik"),
    "leverandor@fjordvik.demo": (Role.PROVIDER_EDITOR, "fjordvik"),
    "admin@laeringsarena.demo": (Role.PLATFORM_ADMIN, "laeringsarena"),
    "ansatt@nordoy.demo": (Role.EMPLOYEE, "nordoy"),
    "leder@nordoy.demo": (Role.LEADER, "nordoy-omsorgssenter"),
}


@pytest.fixture
def demo() -> DemoSummary:
    return load_demo()


def tenant(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug, kind=OrganisationKind.MUNICIPALITY)


def node(tenant_slug: str, slug: str) -> Organisation:
    """A node by slug inside a tenant; the platform root for "laeringsarena"."""
    if tenant_slug == "laeringsarena":
        return Organisation.objects.get(kind=OrganisationKind.PLATFORM)
    return Organisation.objects.get(tenant=tenant(tenant_slug), slug=slug)


def login(email: str) -> User:
    user = authenticate(username=email, password=DEMO_PASSWORD)
    assert user is not None, f"{email} cannot log in with the demo password"
    assert isinstance(user, User)
    return user


def active_people(slug: str) -> set[int]:
    return set(
        Employment.objects.active().filter(organisation=tenant(slug)).values_list("person_id", flat=True)
    )


def test_fjordvik_structure(demo: DemoSummary) -> None:
    fjordvik = tenant("fjordvik")
    assert fjordvik.name == "Fjordvik kommune"
    assert len(fjordvik.org_number) == 9 and fjordvik.org_number.isdigit()
    assert fjordvik.parent is not None and fjordvik.parent.kind == OrganisationKind.PLATFORM
    sectors = Organisation.objects.filter(tenant=fjordvik, kind=OrganisationKind.SECTOR)
    assert set(sectors.values_list("slug", flat=True)) == {
        "helse-og-omsorg",
        "oppvekst",
        "administrasjon",
        "teknisk",
    }
    units = Organisation.objects.filter(tenant=fjordvik, kind=OrganisationKind.UNIT)
    assert 15 <= units.count() <= 25
    nursing_home = units.get(slug="fjordvik-sykehjem")
    assert nursing_home.parent is not None and nursing_home.parent.slug == "helse-og-omsorg"
    # Units below units ("any depth").
    assert units.filter(parent=nursing_home).count() >= 1
    nordoy = Organisation.objects.filter(tenant=tenant("nordoy"), kind=OrganisationKind.UNIT)
    assert 3 <= nordoy.count() <= 4


def test_population_size_and_shape(demo: DemoSummary) -> None:
    fjordvik_people = active_people("fjordvik")
    assert 380 <= len(fjordvik_people) <= 420
    assert 30 <= len(active_people("nordoy")) <= 40
    assert demo.active_people == {"fjordvik": len(fjordvik_people), "nordoy": len(active_people("nordoy"))}
    assert demo.created is True
    assert demo.people == Person.objects.count()
    # Aggregates below five people are suppressed; the demo unit must show numbers.
    nursing_home = Organisation.objects.get(tenant=tenant("fjordvik"), slug="fjordvik-sykehjem")
    assert Employment.objects.active().filter(unit=nursing_home).values("person").distinct().count() >= 5
    # Realistic mix: the nursing home is mostly health workers and nurses, part time is common.
    codes = list(
        Employment.objects.active().filter(unit=nursing_home).values_list("position__code", flat=True)
    )
    assert codes.count("5321") > codes.count("2223") > 0
    percentages = (
        Employment.objects.active().filter(position__code="5321").values_list("percentage", flat=True)
    )
    assert sum(p < 100 for p in percentages) > len(percentages) / 2
    # Every employment looks like the HR import's: employee number and employment number.
    external_ids = Employment.objects.values_list("external_id", flat=True)
    assert all(e.count(":") == 1 and e.replace(":", "").isdigit() for e in external_ids)
    emails = Person.objects.exclude(email=None).values_list("email", flat=True)
    assert all(email.isascii() and email == email.lower() for email in emails)


def test_history_and_concurrent_employments(demo: DemoSummary) -> None:
    active = Employment.objects.active()
    fjordvik = tenant("fjordvik")
    doubles = (
        Person.objects.filter(employments__organisation=fjordvik)
        .annotate(n=Count("employments", filter=Q(employments__in=active)))
        .filter(n=2)
    )
    assert 5 <= doubles.count() <= 10
    for person in doubles:
        assert sum(e.percentage for e in person.employments.active()) <= Decimal(100)
    # People who have left, and people whose earlier employment has ended.
    # Plain id sets: PostgreSQL plans the nested IN/NOT EXISTS form very badly on fresh,
    # unanalysed tables (minutes instead of milliseconds).
    ended = set(
        Employment.objects.filter(organisation=fjordvik, end_date__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    working = set(active.values_list("person_id", flat=True))
    assert len(ended) >= 5
    assert ended - working, "somebody has left Fjordvik"


def test_every_unit_has_a_leader(demo: DemoSummary) -> None:
    for unit in Organisation.objects.filter(kind=OrganisationKind.UNIT):
        leaders = RoleAssignment.objects.filter(role=Role.LEADER, organisation=unit)
        assert leaders.count() == 1, unit
        leader = leaders.get().person
        assert Employment.objects.active().filter(person=leader, unit=unit).exists(), unit


def test_fixed_logins_authenticate_and_hold_their_roles(demo: DemoSummary) -> None:
    assert {email for email, _label in DEMO_LOGINS} == set(EXPECTED_ROLES)
    for email, (role, slug) in EXPECTED_ROLES.items():
        user = login(email)
        assert user.person is not None and user.person.email == email
        assert role in permissions.roles(user), email
        organisation = node(email.split("@")[1].removesuffix(".demo"), slug)
        assert permissions.has_permission(user, Permission.ORGANISATION_VIEW, organisation), email
    fjordvik = tenant("fjordvik")
    sector = Organisation.objects.get(tenant=fjordvik, slug="helse-og-omsorg")
    assert permissions.has_permission(login("kommunalsjef@fjordvik.demo"), Permission.PEOPLE_VIEW, sector)
    assert not permissions.has_permission(
        login("kommunalsjef@fjordvik.demo"), Permission.PEOPLE_VIEW, fjordvik
    )
    assert permissions.has_permission(login("hr@fjordvik.demo"), Permission.PEOPLE_IMPORT, fjordvik)
    union = login("tillitsvalgt@fjordvik.demo")
    assert permissions.has_permission(union, Permission.AGGREGATES_VIEW, fjordvik)
    assert not permissions.has_permission(union, Permission.PEOPLE_VIEW)
    assert permissions.has_permission(login("leverandor@fjordvik.demo"), Permission.CATALOGUE_EDIT)
    admin = login("admin@laeringsarena.demo")
    assert admin.is_superuser and admin.is_staff
    assert permissions.has_permission(admin, Permission.PLATFORM_ADMIN, fjordvik)
    # The employees work at the nursing home itself, not in a ward below it.
    for email in ("ansatt@fjordvik.demo", "ansatt2@fjordvik.demo"):
        jobs = Employment.objects.active().filter(person__email=email, unit__slug="fjordvik-sykehjem")
        assert jobs.filter(position__code="5321").exists(), email
    # HR, union representative, safety delegate and quality coordinator also have a normal job.
    for email in ("hr", "tillitsvalgt", "verneombud", "kvalitet"):
        assert (
            Employment.objects.active()
            .filter(person__email=f"{email}@fjordvik.demo", organisation=fjordvik)
            .exists()
        )
    # Generated employees can log in too.
    generated = Person.objects.filter(email__endswith="@fjordvik.demo", email__contains=".").exclude(
        user=None
    )
    email = generated.values_list("email", flat=True).first()
    assert email is not None
    login(email)


def test_leader_sees_own_staff_only_within_tenant(demo: DemoSummary) -> None:
    leader = login("leder@fjordvik.demo")
    visible = permissions.people(leader)
    assert visible.filter(email="ansatt@fjordvik.demo").exists()
    assert visible.filter(email="ansatt2@fjordvik.demo").exists()
    # (Someone who moved from Nordøy has an ended employment there: that is their history.)
    assert not visible.filter(
        pk__in=Employment.objects.active().filter(organisation=tenant("nordoy")).values("person_id")
    ).exists()
    assert not visible.filter(email="hr@fjordvik.demo").exists()  # another unit

    nordoy_leader = login("leder@nordoy.demo")
    nordoy_visible = permissions.people(nordoy_leader)
    assert nordoy_visible.filter(email="ansatt@nordoy.demo").exists()
    assert not nordoy_visible.filter(
        pk__in=Employment.objects.active().filter(organisation=tenant("fjordvik")).values("person_id")
    ).exists()
    assert not nordoy_visible.filter(email="ansatt@fjordvik.demo").exists()


def test_loading_twice_changes_nothing_and_repairs_logins(demo: DemoSummary) -> None:
    before = (Organisation.objects.count(), Person.objects.count(), Employment.objects.count())
    user = User.objects.get(email="ansatt@fjordvik.demo")
    user.set_password("something-else-entirely")
    user.save()
    User.objects.filter(email="hr@fjordvik.demo").delete()

    again = load_demo()

    assert again.created is False
    assert (again.organisations, again.people, again.employments, again.users) == (
        demo.organisations,
        demo.people,
        demo.employments,
        demo.users,
    )
    assert (Organisation.objects.count(), Person.objects.count(), Employment.objects.count()) == before
    login("ansatt@fjordvik.demo")
    assert login("hr@fjordvik.demo").person == Person.objects.get(email="hr@fjordvik.demo")


def test_hr_import_of_the_same_people_changes_nothing(demo: DemoSummary) -> None:
    """The demo uses the import's external ids, so re-importing the same staff is a no-op."""
    fjordvik = tenant("fjordvik")
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["employee_number", "employment_number", "given_name", "family_name", "email", "unit"]
    columns += ["position_code", "percentage", "start_date", "end_date", "phone", "birth_year"]
    writer.writerow(columns)
    for e in Employment.objects.filter(organisation=fjordvik).select_related("person", "unit", "position"):
        number, employment_number = e.external_id.split(":")
        writer.writerow(
            [
                number,
                employment_number,
                e.person.given_name,
                e.person.family_name,
                e.person.email,
                e.unit.slug,
                e.position.code,
                f"{e.percentage:g}",
                e.start_date.isoformat(),
                e.end_date.isoformat() if e.end_date else "",
                e.person.phone,
                e.person.birth_year or "",
            ]
        )
    result = import_employees(fjordvik, out.getvalue())
    assert result.created_people == result.created_employments == result.ended_employments == 0
    assert result.updated_people == result.updated_employments == 0


def test_command_refuses_outside_demo_mode(settings) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="LAERINGSARENA_DEMO"):
        call_command("demo", stdout=io.StringIO())
    assert not Organisation.objects.filter(slug="fjordvik").exists()


def test_command_loads_and_lists_logins(settings, monkeypatch) -> None:
    settings.DEMO_MODE = True
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "password: demo" in text
    for email, label in DEMO_LOGINS:
        assert email in text and str(label) in text
    assert tenant("fjordvik")
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "already present" in out.getvalue()
