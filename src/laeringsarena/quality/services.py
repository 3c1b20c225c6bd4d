"""Deviation reporting and handling: the only write path. Every step is logged as an event.

Anonymous reports store nothing about the reporter: no person in the row, no actor on the
"reported" event, no read-log entry, the time of reporting kept to the day only, and no
e-mail to or about the reporter.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from laeringsarena.core.tasks import notify
from laeringsarena.organisations.models import Organisation, OrganisationKind
from laeringsarena.people.models import Employment, Person
from laeringsarena.quality import access, attachments
from laeringsarena.quality.models import (
    OPEN_STATES,
    AgendaItem,
    Deviation,
    DeviationAttachment,
    DeviationCategory,
    DeviationEvent,
    DeviationRead,
    ImprovementCase,
    LearningAssignment,
    Severity,
    State,
)
from laeringsarena.quality.pii import Finding, find_identifiers

if TYPE_CHECKING:
    from laeringsarena.accounts.models import User

logger = logging.getLogger(__name__)

# (slug, name, HMS?, deadline in days)
DEFAULT_CATEGORIES: tuple[tuple[str, str, bool, int], ...] = (
    ("tjenesteutforelse", "Tjenesteutførelse", False, 14),
    ("legemidler", "Legemidler", False, 7),
    ("fall-brukerskade", "Fall/brukerskade", False, 7),
    ("hms-arbeidsmiljo", "HMS/arbeidsmiljø", True, 14),
    ("informasjonssikkerhet-personvern", "Informasjonssikkerhet/personvern", False, 3),
    ("brann-beredskap", "Brann/beredskap", True, 7),
    ("annet", "Annet", False, 21),
)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.RECEIVED: (State.UNDER_TREATMENT, State.REJECTED),
    State.UNDER_TREATMENT: (State.MEASURES_DECIDED, State.REJECTED),
    State.MEASURES_DECIDED: (State.CLOSED, State.UNDER_TREATMENT),
    State.CLOSED: (),
    State.REJECTED: (),
}


def ensure_categories(tenant: Organisation) -> list[DeviationCategory]:
    """The tenant's categories, creating the default set the first time."""
    existing = list(DeviationCategory.objects.filter(tenant=tenant))
    if not existing:
        DeviationCategory.objects.bulk_create(
            DeviationCategory(tenant=tenant, slug=slug, name=name, is_hms=hms, deadline_days=days, order=i)
            for i, (slug, name, hms, days) in enumerate(DEFAULT_CATEGORIES)
        )
        existing = list(DeviationCategory.objects.filter(tenant=tenant))
    return [c for c in existing if c.active]


def save_category(
    user: User,
    tenant: Organisation,
    *,
    name: str,
    default_handler_id: int | None = None,
    is_hms: bool = False,
    deadline_days: int = 14,
    category: DeviationCategory | None = None,
) -> DeviationCategory:
    """Create or change a category (quality coordinators)."""
    permissions.require(user, Permission.QUALITY_MANAGE, tenant)
    if not name.strip():
        raise InvalidInput(_("Kategorien må ha et navn."))
    handler = None
    if default_handler_id:
        handler = Person.objects.filter(pk=default_handler_id, employments__organisation=tenant).first()
        if handler is None:
            raise InvalidInput(_("Standard behandler må være ansatt i kommunen."))
    if category is None:
        category = DeviationCategory(tenant=tenant, slug=slugify(name)[:60], order=99)
    category.name = name.strip()
    category.default_handler = handler
    category.is_hms = is_hms
    category.deadline_days = deadline_days
    category.save()
    return category


# --- Reporting -------------------------------------------------------------------------------


class PersonalDataWarning(InvalidInput):
    """The free text seems to contain a national identity number or a phone number."""

    code = "personal-data"
    title = gettext_lazy("Teksten ser ut til å inneholde personopplysninger")


