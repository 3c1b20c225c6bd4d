"""The one place where step and path completions are recorded (idempotent).

Every way a step gets finished ends in :func:`complete_step`: xAPI statements arriving in the
LRS (from our hosted module player, from external tools and from cmi5, through
:func:`apply_statements`, connected to ``lrs.signals.statements_stored``), attendance registered
by a path manager, a supervisor's klarsignal, a submitted reflection and a CSV import. When the
last required step of an enrolment is finished the path is completed here too: the path
completion, the certificate (with its validity) when the path grants one, and the
``completion_recorded`` signal after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from laeringsarena.learning import certification
from laeringsarena.learning.models import (
    Completion,
    CompletionSource,
    Enrolment,
    EnrolmentSource,
    LearningPath,
    PathStatus,
    Step,
    StepKind,
)
from laeringsarena.learning.signals import completion_recorded

logger = logging.getLogger(__name__)

VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
COMPLETING_VERBS = {VERB_COMPLETED, VERB_PASSED, VERB_SATISFIED}


def requires_passing(step: Step) -> bool:
    """A hosted module with quiz questions is finished only when passed, not merely completed."""
    return (
        step.kind == StepKind.MODULE
        and step.module_id is not None
        and step.module is not None
        and (step.module.pages.filter(questions__isnull=False).exists())
    )


def _send_after_commit(completion: Completion) -> None:
    transaction.on_commit(lambda: completion_recorded.send(sender=Completion, completion=completion))


def complete_step(
    enrolment: Enrolment,
    step: Step,
    *,
    completed_at: dt.datetime,
    source: str,
    score: float | None = None,
    success: bool | None = None,
    statement_id: str = "",
    recorded_by_id: int | None = None,
    note: str = "",
) -> tuple[Completion, bool]:
    """Record that the enrolment's person finished ``step``; returns (completion, created).

    Idempotent: a step is completed once per enrolment; later calls return the first record.
    """
    existing = Completion.objects.filter(enrolment=enrolment, step=step).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                person_id=enrolment.person_id,
                enrolment=enrolment,
                path_id=step.path_id,
                step=step,
                offering_id=step.offering_id if step.kind == StepKind.OFFERING else None,
                completed_at=completed_at,
                source=source,
                score=score,
                success=success,
                statement_id=statement_id[:64],
                recorded_by_id=recorded_by_id,
                note=note,
            )
            if step.certificate_name:
                path = step.path
                completion.certification = certification.issue(
                    enrolment.person_id,
                    name=step.certificate_name,
                    issuer=path.tenant.name,
                    issued_on=timezone.localtime(completed_at).date(),
                )
                completion.save(update_fields=["certification"])
            if completion.offering_id:
                _mark_offering_taken(enrolment.person_id, completion.offering_id)
                _send_after_commit(completion)
            _complete_path_if_done(enrolment)
    except IntegrityError:  # a concurrent delivery of the same completion won the race
        existing = Completion.objects.filter(enrolment=enrolment, step=step).first()
        if existing is None:
            raise
        return existing, False
    return completion, True


def record_external(
    person_id: int,
    tenant_id: int,
    *,
    completed_at: dt.datetime,
    offering_id: int | None = None,
    title: str = "",
    provider: str = "",
    score: float | None = None,
    external_ref: str = "",
    recorded_by_id: int | None = None,
    certificate: tuple[str, dt.date | None, Any] | None = None,
) -> Completion:
    """Record a completion reported by an external provider (CSV import); call inside a transaction.

    When the offering is a step of a path the person is enrolled on, that step is completed
    (and the path with it, when it was the last) through :func:`complete_step`; otherwise a
    completion of the offering — or, without one, of the named course — is recorded. A
    ``certificate`` (name, expiry or None, requirement or None) lands in the competence profile.
    ``completion_recorded`` is sent after commit either way.
    """
    completion: Completion | None = None
    if offering_id:
        steps = Step.objects.filter(
            kind=StepKind.OFFERING, offering_id=offering_id, path__tenant_id=tenant_id
        ).select_related("path__tenant")
        for step in steps:
            enrolment = Enrolment.objects.filter(
                person_id=person_id, path=step.path, completed_at__isnull=True, withdrawn_at__isnull=True
            ).first()
            if enrolment is None:
                continue
            done, created = complete_step(
                enrolment,
                step,
                completed_at=completed_at,
                source=CompletionSource.IMPORT,
                score=score,
                recorded_by_id=recorded_by_id,
            )
            if created and completion is None:
                completion = done
    if completion is None:
        completion = Completion.objects.create(
            person_id=person_id,
            offering_id=offering_id,
            completed_at=completed_at,
            source=CompletionSource.IMPORT,
            score=score,
            success=True,
            recorded_by_id=recorded_by_id,
        )
        if offering_id:
            _mark_offering_taken(person_id, offering_id)
        _send_after_commit(completion)
    completion.external_ref = external_ref[:300]
    completion.provider = provider[:200]
    completion.title = title[:300]
    fields = ["external_ref", "provider", "title"]
    if certificate is not None:
        name, expires_on, requirement = certificate
        issued = certification.issue(
            person_id,
            name=name,
            issuer=provider or name,
            issued_on=timezone.localtime(completed_at).date(),
            requirement=requirement,
            expires_on=expires_on,
        )
        if completion.certification_id is None:
            completion.certification = issued
            fields.append("certification")
        if requirement is not None:
            close_fulfilled_enrolments(person_id, issued, at=completed_at)
    completion.save(update_fields=fields)
    return completion


def close_fulfilled_enrolments(
    person_id: int, certificate: Any, *, at: dt.datetime, except_enrolment_id: int | None = None
) -> list[Enrolment]:
    """Close the person's open mandatory enrolments that ``certificate`` already satisfies.

    A requirement (kompetansekrav) met by a valid certificate from elsewhere — an imported
    course certificate, or another path granting the same certification — no longer asks the
    person to take the path: its requirement and recertification enrolments are closed as
    fulfilled (``fulfilled_by``), so Min læring and the leader's overdue list drop them. No path
    completion is recorded and no credential is issued for a path that was not taken.
    """
    requirement_id = certificate.requirement_id
    if requirement_id is None:
        return []
    if certificate.expires_on is not None and certificate.expires_on < timezone.localdate():
        return []  # an expired certificate meets nothing (an old one imported late, say)
    open_enrolments = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(
            person_id=person_id,
            mandatory=True,
            completed_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        .filter(Q(requirement_id=requirement_id) | Q(path__grants_certification_id=requirement_id))
    )
    if except_enrolment_id is not None:
        open_enrolments = open_enrolments.exclude(pk=except_enrolment_id)
    closed = []
    for enrolment in open_enrolments:
        enrolment.completed_at = max(at, enrolment.enrolled_at)
        enrolment.fulfilled_by = certificate
        enrolment.save(update_fields=["completed_at", "fulfilled_by"])
        closed.append(enrolment)
    return closed


def _mark_offering_taken(person_id: int, offering_id: int) -> None:
    """Keep the catalogue's "I have taken this" in step with what the learning app knows."""
    from laeringsarena.catalogue import services as catalogue_services

    catalogue_services.record_participation(person_id, offering_id)


