"""Procedure change requests (endringsforslag) and improvement cases opened for a unit."""

from __future__ import annotations

import pytest
from django.core import mail

from laeringsarena.accounts.models import Role
from laeringsarena.conftest import client_for
from laeringsarena.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from laeringsarena.quality import procedures, services
from laeringsarena.quality.models import ProcedureChangeRequest
from laeringsarena.testing import factories as f


@pytest.fixture
def coordinator(world):
    user = f.UserFactory(person=f.PersonFactory(email="kvalitet@alfa.test"))
    f.EmploymentFactory(person=user.person, unit=world.alpha_school)
    f.RoleFactory(person=user.person, role=Role.QUALITY_COORDINATOR, organisation=world.alpha)
    return user


@pytest.fixture
def procedure(world, coordinator):
    folder = procedures.create_folder(coordinator, world.alpha, "Pleie")
    document = procedures.create_document(
        coordinator, folder, title="Sengehester", body="Sjekk ved vaktskifte.", owner=world.leader.person
    )
    procedures.move(coordinator, document, "for_approval")
    procedures.move(coordinator, document, "published")
    return document


def test_a_change_request_goes_to_the_documents_owner_who_accepts_and_starts_a_revision(
    world, procedure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = procedures.request_change(
            world.employee,
            tenant=world.alpha,
            document=procedure,
            text="Sjekk også ved tilsyn kl. 03.",
            source="debrief:7",
        )
    assert request.status == "open" and request.requested_by == world.employee.person
    [message] = mail.outbox
    assert message.to == [world.leader.person.email] and "Sengehester" in message.subject
    assert "kl. 03" in message.body and "/kvalitet/endringsforslag/" in message.body

    # The owner sees it on the document page and in the list, and accepts with a revision.
    page = client_for(world.leader).get(f"/kvalitet/dokumenter/{procedure.pk}/")
    assert "Sjekk også ved tilsyn kl. 03." in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.leader).post(
            "/kvalitet/endringsforslag/", {"action": "accept", "request": request.pk, "start_revision": "1"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    procedure.refresh_from_db()
    assert request.status == "accepted" and request.decided_by == world.leader.person
    assert procedure.state == "for_revision"
    # The requester is told, and sees the outcome on their list.
    assert [m.to for m in mail.outbox] == [[world.employee.person.email]]
    mine = client_for(world.employee).get("/kvalitet/endringsforslag/").content.decode()
    assert "Tatt til følge" in mine
    with pytest.raises(Conflict):
        procedures.decide_change_request(world.leader, request.pk, accept=False, reason="Nei")


def test_without_a_document_the_quality_managers_get_one_mail_each_and_decline_with_a_reason(
    world, coordinator, django_capture_on_commit_callbacks
):
    second = f.UserFactory(person=f.PersonFactory(email="kvalitet2@alfa.test"))
    f.EmploymentFactory(person=second.person, unit=world.alpha_home)
    f.RoleFactory(person=second.person, role=Role.QUALITY_COORDINATOR, organisation=world.alpha)
    with django_capture_on_commit_callbacks(execute=True):
        request = procedures.request_change(world.employee, tenant=world.alpha, text="Vi trenger en rutine")
    assert sorted(m.to[0] for m in mail.outbox) == ["kvalitet2@alfa.test", "kvalitet@alfa.test"]
    assert all(len(m.to) == 1 for m in mail.outbox)

    # Not the owner, not a quality manager: forbidden. Another municipality: not found.
    with pytest.raises(PermissionDenied):
        procedures.decide_change_request(world.leader, request.pk, accept=True)
    with pytest.raises(NotFound):
        procedures.decide_change_request(world.beta_leader, request.pk, accept=True)
    with pytest.raises(InvalidInput):
        procedures.decide_change_request(coordinator, request.pk, accept=False, reason=" ")
    procedures.decide_change_request(coordinator, request.pk, accept=False, reason="Finnes i «Fall»")
    request.refresh_from_db()
    assert request.status == "declined" and request.reason == "Finnes i «Fall»"
    page = client_for(world.employee).get("/kvalitet/endringsforslag/").content.decode()
    assert "Avslått" in page and "Finnes i «Fall»" in page


def test_only_employees_of_the_municipality_may_ask(world, procedure):
    with pytest.raises(NotFound):
        procedures.request_change(world.beta_employee, tenant=world.alpha, text="Endre")
    with pytest.raises(InvalidInput):
        procedures.request_change(world.employee, tenant=world.alpha, document=procedure, text="  ")
    assert not ProcedureChangeRequest.objects.exists()


def test_an_improvement_case_for_a_unit_without_a_deviation(world, coordinator):
    case = services.open_improvement_case_for_unit(
        world.leader,
        world.alpha_home.pk,
        title="Færre fall om natten",
        goal="Halvere fall",
        measures="Sengehester sjekkes kl. 03",
        responsible_id=world.employee.person.pk,
    )
    assert case.category is None and case.unit == world.alpha_home
    assert case.responsible == world.employee.person and not case.deviations.exists()
    page = client_for(world.leader).get(f"/avvik/forbedringssaker/{case.pk}/")
    assert page.status_code == 200 and "Færre fall om natten" in page.content.decode()
    # The quality managers may open one too, and see it.
    services.ensure_categories(world.alpha)
    category = world.alpha.deviation_categories.first()
    other = services.open_improvement_case_for_unit(
        coordinator, world.alpha_home.pk, title="T", goal="G", measures="M", category_id=category.pk
    )
    assert other.category == category
    assert client_for(coordinator).get(f"/avvik/forbedringssaker/{case.pk}/").status_code == 200


def test_an_improvement_case_for_a_unit_is_for_its_leaders_and_the_quality_managers(world):
    with pytest.raises(PermissionDenied):
        services.open_improvement_case_for_unit(
            world.employee, world.alpha_home.pk, title="T", goal="G", measures="M"
        )
    with pytest.raises(NotFound):
        services.open_improvement_case_for_unit(
            world.beta_leader, world.alpha_home.pk, title="T", goal="G", measures="M"
        )
    with pytest.raises(InvalidInput):
        services.open_improvement_case_for_unit(
            world.leader, world.alpha_home.pk, title="T", goal="G", measures="M", category_id=999999
        )
