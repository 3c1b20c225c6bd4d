"""Completion: statements from the AUs → AU status (moveOn) → "satisfied" for blocks and the course.

:func:`statements_stored` receives every batch the LRS stores (``lrs.signals.statements_stored``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from laeringsarena.cmi5 import vocabulary as v
from laeringsarena.cmi5.models import (
    AuStatus,
    Block,
    LaunchMode,
    LaunchSession,
    MoveOn,
    Registration,
    Satisfaction,
)
from laeringsarena.cmi5.statements import build_statement, end_client, langmap, lms_authority
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person

# After "terminated" the AU may still finish sending (cmi5 §9.3.8), then its token stops working.
TERMINATED_GRACE = dt.timedelta(minutes=2)


def _agent(person: Person) -> dict[str, Any]:
    from laeringsarena.lrs.agents import agent_for

    return agent_for(person)


def _extensions(statement: dict[str, Any]) -> dict[str, Any]:
    context = statement.get("context") or {}
    extensions = context.get("extensions") or {}
    return extensions if isinstance(extensions, dict) else {}


def _categories(statement: dict[str, Any]) -> set[str]:
    context = statement.get("context") or {}
    activities = (context.get("contextActivities") or {}).get("category") or []
    if isinstance(activities, dict):
        activities = [activities]
    return {str(a.get("id")) for a in activities if isinstance(a, dict)}


def statements_stored(organisation: Organisation, statements: list[dict[str, Any]]) -> None:
    """Receiver of ``lrs.signals.statements_stored``: update sessions, AU status and satisfaction.

    Cheap for statements that are not ours: only statements carrying a cmi5 session id are looked
    at. Idempotent: AU status fields are only ever set once and every "satisfied" is recorded at
    most once per block/course and registration.
    """
    relevant: dict[str, list[dict[str, Any]]] = {}
    for statement in statements:
        session_id = _extensions(statement).get(v.EXT_SESSION_ID)
        verb = (statement.get("verb") or {}).get("id")
        if not isinstance(session_id, str) or verb in (v.LAUNCHED, v.ABANDONED, v.SATISFIED, v.WAIVED):
            continue
        relevant.setdefault(session_id, []).append(statement)
    if not relevant:
        return
    valid_ids = []
    for session_id in relevant:
        try:
            valid_ids.append(uuid.UUID(session_id))
        except ValueError:
            continue
    sessions = LaunchSession.objects.filter(
        session_id__in=valid_ids, registration__course__tenant=organisation
    ).select_related("registration__person", "registration__course", "au")
    for session in sessions:
        _apply(session, relevant[str(session.session_id)])


def _timestamp(statement: dict[str, Any]) -> dt.datetime:
    for key in ("timestamp", "stored"):
        value = statement.get(key)
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return timezone.now()


def _is_learner(statement: dict[str, Any], person: Person) -> bool:
    account = (statement.get("actor") or {}).get("account") or {}
    return str(account.get("name")) == str(person.pk)


def _apply(session: LaunchSession, statements: list[dict[str, Any]]) -> None:
    registration = session.registration
    au = session.au
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        session = LaunchSession.objects.select_for_update().get(pk=session.pk)
        status, _created = AuStatus.objects.get_or_create(registration=registration, au=au)
        changed_session: set[str] = set()
        changed_status: set[str] = set()
        for statement in sorted(statements, key=_timestamp):
            when = _timestamp(statement)
            if session.last_statement_at is None or when > session.last_statement_at:
                session.last_statement_at = when
                changed_session.add("last_statement_at")
            verb = (statement.get("verb") or {}).get("id")
            if verb == v.TERMINATED and session.terminated_at is None:
                session.terminated_at = when
                changed_session.add("terminated_at")
            judged = (
                session.launch_mode == LaunchMode.NORMAL
                and session.abandoned_at is None
                and v.CATEGORY_CMI5 in _categories(statement)
                and (statement.get("object") or {}).get("id") == au.activity_id
                and _is_learner(statement, registration.person)
            )
            if not judged:
                continue
            result = statement.get("result") or {}
            scaled = (result.get("score") or {}).get("scaled")
            if verb == v.COMPLETED and status.completed_at is None:
                status.completed_at = when
                changed_status.add("completed_at")
            elif verb == v.PASSED and status.passed_at is None:
                status.passed_at = when
                changed_status.add("passed_at")
                if isinstance(scaled, int | float):
                    status.score_scaled = float(scaled)
                    changed_status.add("score_scaled")
            elif verb == v.FAILED and status.passed_at is None:
                status.failed_at = when
                changed_status.add("failed_at")
                if isinstance(scaled, int | float):
                    status.score_scaled = float(scaled)
                    changed_status.add("score_scaled")
        if changed_session:
            session.save(update_fields=sorted(changed_session))
        if changed_status:
            status.save(update_fields=sorted(changed_status))
        if "terminated_at" in changed_session and session.terminated_at is not None:
            end_client(session, timezone.now() + TERMINATED_GRACE)
        if changed_status:
            evaluate(registration, session_id=str(session.session_id))


def au_satisfied(move_on: str, status: AuStatus | None) -> bool:
    """Is an AU with this moveOn criterion satisfied, given what the learner did (cmi5 §13.1.4)?"""
    if move_on == MoveOn.NOT_APPLICABLE:
        return True
    if status is None:
        return False
    completed, passed = status.completed_at is not None, status.passed_at is not None
    rules: dict[str, bool] = {
        MoveOn.PASSED: passed,
        MoveOn.COMPLETED: completed,
        MoveOn.COMPLETED_AND_PASSED: completed and passed,
        MoveOn.COMPLETED_OR_PASSED: completed or passed,
    }
    return rules.get(move_on, False)


def evaluate(registration: Registration, *, session_id: str | None) -> None:
    """Record "satisfied" for every block and the course whose AUs now all meet moveOn (§9.3.9).

    ``session_id`` is the AU session that triggered the evaluation; outside a session (at
    registration, after a re-import) a new session id is generated, as the specification asks.
    """
    from laeringsarena.lrs import services as lrs

    course = registration.course
    aus = list(course.aus.all())
    blocks = list(course.blocks.all())
    statuses = {s.au_id: s for s in registration.au_statuses.all()}
    done = set(registration.satisfactions.values_list("activity_id", flat=True))
    now = timezone.now()

    satisfied_au: dict[int, bool] = {}
    for au in aus:
        status = statuses.get(au.pk)
        satisfied_au[au.pk] = au_satisfied(au.move_on, status)
        if satisfied_au[au.pk] and status is not None and status.satisfied_at is None:
            status.satisfied_at = now
            status.save(update_fields=["satisfied_at"])
        elif satisfied_au[au.pk] and status is None:
            AuStatus.objects.create(registration=registration, au=au, satisfied_at=now)

    def block_satisfied(block: Block) -> bool:
        members = [satisfied_au[a.pk] for a in aus if a.block_id == block.pk]
        members += [block_satisfied(b) for b in blocks if b.parent_id == block.pk]
        return all(members)

    # Inner blocks before outer ones: deepest first by walking parents.
    def depth(block: Block) -> int:
        level, parent = 0, block.parent_id
        by_id = {b.pk: b for b in blocks}
        while parent is not None:
            level, parent = level + 1, by_id[parent].parent_id
        return level

    agent: dict[str, Any] | None = None
    session = session_id or str(uuid.uuid4())
    pending: list[tuple[Block | None, dict[str, Any]]] = []
    for block in sorted(blocks, key=depth, reverse=True):
        if block.activity_id in done or not block_satisfied(block):
            continue
        agent = agent or _agent(registration.person)
        obj = {
            "objectType": "Activity",
            "id": block.activity_id,
            "definition": {"type": v.ACTIVITY_TYPE_BLOCK, "name": langmap(block.title)},
        }
        pending.append(
            (
                block,
                build_statement(
                    agent,
                    v.SATISFIED,
                    obj,
                    registration,
                    block.publisher_id,
                    {v.EXT_SESSION_ID: session},
                    now,
                ),
            )
        )
    course_done = all(satisfied_au.values()) and all(
        block_satisfied(b) for b in blocks if b.parent_id is None
    )
    if course_done and course.activity_id not in done:
        agent = agent or _agent(registration.person)
        obj = {
            "objectType": "Activity",
            "id": course.activity_id,
            "definition": {"type": v.ACTIVITY_TYPE_COURSE, "name": langmap(course.title)},
        }
        pending.append(
            (
                None,
                build_statement(
                    agent,
                    v.SATISFIED,
                    obj,
                    registration,
                    course.publisher_id,
                    {v.EXT_SESSION_ID: session},
                    now,
                ),
            )
        )
    if not pending:
        return
    for satisfied_block, statement in pending:
        Satisfaction.objects.create(
            registration=registration,
            block=satisfied_block,
            activity_id=statement["object"]["id"],
            statement_id=statement["id"],
            satisfied_at=now,
        )
    if course_done and registration.satisfied_at is None:
        registration.satisfied_at = now
        registration.save(update_fields=["satisfied_at"])
    lrs.record_statements(course.tenant, [s for _b, s in pending], authority=lms_authority())
