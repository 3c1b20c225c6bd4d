"""Who may see a deviation: the reporter and the responsible handler chain, nobody else.

The handler chain of a deviation is

* the leaders of its unit: people with the leader role on the unit or on a unit above it;
* their superior: the leaders of the first node above the units (the sector, e.g. the
  kommunalsjef; the municipality itself when the unit hangs directly under it);
* the same two levels for the unit it has been forwarded to;
* the category's default handler, if one is set;
* after an escalation beyond the superior (a deadline missed for long), the leaders of the
  node it was escalated to (e.g. the municipality's leadership).

Colleagues, HR, union representatives, safety delegates, quality coordinators and platform
administrators are *not* in the chain; the last four see deviations in aggregate only
(:mod:`.reports`). A deviation outside the chain is "not found", so its existence does not leak.
Role lookups go through :mod:`laeringsarena.accounts.permissions`, except for finding the
leaders of a node as people (for notifications and the chain), done in :func:`_leader_assignments`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role, RoleAssignment
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Person
from laeringsarena.quality.models import Deviation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User

    AnyUser = User | AnonymousUser | None


def _leader_assignments(*, organisations: list[int]) -> QuerySet[RoleAssignment]:
    """Active leader role assignments on exactly these nodes, level by level (the one direct query;
    ``permissions.role_holders`` answers for a node and everything above it at once)."""
    today = timezone.localdate()
    queryset = (
        RoleAssignment.objects.filter(role=Role.LEADER, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("organisation", "person")
    )
    return queryset.filter(organisation_id__in=organisations)


def chain_nodes(unit: Organisation) -> tuple[list[int], list[int]]:
    """(the unit and the units above it, the superior node) as organisation ids."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    kinds = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "kind"))
    units = [pk for pk in ids if kinds.get(pk) == OrganisationKind.UNIT]
    above = [
        pk
        for pk in ids
        if kinds.get(pk) != OrganisationKind.UNIT and kinds.get(pk) != OrganisationKind.PLATFORM
    ]
    superior = above[-1:] if above else []
    return units, superior


def unit_leaders(unit: Organisation) -> list[Person]:
    """The leaders of a unit: on the nearest unit level that has any, then upwards."""
    units, _superior = chain_nodes(unit)
    assignments = list(_leader_assignments(organisations=units))
    by_org: dict[int, list[Person]] = {}
    for assignment in assignments:
        by_org.setdefault(assignment.organisation_id, []).append(assignment.person)
    for pk in reversed(units):
        if by_org.get(pk):
            return by_org[pk]
    return []


def superiors(unit: Organisation) -> list[Person]:
    """The superior leaders of a unit (the sector's leaders)."""
    _units, superior = chain_nodes(unit)
    return [a.person for a in _leader_assignments(organisations=superior)]


