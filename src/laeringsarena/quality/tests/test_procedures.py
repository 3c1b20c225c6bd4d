"""Procedures: versions, the approval workflow, required reading and the leader's read status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from laeringsarena.accounts.models import Role
from laeringsarena.conftest import client_for
from laeringsarena.core.errors import Conflict, PermissionDenied
from laeringsarena.quality import procedures
from laeringsarena.quality.models import Document, Folder
from laeringsarena.testing import factories as f


@pytest.fixture
def coordinator(world):
    user = f.UserFactory(person=f.PersonFactory(email="kvalitet@alfa.test"))
    f.EmploymentFactory(person=user.person, unit=world.alpha_school)
    f.RoleFactory(person=user.person, role=Role.QUALITY_COORDINATOR, organisation=world.alpha)
    return user


@pytest.fixture
def procedure(world, coordinator):
    folder = procedures.create_folder(coordinator, world.alpha, "Legemiddelhåndtering")
    document = procedures.create_document(
        coordinator, folder, title="Utdeling av legemidler", body="Dobbeltkontroll ved utdeling."
    )
    procedures.move(coordinator, document, "for_approval")
    procedures.move(coordinator, document, "published")
    document.required_units.set([world.alpha_home])
    return document


def test_publish_revise_and_keep_the_old_version_visible_until_the_new_one_is_published(
    world, coordinator, procedure
):
    assert procedure.state == "published" and procedure.next_review is not None
    procedures.move(coordinator, procedure, "for_revision")
    procedures.edit(coordinator, procedure, body="Dobbeltkontroll også på natt.", change_note="Nattevakt")
    # While under revision, everybody still reads version 1.
    page = client_for(world.employee).get(f"/kvalitet/dokumenter/{procedure.pk}/").content.decode()
    assert "Dobbeltkontroll ved utdeling." in page and "også på natt" not in page
    procedures.move(coordinator, procedure, "for_approval")
    procedures.move(coordinator, procedure, "published")
    page = client_for(world.employee).get(f"/kvalitet/dokumenter/{procedure.pk}/").content.decode()
    assert "også på natt" in page and "Versjon 1" in page  # the old version is listed
    assert list(procedure.versions.values_list("number", "change_note")) == [
        (2, "Nattevakt"),
        (1, "Første versjon."),
    ]
    with pytest.raises(Conflict):
        procedures.move(coordinator, procedure, "draft")


def test_only_quality_coordinators_publish(world, coordinator):
    folder = Folder.objects.create(tenant=world.alpha, name="HMS")
    document = procedures.create_document(coordinator, folder, title="Stikkskader", body="Tekst")
    document.owner = world.leader.person
    document.save()
    procedures.move(world.leader, document, "for_approval")  # the owner may submit
    with pytest.raises(PermissionDenied):
        procedures.move(world.leader, document, "published")
    assert client_for(world.employee).get(f"/kvalitet/dokumenter/{document.pk}/").status_code == 404


def test_what_i_must_read_and_the_leaders_read_status(world, procedure):
    employee = client_for(world.employee)
    page = employee.get("/kvalitet/les/").content.decode()
    assert "Utdeling av legemidler" in page and "Ikke bekreftet lest" in page
    assert "Utdeling av legemidler" not in client_for(world.colleague).get("/kvalitet/les/").content.decode()
    status = client_for(world.leader).get(f"/kvalitet/lesestatus/{world.alpha_home.pk}/").content.decode()
    assert "0 av 3" in status  # employee, leader and union representative work at the nursing home
    employee.post(f"/kvalitet/dokumenter/{procedure.pk}/", {"action": "confirm"})
    assert "Lest og forstått" in employee.get("/kvalitet/les/").content.decode()
    status = client_for(world.leader).get(f"/kvalitet/lesestatus/{world.alpha_home.pk}/").content.decode()
    assert "1 av 3" in status
    assert client_for(world.leader).get(f"/kvalitet/lesestatus/{world.alpha_school.pk}/").status_code in (
        403,
        404,
    )


def test_the_owner_is_reminded_once_when_the_review_date_has_passed(
    world, procedure, coordinator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    later = procedure.next_review + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("quality-escalate".replace("-", "_"), today=later)
        call_command("quality_escalate", today=later)
    assert [m.to for m in mail.outbox] == [["kvalitet@alfa.test"]]
    assert Document.objects.get(pk=procedure.pk).review_reminded_for == procedure.next_review


def test_full_text_search_uses_the_shared_language_analysis_and_hides_drafts(world, coordinator, procedure):
    folder = procedure.folder
    procedures.create_document(coordinator, folder, title="Hemmelig utkast om legemidler", body="Utkast.")
    employee = client_for(world.employee)
    page = employee.get("/kvalitet/dokumenter/?q=legemiddel").content.decode()
    assert "<mark>legemidler</mark>" in page  # stemmed: legemiddel ~ legemidler
    assert "Hemmelig utkast" not in page
    page = employee.get("/kvalitet/dokumenter/?q=dobbeltkontrol").content.decode()  # a typo
    assert "Utdeling av legemidler" in page
    assert (
        "Hemmelig utkast"
        in client_for(coordinator).get("/kvalitet/dokumenter/?q=legemidler").content.decode()
    )


def test_coordinator_sets_required_reading_by_position(world, coordinator, procedure):
    position = world.employee.person.employments.get().position
    procedure.required_units.clear()
    client_for(coordinator).post(
        f"/kvalitet/dokumenter/{procedure.pk}/", {"action": "required", "positions": [position.pk]}
    )
    assert list(procedure.required_positions.all()) == [position]
    assert "Utdeling av legemidler" in client_for(world.colleague).get("/kvalitet/les/").content.decode()
