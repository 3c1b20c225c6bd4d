"""Navigation entries: «Min kompetanse» for everyone with a person, «Kompetanse» for leaders and HR."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.context_processors import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    result: list[NavItem] = []
    if getattr(user, "person_id", None):
        result.append(
            NavItem("my_competence", _("Min kompetanse"), reverse("competence:mine"), after="my_learning")
        )
    if any(
        permissions.has_permission(user, p)
        for p in (Permission.PEOPLE_VIEW, Permission.COMPETENCE_MANAGE, Permission.AGGREGATES_VIEW)
    ):
        # Leaders find it beside «Min enhet»; those with aggregates only, beside «Kommunen».
        after = "my_unit" if permissions.has_role(user, Role.LEADER) else "municipality"
        result.append(NavItem("competence", _("Kompetanse"), reverse("competence:overview"), after=after))
    return result