def _complete_path_if_done(enrolment: Enrolment) -> Completion | None:
    # Lock the enrolment row alone (PostgreSQL refuses FOR UPDATE across nullable joins).
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.completed_at is not None:
        return None
    path = LearningPath.objects.select_related("tenant", "grants_certification").get(pk=enrolment.path_id)
    required = set(path.steps.filter(optional=False).values_list("pk", flat=True))
    done = dict(
        Completion.objects.filter(enrolment=enrolment, step__isnull=False).values_list(
            "step_id", "completed_at"
        )
    )
    if not required or not required.issubset(done):
        return None
    completed_at = max(done[pk] for pk in required)
    scores = [
        score
        for score in Completion.objects.filter(enrolment=enrolment, step__isnull=False).values_list(
            "score", flat=True
        )
        if score is not None
    ]
    completion = Completion.objects.create(
        person_id=enrolment.person_id,
        enrolment=enrolment,
        path=path,
        completed_at=completed_at,
        source=CompletionSource.PATH,
        score=round(sum(scores) / len(scores), 4) if scores else None,
        success=True,
    )
    if path.grants_certification_id:
        requirement = path.grants_certification
        completion.certification = certification.issue(
            enrolment.person_id,
            name=requirement.name if requirement else path.title,
            issuer=path.tenant.name,
            issued_on=timezone.localtime(completed_at).date(),
            requirement=requirement,
        )
        completion.save(update_fields=["certification"])
        close_fulfilled_enrolments(
            enrolment.person_id, completion.certification, at=completed_at, except_enrolment_id=enrolment.pk
        )
    enrolment.completed_at = completed_at
    enrolment.save(update_fields=["completed_at"])
    _send_after_commit(completion)
    return completion


