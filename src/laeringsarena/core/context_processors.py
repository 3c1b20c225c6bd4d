"""Navigation per role: Min læring, Min enhet, Kommunen, Administrasjon — and what apps add.

An app adds entries with a module ``<app>/navigation.py`` defining
``items(request) -> list[NavItem]``; each entry is placed after the core section it names.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any, NamedTuple

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.accounts.permissions import Permission


class NavItem(NamedTuple):
    key: str
    label: str
    href: str
    after: str = "my_learning"  # the key of the item it follows


def _app_items(request: HttpRequest) -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("laeringsarena.") or config.label == "core":
            continue
        name = f"{config.name}.navigation"
        if importlib.util.find_spec(name):
            items += importlib.import_module(name).items(request)
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    current = getattr(request, "resolver_match", None)
    section = getattr(current.func, "nav_section", None) if current is not None else None
    items: list[NavItem] = []
    if user is not None and user.is_authenticated:
        items.append(NavItem("my_learning", _("Min læring"), reverse("core:home")))
        if permissions.has_role(user, Role.LEADER):
            items.append(NavItem("my_unit", _("Min enhet"), reverse("organisations:my_units")))
        if permissions.has_permission(user, Permission.AGGREGATES_VIEW):
            items.append(NavItem("municipality", _("Kommunen"), reverse("organisations:overview")))
        if permissions.has_permission(user, Permission.PEOPLE_IMPORT) or permissions.has_permission(
            user, Permission.ROLES_MANAGE
        ):
            items.append(NavItem("administration", _("Administrasjon"), reverse("organisations:admin")))
    for extra in _app_items(request):
        keys = [item.key for item in items]
        position = keys.index(extra.after) + 1 if extra.after in keys else len(items)
        items.insert(position, extra)
    return {"nav_items": [(i.key, i.label, i.href) for i in items], "nav_section": section}
