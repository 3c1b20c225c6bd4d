"""A debrief's outcomes are handed on for real: plan items, improvement cases, procedure changes."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from laeringsarena.accounts.models import Role
from laeringsarena.community import debriefs, handover
from laeringsarena.community.models import OutcomeKind
from laeringsarena.community.services import Link
from laeringsarena.community.tests.conftest import add_member
from laeringsarena.conftest import bearer, client_for
from laeringsarena.plans.models import ItemKind, ItemStatus, PlanItem
from laeringsarena.quality import procedures
from laeringsarena.quality.models import ImprovementCase, ProcedureChangeRequest
from laeringsarena.quality.tests.support import build, report
from laeringsarena.testing import factories as f

API = "/api/v1/community"


@pytest.fixture
def debrief(world, guidance):
    return debriefs.hold_debrief(
        world.employee,
        guidance.pk,
        title="Fall på nattevakt",
        answers={"happened": "Beboer falt på rom 12.", "better": "Sengehest sto nede."},
    )


def test_a_leader_turns_an_outcome_into_a_planned_item_in_the_employees_plan(world, debrief):
    outcome = debriefs.add_outcome(
        world.leader,
        debrief.pk,
        kind=OutcomeKind.PLAN_ITEM,
        description="Opplæring i fallforebygging",
        responsible_id=world.employee.person.pk,
    )
    item = PlanItem.objects.get(plan__person=world.employee.person)
    assert item.title == "Opplæring i fallforebygging" and item.kind == ItemKind.ON_THE_JOB
    assert item.status == ItemStatus.PLANNED and "Fall på nattevakt" in item.goal
    assert outcome.handed_over and outcome.target_type == "plan_item" and outcome.target_id == item.pk
    # The employee finds it in their own plan.
    assert "Opplæring i fallforebygging" in client_for(world.employee).get("/min-plan/").content.decode()


def test_an_outcome_for_a_colleague_waits_until_the_colleague_adds_it_to_their_plan(world, guidance, debrief):
    colleague = f.UserFactory(person=f.PersonFactory(email="kollega@alfa.test"))
    f.EmploymentFactory(person=colleague.person, unit=world.alpha_home)
    add_member(guidance, colleague)

    outcome = debriefs.add_outcome(
        world.employee,
        debrief.pk,
        kind=OutcomeKind.PLAN_ITEM,
        description="Lære bort sengehest-rutinen",
        responsible_id=colleague.person.pk,
    )
    # A colleague may not write in another's plan: nothing is added, the outcome says why.
    assert not outcome.handed_over and colleague.person.full_name in outcome.handover_note
    assert not PlanItem.objects.exists()
    page = client_for(colleague).get(f"/fellesskap/gjennomganger/{debrief.pk}/").content.decode()
    assert "Send videre nå" in page

    client_for(colleague).post(f"/fellesskap/gjennomganger/{debrief.pk}/", {"hand_on": outcome.pk})
    item = PlanItem.objects.get(plan__person=colleague.person)
    # Added by the person themself: a wish their leader decides on (the plans app's rule).
    assert item.status == ItemStatus.WISH
    outcome.refresh_from_db()
    assert outcome.handed_over and outcome.target_id == item.pk
    # Handed on once only.
    response = client_for(colleague).post(f"/fellesskap/gjennomganger/{debrief.pk}/", {"hand_on": outcome.pk})
    assert response.status_code == 302 and PlanItem.objects.count() == 1


def test_an_outcome_on_a_deviation_becomes_an_improvement_case_by_its_handler(world, guidance):
    build(world)
    deviation_id = report(world.same_unit, world).json()["id"]
    # The employee links the debrief to the deviation by its number.
    held = debriefs.hold_debrief(
        world.leader,
        guidance.pk,
        title="Gjennomgang av legemiddelavvik",
        answers={"happened": "Kveldsmedisin ble ikke gitt."},
        link=Link(kind="deviation", id=deviation_id, title=""),
    )
    assert held.link_title == f"Avvik #{deviation_id}"

    waiting = debriefs.add_outcome(
        world.employee, held.pk, kind=OutcomeKind.IMPROVEMENT_CASE, description="Dobbeltkontroll på kveld"
    )
    assert not waiting.handed_over and "behandler avviket" in waiting.handover_note
    assert not ImprovementCase.objects.exists()

    # The unit leader handles the deviation: handing on opens the case on it.
    handover.hand_on(world.leader, waiting.pk)
    case = ImprovementCase.objects.get()
    assert case.title == "Dobbeltkontroll på kveld"
    assert list(case.deviations.values_list("pk", flat=True)) == [deviation_id]
    waiting.refresh_from_db()
    assert waiting.target_type == "improvement_case" and waiting.target_id == case.pk
    assert handover.target_url(waiting) == f"/avvik/forbedringssaker/{case.pk}/"


def test_a_debrief_cannot_be_linked_to_a_deviation_the_writer_cannot_read(world, guidance):
    build(world)
    deviation_id = report(world.same_unit, world).json()["id"]
    from laeringsarena.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        debriefs.hold_debrief(
            world.employee,
            guidance.pk,
            title="X",
            answers={"happened": "Y"},
            link=Link(kind="deviation", id=deviation_id, title=""),
        )


@pytest.fixture
def coordinator(world):
    user = f.UserFactory(person=f.PersonFactory(email="kvalitet@alfa.test"))
    f.EmploymentFactory(person=user.person, unit=world.alpha_home)
    f.RoleFactory(person=user.person, role=Role.QUALITY_COORDINATOR, organisation=world.alpha)
    return user


@pytest.fixture
def procedure(world, coordinator):
    folder = procedures.create_folder(coordinator, world.alpha, "Pleie")
    document = procedures.create_document(
        coordinator, folder, title="Sengehester", body="Sjekk ved vaktskifte."
    )
    procedures.move(coordinator, document, "for_approval")
    procedures.move(coordinator, document, "published")
    return document


def test_a_procedure_change_request_goes_to_the_procedures_owner_without_the_debrief(
    world, debrief, coordinator, procedure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = debriefs.add_outcome(
            world.employee,
            debrief.pk,
            kind=OutcomeKind.PROCEDURE_CHANGE,
            description="Sengehest skal sjekkes også ved tilsyn kl. 03.",
            procedure_id=procedure.pk,
        )
    # It is kept in the quality system as a change request, told the owner by e-mail.
    assert outcome.handed_over and outcome.target_type == "change_request"
    request = ProcedureChangeRequest.objects.get(pk=outcome.target_id)
    assert request.document == procedure and request.status == "open"
    assert request.source == f"debrief:{debrief.pk}" and request.requested_by == world.employee.person
    assert handover.target_url(outcome) == "/kvalitet/endringsforslag/"
    [message] = mail.outbox
    assert message.to == [coordinator.person.email]
    assert "Sengehester" in message.subject and "kl. 03" in message.body
    assert f"/kvalitet/dokumenter/{procedure.pk}/" in message.body
    # What the group said in the debrief stays in the group.
    assert "rom 12" not in message.body and "Sengehest sto nede" not in message.body
    assert "rom 12" not in request.text

    # The owner declines with a reason; the employee sees it in the quality system.
    procedures.decide_change_request(coordinator, request.pk, accept=False, reason="Dekket av tilsynsrutinen")
    page = client_for(world.employee).get("/kvalitet/endringsforslag/").content.decode()
    assert "Avslått" in page and "Dekket av tilsynsrutinen" in page


def test_the_procedures_owner_in_the_group_starts_a_revision(
    world, guidance, debrief, coordinator, procedure
):
    add_member(guidance, coordinator)
    outcome = debriefs.add_outcome(
        coordinator,
        debrief.pk,
        kind=OutcomeKind.PROCEDURE_CHANGE,
        description="Ny kontroll kl. 03.",
        procedure_id=procedure.pk,
    )
    procedure.refresh_from_db()
    assert procedure.state == "for_revision"
    assert outcome.target_type == "procedure_revision" and outcome.target_id == procedure.pk


def test_an_unknown_procedure_is_refused_with_a_problem(world, debrief):
    response = Client().post(
        f"{API}/debriefs/{debrief.pk}/outcomes",
        json.dumps({"kind": "procedure_change", "description": "Endre rutinen", "procedure_id": 999999}),
        content_type="application/json",
        **bearer(world.employee),
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "procedure_id"


def test_without_a_named_procedure_the_request_goes_to_the_quality_managers(
    world, debrief, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = debriefs.add_outcome(
            world.employee, debrief.pk, kind=OutcomeKind.PROCEDURE_CHANGE, description="Vi trenger en rutine"
        )
    assert outcome.handed_over and [m.to for m in mail.outbox] == [[coordinator.person.email]]
    assert "Vi trenger en rutine" in mail.outbox[0].body
    request = ProcedureChangeRequest.objects.get(pk=outcome.target_id)
    assert request.document is None and request.tenant == world.alpha
    assert request in procedures.change_requests_to_decide(coordinator)


def test_an_outcome_without_a_deviation_becomes_an_improvement_case_for_the_unit(world, guidance, debrief):
    waiting = debriefs.add_outcome(
        world.employee, debrief.pk, kind=OutcomeKind.IMPROVEMENT_CASE, description="Tilsyn kl. 03 på natt"
    )
    # An employee may not open a case for the unit: it waits for a leader or quality manager.
    assert not waiting.handed_over and "kvalitetsleder" in waiting.handover_note
    assert not ImprovementCase.objects.exists()
    handover.hand_on(world.leader, waiting.pk)
    case = ImprovementCase.objects.get()
    assert case.title == "Tilsyn kl. 03 på natt" and case.category is None
    assert case.unit == world.alpha_home and not case.deviations.exists()
    assert "Fall på nattevakt" in case.measures and "rom 12" not in case.measures
    waiting.refresh_from_db()
    assert waiting.target_type == "improvement_case" and waiting.target_id == case.pk
    assert client_for(world.leader).get(handover.target_url(waiting)).status_code == 200


def test_without_a_responsible_the_outcome_goes_to_the_units_competence_plan(world, guidance, debrief):
    import datetime as dt

    from django.utils import timezone

    from laeringsarena.plans import services as plans
    from laeringsarena.plans.models import Measure

    today = timezone.localdate()
    plan = plans.create_competence_plan(
        world.leader,
        world.alpha_home,
        title="Kompetanseplan",
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=300),
    )
    waiting = debriefs.add_outcome(
        world.employee, debrief.pk, kind=OutcomeKind.PLAN_ITEM, description="Fagdag om fall"
    )
    assert not waiting.handed_over  # the employee cannot edit the unit's plan
    handover.hand_on(world.leader, waiting.pk)
    measure = Measure.objects.get(plan=plan)
    assert measure.title == "Fagdag om fall"
    waiting.refresh_from_db()
    assert (
        waiting.target_type == "measure" and handover.target_url(waiting) == f"/kompetanseplaner/{plan.pk}/"
    )
