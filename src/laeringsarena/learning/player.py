"""The hosted module player: runs, pages, quiz grading, and the xAPI statements it sends.

Each run is an :class:`Attempt` with its own xAPI registration. The player records to the LRS
through ``lrs.services.record_statements`` (launched when a run starts, progressed per page,
answered per question, completed at the end, and passed/failed with score and duration when the
module has a quiz). Completion of the step is *not* written here: it follows from the stored
statements in :mod:`.completions`, exactly like statements from any other tool.

Free-text answers wait for the path owner (or the learner's leader) to grade them; the run then
ends with passed/failed like any other.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from laeringsarena.learning import access
from laeringsarena.learning.completions import VERB_COMPLETED, VERB_PASSED
from laeringsarena.learning.models import (
    Answer,
    Attempt,
    AttemptState,
    Enrolment,
    ModulePage,
    Notice,
    NoticeKind,
    Question,
    QuestionKind,
    Step,
    StepKind,
)
from laeringsarena.learning.selectors import StepStatus, step_states

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User

    AnyUser = User | AnonymousUser | None

VERB_LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
VERB_PROGRESSED = "http://adlnet.gov/expapi/verbs/progressed"
VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
VERB_NAMES = {
    VERB_LAUNCHED: "launched",
    VERB_PROGRESSED: "progressed",
    VERB_ANSWERED: "answered",
    VERB_COMPLETED: "completed",
    VERB_PASSED: "passed",
    VERB_FAILED: "failed",
}
ACTIVITY_MODULE = "http://adlnet.gov/expapi/activities/module"
ACTIVITY_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ACTIVITY_COURSE = "http://adlnet.gov/expapi/activities/course"
EXT_PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"
INTERACTION_TYPES = {
    QuestionKind.SINGLE: "choice",
    QuestionKind.MULTIPLE: "choice",
    QuestionKind.TRUE_FALSE: "true-false",
    QuestionKind.ORDERING: "sequencing",
    QuestionKind.FREE_TEXT: "long-fill-in",
}


# --- Grading ----------------------------------------------------------------------------------


def display_order(question: Question, attempt: Attempt) -> list[int]:
    """The order the options are shown in: shuffled for ordering questions (stable per run)."""
    indexes = list(range(len(question.options)))
    if question.kind == QuestionKind.ORDERING:
        rng = random.Random(f"{attempt.registration}:{question.pk}")  # noqa: S311 - not security
        while len(indexes) > 1 and indexes == sorted(indexes):
            rng.shuffle(indexes)
    return indexes


def parse_response(question: Question, raw: Any) -> list[Any]:
    """A response from a form or JSON, checked against the question; raises InvalidInput."""
    field = f"q{question.pk}"
    values = raw if isinstance(raw, list) else [raw] if raw not in (None, "") else []
    n = len(question.options)
    try:
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = sorted({int(v) for v in values})
            if not chosen or any(not 0 <= i < n for i in chosen):
                raise ValueError
            if question.kind == QuestionKind.SINGLE and len(chosen) != 1:
                raise ValueError
            return chosen
        if question.kind == QuestionKind.TRUE_FALSE:
            if len(values) != 1 or str(values[0]).lower() not in ("true", "false"):
                raise ValueError
            return [str(values[0]).lower() == "true"]
        if question.kind == QuestionKind.ORDERING:
            order = [int(v) for v in values]
            if sorted(order) != list(range(n)):
                raise ValueError
            return order
        text = str(values[0]).strip() if values else ""
        if not text:
            raise ValueError
        return [text[:10000]]
    except (TypeError, ValueError) as err:
        raise InvalidInput(
            _("Svar på alle spørsmålene."),
            errors=[{"field": field, "reason": _("mangler eller ugyldig svar")}],
        ) from err


def auto_points(question: Question, response: list[Any]) -> float | None:
    """Points for an answer; None for free text (graded by a person)."""
    if question.kind == QuestionKind.FREE_TEXT:
        return None
    if question.kind == QuestionKind.ORDERING:
        right = response == list(range(len(question.options)))
    elif question.kind == QuestionKind.TRUE_FALSE:
        right = response == question.correct
    else:
        right = sorted(response) == sorted(question.correct)
    return float(question.points) if right else 0.0


# --- Statements -------------------------------------------------------------------------------


def _duration(start: dt.datetime, end: dt.datetime) -> str:
    seconds = max(0, round((end - start).total_seconds()))
    return f"PT{seconds}S"


def _statement(
    attempt: Attempt,
    verb: str,
    *,
    now: dt.datetime,
    target: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    from laeringsarena.lrs.agents import agent_for

    step = attempt.step
    path = step.path
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": agent_for(attempt.enrolment.person),
        "verb": {"id": verb, "display": {"en-US": VERB_NAMES[verb]}},
        "object": target
        or {
            "objectType": "Activity",
            "id": step.activity_id,
            "definition": {"name": {"nb-NO": step.title}, "type": ACTIVITY_MODULE},
        },
        "context": {
            "registration": str(attempt.registration),
            "platform": "Læringsarena",
            "language": "nb-NO",
            "contextActivities": {
                "parent": [
                    {
                        "objectType": "Activity",
                        "id": path.activity_id,
                        "definition": {"name": {"nb-NO": path.title}, "type": ACTIVITY_COURSE},
                    }
                ]
            },
        },
        "timestamp": now.isoformat(),
    }
    if result is not None:
        statement["result"] = result
    return statement


def _record(attempt: Attempt, statements: list[dict[str, Any]]) -> None:
    from laeringsarena.lrs.services import record_statements

    record_statements(attempt.step.path.tenant, statements)


def _question_activity(question: Question, step: Step) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "name": {"nb-NO": question.text[:200]},
        "type": ACTIVITY_INTERACTION,
        "interactionType": INTERACTION_TYPES[QuestionKind(question.kind)],
    }
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.ORDERING):
        definition["choices"] = [
            {"id": str(i), "description": {"nb-NO": text}} for i, text in enumerate(question.options)
        ]
        if question.kind == QuestionKind.ORDERING:
            definition["correctResponsesPattern"] = ["[,]".join(str(i) for i in range(len(question.options)))]
        else:
            definition["correctResponsesPattern"] = ["[,]".join(str(i) for i in question.correct)]
    elif question.kind == QuestionKind.TRUE_FALSE:
        definition["correctResponsesPattern"] = [str(bool(question.correct and question.correct[0])).lower()]
    return {
        "objectType": "Activity",
        "id": f"{step.activity_id}/sporsmal/{question.pk}",
        "definition": definition,
    }


def _response_text(question: Question, response: list[Any]) -> str:
    if question.kind == QuestionKind.FREE_TEXT:
        return str(response[0]) if response else ""
    if question.kind == QuestionKind.TRUE_FALSE:
        return str(bool(response and response[0])).lower()
    return "[,]".join(str(i) for i in response)


# --- Runs -------------------------------------------------------------------------------------


def _require_learner(user: AnyUser, enrolment: Enrolment) -> None:
    if enrolment.person_id != access.person_id(user):
        raise NotFound()


def start(user: AnyUser, enrolment: Enrolment, step: Step, *, now: dt.datetime | None = None) -> Attempt:
    """Start (or resume) a run of a hosted module step; sends «launched» for a new run."""
    _require_learner(user, enrolment)
    if step.path_id != enrolment.path_id or step.kind != StepKind.MODULE or step.module_id is None:
        raise NotFound()
    if not enrolment.is_open:
        raise Conflict(_("Påmeldingen er avsluttet."))
    state = next(s for s in step_states(enrolment) if s.step.pk == step.pk)
    if state.status == StepStatus.LOCKED:
        raise Conflict(_("Steget er ikke åpnet ennå: et tidligere steg må godkjennes først."))
    if state.status == StepStatus.PENDING:
        raise Conflict(_("Svarene dine venter på vurdering."))
    now = now or timezone.now()
    running = Attempt.objects.filter(enrolment=enrolment, step=step, state=AttemptState.IN_PROGRESS).first()
    if running is not None:
        return running
    with transaction.atomic():
        attempt = Attempt.objects.create(
            enrolment=enrolment, step=step, registration=uuid.uuid4(), started_at=now
        )
        _record(attempt, [_statement(attempt, VERB_LAUNCHED, now=now)])
    return attempt


def pages(attempt: Attempt) -> list[ModulePage]:
    module = attempt.step.module
    if module is None:
        return []
    return list(module.pages.prefetch_related("questions"))


def view_page(user: AnyUser, attempt: Attempt, page: ModulePage, *, now: dt.datetime | None = None) -> None:
    """The learner has seen a page: «progressed» with the share of pages seen (once per page)."""
    _require_learner(user, attempt.enrolment)
    if attempt.state != AttemptState.IN_PROGRESS or page.pk in attempt.pages_seen:
        return
    now = now or timezone.now()
    all_pages = pages(attempt)
    with transaction.atomic():
        attempt.pages_seen = [*attempt.pages_seen, page.pk]
        attempt.save(update_fields=["pages_seen"])
        progress = min(100, round(100 * len(attempt.pages_seen) / max(1, len(all_pages))))
        _record(
            attempt,
            [_statement(attempt, VERB_PROGRESSED, now=now, result={"extensions": {EXT_PROGRESS: progress}})],
        )


def finish_reading(user: AnyUser, attempt: Attempt, *, now: dt.datetime | None = None) -> Attempt:
    """The end of a module without a quiz: «completed» with the duration."""
    _require_learner(user, attempt.enrolment)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise Conflict(_("Denne gjennomføringen er avsluttet."))
    if any(p.questions.exists() for p in pages(attempt)):
        raise Conflict(_("Modulen har en quiz som må besvares."))
    now = now or timezone.now()
    with transaction.atomic():
        attempt.state, attempt.finished_at = AttemptState.COMPLETED, now
        attempt.save(update_fields=["state", "finished_at"])
        _record(
            attempt,
            [
                _statement(
                    attempt,
                    VERB_COMPLETED,
                    now=now,
                    result={"completion": True, "duration": _duration(attempt.started_at, now)},
                )
            ],
        )
    return attempt


def submit_quiz(
    user: AnyUser, attempt: Attempt, responses: Mapping[int, Any], *, now: dt.datetime | None = None
) -> Attempt:
    """Submit every quiz answer of the run at once; graded at once unless there is free text."""
    _require_learner(user, attempt.enrolment)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise Conflict(_("Denne gjennomføringen er avsluttet."))
    questions = [q for p in pages(attempt) for q in p.questions.all()]
    if not questions:
        raise Conflict(_("Modulen har ingen quiz."))
    parsed: dict[int, list[Any]] = {}
    errors: list[dict[str, Any]] = []
    for question in questions:
        try:
            parsed[question.pk] = parse_response(question, responses.get(question.pk))
        except InvalidInput as err:
            errors += err.errors
    if errors:
        raise InvalidInput(_("Svar på alle spørsmålene."), errors=errors)
    now = now or timezone.now()
    step = attempt.step
    with transaction.atomic():
        statements = []
        for question in questions:
            points = auto_points(question, parsed[question.pk])
            Answer.objects.create(
                attempt=attempt, question=question, response=parsed[question.pk], points=points
            )
            result: dict[str, Any] = {"response": _response_text(question, parsed[question.pk])}
            if points is not None:
                result["success"] = points >= question.points
                result["score"] = {"raw": points, "min": 0, "max": question.points}
            statements.append(
                _statement(
                    attempt, VERB_ANSWERED, now=now, target=_question_activity(question, step), result=result
                )
            )
        attempt.finished_at = now
        attempt.save(update_fields=["finished_at"])
        _record(attempt, statements)
        _conclude(attempt, now)
    return attempt


def _conclude(attempt: Attempt, now: dt.datetime) -> None:
    """When every answer has points: score, passed/failed and completed (inside a transaction)."""
    answers = list(attempt.answers.select_related("question"))
    if any(a.points is None for a in answers):
        attempt.state = AttemptState.AWAITING_GRADING
        attempt.save(update_fields=["state"])
        return
    module = attempt.step.module
    assert module is not None
    raw = sum(a.points or 0 for a in answers)
    maximum = float(sum(a.question.points for a in answers))
    scaled = round(raw / maximum, 4) if maximum else 1.0
    passed = scaled >= module.pass_mark
    attempt.score_raw, attempt.score_max = raw, maximum
    attempt.state = AttemptState.PASSED if passed else AttemptState.FAILED
    attempt.save(update_fields=["score_raw", "score_max", "state"])
    end = attempt.finished_at or now
    result = {
        "score": {"scaled": scaled, "raw": raw, "min": 0, "max": maximum},
        "success": passed,
        "completion": True,
        "duration": _duration(attempt.started_at, end),
    }
    _record(
        attempt,
        [
            _statement(
                attempt, VERB_COMPLETED, now=end, result={"completion": True, "duration": result["duration"]}
            ),
            _statement(attempt, VERB_PASSED if passed else VERB_FAILED, now=end, result=result),
        ],
    )


def grade(
    user: AnyUser, answer: Answer, *, points: float, feedback: str = "", now: dt.datetime | None = None
) -> Answer:
    """Grade a free-text answer (the path's managers and the learner's leaders)."""
    attempt = answer.attempt
    if not access.can_teach(user, attempt.enrolment):
        if access.can_see_records(user, attempt.enrolment.person_id):
            raise PermissionDenied()
        raise NotFound()
    if answer.question.kind != QuestionKind.FREE_TEXT:
        raise Conflict(_("Bare fritekstsvar vurderes manuelt."))
    if not 0 <= points <= answer.question.points:
        raise InvalidInput(
            _("Poeng må være mellom 0 og %(max)s.") % {"max": answer.question.points},
            errors=[{"field": "points", "reason": str(points)}],
        )
    if answer.points is not None:
        raise Conflict(_("Svaret er allerede vurdert."))
    now = now or timezone.now()
    with transaction.atomic():
        answer.points, answer.feedback = float(points), feedback[:5000]
        answer.graded_by_id = access.person_id(user)
        answer.graded_at = now
        answer.save(update_fields=["points", "feedback", "graded_by", "graded_at"])
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.state == AttemptState.AWAITING_GRADING:
            _conclude(attempt, now)
            if attempt.state in (AttemptState.PASSED, AttemptState.FAILED):
                Notice.objects.get_or_create(
                    person_id=attempt.enrolment.person_id,
                    key=f"graded:{attempt.pk}",
                    defaults={
                        "kind": NoticeKind.GRADED,
                        "title": (
                            _("Bestått: %(step)s")
                            if attempt.state == AttemptState.PASSED
                            else _("Ikke bestått: %(step)s")
                        )
                        % {"step": attempt.step.title},
                        "body": feedback,
                        "created_at": now,
                    },
                )
    return answer


def awaiting_grading(user: AnyUser) -> list[Answer]:
    """Free-text answers the user may grade, oldest first."""
    answers = (
        Answer.objects.filter(points__isnull=True, attempt__state=AttemptState.AWAITING_GRADING)
        .select_related(
            "question", "attempt__enrolment__person", "attempt__enrolment__path__tenant", "attempt__step"
        )
        .order_by("attempt__finished_at")
    )
    return [a for a in answers[:500] if access.can_teach(user, a.attempt.enrolment)]