@dataclass
class Report:
    unit_id: int
    category_id: int
    what_happened: str
    severity: str = Severity.MEDIUM
    occurred_at: dt.datetime | None = None
    immediate_action: str = ""
    suggestion: str = ""
    anonymous: bool = False
    procedure_id: int | None = None
    acknowledge_personal_data: bool = False
    # Uploads as (file name, readable binary file); photos are cleaned of metadata.
    files: list[attachments.Upload] = field(default_factory=list)


def check_personal_data(*texts: str) -> list[Finding]:
    return find_identifiers(*texts)


def report_deviation(user: User, report: Report) -> Deviation:
    """File a deviation in a unit of the reporter's municipality."""
    permissions.require_login(user)
    unit = Organisation.objects.filter(pk=report.unit_id, kind=OrganisationKind.UNIT).first()
    if unit is None or not permissions.has_permission(user, Permission.ORGANISATION_VIEW, unit):
        raise InvalidInput(
            _("Velg en enhet i din kommune."), errors=[{"field": "unit_id", "reason": "unknown"}]
        )
    tenant = unit.tenant or unit
    if tenant.pk not in {u.tenant_id for u in access.reporting_units(user)}:
        raise PermissionDenied(_("Bare ansatte i kommunen kan melde avvik her."))
    category = DeviationCategory.objects.filter(pk=report.category_id, tenant=tenant, active=True).first()
    if category is None:
        raise InvalidInput(_("Velg en kategori."), errors=[{"field": "category_id", "reason": "unknown"}])
    if not report.what_happened.strip():
        raise InvalidInput(
            _("Beskriv hva som skjedde."), errors=[{"field": "what_happened", "reason": "required"}]
        )
    if report.severity not in Severity.values:
        raise InvalidInput(_("Ukjent alvorlighetsgrad."), errors=[{"field": "severity", "reason": "unknown"}])
    findings = check_personal_data(report.what_happened, report.immediate_action, report.suggestion)
    if findings and not report.acknowledge_personal_data:
        raise PersonalDataWarning(
            _(
                "Teksten ser ut til å inneholde et fødselsnummer eller telefonnummer. Fjern det, "
                "eller bekreft at det skal være med."
            ),
            errors=[{"field": "what_happened", "reason": f.kind, "text": f.text} for f in findings],
        )
    procedure = None
    if report.procedure_id:
        from laeringsarena.quality.models import Document

        procedure = Document.objects.filter(pk=report.procedure_id, tenant=tenant).first()
    cleaned = _check_files(report.files, existing=0, anonymous=report.anonymous)
    now = timezone.now()
    created_at = now
    if report.anonymous:
        # The exact minute could be matched against access logs; keep the day only.
        local = timezone.localtime(now)
        created_at = local.replace(hour=0, minute=0, second=0, microsecond=0)
    occurred_at = report.occurred_at or (created_at if report.anonymous else now)
    if occurred_at > now + dt.timedelta(minutes=5):
        raise InvalidInput(_("Tidspunktet kan ikke være i fremtiden."))
    stored = [
        attachments.store(
            c, f"quality/deviations/{tenant.pk}", mtime=created_at if report.anonymous else None
        )
        for c in cleaned
    ]
    try:
        with transaction.atomic():
            deviation = _file_deviation(
                user, report, tenant, unit, category, procedure, occurred_at, created_at
            )
            DeviationAttachment.objects.bulk_create(
                DeviationAttachment(
                    deviation=deviation,
                    file=name,
                    name=c.name,
                    content_type=c.content_type,
                    size=len(c.content),
                    added_by=None if report.anonymous else user.person,
                    created_at=created_at,
                )
                for c, name in zip(cleaned, stored, strict=True)
            )
    except BaseException:
        attachments.delete_quietly(stored)
        raise
    return deviation


def _check_files(
    files: list[attachments.Upload], *, existing: int, anonymous: bool
) -> list[attachments.CleanFile]:
    if existing + len(files) > attachments.DEVIATION_MAX_FILES:
        raise InvalidInput(
            _("Et avvik kan ha høyst %(n)s vedlegg.") % {"n": attachments.DEVIATION_MAX_FILES},
            errors=[{"field": "files", "reason": "too-many"}],
        )
    return [
        attachments.check_deviation_file(upload, name, anonymous=anonymous, number=existing + i + 1)
        for i, (name, upload) in enumerate(files)
    ]


