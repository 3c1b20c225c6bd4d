"""Vocabulary for the access matrix (core/tests/test_access.py).

Every app declares who may open its views and API operations in
``<app>/tests/access_expectations.py`` with two dicts, ``WEB`` (URL name → {target: expectation})
and ``API`` ("METHOD /api/v1/path" → {target: expectation}), and optionally ``targets()``
returning extra targets (name → URL keyword values), built from the loaded demo. A target of
``None`` means the URL takes no arguments. The matrix test fails for any view or operation
that no app has an expectation for.
"""

from __future__ import annotations

from collections.abc import Callable

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

Expectation = Callable[[str], str]
Expectations = dict[str | None, Expectation]


def only(*allowed: str | set[str], login: bool = True) -> Expectation:
    """Allowed for these roles, login (401 on the API) for anonymous, denied for everyone else."""
    allowed_set: set[str] = set()
    for item in allowed:
        allowed_set |= {item} if isinstance(item, str) else set(item)

    def expect(role: str) -> str:
        if role == "anonymous" and login:
            return LOGIN
        return ALLOW if role in allowed_set else DENY

    return expect


def everyone(role: str) -> str:
    return ALLOW


def logged_in(role: str) -> str:
    return LOGIN if role == "anonymous" else ALLOW


def always(outcome: str) -> Expectation:
    return lambda role: outcome
