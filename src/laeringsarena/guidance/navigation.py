"""Navigation: «Anbefalinger» for everyone with a person; «Bruk av anbefalinger» for aggregates."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.context_processors import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    result: list[NavItem] = []
    if getattr(user, "person_id", None):
        result.append(
            NavItem("recommendations", _("Anbefalinger"), reverse("guidance:mine"), after="my_learning")
        )
    if permissions.has_permission(user, Permission.AGGREGATES_VIEW):
        result.append(
            NavItem(
                "recommendations_uptake",
                _("Bruk av anbefalinger"),
                reverse("guidance:uptake"),
                after="municipality",
            )
        )
    return result
