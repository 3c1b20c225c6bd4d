"""«Finn læring» (catalogue search) for everyone, also anonymous; «Katalogredaksjon» for editors."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.context_processors import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    result = [NavItem("catalogue", _("Finn læring"), reverse("catalogue:search"), after="my_learning")]
    user = getattr(request, "user", None)
    if user is not None and permissions.has_permission(user, Permission.CATALOGUE_EDIT):
        result.append(
            NavItem(
                "catalogue_editor", _("Katalogredaksjon"), reverse("catalogue:editor"), after="administration"
            )
        )
    return result
