"""Navigation: «Min læringskonto» after Min læring for everyone who is a person; HR's deletion requests."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.core.context_processors import NavItem


def items(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "person_id", None):
        return []
    return [
        NavItem(
            "learning_account",
            _("Min læringskonto"),
            reverse("learning_account:account"),
            after="my_learning",
        )
    ]
