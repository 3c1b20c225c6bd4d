"""Reading the learning account: every record of a person, with where it comes from.

A record's *origin* is the employer (municipality, unit and period of the employment) in
which it arose, or the person themself for what they entered or uploaded. The origin decides
what an employer sees (:func:`employer_view`): records that arose in an employment with that
employer, plus what the person chose to make visible. Former employers see nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.competence.models import Certification, Education, PriorLearning
from laeringsarena.learning_account.models import OwnEntry, Upload
from laeringsarena.people.models import Employment, Person

# Certifications expiring within this many days are flagged (same as Min kompetanse).
EXPIRY_WARNING_DAYS = 60


@dataclass(frozen=True)
class Origin:
    """Where a record comes from (opphav)."""

    label: str
    own: bool = False  # entered or uploaded by the person
    tenant_id: int | None = None
    employment_id: int | None = None
    current: bool = False  # the employment is still in force


@dataclass
class Item:
    """One record in the account, ready to show or export."""

    kind: str  # completion, certification, education, prior_learning, upload, credential
    pk: Any
    title: str
    detail: str
    date: dt.date | None
    origin: Origin
    state: str = ""  # certifications: valid/expiring/expired; credentials: the credential's status
    record: Any = None
    uploads: list[Upload] = field(default_factory=list)
    visible_to_employer: bool = False  # the person chose to show it to current employers

    @property
    def own(self) -> bool:
        return self.origin.own

    @property
    def slug(self) -> str:
        """The URL slug of the record kind (for the person's own entries)."""
        return {
            "education": "utdanning",
            "certification": "sertifisering",
            "prior_learning": "realkompetanse",
        }.get(self.kind, "")

    @property
    def state_label(self) -> str:
        return {
            "valid": _("Gyldig"),
            "expiring": _("Utløper snart"),
            "expired": _("Utløpt"),
            "revoked": _("Trukket tilbake"),
        }.get(self.state, self.state)


@dataclass
class Account:
    person: Person
    employments: list[Employment]
    completions: list[Item]
    certifications: list[Item]
    credentials: list[Item]
    uploads: list[Item]
    prior_learning: list[Item]
    educations: list[Item]

    def sections(self) -> list[tuple[str, str, list[Item]]]:
        return [
            ("completions", _("Fullført opplæring"), self.completions),
            ("certifications", _("Sertifiseringer"), self.certifications),
            ("credentials", _("Kompetansebevis"), self.credentials),
            ("uploads", _("Vitnemål, kursbevis og andre dokumenter"), self.uploads),
            ("prior_learning", _("Realkompetanse"), self.prior_learning),
            ("educations", _("Utdanning"), self.educations),
        ]

    def all_items(self) -> list[Item]:
        return [item for _key, _title, items in self.sections() for item in items]

    @property
    def current_tenant_ids(self) -> set[int]:
        today = timezone.localdate()
        return {e.organisation_id for e in self.employments if e.is_active(today)}


def certification_state(expires_on: dt.date | None, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if expires_on is None:
        return "valid"
    if expires_on < today:
        return "expired"
    if (expires_on - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    return "valid"


def employments_of(person: Person) -> list[Employment]:
    return list(
        Employment.objects.filter(person=person)
        .select_related("organisation", "unit", "position")
        .order_by("start_date", "pk")
    )


def period(employment: Employment) -> str:
    start = employment.start_date.strftime("%m.%Y")
    end = employment.end_date.strftime("%m.%Y") if employment.end_date else _("nå")
    return f"{start}–{end}"


class _Origins:
    """Finds the employment a record arose in."""

    def __init__(self, employments: list[Employment]) -> None:
        self.employments = employments
        self.today = timezone.localdate()

    def of_employment(self, employment: Employment) -> Origin:
        return Origin(
            label=f"{employment.organisation.name}, {employment.unit.name} ({period(employment)})",
            tenant_id=employment.organisation_id,
            employment_id=employment.pk,
            current=employment.is_active(self.today),
        )

    def on(self, day: dt.date | None, tenant_id: int | None = None) -> Origin:
        if day is not None:
            candidates = [
                e
                for e in self.employments
                if e.start_date <= day
                and (e.end_date is None or e.end_date >= day)
                and (tenant_id is None or e.organisation_id == tenant_id)
            ]
            if candidates:
                return self.of_employment(candidates[-1])
        if tenant_id is not None:
            # Arose with this employer outside any employment period (e.g. before starting).
            same = [e for e in self.employments if e.organisation_id == tenant_id]
            if same:
                origin = self.of_employment(same[-1])
                return Origin(
                    label=same[-1].organisation.name,
                    tenant_id=tenant_id,
                    current=origin.current,
                )
        return Origin(label=_("Utenom ansettelsesforhold"))


def _own_origin() -> Origin:
    return Origin(label=_("Registrert av deg"), own=True)


def completion_model() -> Any:
    """The learning app's Completion model, or None while that app has none."""
    try:
        return apps.get_model("learning", "Completion")
    except LookupError:
        return None


def completions_of(person: Person) -> QuerySet[Any] | list[Any]:
    model = completion_model()
    if model is None:
        return []
    related = [
        name for name in ("path", "path__tenant", "offering", "offering__provider") if _has_path(model, name)
    ]
    queryset = model.objects.filter(person=person)
    if _has_path(model, "step"):
        queryset = queryset.filter(step__isnull=True)  # paths and offerings, not single steps
    return queryset.select_related(*related).order_by("-completed_at")


def _has_path(model: Any, dotted: str) -> bool:
    for part in dotted.split("__"):
        try:
            field_ = model._meta.get_field(part)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist; the learning app may still change
            return False
        model = getattr(field_, "related_model", None)
        if model is None:
            return "__" not in dotted
    return True


def completion_title(completion: Any) -> str:
    for attr in ("path", "offering"):
        target = getattr(completion, attr, None)
        if target is not None:
            return str(getattr(target, "title", target))
    return str(getattr(completion, "title", "") or _("Fullført aktivitet"))


def completion_tenant_id(completion: Any) -> int | None:
    path = getattr(completion, "path", None)
    return getattr(path, "tenant_id", None) if path is not None else None


def credentials_of(person: Person) -> list[Any]:
    """The person's issued credentials from the credentials app (empty until it has the selector)."""
    try:
        from laeringsarena.credentials import selectors as credential_selectors
    except ImportError:
        return []
    credentials_for = getattr(credential_selectors, "credentials_for", None)
    return list(credentials_for(person)) if credentials_for else []


def shares_of(person: Person) -> list[Any]:
    try:
        from laeringsarena.credentials import selectors as credential_selectors
    except ImportError:
        return []
    shares_for = getattr(credential_selectors, "shares_for", None)
    return list(shares_for(person)) if shares_for else []


def credential_name(document: dict[str, Any]) -> str:
    subject = document.get("credentialSubject") or {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(achievement, dict) and achievement.get("name"):
        return str(achievement["name"])
    return str(document.get("name") or _("Kompetansebevis"))


def credential_issuer(document: dict[str, Any]) -> str:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        return str(issuer.get("name") or issuer.get("id") or "")
    return str(issuer or "")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def account_of(person: Person) -> Account:
    """Everything in the person's learning account, across all employments past and present."""
    today = timezone.localdate()
    employments = employments_of(person)
    origins = _Origins(employments)
    entries = {
        (e.kind, e.education_id or e.certification_id or e.prior_learning_id): e
        for e in OwnEntry.objects.filter(person=person)
    }
    uploads = list(Upload.objects.filter(person=person))
    evidence: dict[tuple[str, int], list[Upload]] = {}
    for upload in uploads:
        for kind in ("certification", "education", "prior_learning"):
            target = getattr(upload, f"{kind}_id")
            if target:
                evidence.setdefault((kind, target), []).append(upload)

    completions = []
    for completion in completions_of(person):
        day = _date(getattr(completion, "completed_at", None))
        score = getattr(completion, "score", None)
        parts = [str(getattr(completion, "provider", "") or "")]
        if score is not None:
            parts.append(_("Resultat %(score)s %%") % {"score": round(score * 100)})
        enrolment = getattr(completion, "enrolment", None)
        if enrolment is not None and getattr(enrolment, "mandatory", False):
            parts.append(_("Obligatorisk"))
        completions.append(
            Item(
                kind="completion",
                pk=completion.pk,
                title=completion_title(completion),
                detail=" · ".join(p for p in parts if p),
                date=day,
                origin=origins.on(day, completion_tenant_id(completion)),
                record=completion,
            )
        )

    certifications = []
    for certification in Certification.objects.filter(person=person).select_related("requirement"):
        entry = entries.get(("certification", certification.pk))
        if entry is not None:
            origin = _own_origin()
        else:
            tenant_id = certification.requirement.tenant_id if certification.requirement else None
            origin = origins.on(certification.issued_on, tenant_id)
        detail = certification.issuer
        if certification.expires_on:
            detail = (
                _("%(issuer)s · gyldig til %(date)s")
                % {"issuer": certification.issuer, "date": certification.expires_on.strftime("%d.%m.%Y")}
            ).lstrip(" ·")
        certifications.append(
            Item(
                kind="certification",
                pk=certification.pk,
                title=certification.name,
                detail=detail,
                date=certification.issued_on,
                origin=origin,
                state=certification_state(certification.expires_on, today),
                record=certification,
                uploads=evidence.get(("certification", certification.pk), []),
                visible_to_employer=entry.visible_to_employer if entry else False,
            )
        )

    educations = []
    for education in Education.objects.filter(person=person):
        entry = entries.get(("education", education.pk))
        parts = [education.get_level_display(), education.institution]
        if education.credits:
            parts.append(_("%(credits)s studiepoeng") % {"credits": f"{education.credits:g}"})
        educations.append(
            Item(
                kind="education",
                pk=education.pk,
                title=education.field,
                detail=" · ".join(p for p in parts if p),
                date=dt.date(education.completed_year, 6, 30) if education.completed_year else None,
                origin=_own_origin()
                if entry
                else Origin(label=_("Registrert av arbeidsgiver"), current=True),
                record=education,
                uploads=evidence.get(("education", education.pk), []),
                visible_to_employer=entry.visible_to_employer if entry else False,
            )
        )

    prior = []
    for learning in PriorLearning.objects.filter(person=person).select_related("competence"):
        entry = entries.get(("prior_learning", learning.pk))
        prior.append(
            Item(
                kind="prior_learning",
                pk=learning.pk,
                title=learning.description,
                detail=" · ".join(p for p in (learning.evidence, str(learning.competence or "")) if p),
                date=learning.recorded_on,
                origin=_own_origin() if entry else origins.on(learning.recorded_on),
                record=learning,
                uploads=evidence.get(("prior_learning", learning.pk), []),
                visible_to_employer=entry.visible_to_employer if entry else False,
            )
        )

    credentials = []
    for credential in credentials_of(person):
        document = getattr(credential, "document", {}) or {}
        credentials.append(
            Item(
                kind="credential",
                pk=getattr(credential, "pk", None) or document.get("id"),
                title=credential_name(document),
                detail=credential_issuer(document),
                date=_date(document.get("validFrom") or document.get("issuanceDate")),
                origin=Origin(label=credential_issuer(document) or _("Utsteder ukjent")),
                state=str(getattr(credential, "status", "")),
                record=credential,
            )
        )

    upload_items = [
        Item(
            kind="upload",
            pk=upload.pk,
            title=upload.title,
            detail=" · ".join(p for p in (upload.get_kind_display(), upload.issuer) if p),
            date=upload.issued_on or timezone.localtime(upload.uploaded_at).date(),
            origin=_own_origin(),
            record=upload,
            uploads=[upload],
            visible_to_employer=upload.visible_to_employer,
        )
        for upload in uploads
    ]
    return Account(
        person=person,
        employments=employments,
        completions=completions,
        certifications=certifications,
        credentials=credentials,
        uploads=upload_items,
        prior_learning=prior,
        educations=educations,
    )


def employer_view(account: Account, tenant_ids: set[int]) -> Account:
    """What a current employer (the given municipalities) sees of the account.

    Records that arose in an employment with one of those employers; education the employer
    registered; and what the person chose to make visible to employers. Never records from
    another (former) employer, and never the person's credentials (those they share by link).
    """
    current = account.current_tenant_ids & tenant_ids
    if not current:
        return Account(account.person, [], [], [], [], [], [], [])

    def visible(item: Item) -> bool:
        if item.origin.own:
            return item.visible_to_employer
        if item.kind == "education":
            return True
        return item.origin.tenant_id in current

    return Account(
        person=account.person,
        employments=[e for e in account.employments if e.organisation_id in current],
        completions=[i for i in account.completions if visible(i)],
        certifications=[i for i in account.certifications if visible(i)],
        credentials=[],
        uploads=[i for i in account.uploads if visible(i)],
        prior_learning=[i for i in account.prior_learning if visible(i)],
        educations=[i for i in account.educations if visible(i)],
    )
