"""Navigation: "xAPI-klienter" for people who manage an organisation's LRS clients."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.accounts.permissions import Permission, has_permission
from laeringsarena.core.context_processors import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_permission(user, Permission.LRS_MANAGE):
        return []
    return [NavItem("lrs_clients", _("xAPI-klienter"), reverse("lrs:clients"), after="administration")]
