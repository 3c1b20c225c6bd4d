"""Write path and reads for passing learning on: "pass it on" mini-courses, job exchange and
shadowing, and ask-a-colleague questions. (Split from :mod:`services` to keep files small.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.community import access, exchange_matching
from laeringsarena.community.exchange_matching import Match
from laeringsarena.community.models import (
    Answer,
    ExchangeAgreement,
    ExchangeKind,
    ExchangeMode,
    ExchangePosting,
    ExchangeStatus,
    GroupKind,
    MiniCourse,
    MiniCourseInvitation,
    MiniCourseStatus,
    Question,
)
from laeringsarena.community.services import Link, _invalid, main_employment
from laeringsarena.core.errors import Conflict, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation, Position
from laeringsarena.people.models import Employment, Person

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser


def _leads(user: AnyUser, unit: Organisation) -> bool:
    return any(unit.path.startswith(path) for path in access.leader_paths(user))


# --- "Pass it on" mini-courses --------------------------------------------------------------


@transaction.atomic
def offer_mini_course(
    user: AnyUser,
    *,
    title: str,
    starts_at: dt.datetime,
    summary: str = "",
    duration_minutes: int = 30,
    location: str = "",
    link: Link | None = None,
) -> MiniCourse:
    """A person shares what they learned (e.g. after a course) with their unit."""
    person = access.person_of(user)
    employment = main_employment(person)
    if employment is None:
        raise PermissionDenied(_("Du må ha en aktiv ansettelse for å holde et minikurs."))
    if not title.strip():
        raise _invalid("title", _("Gi minikurset en tittel."))
    if not 5 <= duration_minutes <= 240:
        raise _invalid("duration_minutes", _("Et minikurs varer mellom 5 og 240 minutter."))
    if link is not None:
        link.validate()
    return MiniCourse.objects.create(
        host=person,
        tenant=employment.organisation,
        unit=employment.unit,
        title=title.strip()[:200],
        summary=summary.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip()[:200],
        link_kind=link.kind if link else "",
        link_id=link.id if link else None,
        link_title=link.title.strip()[:200] if link else "",
    )


def visible_mini_courses(user: AnyUser) -> QuerySet[MiniCourse]:
    """Mini-courses in the units where the person works, and those they host or are invited to."""
    person = getattr(user, "person", None)
    if person is None:
        return MiniCourse.objects.none()
    units = Employment.objects.active().filter(person=person).values("unit_id")
    return MiniCourse.objects.filter(
        Q(unit_id__in=units) | Q(host=person) | Q(invitations__person=person)
    ).distinct()


def access_mini_course(user: AnyUser, pk: int) -> MiniCourse:
    access.person_of(user)
    course = visible_mini_courses(user).filter(pk=pk).select_related("host", "unit").first()
    if course is None:
        raise NotFound()
    return course


def _hosted(user: AnyUser, pk: int) -> MiniCourse:
    course = access_mini_course(user, pk)
    if course.host_id != access.person_of(user).pk:
        raise PermissionDenied()
    return course


@transaction.atomic
def invite_unit(user: AnyUser, course_id: int) -> int:
    """Invite every colleague with an active employment in the host's unit. Returns how many new."""
    course = _hosted(user, course_id)
    colleagues = set(Employment.objects.active().filter(unit=course.unit).values_list("person_id", flat=True))
    colleagues.discard(course.host_id)
    already = set(course.invitations.values_list("person_id", flat=True))
    new = sorted(colleagues - already)
    MiniCourseInvitation.objects.bulk_create(
        [MiniCourseInvitation(course=course, person_id=pk) for pk in new]
    )
    return len(new)


@transaction.atomic
def record_attendance(user: AnyUser, course_id: int, person_ids: list[int]) -> int:
    """The host records who came; attendance counts as learning for the attendees."""
    course = _hosted(user, course_id)
    if course.starts_at > timezone.now():
        raise Conflict(_("Oppmøte kan registreres når minikurset har startet."))
    now = timezone.now()
    invited = course.invitations.all()
    invited.filter(person_id__in=person_ids, attended_at__isnull=True).update(attended_at=now)
    invited.exclude(person_id__in=person_ids).update(attended_at=None)
    course.status = MiniCourseStatus.HELD
    course.save(update_fields=["status"])
    return invited.filter(attended_at__isnull=False).count()


@dataclass(frozen=True)
class LearningAtWork:
    """One item of a person's learning at work (for their record and, later, their plan)."""

    kind: str
    title: str
    on: dt.date
    detail: str