def _file_deviation(
    user: User,
    report: Report,
    tenant: Organisation,
    unit: Organisation,
    category: DeviationCategory,
    procedure: Any,
    occurred_at: dt.datetime,
    created_at: dt.datetime,
) -> Deviation:
    deviation = Deviation.objects.create(
        tenant=tenant,
        unit=unit,
        category=category,
        severity=report.severity,
        what_happened=report.what_happened.strip(),
        occurred_at=occurred_at,
        immediate_action=report.immediate_action.strip(),
        suggestion=report.suggestion.strip(),
        reporter=None if report.anonymous else user.person,
        anonymous=report.anonymous,
        deadline=timezone.localdate() + dt.timedelta(days=category.deadline_days),
        procedure=procedure,
        created_at=created_at,
    )
    DeviationEvent.objects.create(
        deviation=deviation,
        kind=DeviationEvent.Kind.REPORTED,
        actor=None if report.anonymous else user.person,
        to_state=State.RECEIVED,
        at=created_at,
    )
    notify_handlers(deviation, _("Nytt avvik meldt"))
    return deviation


def add_attachments(
    user: User, deviation: Deviation, files: list[attachments.Upload]
) -> list[DeviationAttachment]:
    """Add photos or PDFs to a deviation afterwards (its reporter or a handler; open deviations)."""
    reporter = deviation.reporter_id is not None and deviation.reporter_id == user.person_id
    if not (reporter or access.can_handle(user, deviation)):
        raise PermissionDenied(_("Bare den som meldte og behandlerne kan legge til vedlegg."))
    if not deviation.is_open:
        raise Conflict(_("Avviket er avsluttet."))
    if not files:
        raise InvalidInput(_("Velg en fil."), errors=[{"field": "files", "reason": "required"}])
    cleaned = _check_files(files, existing=deviation.attachments.count(), anonymous=deviation.anonymous)
    stored = [attachments.store(c, f"quality/deviations/{deviation.tenant_id}") for c in cleaned]
    try:
        with transaction.atomic():
            now = timezone.now()
            added = [
                DeviationAttachment.objects.create(
                    deviation=deviation,
                    file=name,
                    name=c.name,
                    content_type=c.content_type,
                    size=len(c.content),
                    added_by=user.person,
                    created_at=now,
                )
                for c, name in zip(cleaned, stored, strict=True)
            ]
            _event(
                deviation,
                user,
                DeviationEvent.Kind.COMMENT,
                _("Vedlegg lagt til: %(names)s") % {"names": ", ".join(a.name for a in added)},
            )
            notify_handlers(deviation, _("Nytt vedlegg til avvik"), exclude=user)
    except BaseException:
        attachments.delete_quietly(stored)
        raise
    return added


def access_attachment(user: Any, deviation_pk: int, attachment_pk: int, what: str) -> DeviationAttachment:
    """An attachment of a deviation the user may read, else "not found"; the read is logged."""
    deviation = access.access_deviation(user, deviation_pk)
    attachment = DeviationAttachment.objects.filter(pk=attachment_pk, deviation=deviation).first()
    if attachment is None:
        raise NotFound()
    record_reads(user, [deviation], what)
    return attachment


# --- Reading ---------------------------------------------------------------------------------


def record_reads(user: Any, deviations: Iterable[Deviation], what: str) -> None:
    """Write the audit log: this user read these deviations through ``what``."""
    DeviationRead.objects.bulk_create(
        DeviationRead(deviation_id=d.pk, user_id=getattr(user, "pk", None), what=what) for d in deviations
    )


def read_deviation(user: Any, pk: int, what: str) -> Deviation:
    """Fetch a deviation for reading and log the read."""
    deviation = access.access_deviation(user, pk)
    record_reads(user, [deviation], what)
    return deviation


# --- Handling --------------------------------------------------------------------------------


