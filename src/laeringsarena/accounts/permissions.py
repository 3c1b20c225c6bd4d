"""The one permission service. Every view and API endpoint asks it; none decides alone.

Roles are granted on an organisation and cover its subtree. The employee role follows from
an active employment and covers the employing municipality's structure only. Objects in
another tenant are reported as "not found" so that their existence does not leak.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from laeringsarena.accounts.models import Role, RoleAssignment
from laeringsarena.core.errors import NotAuthenticated, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User


class Permission(enum.StrEnum):
    ORGANISATION_VIEW = "organisation.view"  # see the structure: names of sectors and units
    PEOPLE_VIEW = "people.view"  # see individuals and their employments
    PEOPLE_IMPORT = "people.import"  # import employees from the HR system
    AGGREGATES_VIEW = "aggregates.view"  # statistics, with small groups suppressed
    ROLES_MANAGE = "roles.manage"  # grant and revoke roles
    CATALOGUE_EDIT = "catalogue.edit"  # publish and edit offerings
    COMPETENCE_MANAGE = "competence.manage"  # frameworks, requirements, mapping campaigns
    PLANS_VIEW = "plans.view"  # unit and municipality competence plans (not individual data)
    QUALITY_MANAGE = "quality.manage"  # deviation categories, procedures, quality reports
    COMMUNITY_MANAGE = "community.manage"  # networks across units and municipalities
    LEARNING_MANAGE = "learning.manage"  # learning paths, enrolment, mandatory assignments
    LEARNING_RECORDS_VIEW = "learning.records"  # individual completions and certificates of others
    LRS_MANAGE = "lrs.manage"  # xAPI client credentials of an organisation
    CREDENTIALS_ISSUE = "credentials.issue"  # issue and revoke verifiable credentials
    PLATFORM_ADMIN = "platform.admin"  # operate the whole instance


P = Permission

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.EMPLOYEE: frozenset({P.ORGANISATION_VIEW}),
    Role.LEADER: frozenset(
        {
            P.ORGANISATION_VIEW,
            P.PEOPLE_VIEW,
            P.AGGREGATES_VIEW,
            P.PLANS_VIEW,
            P.LEARNING_MANAGE,
            P.LEARNING_RECORDS_VIEW,
        }
    ),
    Role.HR: frozenset(
        {
            P.ORGANISATION_VIEW,
            P.PEOPLE_VIEW,
            P.PEOPLE_IMPORT,
            P.AGGREGATES_VIEW,
            P.ROLES_MANAGE,
            P.COMPETENCE_MANAGE,
            P.PLANS_VIEW,
            P.COMMUNITY_MANAGE,
            P.LEARNING_MANAGE,
            P.LEARNING_RECORDS_VIEW,
            P.LRS_MANAGE,
            P.CREDENTIALS_ISSUE,
        }
    ),
    # Union representatives and safety delegates see aggregates and plans, never individuals.
    Role.UNION_REPRESENTATIVE: frozenset({P.ORGANISATION_VIEW, P.AGGREGATES_VIEW, P.PLANS_VIEW}),
    Role.SAFETY_DELEGATE: frozenset({P.ORGANISATION_VIEW, P.AGGREGATES_VIEW, P.PLANS_VIEW}),
    Role.QUALITY_COORDINATOR: frozenset({P.ORGANISATION_VIEW, P.AGGREGATES_VIEW, P.QUALITY_MANAGE}),
    Role.PROVIDER_EDITOR: frozenset({P.ORGANISATION_VIEW, P.CATALOGUE_EDIT, P.CREDENTIALS_ISSUE}),
    Role.PLATFORM_ADMIN: frozenset(Permission),
}

# Aggregates over fewer people than this are not shown (MISSION: principles).
MIN_GROUP_SIZE = 5


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int
    path: str


def _grants(user: User | AnonymousUser | None) -> list[Grant]:
    """All role grants of a user, including the implicit employee role. Cached per user object."""
    if user is None or not user.is_authenticated:
        return []
    cached: list[Grant] | None = getattr(user, "_laeringsarena_grants", None)
    if cached is not None:
        return cached
    grants: list[Grant] = []
    today = timezone.localdate()
    if user.is_superuser:
        root = Organisation.objects.filter(kind=OrganisationKind.PLATFORM).first()
        if root is not None:
            grants.append(Grant(Role.PLATFORM_ADMIN, root.pk, root.path))
    if user.person_id:
        assignments = (
            RoleAssignment.objects.filter(person_id=user.person_id, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .select_related("organisation")
        )
        grants += [Grant(a.role, a.organisation_id, a.organisation.path) for a in assignments]
        employers = (
            Employment.objects.active(today).filter(person_id=user.person_id).select_related("organisation")
        )
        grants += [Grant(Role.EMPLOYEE, e.organisation_id, e.organisation.path) for e in employers]
    grants = list(dict.fromkeys(grants))  # a superuser may also hold a stored admin role
    user.__dict__["_laeringsarena_grants"] = grants
    return grants


def forget_cached_grants(user: Any) -> None:
    if hasattr(user, "_laeringsarena_grants"):
        del user._laeringsarena_grants


def roles(user: User | AnonymousUser | None) -> set[str]:
    return {grant.role for grant in _grants(user)}


def has_role(user: User | AnonymousUser | None, role: str) -> bool:
    return role in roles(user)


def scope_paths(user: User | AnonymousUser | None, permission: Permission) -> list[str]:
    """Materialised paths of the subtrees where the user holds ``permission``."""
    paths = sorted({g.path for g in _grants(user) if permission in ROLE_PERMISSIONS.get(g.role, frozenset())})
    # Drop paths nested inside another path: they add nothing.
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def has_permission(
    user: User | AnonymousUser | None,
    permission: Permission,
    organisation: Organisation | None = None,
) -> bool:
    """Does the user hold ``permission`` on ``organisation`` (or anywhere, if None)?"""
    paths = scope_paths(user, permission)
    if organisation is None:
        return bool(paths)
    return any(organisation.path.startswith(path) for path in paths)


def _path_q(paths: Iterable[str], field: str = "path") -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def organisations(
    user: User | AnonymousUser | None, permission: Permission = P.ORGANISATION_VIEW
) -> QuerySet[Organisation]:
    """Organisations on which the user holds ``permission``."""
    return Organisation.objects.filter(_path_q(scope_paths(user, permission)))


def employments(user: User | AnonymousUser | None) -> QuerySet[Employment]:
    """Employments the user may see: those in units under their people scope, and their own."""
    query = _path_q(scope_paths(user, P.PEOPLE_VIEW), "unit__path")
    person_id = getattr(user, "person_id", None)
    if person_id:
        query |= Q(person_id=person_id)
    return Employment.objects.filter(query)


def people(user: User | AnonymousUser | None, *, former: bool = False) -> QuerySet[Person]:
    """People the user may see: employed now under their scope, and self. ``former=True`` adds
    people who worked there before — only for the employer's own records (e.g. HR's list of
    leavers), never for the person's learning data: when an employment ends, the former
    employer's access to the person's learning account ends (MISSION §7)."""
    query = _path_q(scope_paths(user, P.PEOPLE_VIEW), "employments__unit__path")
    if not former:
        # One filter() with one Q, so both conditions apply to the same employment row.
        today = timezone.localdate()
        query &= Q(employments__start_date__lte=today) & (
            Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=today)
        )
    person_id = getattr(user, "person_id", None)
    if person_id:
        query |= Q(pk=person_id)
    return Person.objects.filter(query).distinct()


def require_login(user: User | AnonymousUser | None) -> User:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    return user


def require(
    user: User | AnonymousUser | None,
    permission: Permission,
    organisation: Organisation | None = None,
) -> None:
    """Raise unless the user holds ``permission`` (on ``organisation`` if given)."""
    require_login(user)
    if not has_permission(user, permission, organisation):
        raise PermissionDenied()


def access_tenant(user: User | AnonymousUser | None, slug: str, permission: Permission) -> Organisation:
    """Fetch a municipality/county by slug for a user who holds ``permission`` inside it.

    A tenant the user has nothing to do with is "not found"; one they can see but lack the
    permission for is "permission denied".
    """
    require_login(user)
    tenant = Organisation.objects.filter(
        slug=slug, kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
    ).first()
    if tenant is None or not _touches(user, tenant):
        raise NotFound()
    if not any(
        tenant.path.startswith(path) or path.startswith(tenant.path) for path in scope_paths(user, permission)
    ):
        raise PermissionDenied()
    return tenant


def access_organisation(user: User | AnonymousUser | None, pk: int, permission: Permission) -> Organisation:
    """Fetch an organisation node the user holds ``permission`` on."""
    require_login(user)
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not _touches(user, organisation):
        raise NotFound()
    if not has_permission(user, permission, organisation):
        raise PermissionDenied()
    return organisation


def access_person(user: User | AnonymousUser | None, pk: int) -> Person:
    """Fetch a person the user may see (self, or employed under their people scope)."""
    require_login(user)
    person = people(user).filter(pk=pk).first()
    if person is None:
        raise NotFound()
    return person


def _touches(user: User | AnonymousUser | None, organisation: Organisation) -> bool:
    """Does the user have any grant inside the organisation's tenant (or above it)?"""
    tenant_path = organisation.path
    if organisation.tenant_id and organisation.tenant_id != organisation.pk:
        tenant_path = Organisation.objects.only("path").get(pk=organisation.tenant_id).path
    return any(g.path.startswith(tenant_path) or tenant_path.startswith(g.path) for g in _grants(user))


