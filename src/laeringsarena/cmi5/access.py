"""Who may take and who may manage cmi5 courses.

Learners: anyone with an employment or role in the course's municipality (a course is a
municipality-wide resource; learning paths decide who must take it). Managers: people holding
``LEARNING_MANAGE`` on the organisation that imported the course. A course in another
municipality is "not found".
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.cmi5.models import AssignableUnit, Course
from laeringsarena.core.errors import NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User


def learner_courses(user: User | AnonymousUser | None) -> QuerySet[Course]:
    """Courses the user may take: those of the municipalities they belong to."""
    permissions.require_login(user)
    return Course.objects.filter(tenant__in=permissions.tenants(user)).select_related("tenant")


def course_for_learner(user: User | AnonymousUser | None, course_uuid: UUID) -> Course:
    course = learner_courses(user).filter(uuid=course_uuid).first()
    if course is None:
        raise NotFound(_("Fant ikke kurset."))
    return course


def au_for_learner(user: User | AnonymousUser | None, au_uuid: UUID) -> AssignableUnit:
    au = (
        AssignableUnit.objects.select_related("course__tenant", "block")
        .filter(uuid=au_uuid, course__in=learner_courses(user))
        .first()
    )
    if au is None:
        raise NotFound(_("Fant ikke læringsenheten."))
    return au


def managed_organisations(user: User | AnonymousUser | None) -> QuerySet[Organisation]:
    """Organisations the user may import courses for (municipalities first, then units)."""
    return permissions.organisations(user, Permission.LEARNING_MANAGE).order_by("path")


def can_manage_any(user: User | AnonymousUser | None) -> bool:
    return permissions.has_permission(user, Permission.LEARNING_MANAGE)


def managed_courses(user: User | AnonymousUser | None) -> QuerySet[Course]:
    paths = permissions.scope_paths(user, Permission.LEARNING_MANAGE)
    if not paths:
        return Course.objects.none()
    courses = Course.objects.none()
    for path in paths:
        courses = courses | Course.objects.filter(organisation__path__startswith=path)
    return courses.select_related("organisation", "tenant").order_by("tenant__name", "id")


def course_for_manager(user: User | AnonymousUser | None, course_uuid: UUID) -> Course:
    course = course_for_learner(user, course_uuid)
    if not permissions.has_permission(user, Permission.LEARNING_MANAGE, course.organisation):
        raise PermissionDenied()
    return course
