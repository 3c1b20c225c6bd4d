"""Navigation per role: Min læring, Min enhet, Kommunen, Administrasjon."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.accounts.permissions import Permission


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("my_learning", _("Min læring"), reverse("core:home"))]
    if permissions.has_role(user, Role.LEADER):
        items.append(("my_unit", _("Min enhet"), reverse("organisations:my_units")))
    if permissions.has_permission(user, Permission.AGGREGATES_VIEW):
        items.append(("municipality", _("Kommunen"), reverse("organisations:overview")))
    if permissions.has_permission(user, Permission.PEOPLE_IMPORT) or permissions.has_permission(
        user, Permission.ROLES_MANAGE
    ):
        items.append(("administration", _("Administrasjon"), reverse("organisations:admin")))
    current = getattr(request, "resolver_match", None)
    section = None
    if current is not None:
        section = getattr(current.func, "nav_section", None)
    return {"nav_items": items, "nav_section": section}
