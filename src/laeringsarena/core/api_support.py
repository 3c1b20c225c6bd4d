"""Shared pieces of the JSON API: authentication, pagination and RFC 9457 errors."""

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer, SessionAuth

from laeringsarena.accounts.models import ApiToken


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``laeringsarena create-token``."""

    openapi_description = "API token from `laeringsarena create-token USERNAME`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """The logged-in browser session (CSRF-protected for unsafe methods)."""


API_AUTH = [BearerToken(), BrowserSession()]


class Page(PaginationBase):
    """``?page=N&page_size=M`` → ``{"count", "page", "pages", "page_size", "items"}``."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1")
        page_size: int = Field(0, ge=0, le=500, description="Items per page (default 50)")

    class Output(Schema):
        count: int
        page: int
        pages: int
        page_size: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        size = pagination.page_size or settings.API_PAGE_SIZE
        count = (
            queryset.count()
            if hasattr(queryset, "count") and not isinstance(queryset, list)
            else len(queryset)
        )
        start = (pagination.page - 1) * size
        return {
            "count": count,
            "page": pagination.page,
            "pages": max(1, math.ceil(count / size)),
            "page_size": size,
            "items": list(queryset[start : start + size]),
        }


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


PROBLEM_RESPONSES: dict[int, type[Schema]] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
}