def tenants(user: User | AnonymousUser | None) -> QuerySet[Organisation]:
    """Municipalities/counties where the user has any role or employment."""
    ids: set[int] = set()
    paths = [g.path for g in _grants(user)]
    if not paths:
        return Organisation.objects.none()
    for org in Organisation.objects.filter(
        kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
    ).only("pk", "path"):
        if any(p.startswith(org.path) or org.path.startswith(p) for p in paths):
            ids.add(org.pk)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def grants(user: User | AnonymousUser | None) -> list[Grant]:
    """The user's role grants (role, organisation id, path), the implicit employee role included."""
    return list(_grants(user))


def role_paths(user: User | AnonymousUser | None, role: str) -> list[str]:
    """Paths of the organisations where the user holds ``role`` (each covers its subtree)."""
    return sorted({g.path for g in _grants(user) if g.role == role})


def _active_assignments_above(organisation: Organisation) -> QuerySet[RoleAssignment]:
    today = timezone.localdate()
    ancestor_ids = [int(part) for part in organisation.path.strip("/").split("/") if part]
    return RoleAssignment.objects.filter(organisation_id__in=ancestor_ids, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def role_holders(role: str, organisation: Organisation) -> QuerySet[Person]:
    """People holding ``role`` on the organisation or above it (e.g. its leaders up the chain)."""
    person_ids = _active_assignments_above(organisation).filter(role=role).values("person_id")
    return Person.objects.filter(pk__in=person_ids)


def nearest_role_holders(role: str, organisation: Organisation) -> QuerySet[Person]:
    """People holding ``role`` on the closest organisation at or above this one that has any
    (the unit's own leader; the sector's leader when the unit has none)."""
    ancestor_ids = [int(part) for part in organisation.path.strip("/").split("/") if part]
    assignments = _active_assignments_above(organisation).filter(role=role)
    found = set(assignments.values_list("organisation_id", flat=True))
    for organisation_id in reversed(ancestor_ids):
        if organisation_id in found:
            return Person.objects.filter(
                pk__in=assignments.filter(organisation_id=organisation_id).values("person_id")
            )
    return Person.objects.none()


def holders(permission: Permission, organisation: Organisation) -> QuerySet[Person]:
    """People whose stored roles give ``permission`` on the organisation (for notifications)."""
    roles_with = [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
    person_ids = _active_assignments_above(organisation).filter(role__in=roles_with).values("person_id")
    return Person.objects.filter(pk__in=person_ids)
