"""Who may open the core, accounts and organisations views and API operations."""

from __future__ import annotations

from laeringsarena.accounts.models import Role, RoleAssignment, User
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing.access import (
    AGGREGATES,
    FJORDVIK,
    LEADERS,
    NORDOY,
    NOT_ALLOWED,
    NOT_FOUND,
    Expectations,
    always,
    everyone,
    logged_in,
    only,
)

WEB: dict[str, Expectations] = {
    "core:home": {None: logged_in},
    "core:healthz": {None: everyone},
    "accounts:login": {None: everyone},
    "accounts:logout": {None: always(NOT_ALLOWED)},  # POST only
    "accounts:oidc_login": {None: always(NOT_FOUND)},  # OIDC is not configured in tests
    "accounts:oidc_callback": {None: always(NOT_FOUND)},
    "set_language": {None: everyone},
    "organisations:my_units": {None: only(LEADERS)},
    "organisations:unit": {
        "fjordvik_unit": only("leder", "kommunalsjef", "hr", "admin"),
        "nordoy_unit": only("leder_nordoy", "admin"),
    },
    "organisations:person": {
        "fjordvik_person": only("ansatt", "leder", "kommunalsjef", "hr", "admin"),
        "nordoy_person": only("ansatt_nordoy", "leder_nordoy", "admin"),
    },
    "organisations:overview": {None: only(AGGREGATES)},
    "organisations:tenant_overview": {
        "fjordvik_slug": only(AGGREGATES - {"leder_nordoy"}),
        "nordoy_slug": only("leder_nordoy", "admin"),
    },
    "organisations:admin": {None: only("hr", "admin")},
    "organisations:import_employees": {"fjordvik_slug": only("hr", "admin"), "nordoy_slug": only("admin")},
    "api:openapi-json": {None: everyone},
    "api:openapi-view": {None: everyone},
    "api:api-root": {None: always(NOT_FOUND)},  # Django Ninja answers 404 at the root
}

API: dict[str, Expectations] = {
    "GET /api/v1/me": {None: logged_in},
    "GET /api/v1/organisations": {None: logged_in},
    "GET /api/v1/organisations/{organisation_id}": {
        "fjordvik_unit": only(FJORDVIK, "admin"),
        "nordoy_unit": only(NORDOY, "admin"),
    },
    "GET /api/v1/positions": {None: logged_in},
    "GET /api/v1/people": {None: logged_in},
    "GET /api/v1/people/{person_id}": {
        "fjordvik_person": only("ansatt", "leder", "kommunalsjef", "hr", "admin"),
        "nordoy_person": only("ansatt_nordoy", "leder_nordoy", "admin"),
    },
    "GET /api/v1/employments": {None: logged_in},
    "POST /api/v1/organisations/{slug}/employee-imports": {
        "fjordvik_slug": only("hr", "admin"),
        "nordoy_slug": only("admin"),
    },
}


def targets() -> dict[str, dict[str, object]]:
    fjordvik_unit = Organisation.objects.get(tenant__slug="fjordvik", slug="fjordvik-sykehjem")
    nordoy_leader = User.objects.get(email="leder@nordoy.demo")
    nordoy_unit = RoleAssignment.objects.get(person=nordoy_leader.person, role=Role.LEADER).organisation
    fjordvik_person = User.objects.get(email="ansatt@fjordvik.demo").person
    nordoy_person = User.objects.get(email="ansatt@nordoy.demo").person
    assert fjordvik_person is not None and nordoy_person is not None
    return {
        "fjordvik_unit": {"pk": fjordvik_unit.pk, "organisation_id": fjordvik_unit.pk},
        "nordoy_unit": {"pk": nordoy_unit.pk, "organisation_id": nordoy_unit.pk},
        "fjordvik_person": {"pk": fjordvik_person.pk, "person_id": fjordvik_person.pk},
        "nordoy_person": {"pk": nordoy_person.pk, "person_id": nordoy_person.pk},
        "fjordvik_slug": {"slug": "fjordvik"},
        "nordoy_slug": {"slug": "nordoy"},
    }


BODIES: dict[str, tuple[str, bytes, str]] = {
    # An empty import file: allowed callers get past the permission check to a 400.
    "POST /api/v1/organisations/{slug}/employee-imports": ("text/csv", b"employee_number\n", "dry_run=true"),
}
