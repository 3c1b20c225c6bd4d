"""Navigation: «Opplæring» (the unit overview) for those who see learning records of a unit."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.core.context_processors import NavItem
from laeringsarena.learning import access


def items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    result = []
    if access.records_units(user):
        result.append(NavItem("learning_units", _("Opplæring"), reverse("learning:units"), after="my_unit"))
    if access.may_create_paths(user):
        result.append(
            NavItem(
                "learning_authoring", _("Læringsstier"), reverse("learning:authoring"), after="learning_units"
            )
        )
    return result