def _event(deviation: Deviation, user: User, kind: str, note: str = "", **extra: str) -> DeviationEvent:
    return DeviationEvent.objects.create(
        deviation=deviation, kind=kind, actor=user.person, note=note, at=timezone.now(), **extra
    )


def transition(
    user: User,
    deviation: Deviation,
    to: str,
    *,
    note: str = "",
    measures: str = "",
    feedback: str = "",
    reason: str = "",
    deadline: dt.date | None = None,
) -> Deviation:
    """Move a deviation along received → under treatment → measures decided → closed (or rejected)."""
    if not access.can_handle(user, deviation):
        raise PermissionDenied(_("Bare behandlerne kan endre avviket."))
    if to not in TRANSITIONS.get(deviation.state, ()):
        raise Conflict(
            _("Kan ikke gå fra «%(from)s» til «%(to)s».")
            % {"from": deviation.get_state_display(), "to": dict(State.choices).get(to, to)}
        )
    if to == State.REJECTED and not reason.strip():
        raise InvalidInput(
            _("Skriv en begrunnelse for avvisningen."), errors=[{"field": "reason", "reason": "required"}]
        )
    if to == State.MEASURES_DECIDED and not (measures.strip() or deviation.measures):
        raise InvalidInput(_("Beskriv tiltakene."), errors=[{"field": "measures", "reason": "required"}])
    with transaction.atomic():
        previous = deviation.state
        deviation.state = to
        if measures.strip():
            deviation.measures = measures.strip()
        if reason.strip():
            deviation.rejection_reason = reason.strip()
        if feedback.strip():
            deviation.feedback = feedback.strip()
        if deadline:
            deviation.deadline = deadline
        if to in (State.CLOSED, State.REJECTED):
            deviation.closed_at = timezone.now()
            if not deviation.feedback:
                deviation.feedback = (
                    deviation.rejection_reason if to == State.REJECTED else deviation.measures
                )
        deviation.save()
        _event(
            deviation,
            user,
            DeviationEvent.Kind.TRANSITION,
            note.strip() or reason.strip(),
            from_state=previous,
            to_state=to,
        )
        label = dict(State.choices)[to]
        notify_handlers(deviation, _("Avvik: %(state)s") % {"state": label}, exclude=user)
        if to in (State.CLOSED, State.REJECTED):
            notify_reporter(deviation)
    return deviation


def forward(user: User, deviation: Deviation, unit_id: int, note: str = "") -> Deviation:
    """Send a deviation on to another unit in the same municipality (its leaders then handle it)."""
    if not access.can_handle(user, deviation):
        raise PermissionDenied(_("Bare behandlerne kan videresende avviket."))
    if not deviation.is_open:
        raise Conflict(_("Avviket er avsluttet."))
    unit = Organisation.objects.filter(
        pk=unit_id, tenant_id=deviation.tenant_id, kind=OrganisationKind.UNIT
    ).first()
    if unit is None:
        raise InvalidInput(
            _("Velg en enhet i samme kommune."), errors=[{"field": "unit_id", "reason": "unknown"}]
        )
    with transaction.atomic():
        deviation.forwarded_to = unit
        deviation.save(update_fields=["forwarded_to", "updated_at"])
        _event(deviation, user, DeviationEvent.Kind.FORWARDED, note or unit.name)
        notify_handlers(deviation, _("Avvik videresendt til %(unit)s") % {"unit": unit.name}, exclude=user)
    return deviation


def link(
    user: User, deviation: Deviation, *, procedure_id: int | None, related_ids: Iterable[int]
) -> Deviation:
    """Point a deviation to the procedure that was broken and to related deviations (a cluster)."""
    if not access.can_handle(user, deviation):
        raise PermissionDenied()
    from laeringsarena.quality.models import Document

    procedure = None
    if procedure_id:
        procedure = Document.objects.filter(pk=procedure_id, tenant_id=deviation.tenant_id).first()
        if procedure is None:
            raise InvalidInput(
                _("Ukjent prosedyre."), errors=[{"field": "procedure_id", "reason": "unknown"}]
            )
    ids = [i for i in dict.fromkeys(related_ids) if i != deviation.pk]
    related = list(access.handled_deviations(user).filter(pk__in=ids))
    if len(related) != len(ids):
        raise InvalidInput(_("Du kan bare koble til avvik du selv behandler."))
    with transaction.atomic():
        deviation.procedure = procedure
        deviation.save(update_fields=["procedure", "updated_at"])
        deviation.related.add(*related)
        note = ", ".join(f"#{d.pk}" for d in related) or (procedure.title if procedure else "")
        _event(deviation, user, DeviationEvent.Kind.COMMENT, _("Koblet: %(n)s") % {"n": note})
    return deviation


