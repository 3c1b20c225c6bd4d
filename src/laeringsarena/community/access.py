"""Who may see what in the community app. Built on :mod:`laeringsarena.accounts.permissions`.

The rules:

- A reflection is visible to its author only, unless shared with a group (then to the group's
  active members) or with their leader (then to people holding the leader role on the unit the
  author worked in when writing, or on a unit above it).
- A group's content (posts, meetings, debriefs, members) is visible to its active members only.
  The group itself (name, description, how to join) is listed for people employed in one of its
  municipalities unless it is invitation-only; the admins (``COMMUNITY_MANAGE``) of those
  municipalities see the listing too, never the content.
- A regional network is the one place where people from different municipalities see each
  other: only members, only names and what they posted there.

Objects outside the caller's reach are "not found" (404), so their existence does not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.accounts.permissions import Permission
from laeringsarena.community.models import (
    Debrief,
    FeedbackRequest,
    Group,
    GroupKind,
    JoinPolicy,
    MemberRole,
    Membership,
    MembershipStatus,
    Reflection,
)
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User

    AnyUser = User | AnonymousUser | None

COORDINATING = (MemberRole.COORDINATOR, MemberRole.CO_COORDINATOR)


def person_of(user: AnyUser) -> Person:
    """The person behind a login; the community needs one (a bare technical login has none)."""
    permissions.require_login(user)
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied()
    return person


def leader_paths(user: AnyUser) -> list[str]:
    """Paths of the units where the user holds the leader role (covering their subtrees)."""
    return permissions.role_paths(user, Role.LEADER)


def tenant_ids(user: AnyUser) -> set[int]:
    """Municipalities where the user works or holds a role."""
    return set(permissions.tenants(user).values_list("pk", flat=True))


def managed_tenant_ids(user: AnyUser) -> set[int]:
    """Municipalities where the user may manage groups and networks (HR, platform admin)."""
    return {
        t.pk
        for t in permissions.tenants(user)
        if permissions.has_permission(user, Permission.COMMUNITY_MANAGE, t)
    }


# --- Groups ---------------------------------------------------------------------------------


def active_group_ids(person: Person | None) -> QuerySet[Membership, int]:
    """Ids of the groups the person is an active member of (a subquery)."""
    if person is None:
        return Membership.objects.none().values_list("group_id", flat=True)
    return Membership.objects.filter(person=person, status=MembershipStatus.ACTIVE).values_list(
        "group_id", flat=True
    )


def group_tenant_ids(group: Group) -> set[int]:
    """The home municipality and, for a regional network, every agreed participant."""
    ids = {group.tenant_id}
    if group.kind == GroupKind.REGIONAL:
        ids |= set(group.municipalities.filter(agreed_at__isnull=False).values_list("tenant_id", flat=True))
    return ids


def is_agreed(group: Group) -> bool:
    """A regional network is in force when every participating municipality has agreed."""
    if group.kind != GroupKind.REGIONAL:
        return True
    return not group.municipalities.filter(agreed_at__isnull=True).exists()


def listed_groups(user: AnyUser) -> QuerySet[Group]:
    """Groups the user may know about: their own (also invited or requested), open or
    on-request groups in their municipalities (regional ones once agreed), and, for admins,
    every group in the municipalities they manage."""
    person = getattr(user, "person", None)
    tenants = tenant_ids(user)
    pending = Group.objects.filter(kind=GroupKind.REGIONAL, municipalities__agreed_at__isnull=True)
    in_my_tenants = Q(tenant_id__in=tenants) | Q(
        kind=GroupKind.REGIONAL, municipalities__tenant_id__in=tenants
    )
    query = in_my_tenants & ~Q(join_policy=JoinPolicy.INVITATION) & ~Q(pk__in=pending.values("pk"))
    if person is not None:
        mine = Membership.objects.filter(person=person).exclude(status=MembershipStatus.ENDED)
        query |= Q(pk__in=mine.values("group_id"))
    managed = managed_tenant_ids(user)
    if managed:
        query |= Q(tenant_id__in=managed) | Q(municipalities__tenant_id__in=managed)
    return Group.objects.filter(query).distinct()


def membership(person: Person | None, group: Group) -> Membership | None:
    if person is None:
        return None
    return Membership.objects.filter(person=person, group=group).first()


def is_member(person: Person | None, group: Group) -> bool:
    found = membership(person, group)
    return found is not None and found.status == MembershipStatus.ACTIVE


def is_coordinator(person: Person | None, group: Group) -> bool:
    found = membership(person, group)
    return found is not None and found.status == MembershipStatus.ACTIVE and found.role in COORDINATING


def can_manage(user: AnyUser, group: Group) -> bool:
    """Admins of one of the group's municipalities (appoint coordinators, agree to networks)."""
    participants = {group.tenant_id} | set(group.municipalities.values_list("tenant_id", flat=True))
    return bool(managed_tenant_ids(user) & participants)


def access_group(user: AnyUser, pk: int) -> Group:
    """A group the user may know about (name, description, how to join), else 404."""
    permissions.require_login(user)
    group = listed_groups(user).filter(pk=pk).select_related("tenant", "unit", "facilitator").first()
    if group is None:
        raise NotFound()
    return group


def access_group_content(user: AnyUser, pk: int) -> Group:
    """A group whose content the user may see: active members only. Others get 404."""
    permissions.require_login(user)
    group = Group.objects.filter(pk=pk).select_related("tenant", "unit", "facilitator").first()
    if group is None or not is_member(getattr(user, "person", None), group):
        raise NotFound()
    return group


def require_coordinator(user: AnyUser, group: Group) -> None:
    if not is_coordinator(getattr(user, "person", None), group):
        raise PermissionDenied()


# --- Reflections ----------------------------------------------------------------------------


def visible_reflections(user: AnyUser) -> QuerySet[Reflection]:
    person = getattr(user, "person", None)
    if person is None:
        return Reflection.objects.none()
    query = Q(author=person) | Q(shared_group_id__in=active_group_ids(person))
    paths = leader_paths(user)
    if paths:
        under = Q(pk__in=[])
        for path in paths:
            under |= Q(unit__path__startswith=path)
        query |= Q(shared_with_leader=True) & under
    return Reflection.objects.filter(query)


def access_reflection(user: AnyUser, pk: int) -> Reflection:
    permissions.require_login(user)
    reflection = visible_reflections(user).filter(pk=pk).select_related("author", "shared_group").first()
    if reflection is None:
        raise NotFound()
    return reflection


def access_own_reflection(user: AnyUser, pk: int) -> Reflection:
    person = person_of(user)
    reflection = Reflection.objects.filter(pk=pk, author=person).first()
    if reflection is None:
        raise NotFound()
    return reflection


# --- Debriefs and feedback ------------------------------------------------------------------


def access_debrief(user: AnyUser, pk: int) -> Debrief:
    """Debriefs belong to a group: members only."""
    permissions.require_login(user)
    person = getattr(user, "person", None)
    debrief = (
        Debrief.objects.filter(pk=pk, group_id__in=active_group_ids(person)).select_related("group").first()
    )
    if debrief is None:
        raise NotFound()
    return debrief


def access_feedback(user: AnyUser, pk: int) -> FeedbackRequest:
    """Feedback is private to the one who asked and the one asked."""
    person = person_of(user)
    found = (
        FeedbackRequest.objects.filter(pk=pk)
        .filter(Q(requester=person) | Q(giver=person))
        .select_related("requester", "giver")
        .first()
    )
    if found is None:
        raise NotFound()
    return found
