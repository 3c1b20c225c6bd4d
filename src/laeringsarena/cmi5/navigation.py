"""Navigation: «Kurspakker» (cmi5 import) for people who manage learning."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.cmi5 import access
from laeringsarena.core.context_processors import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not access.can_manage_any(user):
        return []
    return [NavItem("cmi5_manage", _("Kurspakker"), reverse("cmi5:manage"), after="municipality")]