def escalation_days() -> int:
    """Days an escalated deviation may stay open before it goes one level further up."""
    return int(getattr(settings, "QUALITY_ESCALATION_DAYS", 7))


def escalate_overdue(today: dt.date | None = None) -> int:
    """Escalate open deviations past their deadline up the chain; returns the number of steps.

    The first step goes to the superior (the sector's leaders) the day after the deadline. If the
    deviation is still open :func:`escalation_days` days after a step, it goes to the next level
    (the municipality's leadership), and so on to the top; each level once per missed deadline.
    Levels without a leader are passed over. Every step is an ``escalated`` event and an e-mail
    to that level's leaders, who join the handler chain. A new deadline that is missed again
    starts over with the superior.
    """
    day = today or timezone.localdate()
    overdue = Deviation.objects.filter(state__in=OPEN_STATES, deadline__lt=day).select_related(
        "unit", "forwarded_to", "category", "escalated_to"
    )
    step = dt.timedelta(days=escalation_days())
    count = 0
    for deviation in overdue:
        if deviation.escalated_for == deviation.deadline:
            if deviation.escalated_on is None or day < deviation.escalated_on + step:
                continue
            level = deviation.escalation_level + 1
        else:
            level = 1
        target = _escalation_target(deviation.responsible_unit, level)
        if target is None:
            continue  # already at the top
        level, node, leaders = target
        with transaction.atomic():
            updated = Deviation.objects.filter(
                pk=deviation.pk,
                escalated_for=deviation.escalated_for,
                escalation_level=deviation.escalation_level,
            ).update(
                escalated_for=deviation.deadline,
                escalation_level=level,
                escalated_on=day,
                escalated_to=_higher(deviation.escalated_to, node),
            )
            if not updated:
                continue
            deviation.refresh_from_db()
            DeviationEvent.objects.create(
                deviation=deviation,
                kind=DeviationEvent.Kind.ESCALATED,
                note=_("Fristen %(date)s er passert. Eskalert til %(node)s (nivå %(level)s).")
                % {
                    "date": deviation.deadline.isoformat() if deviation.deadline else "",
                    "node": node.name,
                    "level": level,
                },
                at=timezone.now(),
            )
            _mail(leaders, _("Avvik over fristen"), deviation)
        count += 1
    return count


def _escalation_target(unit: Organisation, level: int) -> tuple[int, Organisation, list[Person]] | None:
    """The ``level``-th node above the units (1 = the superior) that has leaders, with them."""
    levels = access.escalation_levels(unit)
    for number in range(level, len(levels) + 1):
        node, leaders = levels[number - 1]
        if leaders:
            return number, node, leaders
    return None


def _higher(current: Organisation | None, node: Organisation) -> Organisation:
    """The higher of two nodes on the same branch (escalation never lowers who has access)."""
    if current is None or len(node.path) < len(current.path):
        return node
    return current


# --- Notifications ---------------------------------------------------------------------------


def _link(deviation: Deviation) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse("quality:deviation", args=[deviation.pk])


def _mail(people: Iterable[Person], subject: str, deviation: Deviation) -> None:
    """Tell handlers about a deviation. The e-mail holds no details and never the reporter."""
    body = _(
        "%(subject)s\n\nAvvik #%(id)s\nEnhet: %(unit)s\nKategori: %(category)s\nAlvorlighet: %(severity)s\n"
        "Status: %(state)s\n\nLes og behandle avviket i Læringsarena: %(link)s\n"
    ) % {
        "subject": subject,
        "id": deviation.pk,
        "unit": deviation.responsible_unit.name,
        "category": deviation.category.name,
        "severity": deviation.get_severity_display(),
        "state": deviation.get_state_display(),
        "link": _link(deviation),
    }
    # One message per recipient: a shared To: line would tell every handler who else handles it.
    for address in sorted({p.email for p in people if p.email}):
        notify([address], f"[Læringsarena] {subject} (#{deviation.pk})", body)