def learning_at_work(person: Person) -> list[LearningAtWork]:
    """Mini-courses attended and hosted, and agreed job exchanges: learning outside courses."""
    items = [
        LearningAtWork("mini_course", i.course.title, i.course.starts_at.date(), _("Deltok på minikurs"))
        for i in MiniCourseInvitation.objects.filter(person=person, attended_at__isnull=False).select_related(
            "course"
        )
    ]
    items += [
        LearningAtWork("mini_course_held", c.title, c.starts_at.date(), _("Holdt minikurs"))
        for c in MiniCourse.objects.filter(host=person, status=MiniCourseStatus.HELD)
    ]
    agreements = ExchangeAgreement.objects.filter(
        Q(offer__author=person) | Q(wish__author=person),
        host_agreed_at__isnull=False,
        home_agreed_at__isnull=False,
    ).select_related("offer__unit", "wish__unit", "offer__position")
    for agreement in agreements:
        assert agreement.home_agreed_at is not None and agreement.host_agreed_at is not None
        on = max(agreement.home_agreed_at, agreement.host_agreed_at).date()
        items.append(
            LearningAtWork(
                "exchange",
                f"{agreement.offer.get_mode_display()}: {agreement.offer.position.name}",
                on,
                _("%(host)s tar imot fra %(home)s")
                % {"host": agreement.offer.unit.name, "home": agreement.wish.unit.name},
            )
        )
    return sorted(items, key=lambda item: item.on, reverse=True)


# --- Job exchange and shadowing -------------------------------------------------------------


@transaction.atomic
def post_exchange(
    user: AnyUser,
    *,
    kind: str,
    position_code: str,
    description: str,
    mode: str = ExchangeMode.SHADOWING,
    days: int = 2,
    network_id: int | None = None,
    competence_ids: list[int] | None = None,
) -> ExchangePosting:
    """Post an offer or a wish. A shadowing offer ("we take someone in") is the unit leader's;
    an exchange offer ("swap places with me") and a wish ("I want to learn") anyone's.
    ``competence_ids``: what the offer teaches or the wish wants to learn."""
    person = access.person_of(user)
    employment = main_employment(person)
    if employment is None:
        raise PermissionDenied(_("Du må ha en aktiv ansettelse."))
    if kind not in ExchangeKind.values or mode not in ExchangeMode.values:
        raise _invalid("kind", _("Ukjent type."))
    if kind == ExchangeKind.OFFER and mode == ExchangeMode.SHADOWING and not _leads(user, employment.unit):
        raise PermissionDenied(_("Tilbud om å ta imot noen legges ut av lederen for enheten."))
    from laeringsarena.competence.models import Competence

    competences = list(Competence.objects.filter(pk__in=competence_ids or []))
    if len(competences) != len(set(competence_ids or [])):
        raise _invalid("competence_ids", _("Ukjent kompetanse."))
    position = Position.objects.filter(code=position_code).first()
    if position is None:
        raise _invalid("position_code", _("Ukjent stilling."))
    if not description.strip():
        raise _invalid("description", _("Beskriv hva utvekslingen går ut på."))
    if not 1 <= days <= 30:
        raise _invalid("days", _("Et jobbytte varer fra 1 til 30 dager."))
    network = None
    if network_id is not None:
        network = access.access_group_content(user, network_id)
        if network.kind != GroupKind.REGIONAL:
            raise _invalid("network_id", _("Utveksling med andre kommuner legges ut i et nettverk på tvers."))
    posting = ExchangePosting.objects.create(
        author=person,
        tenant=employment.organisation,
        unit=employment.unit,
        kind=kind,
        mode=mode,
        position=position,
        description=description.strip(),
        days=days,
        network=network,
    )
    posting.competences.set(competences)
    return posting


def visible_postings(user: AnyUser) -> QuerySet[ExchangePosting]:
    """Local postings in the municipalities where the person works; network postings for members."""
    person = getattr(user, "person", None)
    if person is None:
        return ExchangePosting.objects.none()
    tenants = Employment.objects.active().filter(person=person).values("organisation_id")
    return ExchangePosting.objects.filter(
        Q(network__isnull=True, tenant_id__in=tenants)
        | Q(network_id__in=access.active_group_ids(person))
        | Q(author=person)
    ).distinct()


def matches(user: AnyUser, posting: ExchangePosting) -> list[Match]:
    """Open postings of the opposite kind in another unit that the user can see (a network
    posting only meets postings in the same network), matched by position and competences
    (:mod:`laeringsarena.community.exchange_matching`), best first."""
    opposite = ExchangeKind.WISH if posting.kind == ExchangeKind.OFFER else ExchangeKind.OFFER
    candidates = (
        visible_postings(user)
        .filter(kind=opposite, status=ExchangeStatus.OPEN, network=posting.network)
        .exclude(unit=posting.unit)
        .select_related("unit", "author", "position")
        .prefetch_related("competences")
    )
    return exchange_matching.rank(posting, list(candidates))


def access_posting(user: AnyUser, pk: int) -> ExchangePosting:
    access.person_of(user)
    posting = visible_postings(user).filter(pk=pk).select_related("unit", "author", "position").first()
    if posting is None:
        raise NotFound()
    return posting


