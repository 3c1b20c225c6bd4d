"""Every URL and every API operation, as every demo role and anonymous: allowed or denied?

The walk is automatic: a view or API operation added later without an expectation makes this
test fail, so nobody can add a page without deciding who may open it. Expectations live beside
each app in ``<app>/tests/access_expectations.py`` (see :mod:`laeringsarena.testing.access`).
Parametrised targets are tried for the own municipality and for the other one.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from laeringsarena.accounts.models import ApiToken, User
from laeringsarena.api import api
from laeringsarena.demo.services import load_demo
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing.access import (
    ALLOW,
    DENY,
    FJORDVIK,
    LOGGED_IN,
    LOGIN,
    LOGINS,
    NOT_ALLOWED,
    NOT_FOUND,
    ROLES,
    Expectations,
)

NOT_FOUND_OR_DENY = "not-found-or-deny"


def _expectation_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("laeringsarena."):
            continue
        name = f"{config.name}.tests.access_expectations"
        if importlib.util.find_spec(f"{config.name}.tests") and importlib.util.find_spec(name):
            modules.append(importlib.import_module(name))
    return modules


def _merged(attribute: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for module in _expectation_modules():
        for key, value in getattr(module, attribute, {}).items():
            assert key not in merged, f"{key} has expectations in two apps"
            merged[key] = value
    return merged


WEB: dict[str, Expectations] = _merged("WEB")
API: dict[str, Expectations] = _merged("API")
# "METHOD /path" → (content type, body, query string) for operations that take a body.
BODIES: dict[str, tuple[str, bytes, str]] = _merged("BODIES")


def _targets() -> dict[str, dict[str, object]]:
    values: dict[str, dict[str, object]] = {}
    for module in _expectation_modules():
        if hasattr(module, "targets"):
            found = module.targets()
            clash = set(found) & set(values)
            # Two apps naming a target alike would silently test one app's view with the other's id.
            assert not clash, f"{module.__name__} redefines targets {sorted(clash)}"
            values.update(found)
    return values


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
    """URL name → route, for everything that is not an API operation (those come from the schema)."""
    operation_routes = set()
    for _method, path in _api_operations():
        operation_routes.add(resolve(re.sub(r"\{\w+\}", "1", path)).route)
    return {
        name: route for route, name in _walk(get_resolver().url_patterns) if route not in operation_routes
    }


def test_every_view_and_api_operation_has_an_access_expectation():
    routes = _web_routes()
    operations = {f"{m} {p}" for m, p in _api_operations()}
    missing_web = set(routes) - set(WEB)
    missing_api = operations - set(API)
    stale = (set(WEB) - set(routes)) | (set(API) - operations)
    hint = "add them to <app>/tests/access_expectations.py"
    assert not missing_web, f"Views without an access expectation ({hint}): {sorted(missing_web)}"
    assert not missing_api, f"API operations without an access expectation: {sorted(missing_api)}"
    assert not stale, f"Expectations for routes that no longer exist: {sorted(stale)}"


def _fill(route: str, values: dict[str, object]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(values[match.group(1)])

    # Regular-expression routes (e.g. the LRS's optional trailing slash): the plain URL they match.
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, route)
    route = route.replace("^", "").replace("$", "").replace("/?", "/")
    route = re.sub(r"<(?:\w+:)?(\w+)>", value, route)
    return "/" + re.sub(r"\{(\w+)\}", value, route).lstrip("/")


def _outcome(response: Any, api_call: bool) -> str:
    status = response.status_code
    if status == 405:
        return NOT_ALLOWED
    if api_call and status == 401:
        return LOGIN
    if not api_call and status in (301, 302):
        location = response.get("Location", "")
        if "/logg-inn/" in location and "/logg-inn/" not in response.request["PATH_INFO"]:
            return LOGIN
    if status == 403:
        return DENY
    if status == 404:
        return NOT_FOUND_OR_DENY
    return ALLOW if status < 500 else f"error {status}"


def _matches(expected: str, actual: str) -> bool:
    if actual == NOT_FOUND_OR_DENY:
        return expected in (DENY, NOT_FOUND)
    return expected == actual


@pytest.fixture
def demo_targets(db):
    load_demo()
    return _targets()


def _check_role(role: str, targets: dict[str, dict[str, object]]) -> list[str]:
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
            url = _fill(route, targets[target] if target else {})
            actual = _outcome(client.get(url), api_call=False)
            if not _matches(expect(role), actual):
                failures.append(
                    f"{role}: GET {url} ({name}, {target}): expected {expect(role)}, got {actual}"
                )
    api_client = Client()  # the API is exercised with the bearer token, not the session
    for method, path in _api_operations():
        key = f"{method} {path}"
        for target, expect in API[key].items():
            url = _fill(path, targets[target] if target else {})
            if method == "GET":
                response = api_client.get(url, **headers)
            else:
                content_type, body, query = BODIES.get(key, ("application/json", b"{}", ""))
                response = api_client.generic(
                    method, f"{url}?{query}" if query else url, body, content_type=content_type, **headers
                )
            actual = _outcome(response, api_call=True)
            if not _matches(expect(role), actual):
                failures.append(f"{role}: {key} → {url} ({target}): expected {expect(role)}, got {actual}")
            if response.status_code >= 400 and response["Content-Type"] != "application/problem+json":
                failures.append(f"{role}: {key} → {url} answered {response.status_code} without problem JSON")
    return failures


def test_access_matrix(demo_targets):
    """One demo load, every role: the failures of all roles are reported together."""
    failures = []
    for role in ROLES:
        failures += _check_role(role, demo_targets)
    assert not failures, f"{len(failures)} access mismatches:\n" + "\n".join(failures)


def test_api_lists_never_leak_another_municipality(demo_targets):
    client = Client()
    leaks = []
    for role in sorted(LOGGED_IN - {"admin"}):
        user = User.objects.get(email=LOGINS[role])
        _token, raw = ApiToken.issue(user)
        other = "nordoy" if role in FJORDVIK else "fjordvik"
        other_tenant = Organisation.objects.get(slug=other)
        for path in ("/api/v1/people", "/api/v1/employments", "/api/v1/organisations"):
            body = client.get(f"{path}?page_size=500", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
            # The caller's own records (e.g. an earlier job in the other municipality) are theirs.
            items = [
                item
                for item in body["items"]
                if user.person_id is None
                or user.person_id
                not in (item.get("person_id"), item.get("id") if path.endswith("people") else None)
            ]
            body = {"items": items}
            if f"@{other}.demo" in str(body["items"]).lower():
                leaks.append(f"{role} sees {other} people in {path}")
            ids = {item.get("tenant_id") or item.get("organisation_id") for item in body["items"]}
            if other_tenant.pk in ids:
                leaks.append(f"{role} sees {other} organisations in {path}")
    assert not leaks, "\n".join(leaks)