def notify_handlers(deviation: Deviation, subject: str, exclude: User | None = None) -> None:
    people = [p for p in access.handlers(deviation) if not exclude or p.pk != exclude.person_id]
    _mail(people, subject, deviation)


def notify_reporter(deviation: Deviation) -> None:
    """Feedback to the reporter when the deviation is closed. Anonymous reporters get nothing."""
    if deviation.anonymous or deviation.reporter is None or not deviation.reporter.email:
        return
    body = _(
        "Avviket du meldte (#%(id)s, %(category)s) er %(state)s.\n\nTilbakemelding:\n%(feedback)s\n\n"
        "Takk for at du meldte. Se mer: %(link)s\n"
    ) % {
        "id": deviation.pk,
        "category": deviation.category.name,
        "state": deviation.get_state_display().lower(),
        "feedback": deviation.feedback,
        "link": _link(deviation),
    }
    notify([deviation.reporter.email], _("[Læringsarena] Tilbakemelding på avviket ditt"), body)


# --- From deviation to learning --------------------------------------------------------------


def _handled(user: User, deviation_ids: Iterable[int]) -> list[Deviation]:
    ids = list(dict.fromkeys(deviation_ids))
    found = list(access.handled_deviations(user).filter(pk__in=ids).select_related("unit", "category"))
    if not ids or len(found) != len(ids):
        raise NotFound()
    return found


def assign_refresher(
    user: User,
    deviation_ids: Iterable[int],
    *,
    title: str,
    url: str = "",
    person_id: int | None = None,
    unit_id: int | None = None,
    position_id: int | None = None,
    due_date: dt.date | None = None,
    offering_id: int | None = None,
) -> LearningAssignment:
    """Assign a refresher (a catalogue offering, or a title and link) to a person, a unit or a
    position because of deviations."""
    deviations = _handled(user, deviation_ids)
    tenant_id = deviations[0].tenant_id
    offering = None
    if offering_id:
        from laeringsarena.catalogue import access as catalogue_access

        try:
            offering = catalogue_access.access_offering(user, offering_id)
        except NotFound as err:
            raise InvalidInput(
                _("Ukjent tilbud."), errors=[{"field": "offering_id", "reason": "unknown"}]
            ) from err
        title = title.strip() or offering.title
        url = url.strip() or reverse("catalogue:offering", args=[offering.pk])
    if not title.strip():
        raise InvalidInput(
            _("Gi oppfriskningen en tittel."), errors=[{"field": "title", "reason": "required"}]
        )
    if not (person_id or unit_id or position_id):
        raise InvalidInput(
            _("Velg hvem oppfriskningen gjelder."), errors=[{"field": "person_id", "reason": "required"}]
        )
    person = unit = None
    if person_id:
        person = permissions.people(user).filter(pk=person_id).first()
        if person is None:
            raise InvalidInput(_("Ukjent person."), errors=[{"field": "person_id", "reason": "unknown"}])
    if unit_id:
        unit = Organisation.objects.filter(pk=unit_id, tenant_id=tenant_id).first()
        if unit is None or not permissions.has_permission(user, Permission.PEOPLE_VIEW, unit):
            raise InvalidInput(_("Ukjent enhet."), errors=[{"field": "unit_id", "reason": "unknown"}])
    with transaction.atomic():
        assignment = LearningAssignment.objects.create(
            tenant_id=tenant_id,
            offering=offering,
            title=title.strip(),
            url=url.strip(),
            person=person,
            unit=unit,
            position_id=position_id or None,
            due_date=due_date,
            assigned_by=user.person,
        )
        assignment.deviations.set(deviations)
        for deviation in deviations:
            _event(
                deviation,
                user,
                DeviationEvent.Kind.LEARNING,
                _("Oppfriskning tildelt: %(t)s") % {"t": assignment.title},
            )
    return assignment


