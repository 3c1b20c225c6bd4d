"""Writes in the catalogue: the editor flow, referrals, "I have taken this", ratings, moderation.

Each function checks permission, owns its transaction and keeps the search index change log
current (through the model signals in search_index.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laeringsarena.accounts import permissions
from laeringsarena.catalogue import access
from laeringsarena.catalogue.models import (
    Bundle,
    BundleGrant,
    ContentItem,
    Format,
    Offering,
    Participation,
    ParticipationKind,
    PriceModel,
    Provider,
    QuizResult,
    Rating,
    RatingFlag,
    RatingStatus,
    ReferralClick,
    Source,
    Status,
    Visibility,
)
from laeringsarena.core.errors import Conflict, InvalidInput, LaeringsarenaError, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation

if TYPE_CHECKING:
    from laeringsarena.catalogue.access import AnyUser
    from laeringsarena.people.models import Person

RATINGS_PER_HOUR = 10
BURST_WINDOW = dt.timedelta(hours=24)
BURST_MIN_RATINGS = 5
BURST_SUSPICIOUS_SHARE = 0.6
NEW_ACCOUNT_AGE = dt.timedelta(days=7)
FLAGS_TO_HOLD = 3


class RateLimited(LaeringsarenaError):
    code = "rate-limited"
    status = 429
    title = gettext_lazy("For mange forespørsler")


# -- the editor flow ("publish") ----------------------------------------------------------------

EDITABLE_FIELDS = [
    "title",
    "summary",
    "description",
    "learning_outcomes",
    "keywords",
    "format",
    "duration_minutes",
    "effort_hours",
    "language",
    "level",
    "price_model",
    "price_nok",
    "ects_credits",
    "licence",
    "external_url",
    "visibility",
]


@dataclass
class OfferingInput:
    title: str
    format: str
    price_model: str = PriceModel.FREE
    language: str = "nb"
    summary: str = ""
    description: str = ""
    learning_outcomes: str = ""
    keywords: str = ""
    duration_minutes: int | None = None
    effort_hours: Decimal | None = None
    level: str = "basic"
    price_nok: Decimal | None = None
    ects_credits: Decimal | None = None
    licence: str = ""
    external_url: str = ""
    visibility: str = Visibility.PUBLIC

    def validate(self, provider: Provider) -> None:
        errors: list[dict[str, Any]] = []
        if len(self.title.strip()) < 3:
            errors.append({"field": "title", "reason": _("Tittelen må ha minst tre tegn.")})
        if self.format not in Format.values:
            errors.append({"field": "format", "reason": _("Ukjent format.")})
        if self.price_model not in PriceModel.values:
            errors.append({"field": "price_model", "reason": _("Ukjent prismodell.")})
        if self.visibility not in Visibility.values:
            errors.append({"field": "visibility", "reason": _("Ukjent synlighet.")})
        elif self.visibility != Visibility.PUBLIC and provider.organisation_id is None:
            errors.append(
                {"field": "visibility", "reason": _("Bare en kommune kan publisere interne tilbud.")}
            )
        if self.price_model == PriceModel.PAID and self.price_nok is None:
            errors.append({"field": "price_nok", "reason": _("Betalte tilbud må ha en pris.")})
        if errors:
            raise InvalidInput(_("Tilbudet har feil."), errors=errors)


def save_offering(
    user: AnyUser, provider: Provider, data: OfferingInput, offering: Offering | None = None
) -> Offering:
    """Create (as a draft) or update an offering of ``provider``."""
    if not access.can_edit(user, provider):
        raise PermissionDenied()
    data.validate(provider)
    with transaction.atomic():
        if offering is None:
            offering = Offering(provider=provider, source=Source.PUBLISHED, status=Status.DRAFT)
        elif offering.provider_id != provider.pk:
            raise NotFound()
        for name in EDITABLE_FIELDS:
            setattr(offering, name, getattr(data, name))
        if data.external_url and offering.source == Source.PUBLISHED and not offering.content.exists():
            offering.source = Source.REFERRED
        tenant = _provider_tenant(provider)
        offering.owner = tenant if data.visibility != Visibility.PUBLIC else None
        offering.save()
    return offering


def _provider_tenant(provider: Provider) -> Organisation | None:
    organisation = provider.organisation
    if organisation is None:
        return None
    if organisation.is_tenant or organisation.tenant_id is None:
        return organisation
    return Organisation.objects.get(pk=organisation.tenant_id)


def set_status(user: AnyUser, offering: Offering, status: str) -> Offering:
    """Publish, retire or return an offering to draft."""
    if not access.can_edit(user, offering.provider):
        raise PermissionDenied()
    if status not in Status.values:
        raise InvalidInput(_("Ukjent status."))
    now = timezone.now()
    offering.status = status
    if status == Status.PUBLISHED:
        offering.published_at = offering.published_at or now
        offering.retired_at = None
    elif status == Status.RETIRED:
        offering.retired_at = now
    offering.save()
    return offering


def share(
    user: AnyUser, offering: Offering, municipalities: list[Organisation], *, everyone: bool = False
) -> None:
    """Share an internal offering with named municipalities, or with the whole municipal sector."""
    if not access.can_edit(user, offering.provider):
        raise PermissionDenied()
    if offering.owner_id is None:
        raise InvalidInput(_("Bare interne tilbud kan deles."))
    if any(not org.is_tenant for org in municipalities):
        raise InvalidInput(_("Tilbud kan bare deles med kommuner og fylkeskommuner."))
    with transaction.atomic():
        offering.visibility = (
            Visibility.MUNICIPAL
            if everyone
            else (Visibility.SHARED if municipalities else Visibility.INTERNAL)
        )
        offering.save()
        offering.shared_with.set(municipalities)


def add_content(user: AnyUser, offering: Offering, kind: str, title: str, **fields: Any) -> ContentItem:
    """Hosted content: a page, a video link or a quiz."""
    if not access.can_edit(user, offering.provider):
        raise PermissionDenied()
    order = offering.content.count()
    item = ContentItem.objects.create(offering=offering, order=order, kind=kind, title=title, **fields)
    if offering.source == Source.REFERRED:
        offering.source = Source.PUBLISHED
        offering.save(update_fields=["source", "updated_at"])
    return item


def unique_provider_slug(name: str) -> str:
    base = slugify(name)[:70] or "tilbyder"
    slug, n = base, 1
    while Provider.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# -- refer and take ---------------------------------------------------------------------------


def record_referral(user: AnyUser, offering: Offering) -> str:
    """Record a click on the external link and return the URL to send the person to."""
    if not offering.external_url:
        raise NotFound()
    if not access.has_content_access(user, offering):
        raise PermissionDenied(_("Tilbudet krever et abonnement."))
    ReferralClick.objects.create(offering=offering, person_id=getattr(user, "person_id", None))
    if getattr(user, "person_id", None):
        _participate(user, offering, ParticipationKind.OPENED)
    return offering.external_url


_RANK = {ParticipationKind.OPENED: 0, ParticipationKind.STARTED: 1, ParticipationKind.COMPLETED: 2}


def _participate(user: AnyUser, offering: Offering, kind: str) -> Participation:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        raise PermissionDenied(_("Bare personer med en læringskonto kan registrere deltakelse."))
    return record_participation(person_id, offering.pk, kind)


def record_participation(
    person_id: int, offering_id: int, kind: str = ParticipationKind.COMPLETED
) -> Participation:
    """Record that a person opened/started/completed an offering; never steps back.

    Called by the learning app when it records a completion of the offering (the caller has
    checked who may record it).
    """
    record = Participation.objects.filter(offering_id=offering_id, person_id=person_id).first()
    if record is None:
        return Participation.objects.create(offering_id=offering_id, person_id=person_id, kind=kind)
    if _RANK[ParticipationKind(kind)] > _RANK[ParticipationKind(record.kind)]:
        record.kind = kind
        record.save(update_fields=["kind", "at"])
    return record


def mark_taken(user: AnyUser, offering: Offering, kind: str = ParticipationKind.COMPLETED) -> Participation:
    """The person's own "I have started / completed this" (until the learning app tracks it)."""
    permissions.require_login(user)
    if kind not in (ParticipationKind.STARTED, ParticipationKind.COMPLETED):
        raise InvalidInput(_("Ukjent deltakelse."))
    return _participate(user, offering, kind)


