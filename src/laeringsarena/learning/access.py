"""Who may see and do what in the learning app, built on ``accounts.permissions`` only.

* A learner sees the published paths of the municipalities they work in, and their own
  enrolments, progress and certificates.
* Paths are managed (edited, people enrolled, attendance registered, free text graded) by
  whoever holds ``LEARNING_MANAGE`` on the path's unit (or municipality, when it has none) and
  by the path's owner. Enrolling a person also needs ``LEARNING_MANAGE`` on a unit they work in.
* Individual records of others are visible with ``LEARNING_RECORDS_VIEW`` on their unit:
  leaders their own units, HR the municipality.
* A klarsignal is given only by the supervisor named on the request.

Another municipality's objects are "not found"; one's own but not allowed is "forbidden".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.learning.models import Cohort, Enrolment, LearningPath, Module, PathStatus
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User

    AnyUser = User | AnonymousUser | None


def person_id(user: AnyUser) -> int | None:
    return getattr(user, "person_id", None)


def _tenant_ids(user: AnyUser) -> list[int]:
    return list(permissions.tenants(user).values_list("pk", flat=True))


def visible_paths(user: AnyUser) -> QuerySet[LearningPath]:
    """Published paths of the user's municipalities, and every path the user may manage."""
    permissions.require_login(user)
    query = Q(tenant_id__in=_tenant_ids(user), status=PathStatus.PUBLISHED) | _managed_q(user)
    return LearningPath.objects.filter(query)


def _managed_q(user: AnyUser) -> Q:
    query = Q(pk__in=[])
    for path in permissions.scope_paths(user, Permission.LEARNING_MANAGE):
        query |= Q(unit__isnull=False, unit__path__startswith=path) | Q(
            unit__isnull=True, tenant__path__startswith=path
        )
    pid = person_id(user)
    if pid:
        query |= Q(owner_id=pid)
    return query


def managed_paths(user: AnyUser) -> QuerySet[LearningPath]:
    permissions.require_login(user)
    return LearningPath.objects.filter(_managed_q(user))


def can_manage(user: AnyUser, path: LearningPath) -> bool:
    if person_id(user) and path.owner_id == person_id(user):
        return True
    node = path.unit if path.unit_id else path.tenant
    return permissions.has_permission(user, Permission.LEARNING_MANAGE, node)


def access_path(user: AnyUser, pk: int) -> LearningPath:
    """A path the user may see; another municipality's (or an unpublished one) is "not found"."""
    path = visible_paths(user).select_related("tenant", "grants_certification").filter(pk=pk).first()
    if path is None:
        raise NotFound()
    return path


def access_managed_path(user: AnyUser, pk: int) -> LearningPath:
    path = access_path(user, pk)
    if not can_manage(user, path):
        raise PermissionDenied()
    return path


def may_create_paths(user: AnyUser) -> list[Organisation]:
    """Municipalities (and units) where the user may create paths."""
    return list(
        permissions.organisations(user, Permission.LEARNING_MANAGE)
        .exclude(kind=OrganisationKind.PLATFORM)
        .order_by("path")
    )


def access_own_enrolment(user: AnyUser, pk: int) -> Enrolment:
    permissions.require_login(user)
    enrolment = (
        Enrolment.objects.filter(pk=pk, person_id=person_id(user) or -1)
        .select_related("path__tenant")
        .first()
    )
    if enrolment is None:
        raise NotFound()
    return enrolment


def person_units(person: Person | int) -> list[Organisation]:
    pid = person if isinstance(person, int) else person.pk
    return [e.unit for e in Employment.objects.active().filter(person_id=pid).select_related("unit")]


def can_enrol(user: AnyUser, person: Person) -> bool:
    """May the user assign learning to this person (LEARNING_MANAGE on one of their units)?"""
    return any(permissions.has_permission(user, Permission.LEARNING_MANAGE, u) for u in person_units(person))


def can_see_records(user: AnyUser, person_id_: int) -> bool:
    if person_id(user) == person_id_:
        return True
    return any(
        permissions.has_permission(user, Permission.LEARNING_RECORDS_VIEW, u)
        for u in person_units(person_id_)
    )


def can_teach(user: AnyUser, enrolment: Enrolment) -> bool:
    """Register attendance, grade free text: the path's managers and the learner's leaders."""
    return can_manage(user, enrolment.path) or can_enrol(user, enrolment.person)


def access_records_unit(user: AnyUser, pk: int) -> Organisation:
    """A unit whose learning records the user may see (leaders: their own units only)."""
    unit = permissions.access_organisation(user, pk, Permission.LEARNING_RECORDS_VIEW)
    if unit.kind == OrganisationKind.PLATFORM:
        raise NotFound()
    return unit


def records_units(user: AnyUser) -> list[Organisation]:
    """The top nodes where the user may see learning records (for the leader overview)."""
    paths = permissions.scope_paths(user, Permission.LEARNING_RECORDS_VIEW)
    nodes = Organisation.objects.filter(path__in=paths)
    # A platform administrator starts from the municipalities.
    tenant_kinds = [OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY]
    platform_ids = [n.pk for n in nodes if n.kind == OrganisationKind.PLATFORM]
    query = Q(pk__in=[n.pk for n in nodes if n.kind != OrganisationKind.PLATFORM])
    if platform_ids:
        query |= Q(parent_id__in=platform_ids, kind__in=tenant_kinds)
    return list(Organisation.objects.filter(query).order_by("path"))


def assert_same_tenant(path: LearningPath, people: Any) -> None:
    """Everybody enrolled must work in the path's municipality."""
    for person in people:
        if not Employment.objects.active().filter(person=person, organisation_id=path.tenant_id).exists():
            raise NotFound()


def can_edit_module(user: AnyUser, module: Module) -> bool:
    """Hosted modules are edited by LEARNING_MANAGE on their unit (or municipality, when none)."""
    return permissions.has_permission(user, Permission.LEARNING_MANAGE, module.unit or module.tenant)


def editable_modules(user: AnyUser) -> QuerySet[Module]:
    permissions.require_login(user)
    query = Q(pk__in=[])
    for path in permissions.scope_paths(user, Permission.LEARNING_MANAGE):
        query |= Q(unit__isnull=False, unit__path__startswith=path) | Q(
            unit__isnull=True, tenant__path__startswith=path
        )
    return Module.objects.filter(query).select_related("tenant", "unit")


def access_module(user: AnyUser, pk: int) -> Module:
    """A module the user may edit; another municipality's is "not found"."""
    permissions.require_login(user)
    module = Module.objects.select_related("tenant", "unit").filter(pk=pk).first()
    if module is None or (module.tenant_id not in _tenant_ids(user) and not can_edit_module(user, module)):
        raise NotFound()
    if not can_edit_module(user, module):
        raise PermissionDenied()
    return module


def can_manage_cohort(user: AnyUser, cohort: Cohort) -> bool:
    return can_manage(user, cohort.path) or bool(
        cohort.unit_id and permissions.has_permission(user, Permission.LEARNING_MANAGE, cohort.unit)
    )


def access_cohort(user: AnyUser, pk: int) -> Cohort:
    cohort = Cohort.objects.select_related("path__tenant", "unit").filter(pk=pk).first()
    if cohort is None:
        raise NotFound()
    access_path(user, cohort.path_id)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied()
    return cohort
