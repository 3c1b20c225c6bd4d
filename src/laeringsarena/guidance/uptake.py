"""Aggregated recommendation uptake for leaders (bruk av anbefalinger).

Per unit in the leader's scope: how many people got recommendations, how many recommended
offerings were then started or completed, by the main signal behind them, and how many were
dismissed (by reason, counted only). Groups under ``MIN_GROUP_SIZE`` people are suppressed; no
individual, and no individual's dismissed item, is ever shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import MIN_GROUP_SIZE, Permission
from laeringsarena.catalogue.models import Participation, ParticipationKind
from laeringsarena.guidance.engine import completion_model
from laeringsarena.guidance.models import Dismissal, DismissReason, Impression
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment


@dataclass
class UptakeRow:
    organisation: Organisation
    people: int
    suppressed: bool
    recommended: int = 0
    taken_up: int = 0
    by_signal: dict[str, tuple[int, int]] = field(default_factory=dict)  # signal → (shown, taken up)
    dismissed: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return round(100 * self.taken_up / self.recommended, 1) if self.recommended else None


def organisations_in_scope(user: Any) -> list[Organisation]:
    """The tenant, sectors and units where the user may see aggregates (roots and one level down)."""
    permissions.require(user, Permission.AGGREGATES_VIEW)
    roots = list(
        permissions.organisations(user, Permission.AGGREGATES_VIEW).filter(
            path__in=permissions.scope_paths(user, Permission.AGGREGATES_VIEW)
        )
    )
    children = Organisation.objects.filter(parent__in=roots).exclude(pk__in=[r.pk for r in roots])
    return sorted([*roots, *children], key=lambda o: o.path)


def report(user: Any) -> list[UptakeRow]:
    organisations = organisations_in_scope(user)
    if not organisations:
        return []
    today = timezone.localdate()
    where = Q(pk__in=[])
    for organisation in organisations:
        where |= Q(unit__path__startswith=organisation.path)
    units_of: dict[int, set[str]] = defaultdict(set)
    for person_id, path in (
        Employment.objects.active(today).filter(where).values_list("person_id", "unit__path")
    ):
        units_of[person_id].add(path)
    people = list(units_of)
    impressions = list(
        Impression.objects.filter(person_id__in=people).values_list(
            "person_id", "offering_id", "first_shown_at", "signal"
        )
    )
    acted: dict[tuple[int, int], Any] = {}
    for person_id, offering_id, at in Participation.objects.filter(
        person_id__in=people, kind__in=[ParticipationKind.STARTED, ParticipationKind.COMPLETED]
    ).values_list("person_id", "offering_id", "at"):
        acted[(person_id, offering_id)] = at
    model = completion_model()
    if model is not None:
        for person_id, offering_id, at in model.objects.filter(
            person_id__in=people, offering__isnull=False
        ).values_list("person_id", "offering_id", "completed_at"):
            previous = acted.get((person_id, offering_id))
            acted[(person_id, offering_id)] = at if previous is None else max(previous, at)
    dismissals = list(Dismissal.objects.filter(person_id__in=people).values_list("person_id", "reason"))
    rows = []
    for organisation in organisations:
        members = {
            p for p, paths in units_of.items() if any(path.startswith(organisation.path) for path in paths)
        }
        row = UptakeRow(organisation, len(members), suppressed=len(members) < MIN_GROUP_SIZE)
        if row.suppressed:
            rows.append(row)
            continue
        by_signal: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for person_id, offering_id, shown_at, signal in impressions:
            if person_id not in members:
                continue
            taken = acted.get((person_id, offering_id))
            took = taken is not None and taken >= shown_at
            row.recommended += 1
            row.taken_up += took
            by_signal[signal][0] += 1
            by_signal[signal][1] += took
        row.by_signal = {k: (v[0], v[1]) for k, v in sorted(by_signal.items())}
        counts: dict[str, int] = defaultdict(int)
        for person_id, reason in dismissals:
            if person_id in members:
                counts[reason] += 1
        row.dismissed = {reason: counts.get(reason, 0) for reason in DismissReason.values}
        rows.append(row)
    return rows
