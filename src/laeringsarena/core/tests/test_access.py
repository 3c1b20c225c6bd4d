"""Every URL and every API operation, as every demo role and anonymous: allowed or denied?

The walk is automatic: a view or API operation added later without an expectation below makes
this test fail, so nobody can add a page without deciding who may open it. Each parametrised
target is tried for the own municipality and for the other one (cross-tenant must be denied).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from laeringsarena.accounts.models import ApiToken, Role, RoleAssignment, User
from laeringsarena.api import api
from laeringsarena.demo.services import load_demo
from laeringsarena.organisations.models import Organisation

ALLOW, DENY, LOGIN, NOT_FOUND, NOT_ALLOWED = "allow", "deny", "login", "not-found", "method-not-allowed"

LOGINS = {
    "ansatt": "ansatt@fjordvik.demo",
    "ansatt2": "ansatt2@fjordvik.demo",
    "leder": "leder@fjordvik.demo",
    "kommunalsjef": "kommunalsjef@fjordvik.demo",
    "hr": "hr@fjordvik.demo",
    "tillitsvalgt": "tillitsvalgt@fjordvik.demo",
    "verneombud": "verneombud@fjordvik.demo",
    "kvalitet": "kvalitet@fjordvik.demo",
    "leverandor": "leverandor@fjordvik.demo",
    "admin": "admin@laeringsarena.demo",
    "ansatt_nordoy": "ansatt@nordoy.demo",
    "leder_nordoy": "leder@nordoy.demo",
}
ROLES = ["anonymous", *LOGINS]
FJORDVIK = {
    "ansatt",
    "ansatt2",
    "leder",
    "kommunalsjef",
    "hr",
    "tillitsvalgt",
    "verneombud",
    "kvalitet",
    "leverandor",
}
NORDOY = {"ansatt_nordoy", "leder_nordoy"}
LOGGED_IN = set(LOGINS)
LEADERS = {"leder", "kommunalsjef", "leder_nordoy"}
AGGREGATES = {
    "leder",
    "kommunalsjef",
    "hr",
    "tillitsvalgt",
    "verneombud",
    "kvalitet",
    "admin",
    "leder_nordoy",
}


def only(*allowed: str, login: bool = True) -> Callable[[str], str]:
    """Allowed for these roles, login for anonymous, denied for everyone else."""
    allowed_set = set().union(*[{a} if isinstance(a, str) else a for a in allowed])

    def expect(role: str) -> str:
        if role == "anonymous" and login:
            return LOGIN
        return ALLOW if role in allowed_set else DENY

    return expect


def everyone(role: str) -> str:
    return ALLOW


def logged_in(role: str) -> str:
    return LOGIN if role == "anonymous" else ALLOW


def always(outcome: str) -> Callable[[str], str]:
    return lambda role: outcome


# name → {target: expectation}; target None means the URL takes no arguments.
Expectations = dict[str | None, Callable[[str], str]]
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


def api_only(*allowed: str | set[str]) -> Callable[[str], str]:
    expect = only(*allowed)
    return lambda role: expect(role)


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


@dataclass
class Targets:
    values: dict[str, dict[str, object]]


def _targets() -> Targets:
    fjordvik_unit = Organisation.objects.get(tenant__slug="fjordvik", slug="fjordvik-sykehjem")
    nordoy_leader = User.objects.get(email="leder@nordoy.demo")
    nordoy_unit = RoleAssignment.objects.get(person=nordoy_leader.person, role=Role.LEADER).organisation
    fjordvik_person = User.objects.get(email="ansatt@fjordvik.demo").person
    nordoy_person = User.objects.get(email="ansatt@nordoy.demo").person
    assert fjordvik_person is not None and nordoy_person is not None
    return Targets(
        {
            "fjordvik_unit": {"pk": fjordvik_unit.pk, "organisation_id": fjordvik_unit.pk},
            "nordoy_unit": {"pk": nordoy_unit.pk, "organisation_id": nordoy_unit.pk},
            "fjordvik_person": {"pk": fjordvik_person.pk, "person_id": fjordvik_person.pk},
            "nordoy_person": {"pk": nordoy_person.pk, "person_id": nordoy_person.pk},
            "fjordvik_slug": {"slug": "fjordvik"},
            "nordoy_slug": {"slug": "nordoy"},
        }
    )


def _walk(patterns: list, prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield prefix + str(pattern.pattern), name


def _api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, methods in schema["paths"].items() for method in methods]


def _web_routes() -> dict[str, str]:
    """URL name → route, for everything that is not an API operation."""
    api_names = set()
    targets_free = {}
    for _method, path in _api_operations():
        sample = path.replace("{organisation_id}", "1").replace("{person_id}", "1").replace("{slug}", "x")
        api_names.add(resolve(sample).view_name)
    for route, name in _walk(get_resolver().url_patterns):
        if name not in api_names:
            targets_free[name] = route
    return targets_free


def test_every_view_and_api_operation_has_an_access_expectation():
    missing_web = set(_web_routes()) - set(WEB)
    stale_web = set(WEB) - set(_web_routes())
    operations = {f"{m} {p}" for m, p in _api_operations()}
    missing_api = operations - set(API)
    stale_api = set(API) - operations
    assert not missing_web, f"Views without an access expectation in test_access.WEB: {sorted(missing_web)}"
    assert not missing_api, f"API operations without an expectation in test_access.API: {sorted(missing_api)}"
    assert not stale_web and not stale_api, (
        f"Expectations for routes that no longer exist: {stale_web | stale_api}"
    )


def _fill(route: str, values: dict[str, object]) -> str:
    import re

    def value(match: re.Match[str]) -> str:
        return str(values[match.group(1)])

    route = re.sub(r"<(?:\w+:)?(\w+)>", value, route)
    return "/" + re.sub(r"\{(\w+)\}", value, route).lstrip("/")


def _outcome(response, api_call: bool) -> str:
    status = response.status_code
    if status == 405:
        return NOT_ALLOWED
    if api_call:
        if status == 401:
            return LOGIN
        if status in (403, 404):
            return DENY if status == 403 else "not-found-or-deny"
        return ALLOW if status < 500 else f"error {status}"
    if (
        status in (301, 302)
        and "/logg-inn/" in response.get("Location", "")
        and "/logg-inn/" not in response.request["PATH_INFO"]
    ):
        return LOGIN
    if status == 403:
        return DENY
    if status == 404:
        return "not-found-or-deny"
    return ALLOW if status < 400 else f"error {status}"


def _matches(expected: str, actual: str) -> bool:
    if actual == "not-found-or-deny":
        return expected in (DENY, NOT_FOUND)
    return expected == actual


@pytest.fixture
def demo_world(db):
    load_demo()
    return _targets()


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, demo_world):
    client = Client()
    headers: dict[str, str] = {}
    if role != "anonymous":
        user = User.objects.get(email=LOGINS[role])
        client.force_login(user)
        _token, raw = ApiToken.issue(user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    failures = []
    for name, route in sorted(_web_routes().items()):
        for target, expect in WEB[name].items():
            url = _fill(route, demo_world.values[target] if target else {})
            actual = _outcome(client.get(url), api_call=False)
            if not _matches(expect(role), actual):
                failures.append(f"GET {url} ({name}, {target}): expected {expect(role)}, got {actual}")
    api_client = Client()  # the API is exercised with the bearer token, not the session
    for method, path in _api_operations():
        for target, expect in API[f"{method} {path}"].items():
            url = _fill(path, demo_world.values[target] if target else {})
            if method == "GET":
                response = api_client.get(url, **headers)
            else:
                response = api_client.generic(
                    method, url + "?dry_run=true", b"employee_number\n", content_type="text/csv", **headers
                )
            actual = _outcome(response, api_call=True)
            if not _matches(expect(role), actual):
                failures.append(f"{method} {url} ({target}): expected {expect(role)}, got {actual}")
            if response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json", url
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", sorted(LOGGED_IN - {"admin"}))
def test_api_lists_never_leak_another_municipality(role, demo_world):
    user = User.objects.get(email=LOGINS[role])
    _token, raw = ApiToken.issue(user)
    other = "nordoy" if role in FJORDVIK else "fjordvik"
    client = Client()
    for path in ("/api/v1/people", "/api/v1/employments", "/api/v1/organisations"):
        body = client.get(f"{path}?page_size=500", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        text = str(body["items"]).lower()
        assert f"@{other}.demo" not in text, f"{role} sees {other} people in {path}"
        other_tenant = Organisation.objects.get(slug=other)
        ids = {item.get("tenant_id") or item.get("organisation_id") for item in body["items"]}
        assert other_tenant.pk not in ids, f"{role} sees {other} organisations in {path}"