# --- From xAPI statements ---------------------------------------------------------------------


def _timestamp(statement: dict[str, Any]) -> dt.datetime:
    for key in ("timestamp", "stored"):
        value = statement.get(key)
        if isinstance(value, str):
            parsed = parse_datetime(value)
            if parsed is not None:
                return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)
    return timezone.now()


def _counts(statement: dict[str, Any], step: Step) -> bool:
    verb = statement.get("verb", {}).get("id")
    if verb not in COMPLETING_VERBS:
        return False
    success = (statement.get("result") or {}).get("success")
    if success is False:
        return False
    return not (verb == VERB_COMPLETED and success is not True and requires_passing(step))


def enrolment_for(person_id: int, path: LearningPath, at: dt.datetime | None = None) -> Enrolment | None:
    """The person's open enrolment on the path; a published path enrols them on their own."""
    enrolment = Enrolment.objects.filter(
        person_id=person_id, path=path, completed_at__isnull=True, withdrawn_at__isnull=True
    ).first()
    if enrolment is not None or path.status != PathStatus.PUBLISHED:
        return enrolment
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                person_id=person_id, path=path, source=EnrolmentSource.SELF, enrolled_at=at or timezone.now()
            )
    except IntegrityError:
        return Enrolment.objects.filter(
            person_id=person_id, path=path, completed_at__isnull=True, withdrawn_at__isnull=True
        ).first()


def apply_statements(organisation: Any, statements: Iterable[dict[str, Any]]) -> list[Completion]:
    """Derive step (and so path) completions from stored statements. Safe to call again."""
    from laeringsarena.lrs.agents import person_for

    tenant_id = getattr(organisation, "tenant_id", None) or getattr(organisation, "pk", None)
    created: list[Completion] = []
    for statement in statements:
        target = statement.get("object") or {}
        if target.get("objectType", "Activity") != "Activity" or not target.get("id"):
            continue
        if statement.get("verb", {}).get("id") not in COMPLETING_VERBS:
            continue
        steps = list(
            Step.objects.filter(activity_id=target["id"], path__tenant_id=tenant_id).select_related(
                "path__tenant", "module"
            )
        )
        if not steps:
            continue
        person = person_for(statement.get("actor") or {})
        if person is None:
            continue
        at = _timestamp(statement)
        for step in steps:
            if not _counts(statement, step):
                continue
            enrolment = enrolment_for(person.pk, step.path, at)
            if enrolment is None:
                continue
            if enrolment.source == EnrolmentSource.RECERTIFICATION and at < enrolment.enrolled_at:
                continue  # an old result re-sent does not renew a certificate
            score = ((statement.get("result") or {}).get("score") or {}).get("scaled")
            completion, was_created = complete_step(
                enrolment,
                step,
                completed_at=at,
                source=CompletionSource.STATEMENT,
                score=float(score) if isinstance(score, int | float) else None,
                success=(statement.get("result") or {}).get("success"),
                statement_id=str(statement.get("id") or ""),
            )
            if was_created:
                created.append(completion)
    return created


def on_statements_stored(
    sender: Any, organisation: Any = None, statements: Any = None, **kwargs: Any
) -> None:
    """Receiver of ``lrs.signals.statements_stored`` (connected in ``apps.py``)."""
    if organisation is None or not statements:
        return
    try:
        apply_statements(organisation, statements)
    except Exception:  # the statements are stored; never fail the LRS request after its commit
        logger.exception("deriving completions from %d statements failed", len(statements))
