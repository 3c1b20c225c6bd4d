"""Reads for the organisation pages: summaries with small groups suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role, RoleAssignment
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment


@dataclass
class Summary:
    head_count: int
    full_time_equivalents: Decimal
    part_time_share: int | None  # percent of people below 100 %, None when suppressed
    suppressed: bool


def led_units(user: Any) -> list[Organisation]:
    """Units where the user holds the leader role (top of each led subtree)."""
    if not getattr(user, "person_id", None):
        return []
    ids = RoleAssignment.objects.filter(person_id=user.person_id, role=Role.LEADER).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def unit_summary(unit: Organisation) -> Summary:
    active = Employment.objects.active().filter(unit__path__startswith=unit.path)
    figures = active.aggregate(
        people=Count("person", distinct=True),
        fte=Sum("percentage"),
        part_time=Count("person", filter=Q(percentage__lt=100), distinct=True),
    )
    people = figures["people"] or 0
    fte = (figures["fte"] or Decimal(0)) / Decimal(100)
    suppressed = 0 < people < permissions.MIN_GROUP_SIZE
    part_time = None if suppressed or not people else round(100 * figures["part_time"] / people)
    return Summary(
        head_count=people,
        full_time_equivalents=fte.quantize(Decimal("0.1")),
        part_time_share=part_time,
        suppressed=suppressed,
    )


def child_summaries(unit: Organisation) -> list[tuple[Organisation, Summary]]:
    return [(child, unit_summary(child)) for child in unit.children.order_by("name")]


def unit_employments(unit: Organisation, query: str = "") -> list[Employment]:
    """Active employments in the unit and below, optionally filtered by name or position."""
    employments = Employment.objects.active().filter(unit__path__startswith=unit.path)
    for word in query.split():
        employments = employments.filter(
            Q(person__given_name__icontains=word)
            | Q(person__family_name__icontains=word)
            | Q(position__name__icontains=word)
        )
    return list(
        employments.select_related("person", "position", "unit").order_by(
            "person__family_name", "person__given_name"
        )
    )
