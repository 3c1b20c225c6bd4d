"""Sub-goals (delmål) on plan items, and completions from the learning app finishing plan items."""

from __future__ import annotations

from django.utils import timezone

from laeringsarena.catalogue.tests import helpers as catalogue_helpers
from laeringsarena.conftest import client_for
from laeringsarena.learning.models import Completion, CompletionSource
from laeringsarena.learning.signals import completion_recorded
from laeringsarena.plans import services
from laeringsarena.plans.models import ItemKind, ItemStatus, Milestone, PlanItem


def _item(world, **extra) -> PlanItem:
    plan = services.plan_for(world.employee.person)
    return PlanItem.objects.create(
        plan=plan, kind=ItemKind.ON_THE_JOB, title="Bli superbruker på journal", created_by=None, **extra
    )


def test_employee_adds_milestones_and_progress_follows_them(world):
    item = _item(world)
    employee = client_for(world.employee)
    for title in ("Kurs i journalsystemet", "Veilede to kolleger"):
        response = employee.post("/min-plan/", {"action": "milestone", "item": item.pk, "title": title})
        assert response.status_code == 302
    first = Milestone.objects.get(title="Kurs i journalsystemet")
    employee.post("/min-plan/", {"action": "milestone-done", "milestone": first.pk, "done": "1"})

    item.refresh_from_db()
    assert (item.progress, item.status) == (50, ItemStatus.IN_PROGRESS)
    page = employee.get("/min-plan/").content.decode()
    assert "Veilede to kolleger" in page and "nådd" in page

    empty = employee.post("/min-plan/", {"action": "milestone", "item": item.pk, "title": " "})
    assert empty.status_code == 400 and "Skriv hva delmålet er" in empty.content.decode()


def test_the_leader_marks_a_milestone_but_a_colleague_cannot(world):
    item = _item(world)
    milestone = Milestone.objects.create(item=item, title="Hospitering")
    url = f"/personer/{world.employee.person_id}/utviklingsplan/"
    response = client_for(world.leader).post(
        url, {"action": "milestone-done", "milestone": milestone.pk, "done": "1"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    assert (
        client_for(world.beta_leader)
        .post(url, {"action": "milestone-done", "milestone": milestone.pk, "done": "0"})
        .status_code
        == 404
    )


def test_a_completed_offering_finishes_the_plan_item_that_named_it(world):
    offering = catalogue_helpers.offering(catalogue_helpers.provider("ks"), "HLR for helsepersonell")
    item = _item(world, offering=offering)
    completion = Completion.objects.create(
        person=world.employee.person,
        offering=offering,
        completed_at=timezone.now(),
        source=CompletionSource.IMPORT,
    )
    completion_recorded.send(sender=Completion, completion=completion)
    item.refresh_from_db()
    assert (item.status, item.progress) == (ItemStatus.DONE, 100)


def test_enrolling_a_course_request_enrols_on_the_path_that_delivers_the_course(world):
    from laeringsarena.learning import services as learning
    from laeringsarena.learning.models import Enrolment, PathStatus
    from laeringsarena.plans.models import CourseRequest

    offering = catalogue_helpers.offering(catalogue_helpers.provider("ks"), "Sårbehandling")
    path = learning.create_path(
        world.hr, world.alpha, title="Sårbehandling i praksis", status=PathStatus.PUBLISHED
    )
    learning.add_step(world.hr, path, kind="offering", title="E-læring", offering_id=offering.pk)

    request = services.request_course(world.employee, offering=offering, motivation="Trykksår")
    leader = client_for(world.leader)
    leader.post(f"/kursforesporsler/{request.pk}/", {"action": "approve"})
    leader.post(f"/kursforesporsler/{request.pk}/", {"action": "enrol"})

    assert CourseRequest.objects.get(pk=request.pk).status == "enrolled"
    enrolment = Enrolment.objects.get(person=world.employee.person, path=path)
    assert enrolment.is_open
    assert "Sårbehandling i praksis" in client_for(world.employee).get("/laering/").content.decode()
