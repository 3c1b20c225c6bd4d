"""View decorators that delegate to the permission service."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., HttpResponse])


def login_required(view: F) -> F:
    """Send anonymous visitors to the login page (then back)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.login_required = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def nav_section(name: str) -> Callable[[F], F]:
    """Mark which navigation item a view belongs to (for aria-current)."""

    def decorate(view: F) -> F:
        view.nav_section = name  # type: ignore[attr-defined]
        return view

    return decorate
