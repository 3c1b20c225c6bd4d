"""Object-level access for the competence app, built on the permission service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.competence.models import Campaign, Framework
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation

if TYPE_CHECKING:
    from laeringsarena.accounts.models import User


def frameworks(user: User | Any) -> QuerySet[Framework]:
    """Shared frameworks plus those owned by the user's municipalities."""
    permissions.require_login(user)
    return Framework.objects.filter(Q(owner__isnull=True) | Q(owner__in=permissions.tenants(user)))


def access_framework(user: User | Any, pk: int) -> Framework:
    framework = frameworks(user).filter(pk=pk).first()
    if framework is None:
        raise NotFound()
    return framework


def manageable_tenants(user: User | Any) -> list[Organisation]:
    """Municipalities where the user may manage frameworks, requirements and campaigns."""
    return [
        t
        for t in permissions.tenants(user)
        if permissions.has_permission(user, Permission.COMPETENCE_MANAGE, t)
    ]


def can_run_campaign(user: User | Any, organisation: Organisation) -> bool:
    """HR (competence managers) anywhere in their scope; leaders for the units they lead."""
    return permissions.has_permission(
        user, Permission.COMPETENCE_MANAGE, organisation
    ) or permissions.has_permission(user, Permission.PEOPLE_VIEW, organisation)


def campaigns(user: User | Any) -> QuerySet[Campaign]:
    """Campaigns the user runs or may follow (people scope or competence management)."""
    permissions.require_login(user)
    paths = permissions.scope_paths(user, Permission.PEOPLE_VIEW) + permissions.scope_paths(
        user, Permission.COMPETENCE_MANAGE
    )
    query = Q(pk__in=[])
    above: set[str] = set()
    for path in paths:
        query |= Q(organisation__path__startswith=path)
        # A campaign on a sector or the municipality covers the units below it too.
        parts = path.strip("/").split("/")
        above |= {"/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))}
    if above:
        query |= Q(organisation__path__in=above)
    return Campaign.objects.filter(query)


def campaigns_followed(user: User | Any) -> QuerySet[Campaign]:
    """Campaigns whose response rates the user may follow as aggregates only (union
    representatives, safety delegates): those on or below an organisation they see aggregates of."""
    permissions.require_login(user)
    query = Q(pk__in=[])
    for path in permissions.scope_paths(user, Permission.AGGREGATES_VIEW):
        query |= Q(organisation__path__startswith=path)
    return Campaign.objects.filter(query)


def access_campaign(user: User | Any, pk: int) -> Campaign:
    campaign = campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise NotFound()
    return campaign


def access_unit_for_gaps(user: User | Any, pk: int) -> Organisation:
    """A unit whose individual competence data the user may see (leader of it, or HR)."""
    unit = permissions.access_organisation(user, pk, Permission.ORGANISATION_VIEW)
    if not permissions.has_permission(user, Permission.PEOPLE_VIEW, unit):
        raise PermissionDenied()
    return unit
