"""Gating, the module player (xAPI to the LRS), quiz grading and completion from statements."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from laeringsarena.competence.models import Certification
from laeringsarena.conftest import World
from laeringsarena.core.errors import Conflict, InvalidInput, NotFound
from laeringsarena.learning import completions, player, services
from laeringsarena.learning.models import AttemptState, Completion, CompletionSource, Enrolment
from laeringsarena.learning.selectors import StepStatus, step_states
from laeringsarena.learning.signals import completion_recorded
from laeringsarena.learning.tests.factories import PathWorld
from laeringsarena.learning.tests.support import answers
from laeringsarena.lrs.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(world: World, blended: PathWorld) -> Enrolment:
    return services.enrol_people(world.leader, blended.path, [world.employee.person], mandatory=True)[0]


def statuses(enrolment: Enrolment) -> list[str]:
    return [s.status for s in step_states(enrolment)]


def take_module(world: World, enrolment: Enrolment, step: Any, *, right: bool = True) -> Any:
    attempt = player.start(world.employee, enrolment, step)
    for page in player.pages(attempt):
        player.view_page(world.employee, attempt, page)
    return player.submit_quiz(world.employee, attempt, answers(attempt, right=right))


def test_a_gated_step_keeps_the_later_steps_closed_until_it_is_approved(
    world: World, blended: PathWorld, enrolment: Enrolment, django_capture_on_commit_callbacks: Any
) -> None:
    assert statuses(enrolment) == [StepStatus.OPEN, StepStatus.LOCKED, StepStatus.LOCKED, StepStatus.LOCKED]
    with pytest.raises(Conflict):
        services.submit_reflection(
            world.employee, enrolment, blended.reflection, "Jeg lærte mye om smittevern i dag."
        )
    with pytest.raises(Conflict):
        services.request_sign_off(
            world.employee, enrolment, blended.practical, supervisor=world.leader.person
        )
    with django_capture_on_commit_callbacks(execute=True):
        take_module(world, enrolment, blended.module_step)
    assert statuses(enrolment) == [StepStatus.DONE, StepStatus.OPEN, StepStatus.OPEN, StepStatus.OPEN]


def test_a_prerequisite_closes_a_step_until_it_is_done(
    world: World, enrolment: Enrolment, blended: PathWorld
) -> None:
    blended.module_step.gated = False
    blended.module_step.save()
    blended.reflection.prerequisites.add(blended.gathering)
    states = {s.step.pk: s for s in step_states(enrolment)}
    assert states[blended.practical.pk].status == StepStatus.OPEN
    assert states[blended.reflection.pk].status == StepStatus.LOCKED
    assert states[blended.reflection.pk].locked_by == blended.gathering


def test_the_module_player_sends_xapi_statements_and_passing_completes_the_step(
    world: World, blended: PathWorld, enrolment: Enrolment, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        attempt = take_module(world, enrolment, blended.module_step)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PASSED
    assert (attempt.score_raw, attempt.score_max) == (4.0, 4.0)
    stored = [json.loads(s.payload) for s in Statement.objects.order_by("stored", "pk")]
    verbs = [s["verb"]["display"]["en-US"] for s in stored]
    assert verbs == ["launched", "progressed", "progressed", "progressed"] + ["answered"] * 4 + [
        "completed",
        "passed",
    ]
    assert {s["actor"]["account"]["name"] for s in stored} == {str(world.employee.person_id)}
    passed = stored[-1]
    assert passed["object"]["id"] == blended.module_step.activity_id
    assert passed["result"]["score"]["scaled"] == 1.0 and passed["result"]["success"] is True
    assert passed["result"]["duration"].startswith("PT")
    assert passed["context"]["registration"] == str(attempt.registration)
    assert stored[1]["result"]["extensions"]["https://w3id.org/xapi/cmi5/result/extensions/progress"] == 33
    completion = Completion.objects.get(enrolment=enrolment, step=blended.module_step)
    assert completion.source == CompletionSource.STATEMENT and completion.score == 1.0


def test_a_failed_quiz_does_not_complete_the_step_and_can_be_taken_again(
    world: World, blended: PathWorld, enrolment: Enrolment, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        attempt = take_module(world, enrolment, blended.module_step, right=False)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FAILED and attempt.score_raw == 0
    assert not Completion.objects.filter(step=blended.module_step).exists()
    assert Statement.objects.filter(verb_id=player.VERB_FAILED).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        take_module(world, enrolment, blended.module_step)
    assert Completion.objects.filter(step=blended.module_step).count() == 1


@pytest.mark.parametrize(
    ("kind_index", "response"),
    [(0, "7"), (1, []), (2, "maybe"), (3, ["0", "0", "1"])],
)
def test_an_invalid_quiz_answer_is_refused_with_the_question_named(
    world: World, blended: PathWorld, enrolment: Enrolment, kind_index: int, response: Any
) -> None:
    attempt = player.start(world.employee, enrolment, blended.module_step)
    given = answers(attempt)
    question_id = list(given)[kind_index]
    given[question_id] = response
    with pytest.raises(InvalidInput) as error:
        player.submit_quiz(world.employee, attempt, given)
    assert error.value.errors == [{"field": f"q{question_id}", "reason": "mangler eller ugyldig svar"}]
    assert not attempt.answers.exists()


def test_a_free_text_answer_waits_for_the_leader_who_grades_it(
    world: World, requirement: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from laeringsarena.learning.tests.factories import blended_path

    path_world = blended_path(world.hr, world.alpha, free_text=True, slug="smittevern-2")
    enrolment = services.enrol_people(world.leader, path_world.path, [world.employee.person])[0]
    with django_capture_on_commit_callbacks(execute=True):
        attempt = take_module(world, enrolment, path_world.module_step)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.AWAITING_GRADING
    assert step_states(enrolment)[0].status == StepStatus.PENDING
    waiting = player.awaiting_grading(world.leader)
    assert [a.attempt_id for a in waiting] == [attempt.pk]
    assert player.awaiting_grading(world.beta_leader) == []
    with pytest.raises(NotFound):
        player.grade(world.beta_leader, waiting[0], points=2)
    with pytest.raises(InvalidInput):
        player.grade(world.leader, waiting[0], points=3)
    with django_capture_on_commit_callbacks(execute=True):
        player.grade(world.leader, waiting[0], points=1, feedback="Godt eksempel, men mangler tiltak.")
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PASSED  # 5 of 6 points ≥ 75 %
    assert Completion.objects.get(step=path_world.module_step).score == pytest.approx(5 / 6, abs=1e-3)


def _statement(person_id: int, activity_id: str, verb: str, **result: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": settings.PUBLIC_URL, "name": str(person_id)},
        },
        "verb": {"id": verb},
        "object": {"objectType": "Activity", "id": activity_id},
        "timestamp": "2025-02-01T10:00:00+01:00",
    }
    if result:
        statement["result"] = result
    return statement


def test_completion_from_statements_is_idempotent_and_ignores_failures(
    world: World, blended: PathWorld, enrolment: Enrolment
) -> None:
    pid = world.employee.person_id
    module_id = blended.module_step.activity_id
    # «completed» without success does not finish a module with a quiz; failed never does.
    assert (
        completions.apply_statements(world.alpha, [_statement(pid, module_id, completions.VERB_COMPLETED)])
        == []
    )
    failed = _statement(pid, module_id, completions.VERB_PASSED, success=False)
    assert completions.apply_statements(world.alpha, [failed]) == []
    passed = _statement(pid, module_id, completions.VERB_PASSED, success=True, score={"scaled": 0.9})
    first = completions.apply_statements(world.alpha, [passed])
    again = completions.apply_statements(world.alpha, [passed, dict(passed, id=str(uuid.uuid4()))])
    assert len(first) == 1 and again == []
    completion = Completion.objects.get(enrolment=enrolment, step=blended.module_step)
    assert completion.score == 0.9
    assert completion.completed_at == dt.datetime(2025, 2, 1, 9, 0, tzinfo=dt.UTC)
    # Another municipality's LRS cannot complete Alfa's steps.
    other = _statement(pid, blended.gathering.activity_id, completions.VERB_COMPLETED)
    assert completions.apply_statements(world.beta, [other]) == []


def test_statements_posted_to_the_lrs_complete_steps_of_external_tools(
    world: World, blended: PathWorld, enrolment: Enrolment, django_capture_on_commit_callbacks: Any
) -> None:
    from laeringsarena.lrs.services import record_statements

    satisfied = _statement(
        world.employee.person_id, blended.module_step.activity_id, completions.VERB_SATISFIED
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_statements(world.alpha, [satisfied])
    assert Completion.objects.filter(
        enrolment=enrolment, step=blended.module_step, statement_id=satisfied["id"]
    ).exists()


def test_finishing_every_step_completes_the_path_issues_the_certificate_and_signals_once(
    world: World, blended: PathWorld, enrolment: Enrolment, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[Completion] = []

    def receiver(sender: Any, completion: Completion, **kwargs: Any) -> None:
        received.append(completion)

    completion_recorded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            take_module(world, enrolment, blended.module_step)
        with django_capture_on_commit_callbacks(execute=True):
            services.register_attendance(world.leader, blended.gathering, [world.employee.person])
            sign_off = services.request_sign_off(
                world.employee,
                enrolment,
                blended.practical,
                supervisor=world.colleague.person,
                note="Gjort i dag",
            )
            with pytest.raises(NotFound):  # only the named supervisor gives the klarsignal
                services.decide_sign_off(world.leader, sign_off, approve=True)
            services.decide_sign_off(world.colleague, sign_off, approve=True, note="Trygg og ryddig.")
            assert received == []
            services.submit_reflection(
                world.employee, enrolment, blended.reflection, "Jeg sprita for sjelden før."
            )
    finally:
        completion_recorded.disconnect(receiver)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert len(received) == 1 and received[0].path == blended.path and received[0].step is None
    certificate = Certification.objects.get(person=world.employee.person)
    assert certificate.name == "Smittevernsertifikat"
    issued = timezone.localtime(enrolment.completed_at).date()
    assert certificate.issued_on == issued
    assert certificate.expires_on == issued.replace(year=issued.year + 1) or issued.month == 2
    assert received[0].certification == certificate
