"""One base error for the whole platform.

Every domain error carries a stable machine-readable ``code``, an HTTP ``status`` and a
translated human message. The API renders it as RFC 9457 problem JSON; the web renders it
as an error page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class LaeringsarenaError(Exception):
    code = "error"
    status = 400
    title: Any = _("Noe gikk galt")

    def __init__(self, detail: Any = None, *, extra: dict[str, Any] | None = None) -> None:
        self.detail = detail if detail is not None else self.title
        self.extra = extra or {}
        super().__init__(str(self.detail))

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 problem details object for this error."""
        body: dict[str, Any] = {
            "type": f"https://laeringsarena.no/problems/{self.code}",
            "title": str(self.title),
            "status": self.status,
            "detail": str(self.detail),
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class NotAuthenticated(LaeringsarenaError):
    code = "not-authenticated"
    status = 401
    title = _("Du må logge inn")


class PermissionDenied(LaeringsarenaError):
    code = "permission-denied"
    status = 403
    title = _("Du har ikke tilgang")


class NotFound(LaeringsarenaError):
    """Also used for objects in another tenant, so that their existence does not leak."""

    code = "not-found"
    status = 404
    title = _("Fant ikke det du lette etter")


class InvalidInput(LaeringsarenaError):
    code = "invalid-input"
    status = 400
    title = _("Ugyldige data")

    def __init__(self, detail: Any = None, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail, extra={"errors": errors or []})
        self.errors = errors or []


class Conflict(LaeringsarenaError):
    code = "conflict"
    status = 409
    title = _("Konflikt")