# -- ratings ----------------------------------------------------------------------------------


def may_rate(user: AnyUser, offering: Offering) -> bool:
    """Employees rate what they have started or completed; leaders/HR rate for their employer.

    Started/completed is read from the learning app (a :class:`learning.models.Completion` of
    the offering, or an enrolment on a learning path with a step pointing at it) and from the
    catalogue's own "I have taken this" record (offerings outside any learning path).
    """
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    taken = Participation.objects.filter(
        offering=offering,
        person_id=person_id,
        kind__in=[ParticipationKind.STARTED, ParticipationKind.COMPLETED],
    ).exists()
    return taken or _in_learning(person_id, offering) or access.rating_organisations(user).exists()


def _in_learning(person_id: int, offering: Offering) -> bool:
    from laeringsarena.learning.models import Completion, Enrolment

    if Completion.objects.filter(person_id=person_id, offering=offering).exists():
        return True
    enrolments = Enrolment.objects.filter(person_id=person_id, withdrawn_at__isnull=True)
    return enrolments.filter(path__steps__offering=offering).exists()


def rate(
    user: AnyUser,
    offering: Offering,
    stars: int,
    review: str = "",
    *,
    on_behalf_of: Organisation | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """Create or edit the person's one rating of an offering."""
    permissions.require_login(user)
    now = now or timezone.now()
    if not 1 <= stars <= 5:
        raise InvalidInput(_("Gi fra 1 til 5 stjerner."), errors=[{"field": "stars", "reason": "1–5"}])
    if on_behalf_of is not None and not access.rating_organisations(user).filter(pk=on_behalf_of.pk).exists():
        raise PermissionDenied(_("Du kan ikke vurdere på vegne av denne organisasjonen."))
    if not may_rate(user, offering):
        raise PermissionDenied(_("Du kan vurdere tilbud du har startet eller fullført."))
    person_id: int = user.person_id  # type: ignore[union-attr,assignment]
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(offering=offering, person_id=person_id).first()
        if rating is None:
            recent = Rating.objects.filter(
                person_id=person_id, created_at__gte=now - dt.timedelta(hours=1)
            ).count()
            if recent >= RATINGS_PER_HOUR:
                raise RateLimited(_("Du har gitt mange vurderinger på kort tid. Prøv igjen senere."))
            rating = Rating(offering=offering, person_id=person_id)
        rating.stars = stars
        rating.review = review.strip()[:4000]
        rating.on_behalf_of = on_behalf_of
        reason = _suspicion(user, offering, now)
        if reason and rating.status == RatingStatus.VISIBLE:
            rating.status = RatingStatus.HELD
            rating.suspicious_reason = reason
        rating.save()
        if reason:
            # A burst: hold the other recent ratings from new or unrelated accounts too.
            for other in (
                _recent_suspicious(offering, now).exclude(pk=rating.pk).filter(status=RatingStatus.VISIBLE)
            ):
                other.status = RatingStatus.HELD
                other.suspicious_reason = reason
                other.save(update_fields=["status", "suspicious_reason"])
        refresh_rating_summary(offering)
    return rating


def _is_suspicious_account(person_id: int, offering: Offering, now: dt.datetime) -> bool:
    from laeringsarena.accounts.models import User
    from laeringsarena.people.models import Employment

    joined = User.objects.filter(person_id=person_id).values_list("date_joined", flat=True).first()
    if joined is not None and joined > now - NEW_ACCOUNT_AGE:
        return True
    if not Employment.objects.active(now.date()).filter(person_id=person_id).exists():
        return True  # not employed anywhere: unrelated to any workplace
    taken_at = (
        Participation.objects.filter(offering=offering, person_id=person_id)
        .values_list("at", flat=True)
        .first()
    )
    return taken_at is not None and taken_at > now - dt.timedelta(minutes=10)


def _recent_suspicious(offering: Offering, now: dt.datetime) -> Any:
    recent = Rating.objects.filter(offering=offering, updated_at__gte=now - BURST_WINDOW)
    ids = [r.pk for r in recent if _is_suspicious_account(r.person_id, offering, now)]
    return Rating.objects.filter(pk__in=ids)


def _suspicion(user: AnyUser, offering: Offering, now: dt.datetime) -> str:
    """Why a new rating looks like part of a burst from new or unrelated accounts ('' if not)."""
    person_id: int = user.person_id  # type: ignore[union-attr,assignment]
    if not _is_suspicious_account(person_id, offering, now):
        return ""
    recent = list(
        Rating.objects.filter(offering=offering, updated_at__gte=now - BURST_WINDOW).exclude(
            person_id=person_id
        )
    )
    total = len(recent) + 1
    if total < BURST_MIN_RATINGS:
        return ""
    suspicious = 1 + sum(1 for r in recent if _is_suspicious_account(r.person_id, offering, now))
    if suspicious / total >= BURST_SUSPICIOUS_SHARE:
        return _("Mange vurderinger fra nye eller ukjente kontoer på kort tid")
    return ""


def refresh_rating_summary(offering: Offering) -> None:
    summary = Rating.objects.filter(offering=offering, status=RatingStatus.VISIBLE).aggregate(
        n=Count("pk"), total=Sum("stars")
    )
    offering.rating_count = summary["n"] or 0
    offering.rating_sum = summary["total"] or 0
    offering.save(update_fields=["rating_count", "rating_sum"])


def flag(user: AnyUser, rating: Rating, reason: str) -> RatingFlag:
    permissions.require_login(user)
    person_id = getattr(user, "person_id", None)
    if not person_id:
        raise PermissionDenied()
    if not reason.strip():
        raise InvalidInput(
            _("Skriv hvorfor vurderingen bør sjekkes."), errors=[{"field": "reason", "reason": ""}]
        )
    with transaction.atomic():
        if RatingFlag.objects.filter(rating=rating, person_id=person_id).exists():
            raise Conflict(_("Du har allerede meldt denne vurderingen."))
        created = RatingFlag.objects.create(rating=rating, person_id=person_id, reason=reason.strip()[:300])
        open_flags = rating.flags.filter(resolved_at__isnull=True).count()
        if open_flags >= FLAGS_TO_HOLD and rating.status == RatingStatus.VISIBLE:
            rating.status = RatingStatus.HELD
            rating.suspicious_reason = _("Meldt av flere brukere")
            rating.save(update_fields=["status", "suspicious_reason"])
            refresh_rating_summary(rating.offering)
    return created


def can_moderate(user: AnyUser, offering: Offering) -> bool:
    return access.is_platform_admin(user) or access.can_edit(user, offering.provider)


def moderate(user: AnyUser, rating: Rating, status: str) -> Rating:
    """A moderator shows or hides a rating; open flags are resolved."""
    if not can_moderate(user, rating.offering):
        raise PermissionDenied()
    if status not in (RatingStatus.VISIBLE, RatingStatus.HIDDEN):
        raise InvalidInput(_("Ukjent status."))
    with transaction.atomic():
        rating.status = status
        rating.save(update_fields=["status"])
        rating.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        refresh_rating_summary(rating.offering)
    return rating


def moderation_queue(user: AnyUser) -> Any:
    """Held or flagged ratings the user may moderate."""
    queryset = Rating.objects.filter(
        Q(status=RatingStatus.HELD) | Q(flags__resolved_at__isnull=True, flags__isnull=False)
    ).select_related("offering__provider")
    if not access.is_platform_admin(user):
        queryset = queryset.filter(offering__provider__in=access.editable_providers(user))
    return queryset.distinct().order_by("-updated_at")


# -- subscription bundles ------------------------------------------------------------------------


def manageable_bundles(user: AnyUser) -> QuerySet[Bundle]:
    """Bundles whose grants the user manages: those of providers they edit (platform admin: all)."""
    if access.is_platform_admin(user):
        return Bundle.objects.all()
    return Bundle.objects.filter(provider__in=access.editable_providers(user))


def access_bundle_for_edit(user: AnyUser, slug: str) -> Bundle:
    """A bundle the user may grant: unknown → 404; another provider's → 403 (bundles are public)."""
    permissions.require_login(user)
    bundle = Bundle.objects.select_related("provider").filter(slug=slug).first()
    if bundle is None:
        raise NotFound()
    if not manageable_bundles(user).filter(pk=bundle.pk).exists():
        raise PermissionDenied()
    return bundle


def grant_bundle(
    user: AnyUser,
    bundle: Bundle,
    *,
    organisation: Organisation | None = None,
    person: Person | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> BundleGrant:
    """Give an organisation (and its whole subtree) or one person access to the bundle's offerings.

    Needs Permission.CATALOGUE_EDIT on the bundle's provider (the one who sells the subscription)
    or platform admin. A holder with an active grant keeps it (the period is updated).
    """
    bundle = access_bundle_for_edit(user, bundle.slug)
    if (organisation is None) == (person is None):
        raise InvalidInput(_("Velg enten en organisasjon eller en person."))
    valid_from = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(_("Sluttdatoen kan ikke være før startdatoen."))
    with transaction.atomic():
        holder = Q(organisation=organisation) if organisation is not None else Q(person=person)
        today = timezone.localdate()
        current = (
            BundleGrant.objects.select_for_update()
            .filter(holder, bundle=bundle)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .first()
        )
        if current is not None:
            current.valid_from, current.valid_to = min(current.valid_from, valid_from), valid_to
            current.save(update_fields=["valid_from", "valid_to"])
            return current
        return BundleGrant.objects.create(
            bundle=bundle, organisation=organisation, person=person, valid_from=valid_from, valid_to=valid_to
        )


def revoke_bundle_grant(user: AnyUser, grant: BundleGrant) -> BundleGrant:
    """End a grant: access stops today; the grant stays as history (idempotent)."""
    access_bundle_for_edit(user, grant.bundle.slug)
    today = timezone.localdate()
    with transaction.atomic():
        if grant.valid_to is None or grant.valid_to >= today:
            grant.valid_to = today - dt.timedelta(days=1)
            if grant.valid_from > grant.valid_to:
                grant.valid_from = grant.valid_to  # never started: an empty period in the past
            grant.save(update_fields=["valid_from", "valid_to"])
    return grant


def find_grantee(
    organisation_slug: str = "", person_email: str = ""
) -> tuple[Organisation | None, Person | None]:
    """The holder named in a grant request: an organisation by slug, or a person by e-mail."""
    from laeringsarena.people.models import Person

    if organisation_slug and person_email:
        raise InvalidInput(_("Velg enten en organisasjon eller en person."))
    if organisation_slug:
        organisation = Organisation.objects.filter(slug=organisation_slug).order_by("depth", "pk").first()
        if organisation is None:
            raise InvalidInput(
                _("Fant ingen organisasjon med kortnavnet «%(slug)s».") % {"slug": organisation_slug},
                errors=[{"field": "organisation", "reason": _("ukjent kortnavn")}],
            )
        return organisation, None
    if person_email:
        person = Person.objects.filter(email__iexact=person_email.strip()).first()
        if person is None:
            raise InvalidInput(
                _("Fant ingen person med e-postadressen «%(email)s».") % {"email": person_email},
                errors=[{"field": "person_email", "reason": _("ukjent e-postadresse")}],
            )
        return None, person
    raise InvalidInput(_("Velg enten en organisasjon eller en person."))


# -- hosted quiz ----------------------------------------------------------------------------------


@dataclass
class QuizFeedback:
    question: str
    options: list[str]
    chosen: int | None
    answer: int
    correct: bool


def answer_quiz(
    user: AnyUser, item: ContentItem, answers: list[int | None]
) -> tuple[list[QuizFeedback], Any]:
    """Check answers to a hosted quiz: feedback per question at once; a person's score is kept.

    Anyone who may open the content may answer (the public catalogue is open); only a logged-in
    person's result is stored (latest answers, best score, number of attempts).
    """
    if item.kind != "quiz" or not item.quiz:
        raise InvalidInput(_("Dette innholdet er ikke en quiz."))
    offering = access.access_offering(user, item.offering_id)
    if not access.has_content_access(user, offering):
        raise PermissionDenied(_("Innholdet krever et abonnement."))
    questions = item.quiz
    if len(answers) != len(questions):
        raise InvalidInput(_("Svar på spørsmålene i quizen (ett svar per spørsmål)."))
    feedback = []
    for question, chosen in zip(questions, answers, strict=True):
        options = list(question.get("options", []))
        if chosen is not None and not 0 <= chosen < len(options):
            raise InvalidInput(_("Ukjent svaralternativ."))
        answer = int(question.get("answer", -1))
        feedback.append(
            QuizFeedback(str(question.get("question", "")), options, chosen, answer, chosen == answer)
        )
    score = sum(f.correct for f in feedback)
    person_id = getattr(user, "person_id", None)
    result = None
    if person_id:
        with transaction.atomic():
            result, _created = QuizResult.objects.select_for_update().get_or_create(
                item=item, person_id=person_id
            )
            result.answers = answers
            result.score, result.total = score, len(questions)
            result.best_score = max(result.best_score, score)
            result.attempts += 1
            result.save()
    return feedback, result
