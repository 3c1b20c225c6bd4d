"""Feedback after larger tasks, private to the one who asks and the one asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.community import access
from laeringsarena.community.models import (
    FeedbackRequest,
)
from laeringsarena.community.services import _invalid
from laeringsarena.core.errors import PermissionDenied
from laeringsarena.people.models import Employment, Person

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser


# --- Feedback -------------------------------------------------------------------------------


def feedback_givers(person: Person) -> list[Person]:
    """Whom a person may ask: colleagues in their units (the unit's leader works there too)."""
    units = list(Employment.objects.active().filter(person=person).values_list("unit__path", flat=True))
    if not units:
        return []
    query = Q(pk__in=[])
    for path in units:
        query |= Q(unit__path=path)
    colleague_ids = set(Employment.objects.active().filter(query).values_list("person_id", flat=True))
    return list(
        Person.objects.filter(pk__in=colleague_ids - {person.pk}).order_by("given_name", "family_name")
    )


@transaction.atomic
def request_feedback(user: AnyUser, *, giver_id: int, task: str, question: str = "") -> FeedbackRequest:
    person = access.person_of(user)
    giver = next((p for p in feedback_givers(person) if p.pk == giver_id), None)
    if giver is None:
        raise _invalid("giver_id", _("Du kan be kolleger i enheten din eller lederen din om tilbakemelding."))
    if not task.strip():
        raise _invalid("task", _("Skriv hvilken oppgave det gjelder."))
    return FeedbackRequest.objects.create(
        requester=person, giver=giver, task=task.strip()[:300], question=question.strip()
    )


@transaction.atomic
def give_feedback(user: AnyUser, feedback_id: int, answer: str) -> FeedbackRequest:
    person = access.person_of(user)
    found = access.access_feedback(user, feedback_id)
    if found.giver_id != person.pk:
        raise PermissionDenied()
    if not answer.strip():
        raise _invalid("answer", _("Skriv tilbakemeldingen."))
    found.answer, found.answered_at = answer.strip(), timezone.now()
    found.save(update_fields=["answer", "answered_at"])
    return found
