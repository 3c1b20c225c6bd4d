"""Handing a debrief's outcomes on to the apps that own them (through their services only).

- ``plan_item`` with a responsible member: an item ("oppgave i jobben") in that person's
  development plan (:func:`laeringsarena.plans.services.add_item`). Added by the person
  themself it is a wish their leader decides on (the plans app's rule); added by their leader
  or HR it is planned at once. Anyone else leaves it waiting for the person, who adds it from
  the debrief or from «Refleksjon og nettverk».
- ``plan_item`` without a responsible member: a measure in the unit's competence plan for the
  current period (:func:`laeringsarena.plans.services.add_measure`), by someone who may edit it.
- ``improvement_case``: a PDCA improvement case in the quality system. On a debrief linked to a
  deviation it is opened on that deviation
  (:func:`laeringsarena.quality.services.open_improvement_case`) by someone who handles it;
  otherwise for the group's unit (or the recorder's own)
  (:func:`laeringsarena.quality.services.open_improvement_case_for_unit`) by its leaders or the
  municipality's quality managers.
- ``procedure_change``: for a named procedure, someone who may edit it (its owner, the quality
  managers) starts a revision (:func:`laeringsarena.quality.procedures.move`); anyone else
  employed in the municipality files a change request
  (:func:`laeringsarena.quality.procedures.request_change`, source ``debrief:<id>``), which the
  owner (or, without one or without a named procedure, the quality managers) is told of by
  e-mail and accepts or declines in the quality system. Only the outcome's description is sent,
  never the debrief's answers.

An outcome that cannot be handed on by the person recording it keeps a note saying what it
waits for, and any member may hand it on later (:func:`hand_on`). Handing on happens once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.community import access
from laeringsarena.community.models import DebriefOutcome, LinkKind, OutcomeKind
from laeringsarena.community.services import main_employment
from laeringsarena.core.errors import Conflict, LaeringsarenaError, NotFound, PermissionDenied

if TYPE_CHECKING:
    from laeringsarena.community.access import AnyUser
    from laeringsarena.organisations.models import Organisation


def _source(outcome: DebriefOutcome) -> str:
    return _("Fra gjennomgangen «%(title)s» i %(group)s.") % {
        "title": outcome.debrief.title,
        "group": outcome.debrief.group.name,
    }


def _done(outcome: DebriefOutcome, user: AnyUser, target_type: str, target_id: int, note: str = "") -> None:
    outcome.target_type, outcome.target_id = target_type, target_id
    outcome.handed_over_at, outcome.handed_over_by = timezone.now(), access.person_of(user)
    outcome.handover_note = note[:300]


def _to_person_plan(user: AnyUser, outcome: DebriefOutcome) -> None:
    from laeringsarena.plans import access as plans_access
    from laeringsarena.plans import services as plans
    from laeringsarena.plans.models import ItemKind

    person = outcome.responsible
    assert person is not None
    try:
        plans_access.require_plan_editor(user, person.pk)
    except LaeringsarenaError:
        outcome.handover_note = _("Venter på at %(name)s legger det i utviklingsplanen sin.") % {
            "name": person.full_name
        }
        return
    item = plans.add_item(
        user,
        person,
        kind=ItemKind.ON_THE_JOB,
        title=outcome.description,
        goal=_source(outcome),
        due_on=outcome.due_date,
    )
    _done(outcome, user, "plan_item", item.pk)


def _to_unit_plan(user: AnyUser, outcome: DebriefOutcome) -> None:
    from laeringsarena.plans import access as plans_access
    from laeringsarena.plans import services as plans
    from laeringsarena.plans.models import CompetencePlan

    unit = _outcome_unit(user, outcome)
    if unit is None:
        outcome.handover_note = _("Velg en ansvarlig, eller legg det inn fra en enhet med kompetanseplan.")
        return
    today = timezone.localdate()
    plan = (
        CompetencePlan.objects.filter(organisation=unit, period_start__lte=today, period_end__gte=today)
        .order_by("-period_start")
        .first()
    )
    if plan is None:
        outcome.handover_note = _("%(unit)s har ingen kompetanseplan for perioden ennå.") % {
            "unit": unit.name
        }
        return
    if not plans_access.can_edit_competence_plan(user, plan):
        outcome.handover_note = _("Venter på at lederen legger det i kompetanseplanen for %(unit)s.") % {
            "unit": unit.name
        }
        return
    measure = plans.add_measure(
        user,
        plan,
        {"title": outcome.description, "due_on": outcome.due_date, "milestone": _source(outcome)[:300]},
    )
    _done(outcome, user, "measure", measure.pk)


def _outcome_unit(user: AnyUser, outcome: DebriefOutcome) -> Organisation | None:
    """The unit an outcome belongs to: the group's unit, else the recorder's own unit."""
    unit = outcome.debrief.group.unit
    if unit is None:
        employment = main_employment(access.person_of(user))
        unit = employment.unit if employment else None
    return unit


def _to_improvement_case(user: AnyUser, outcome: DebriefOutcome) -> None:
    from laeringsarena.quality import services as quality

    debrief = outcome.debrief
    if debrief.link_kind == LinkKind.DEVIATION and debrief.link_id:
        try:
            case = quality.open_improvement_case(
                user,  # type: ignore[arg-type]
                [debrief.link_id],
                title=outcome.description[:200],
                goal=outcome.description,
                measures=_source(outcome),
                responsible_id=outcome.responsible_id,
                started_on=timezone.localdate(),
            )
        except NotFound:
            outcome.handover_note = _("Venter på at en som behandler avviket, oppretter forbedringssaken.")
            return
        _done(outcome, user, "improvement_case", case.pk)
        return
    unit = _outcome_unit(user, outcome)
    if unit is None:
        outcome.handover_note = _("Legg det inn fra en enhet, så kan lederen opprette forbedringssaken.")
        return
    try:
        case = quality.open_improvement_case_for_unit(
            user,  # type: ignore[arg-type]
            unit.pk,
            title=outcome.description[:200],
            goal=outcome.description,
            measures=_source(outcome),
            responsible_id=outcome.responsible_id,
        )
    except (NotFound, PermissionDenied):
        outcome.handover_note = _(
            "Venter på at en leder for %(unit)s eller en kvalitetsleder oppretter forbedringssaken."
        ) % {"unit": unit.name}
        return
    _done(outcome, user, "improvement_case", case.pk)


def _to_procedure(user: AnyUser, outcome: DebriefOutcome) -> None:
    from laeringsarena.quality import procedures
    from laeringsarena.quality.models import DocumentState

    document = None
    if outcome.procedure_id:
        try:
            document = procedures.access_document(user, outcome.procedure_id)
        except NotFound:
            outcome.handover_note = _("Venter på at en som kan lese prosedyren, sender forslaget.")
            return
    if document is not None and (
        procedures.can_manage(user, document.tenant) or document.owner_id == getattr(user, "person_id", None)
    ):
        if document.state == DocumentState.PUBLISHED:
            procedures.move(user, document, DocumentState.FOR_REVISION)
        _done(
            outcome,
            user,
            "procedure_revision",
            document.pk,
            _("Revisjon av «%(title)s» er startet.") % {"title": document.title},
        )
        return
    tenant = document.tenant if document is not None else outcome.debrief.group.tenant
    try:
        request = procedures.request_change(
            user,
            tenant=tenant,
            document=document,
            text=outcome.description,
            source=f"debrief:{outcome.debrief_id}",
        )
    except NotFound:
        outcome.handover_note = _("Venter på at en ansatt i %(tenant)s sender forslaget.") % {
            "tenant": tenant.name
        }
        return
    recipients = procedures.change_request_recipients(tenant, document)
    note = (
        _("Forslaget er sendt til %(names)s.") % {"names": ", ".join(p.full_name for p in recipients)}
        if recipients
        else _("Forslaget er registrert og venter på en kvalitetsleder.")
    )
    _done(outcome, user, "change_request", request.pk, note)


def try_hand_on(user: AnyUser, outcome: DebriefOutcome) -> DebriefOutcome:
    """Hand the outcome on if this user may; otherwise note what it waits for. Saves it."""
    if outcome.handed_over:
        return outcome
    outcome.handover_note = ""
    if outcome.kind == OutcomeKind.PLAN_ITEM:
        (_to_person_plan if outcome.responsible_id else _to_unit_plan)(user, outcome)
    elif outcome.kind == OutcomeKind.IMPROVEMENT_CASE:
        _to_improvement_case(user, outcome)
    elif outcome.kind == OutcomeKind.PROCEDURE_CHANGE:
        _to_procedure(user, outcome)
    outcome.save(
        update_fields=["target_type", "target_id", "handed_over_at", "handed_over_by", "handover_note"]
    )
    return outcome


@transaction.atomic
def hand_on(user: AnyUser, outcome_id: int) -> DebriefOutcome:
    """A member (e.g. the responsible person, or a leader who may) hands a waiting outcome on."""
    outcome = (
        DebriefOutcome.objects.select_for_update(of=("self",))
        .filter(pk=outcome_id)
        .select_related("debrief", "debrief__group", "responsible")
        .first()
    )
    if outcome is None:
        raise NotFound()
    access.access_debrief(user, outcome.debrief_id)
    if outcome.handed_over:
        raise Conflict(_("Oppfølgingen er allerede sendt videre."))
    return try_hand_on(user, outcome)


def target_url(outcome: DebriefOutcome) -> str:
    """Where the handed-on object lives (for the people who may open it there)."""
    if outcome.target_type == "plan_item":
        return reverse("plans:person_plan", args=[outcome.responsible_id]) if outcome.responsible_id else ""
    if outcome.target_type == "measure":
        from laeringsarena.plans.models import Measure

        measure = Measure.objects.filter(pk=outcome.target_id or 0).first()
        return reverse("plans:competence_plan", args=[measure.plan_id]) if measure else ""
    if outcome.target_type == "improvement_case":
        return reverse("quality:improvement_case", args=[outcome.target_id])
    if outcome.target_type == "change_request":
        return reverse("quality:change_requests")
    # ``procedure_request`` is what e-mailed requests were recorded as before change requests
    # were kept in the quality system (its id is the procedure's).
    if outcome.target_type in ("procedure_revision", "procedure_request") and outcome.target_id:
        return reverse("quality:document", args=[outcome.target_id])
    return ""