@transaction.atomic
def propose_exchange(user: AnyUser, offer_id: int, wish_id: int) -> ExchangeAgreement:
    """Either party (or a leader) proposes a match; the proposer's side agrees at once if they lead it."""
    person = access.person_of(user)
    offer, wish = access_posting(user, offer_id), access_posting(user, wish_id)
    if offer.kind != ExchangeKind.OFFER or wish.kind != ExchangeKind.WISH:
        raise _invalid("offer_id", _("Et forslag kobler et tilbud og et ønske."))
    if wish.pk not in {m.posting.pk for m in matches(user, offer)}:
        raise _invalid(
            "wish_id", _("Tilbudet og ønsket passer ikke sammen (stilling, kompetanse eller enhet).")
        )
    if person.pk not in (offer.author_id, wish.author_id) and not (
        _leads(user, offer.unit) or _leads(user, wish.unit)
    ):
        raise PermissionDenied()
    agreement, _created = ExchangeAgreement.objects.get_or_create(
        offer=offer, wish=wish, defaults={"proposed_by": person}
    )
    _agree_where_leader(user, agreement)
    return agreement


def _agree_where_leader(user: AnyUser, agreement: ExchangeAgreement) -> None:
    person = access.person_of(user)
    now = timezone.now()
    changed = []
    if agreement.host_agreed_at is None and _leads(user, agreement.offer.unit):
        agreement.host_leader, agreement.host_agreed_at = person, now
        changed += ["host_leader", "host_agreed_at"]
    if agreement.home_agreed_at is None and _leads(user, agreement.wish.unit):
        agreement.home_leader, agreement.home_agreed_at = person, now
        changed += ["home_leader", "home_agreed_at"]
    if changed:
        agreement.save(update_fields=changed)
    if agreement.agreed:
        ExchangePosting.objects.filter(pk__in=[agreement.offer_id, agreement.wish_id]).update(
            status=ExchangeStatus.MATCHED
        )
        exchange_matching.record_in_plans(user, agreement)


@transaction.atomic
def agree_exchange(user: AnyUser, agreement_id: int) -> ExchangeAgreement:
    """A leader of the host unit or of the person's home unit agrees."""
    agreement = (
        ExchangeAgreement.objects.filter(pk=agreement_id).select_related("offer__unit", "wish__unit").first()
    )
    if agreement is None:
        raise NotFound()
    if not (_leads(user, agreement.offer.unit) or _leads(user, agreement.wish.unit)):
        person = getattr(user, "person", None)
        if person is not None and person.pk in (agreement.offer.author_id, agreement.wish.author_id):
            raise PermissionDenied(_("Lederne må godkjenne."))
        raise NotFound()
    _agree_where_leader(user, agreement)
    return agreement


def agreements_to_decide(user: AnyUser) -> list[ExchangeAgreement]:
    paths = access.leader_paths(user)
    if not paths:
        return []
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(offer__unit__path__startswith=path, host_agreed_at__isnull=True)
        under |= Q(wish__unit__path__startswith=path, home_agreed_at__isnull=True)
    return list(
        ExchangeAgreement.objects.filter(under).select_related(
            "offer__unit", "wish__unit", "offer__position", "wish__author", "offer__author"
        )
    )


# --- Ask a colleague ------------------------------------------------------------------------


@transaction.atomic
def ask(user: AnyUser, group_id: int, title: str, body: str = "") -> Question:
    person = access.person_of(user)
    group = access.access_group_content(user, group_id)
    if not title.strip():
        raise _invalid("title", _("Skriv spørsmålet."))
    return Question.objects.create(group=group, asker=person, title=title.strip()[:200], body=body.strip())


def access_question(user: AnyUser, pk: int) -> Question:
    question = Question.objects.filter(pk=pk).select_related("group", "asker").first()
    if question is None:
        raise NotFound()
    access.access_group_content(user, question.group_id)
    return question


@transaction.atomic
def answer(user: AnyUser, question_id: int, body: str) -> Answer:
    person = access.person_of(user)
    question = access_question(user, question_id)
    if not body.strip():
        raise _invalid("body", _("Skriv svaret."))
    return Answer.objects.create(question=question, author=person, body=body.strip())


@transaction.atomic
def accept_answer(user: AnyUser, question_id: int, answer_id: int) -> Question:
    """The one who asked marks the answer that helped."""
    question = access_question(user, question_id)
    if question.asker_id != access.person_of(user).pk:
        raise PermissionDenied()
    found = question.answers.filter(pk=answer_id).first()
    if found is None:
        raise _invalid("answer_id", _("Svaret hører ikke til dette spørsmålet."))
    question.accepted = found
    question.save(update_fields=["accepted"])
    return question


@transaction.atomic
def register(user: AnyUser, course_id: int) -> MiniCourseInvitation:
    """A colleague who can see a planned mini-course signs up for it (attend)."""
    person = access.person_of(user)
    course = access_mini_course(user, course_id)
    if course.status != MiniCourseStatus.PLANNED:
        raise Conflict(_("Minikurset er ikke åpent for påmelding."))
    if course.host_id == person.pk:
        raise Conflict(_("Du holder minikurset selv."))
    invitation, _created = MiniCourseInvitation.objects.get_or_create(course=course, person=person)
    return invitation
