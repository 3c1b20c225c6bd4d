"""Navigation: «Meld avvik» for everyone employed, «Avvik» for handlers, «Kvalitet» for coordinators."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.context_processors import NavItem
from laeringsarena.quality import access


def items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    result: list[NavItem] = []
    if access.reporting_units(user):
        result.append(
            NavItem("report_deviation", _("Meld avvik"), reverse("quality:report"), after="my_learning")
        )
    if access.is_handler(user):
        result.append(NavItem("deviations", _("Avvik"), reverse("quality:handle_list"), after="my_unit"))
    if permissions.has_permission(user, Permission.QUALITY_MANAGE):
        result.append(NavItem("quality", _("Kvalitet"), reverse("quality:reports"), after="municipality"))
    return result
