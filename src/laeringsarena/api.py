"""The JSON API under /api/v1/ (Django Ninja). Every error is RFC 9457 problem JSON."""

from __future__ import annotations

import importlib
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from laeringsarena import __version__
from laeringsarena.core.api_support import API_AUTH
from laeringsarena.core.errors import (
    InvalidInput,
    LaeringsarenaError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from laeringsarena.core.middleware import problem_response

api = NinjaAPI(
    title="Læringsarena API",
    version=__version__,
    description=(
        "The JSON API of Læringsarena. Authenticate with `Authorization: Bearer <token>` "
        "(`laeringsarena create-token USERNAME`). Errors are RFC 9457 problem JSON "
        "(`application/problem+json`). Lists are paginated with `page` and `page_size`."
    ),
    auth=API_AUTH,
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(LaeringsarenaError)
def _platform_error(request: HttpRequest, exc: LaeringsarenaError) -> HttpResponse:
    return problem_response(exc, request)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", [])]
        errors.append({"field": ".".join(location), "reason": error.get("msg", "")})
    return problem_response(InvalidInput(_("Forespørselen har ugyldige felter."), errors=errors), request)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem_response(NotAuthenticated(_("Gyldig API-nøkkel eller innlogging kreves.")), request)
    response["WWW-Authenticate"] = 'Bearer realm="laeringsarena"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(NotFound(), request)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    error: LaeringsarenaError
    if exc.status_code == 403:
        error = PermissionDenied(str(exc))
    elif exc.status_code == 404:
        error = NotFound(str(exc))
    else:
        error = LaeringsarenaError(str(exc))
        error.status = exc.status_code
    return problem_response(error, request)


def _register_routers() -> None:
    from laeringsarena.accounts.api import router as accounts_router
    from laeringsarena.organisations.api import router as organisations_router
    from laeringsarena.people.api import router as people_router

    api.add_router("", accounts_router)
    api.add_router("", organisations_router)
    api.add_router("", people_router)
    for app in ("catalogue", "competence", "quality", "community"):
        module = importlib.import_module(f"laeringsarena.{app}.api")
        api.add_router(f"/{app}", module.router)
    # Plans answer under /api/v1/me/plan and similar, so the router is mounted at the root.
    api.add_router("", importlib.import_module("laeringsarena.plans.api").router)
    # Newer apps own their full paths (/me/learning, /units/{id}/learning, /credentials/verify, …).
    for app in ("lrs", "learning", "cmi5", "credentials", "learning_account", "guidance"):
        api.add_router("", importlib.import_module(f"laeringsarena.{app}.api").router)


_register_routers()
