"""Object-level access for plans, built on the permission service.

- A person sees and updates their own development plan, talks and course requests.
- Leaders (people scope over the person's unit) and HR see and update them too.
- Union representatives and safety delegates see unit/municipality competence plans
  (``PLANS_VIEW``), never individual plans.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.people.models import Person
from laeringsarena.plans.models import CompetencePlan, CourseRequest, DevelopmentTalk


def person_id(user: Any) -> int:
    permissions.require_login(user)
    pid = getattr(user, "person_id", None)
    if not pid:
        raise NotFound()
    return int(pid)


def access_plan_person(user: Any, pk: int) -> Person:
    """Someone whose individual plan the user may see and edit: self, or a person under their
    people scope (leaders: their units; HR: the municipality)."""
    return permissions.access_person(user, pk)


def require_plan_editor(user: Any, plan_person_id: int) -> None:
    """The person themself or someone with them in their people scope edits the plan."""
    if getattr(user, "person_id", None) != plan_person_id:
        access_plan_person(user, plan_person_id)


def _scope_q(user: Any, field: str) -> Q:
    query = Q(pk__in=[])
    for path in permissions.scope_paths(user, Permission.PEOPLE_VIEW):
        query |= Q(**{f"{field}__path__startswith": path})
    return query


def course_requests_to_decide(user: Any) -> QuerySet[CourseRequest]:
    """Requests from people in the units the user leads (or, for HR, the municipality)."""
    permissions.require_login(user)
    return CourseRequest.objects.filter(_scope_q(user, "unit")).exclude(
        person_id=getattr(user, "person_id", 0)
    )


def access_course_request(user: Any, pk: int, *, decide: bool = False) -> CourseRequest:
    own = Q(person_id=getattr(user, "person_id", None) or 0)
    request = CourseRequest.objects.filter(Q(pk=pk) & (own | _scope_q(user, "unit"))).first()
    if request is None:
        raise NotFound()
    if decide and request not in course_requests_to_decide(user):
        raise PermissionDenied()
    return request


def access_talk(user: Any, pk: int) -> DevelopmentTalk:
    own = Q(person_id=getattr(user, "person_id", None) or 0) | Q(
        leader_id=getattr(user, "person_id", None) or 0
    )
    talk = DevelopmentTalk.objects.filter(Q(pk=pk) & (own | _scope_q(user, "unit"))).first()
    if talk is None:
        raise NotFound()
    return talk


def competence_plans(user: Any) -> QuerySet[CompetencePlan]:
    permissions.require_login(user)
    query = Q(pk__in=[])
    for path in permissions.scope_paths(user, Permission.PLANS_VIEW):
        query |= Q(organisation__path__startswith=path)
    return CompetencePlan.objects.filter(query)


def access_competence_plan(user: Any, pk: int) -> CompetencePlan:
    permissions.require_login(user)
    plan = CompetencePlan.objects.filter(pk=pk).select_related("organisation").first()
    if plan is None or not permissions.tenants(user).filter(pk=plan.organisation.tenant_id or 0).exists():
        raise NotFound()
    if not permissions.has_permission(user, Permission.PLANS_VIEW, plan.organisation):
        raise PermissionDenied()
    return plan


def can_edit_competence_plan(user: Any, plan: CompetencePlan) -> bool:
    return permissions.has_permission(
        user, Permission.PEOPLE_VIEW, plan.organisation
    ) or permissions.has_permission(user, Permission.COMPETENCE_MANAGE, plan.organisation)
