""" "Pass it on" (del det videre) after a completed course: the invitation and the answers.

When the learning app records a completed offering or learning path (its
``completion_recorded`` signal, see :mod:`laeringsarena.community.receivers`), the person is
invited — in the app and by e-mail — to hold a short mini-course for their unit or share a
summary with it. Never nagging: one invitation per completion, none if the person was already
invited for the same course, no reminders, and "no thanks" closes it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.community import access, passing_on
from laeringsarena.community.models import LinkKind, MiniCourse, PassItOnInvitation, PassItOnStatus
from laeringsarena.community.services import Link, _invalid, main_employment
from laeringsarena.core.errors import Conflict, NotFound
from laeringsarena.core.tasks import notify
from laeringsarena.people.models import Employment

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser


def _title(completion: Any) -> str:
    for related in ("offering", "path"):
        found = getattr(completion, related, None) if getattr(completion, f"{related}_id", None) else None
        if found is not None:
            return str(getattr(found, "title", "") or getattr(found, "name", ""))
    return str(getattr(completion, "title", "") or "")


def invite_after_completion(completion: Any) -> PassItOnInvitation | None:
    """Invite the person to pass on what they learned. Idempotent (one per completion)."""
    if getattr(completion, "step_id", None):
        return None  # single steps are not courses
    title = _title(completion).strip()
    if not title:
        return None
    if PassItOnInvitation.objects.filter(completion_id=completion.pk).exists():
        return None
    offering_id = getattr(completion, "offering_id", None)
    earlier = PassItOnInvitation.objects.filter(person_id=completion.person_id)
    if (
        earlier.filter(offering_id=offering_id).exists()
        if offering_id
        else earlier.filter(title=title).exists()
    ):
        return None  # already invited for this course once: no nagging
    employment = main_employment(completion.person)
    if employment is None:
        return None
    try:
        with transaction.atomic():
            invitation = PassItOnInvitation.objects.create(
                person_id=completion.person_id,
                completion_id=completion.pk,
                tenant=employment.organisation,
                unit=employment.unit,
                title=title[:300],
                offering_id=offering_id,
            )
    except IntegrityError:  # the same completion delivered twice at once
        return None
    link = settings.PUBLIC_URL.rstrip("/") + reverse("community:pass_it_on", args=[invitation.pk])
    email = completion.person.email
    if email:
        notify(
            [email],
            _("Del det du lærte på «%(title)s»?") % {"title": invitation.title},
            _(
                "Gratulerer med fullført «%(title)s»!\n\n"
                "Vil du dele det du lærte med kollegene på %(unit)s? Du kan holde et kort minikurs "
                "(for eksempel 20 minutter på et personalmøte) eller skrive en kort oppsummering. "
                "Det er frivillig – du kan også takke nei, så spør vi ikke igjen.\n\n%(link)s\n"
            )
            % {"title": invitation.title, "unit": invitation.unit.name, "link": link},
        )
    return invitation


def open_invitations(person: Any) -> QuerySet[PassItOnInvitation]:
    return PassItOnInvitation.objects.filter(person=person, status=PassItOnStatus.OPEN)


def access_invitation(user: AnyUser, pk: int) -> PassItOnInvitation:
    """The invitation is the invited person's only."""
    person = access.person_of(user)
    found = PassItOnInvitation.objects.filter(pk=pk, person=person).select_related("unit").first()
    if found is None:
        raise NotFound()
    return found


def _open(user: AnyUser, pk: int) -> PassItOnInvitation:
    found = access_invitation(user, pk)
    if found.status != PassItOnStatus.OPEN:
        raise Conflict(_("Du har allerede svart på denne invitasjonen."))
    return found


@transaction.atomic
def hold_mini_course(
    user: AnyUser,
    pk: int,
    *,
    starts_at: dt.datetime,
    title: str = "",
    summary: str = "",
    duration_minutes: int = 30,
    location: str = "",
    invite_unit: bool = True,
) -> MiniCourse:
    """Say yes with a mini-course: it is scheduled and (by default) the unit is invited."""
    invitation = _open(user, pk)
    course = passing_on.offer_mini_course(
        user,
        title=title.strip() or invitation.title,
        starts_at=starts_at,
        summary=summary,
        duration_minutes=duration_minutes,
        location=location,
        link=Link(kind=LinkKind.OFFERING, id=invitation.offering_id, title=invitation.title),
    )
    if invite_unit:
        passing_on.invite_unit(user, course.pk)
    invitation.status, invitation.mini_course, invitation.decided_at = (
        PassItOnStatus.MINI_COURSE,
        course,
        timezone.now(),
    )
    invitation.save(update_fields=["status", "mini_course", "decided_at"])
    return course


@transaction.atomic
def share_summary(user: AnyUser, pk: int, summary: str) -> PassItOnInvitation:
    """Say yes with a written summary, visible to the people working in the person's unit."""
    invitation = _open(user, pk)
    if not summary.strip():
        raise _invalid("summary", _("Skriv oppsummeringen."))
    invitation.status, invitation.summary, invitation.decided_at = (
        PassItOnStatus.SUMMARY,
        summary.strip(),
        timezone.now(),
    )
    invitation.save(update_fields=["status", "summary", "decided_at"])
    return invitation


@transaction.atomic
def decline(user: AnyUser, pk: int) -> PassItOnInvitation:
    invitation = _open(user, pk)
    invitation.status, invitation.decided_at = PassItOnStatus.DECLINED, timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    return invitation


def unit_summaries(user: AnyUser) -> QuerySet[PassItOnInvitation]:
    """Summaries shared with the units the user works in (and the user's own)."""
    person = getattr(user, "person", None)
    if person is None:
        return PassItOnInvitation.objects.none()
    units = Employment.objects.active().filter(person=person).values("unit_id")
    return (
        PassItOnInvitation.objects.filter(status=PassItOnStatus.SUMMARY)
        .filter(unit_id__in=units)
        .select_related("person", "unit")
        .order_by("-decided_at", "-pk")
    )