def learning_for(person: Person) -> list[LearningAssignment]:
    """Refreshers assigned to a person directly, to their unit(s) or their position."""
    from django.db.models import Q

    from laeringsarena.people.models import Employment

    employments = list(Employment.objects.active().filter(person=person).select_related("unit"))
    query = Q(person=person)
    for employment in employments:
        ancestors = [int(p) for p in employment.unit.path.strip("/").split("/") if p]
        query |= Q(person__isnull=True, unit_id__in=ancestors, position__isnull=True)
        query |= Q(person__isnull=True, unit_id__in=ancestors, position_id=employment.position_id)
        query |= Q(
            person__isnull=True,
            unit__isnull=True,
            position_id=employment.position_id,
            tenant_id=employment.organisation_id,
        )
    return list(LearningAssignment.objects.filter(query).distinct()[:50])


def add_to_agenda(
    user: User,
    deviation_ids: Iterable[int],
    *,
    meeting_date: dt.date,
    discussion_guide: str,
    unit_id: int | None = None,
) -> AgendaItem:
    deviations = _handled(user, deviation_ids)
    unit = deviations[0].responsible_unit
    if unit_id:
        unit = access_led_unit(user, unit_id)
    if not discussion_guide.strip():
        raise InvalidInput(
            _("Skriv en samtaleguide."), errors=[{"field": "discussion_guide", "reason": "required"}]
        )
    with transaction.atomic():
        item = AgendaItem.objects.create(
            unit=unit,
            meeting_date=meeting_date,
            discussion_guide=discussion_guide.strip(),
            created_by=user.person,
        )
        item.deviations.set(deviations)
        for deviation in deviations:
            _event(
                deviation,
                user,
                DeviationEvent.Kind.LEARNING,
                _("Satt på møte %(date)s") % {"date": meeting_date.isoformat()},
            )
    return item


def access_agenda_item(user: Any, pk: int) -> AgendaItem:
    """An agenda item about deviations the user handles."""
    item = AgendaItem.objects.filter(pk=pk).first()
    if item is None or not access.handled_deviations(user).filter(agenda_items=item).exists():
        raise NotFound()
    return item


def record_conclusion(user: User, item_id: int, conclusion: str) -> AgendaItem:
    item = access_agenda_item(user, item_id)
    item.conclusion = conclusion.strip()
    item.save(update_fields=["conclusion"])
    return item


def access_led_unit(user: User, unit_id: int) -> Organisation:
    unit = permissions.access_organisation(user, unit_id, Permission.PEOPLE_VIEW)
    if not any(unit.path.startswith(n.path) for n in access._handler_nodes(user)):
        raise PermissionDenied()
    return unit


def open_improvement_case(
    user: User,
    deviation_ids: Iterable[int],
    *,
    title: str,
    goal: str,
    measures: str,
    responsible_id: int | None = None,
    started_on: dt.date | None = None,
) -> ImprovementCase:
    deviations = _handled(user, deviation_ids)
    if not (title.strip() and goal.strip() and measures.strip()):
        raise InvalidInput(_("Fyll ut tittel, mål og tiltak."))
    responsible = user.person
    if responsible_id:
        responsible = permissions.people(user).filter(pk=responsible_id).first()
        if responsible is None:
            raise InvalidInput(
                _("Ukjent ansvarlig."), errors=[{"field": "responsible_id", "reason": "unknown"}]
            )
    with transaction.atomic():
        case = ImprovementCase.objects.create(
            unit=deviations[0].responsible_unit,
            category=deviations[0].category,
            title=title.strip(),
            goal=goal.strip(),
            measures=measures.strip(),
            responsible=responsible,
            started_on=started_on or timezone.localdate(),
            created_by=user.person,
        )
        case.deviations.set(deviations)
        for deviation in deviations:
            _event(
                deviation, user, DeviationEvent.Kind.LEARNING, _("Forbedringssak: %(t)s") % {"t": case.title}
            )
    return case


