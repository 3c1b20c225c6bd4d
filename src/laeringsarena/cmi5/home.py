"""Min læring: the e-learning courses (cmi5) the person has started and not finished."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from laeringsarena.cmi5.models import Course, Registration
from laeringsarena.core.home import HomeCard, HomeItem


def cards(request: HttpRequest) -> list[HomeCard]:
    person = getattr(request.user, "person", None)
    if person is None:
        return []
    started = (
        Registration.objects.filter(person=person, satisfied_at__isnull=True)
        .select_related("course")
        .order_by("-created_at")[:5]
    )
    items = [
        HomeItem(r.course.name, reverse("cmi5:course", args=[r.course.uuid]), _("Påbegynt")) for r in started
    ]
    if not items and not Course.objects.filter(tenant__in=_tenant_ids(request)).exists():
        return []
    return [
        HomeCard(
            "cmi5",
            _("E-læringskurs"),
            items,
            empty=_("Du har ingen påbegynte e-læringskurs."),
            more_label=_("Alle e-læringskurs"),
            more_href=reverse("cmi5:courses"),
        )
    ]


def _tenant_ids(request: HttpRequest) -> list[int]:
    from laeringsarena.accounts import permissions

    return list(permissions.tenants(request.user).values_list("pk", flat=True))
