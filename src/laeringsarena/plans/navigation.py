"""Navigation: «Min plan» for everyone with a person; «Kompetanseplaner» for PLANS_VIEW."""

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
        result.append(NavItem("my_plan", _("Min plan"), reverse("plans:my_plan"), after="my_competence"))
    if permissions.has_permission(user, Permission.PLANS_VIEW):
        result.append(
            NavItem(
                "competence_plans",
                _("Kompetanseplaner"),
                reverse("plans:competence_plans"),
                after="municipality",
            )
        )
    return result