def open_improvement_case_for_unit(
    user: User,
    unit_id: int,
    *,
    title: str,
    goal: str,
    measures: str,
    category_id: int | None = None,
    responsible_id: int | None = None,
    started_on: dt.date | None = None,
) -> ImprovementCase:
    """A forbedringssak for a unit without a deviation behind it (e.g. from a debrief).

    For the unit's leaders (and those above them) and the municipality's quality managers.
    Another municipality's unit is "not found"; one's own but not allowed is "forbidden".
    """
    permissions.require_login(user)
    unit = Organisation.objects.select_related("tenant").filter(pk=unit_id).first()
    if unit is None or unit.tenant is None:
        raise NotFound()
    if not permissions.tenants(user).filter(pk=unit.tenant.pk).exists():
        raise NotFound()
    leads = any(unit.path.startswith(n.path) for n in access._handler_nodes(user))
    if not (leads or permissions.has_permission(user, Permission.QUALITY_MANAGE, unit.tenant)):
        raise PermissionDenied()
    if not (title.strip() and goal.strip() and measures.strip()):
        raise InvalidInput(_("Fyll ut tittel, mål og tiltak."))
    category = None
    if category_id:
        category = DeviationCategory.objects.filter(pk=category_id, tenant=unit.tenant).first()
        if category is None:
            raise InvalidInput(_("Ukjent kategori."), errors=[{"field": "category_id", "reason": "unknown"}])
    responsible = user.person
    if responsible_id:
        responsible = (
            Person.objects.filter(
                pk=responsible_id,
                pk__in=Employment.objects.active().filter(organisation=unit.tenant).values("person_id"),
            ).first()
            or permissions.people(user).filter(pk=responsible_id).first()
        )
        if responsible is None:
            raise InvalidInput(
                _("Ukjent ansvarlig."), errors=[{"field": "responsible_id", "reason": "unknown"}]
            )
    return ImprovementCase.objects.create(
        unit=unit,
        category=category,
        title=title.strip()[:200],
        goal=goal.strip(),
        measures=measures.strip(),
        responsible=responsible,
        started_on=started_on or timezone.localdate(),
        created_by=user.person,
    )


def update_improvement_case(
    user: User, case: ImprovementCase, *, phase: str, evaluation: str = ""
) -> ImprovementCase:
    if phase not in ImprovementCase.Phase.values:
        raise InvalidInput(_("Ukjent fase."))
    case.phase = phase
    if evaluation.strip():
        case.evaluation = evaluation.strip()
    case.save(update_fields=["phase", "evaluation"])
    return case


def access_improvement_case(user: User, pk: int) -> ImprovementCase:
    case = (
        ImprovementCase.objects.select_related("unit", "unit__tenant", "category", "responsible")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound()
    if any(case.unit.path.startswith(n.path) for n in access._handler_nodes(user)):
        return case
    if case.unit.tenant is not None and permissions.has_permission(
        user, Permission.QUALITY_MANAGE, case.unit.tenant
    ):
        return case
    raise NotFound()


def rate_before_after(case: ImprovementCase, months: int = 6) -> dict[str, float]:
    """Deviations per month in the case's category and unit, the months before and after it started."""
    start = case.started_on
    before_start = start - dt.timedelta(days=30 * months)
    today = timezone.localdate()
    after_end = min(today, start + dt.timedelta(days=30 * months))
    base = Deviation.objects.filter(unit__path__startswith=case.unit.path)
    if case.category_id:
        base = base.filter(category_id=case.category_id)
    before = base.filter(occurred_at__date__gte=before_start, occurred_at__date__lt=start).count()
    after = base.filter(occurred_at__date__gte=start, occurred_at__date__lt=after_end).count()
    after_months = max((after_end - start).days / 30, 0)
    return {
        "before": round(before / months, 1),
        "after": round(after / after_months, 1) if after_months >= 1 else float("nan"),
        "after_months": round(after_months, 1),
    }
