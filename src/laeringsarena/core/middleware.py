"""Render platform errors raised in web views: problem JSON under /api/, an error page elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from laeringsarena.core.errors import LaeringsarenaError, NotAuthenticated


def problem_response(error: LaeringsarenaError, request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error.problem(instance=request.path),
        status=error.status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


class ProblemDetailsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LaeringsarenaError):
            return None
        if request.path.startswith("/api/"):
            return problem_response(exception, request)
        if isinstance(exception, NotAuthenticated):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "core/error.html",
            {"error": exception},
            status=exception.status,
        )