def escalation_levels(unit: Organisation) -> list[tuple[Organisation, list[Person]]]:
    """The nodes above a unit's units, nearest first (sector, municipality), with their leaders."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    nodes = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=ids).exclude(
            kind__in=[OrganisationKind.UNIT, OrganisationKind.PLATFORM]
        )
    }
    leaders: dict[int, list[Person]] = {}
    for assignment in _leader_assignments(organisations=list(nodes)):
        leaders.setdefault(assignment.organisation_id, []).append(assignment.person)
    return [(nodes[pk], leaders.get(pk, [])) for pk in reversed(ids) if pk in nodes]


def handlers(deviation: Deviation) -> list[Person]:
    """Everybody who handles a deviation: leaders and superiors of the responsible unit(s)."""
    people: dict[int, Person] = {}
    for unit in filter(None, [deviation.unit, deviation.forwarded_to]):
        units, superior = chain_nodes(unit)
        for assignment in _leader_assignments(organisations=units + superior):
            people[assignment.person_id] = assignment.person
    if deviation.escalated_to_id:
        for assignment in _leader_assignments(organisations=[deviation.escalated_to_id]):
            people[assignment.person_id] = assignment.person
    if deviation.category.default_handler_id and deviation.category.default_handler:
        people[deviation.category.default_handler_id] = deviation.category.default_handler
    return list(people.values())


def _handler_nodes(user: AnyUser) -> list[Organisation]:
    """The nodes (units, sectors, municipalities; not the platform) where the user is a leader."""
    paths = permissions.role_paths(user, Role.LEADER)
    if not paths:
        return []
    return list(Organisation.objects.filter(path__in=paths).exclude(kind=OrganisationKind.PLATFORM))


def _handled_q(user: AnyUser) -> Q:
    person_id = getattr(user, "person_id", None)
    query = Q(pk__in=[])
    if not person_id:
        return query
    for node in _handler_nodes(user):
        path = node.path
        if node.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY):
            # A municipality-level leader is the superior only of units without a sector.
            query |= Q(unit__path__startswith=path, unit__parent_id=node.pk) | Q(
                forwarded_to__path__startswith=path, forwarded_to__parent_id=node.pk
            )
        else:
            query |= Q(unit__path__startswith=path) | Q(forwarded_to__path__startswith=path)
        # Escalated to this very node: its leaders have been asked to act.
        query |= Q(escalated_to_id=node.pk)
    query |= Q(category__default_handler_id=person_id)
    return query


def handled_deviations(user: AnyUser) -> QuerySet[Deviation]:
    """Deviations the user may handle (as leader, superior, forwarded-to or category handler)."""
    permissions.require_login(user)
    return Deviation.objects.filter(_handled_q(user))


def visible_deviations(user: AnyUser) -> QuerySet[Deviation]:
    """Deviations the user may read: their own (not anonymous) reports and those they handle."""
    permissions.require_login(user)
    person_id = getattr(user, "person_id", None)
    query = _handled_q(user)
    if person_id:
        query |= Q(reporter_id=person_id)
    return Deviation.objects.filter(query)


def access_deviation(user: AnyUser, pk: int) -> Deviation:
    """Fetch a deviation the user may read, else "not found" (never "forbidden")."""
    deviation = (
        visible_deviations(user)
        .select_related("unit", "forwarded_to", "category", "reporter", "tenant", "procedure")
        .filter(pk=pk)
        .first()
    )
    if deviation is None:
        raise NotFound()
    return deviation


def can_handle(user: AnyUser, deviation: Deviation) -> bool:
    return handled_deviations(user).filter(pk=deviation.pk).exists()


def access_handled_deviation(user: AnyUser, pk: int) -> Deviation:
    """A deviation the user may handle. The reporter gets 403, everybody else 404."""
    deviation = access_deviation(user, pk)
    if not can_handle(user, deviation):
        raise PermissionDenied()
    return deviation


def is_handler(user: AnyUser) -> bool:
    """Does the user handle deviations anywhere (leader or category handler)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if _handler_nodes(user):
        return True
    from laeringsarena.quality.models import DeviationCategory

    person_id = getattr(user, "person_id", None)
    return bool(person_id) and DeviationCategory.objects.filter(default_handler_id=person_id).exists()


def reporting_units(user: AnyUser) -> list[Organisation]:
    """Units where the user may report a deviation: the units of their active employments."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    from laeringsarena.people.models import Employment

    employments = Employment.objects.active().filter(person_id=person_id).select_related("unit")
    return list(dict.fromkeys(e.unit for e in employments))


def report_units(user: AnyUser, tenant: Organisation) -> list[Organisation]:
    """Every unit in the tenant, for reporting a deviation somewhere else than one's own unit."""
    if not permissions.has_permission(user, Permission.ORGANISATION_VIEW, tenant):
        return []
    return list(
        Organisation.objects.filter(path__startswith=tenant.path, kind=OrganisationKind.UNIT).order_by("path")
    )


def manage_tenant(user: AnyUser, tenant_id: int) -> Organisation:
    """A municipality where the user manages quality (categories, procedures, reports)."""
    return permissions.access_organisation(user, tenant_id, Permission.QUALITY_MANAGE)


def aggregate_tenants(user: AnyUser) -> list[Organisation]:
    """Municipalities where the user may see deviation aggregates."""
    paths = permissions.scope_paths(user, Permission.AGGREGATES_VIEW)
    return [
        t
        for t in permissions.tenants(user)
        if any(t.path.startswith(p) or p.startswith(t.path) for p in paths)
    ]


def aggregate_scope(user: AnyUser, tenant: Organisation) -> dict[str, Any]:
    """What the user may aggregate over in the tenant.

    Union representatives and safety delegates see HMS deviations only; leaders their subtrees;
    HR and quality coordinators the whole municipality.
    """
    paths = [
        p
        for p in permissions.scope_paths(user, Permission.AGGREGATES_VIEW)
        if p.startswith(tenant.path) or tenant.path.startswith(p)
    ]
    if not paths:
        raise NotFound()
    roles = permissions.roles(user)
    hms_only = bool(roles & {Role.UNION_REPRESENTATIVE, Role.SAFETY_DELEGATE}) and not (
        roles & {Role.LEADER, Role.HR, Role.QUALITY_COORDINATOR, Role.PLATFORM_ADMIN}
    )
    return {"paths": [max(p, tenant.path, key=len) for p in paths], "hms_only": hms_only}
