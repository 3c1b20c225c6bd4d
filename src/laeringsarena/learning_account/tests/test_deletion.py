"""Deletion: own items go at once with a receipt, retained items stay with a reason, HR acts on the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from laeringsarena.competence.models import Assessment, Certification, CompetenceLevel, Education, Source
from laeringsarena.conftest import bearer, client_for
from laeringsarena.learning.models import Completion
from laeringsarena.learning_account import services
from laeringsarena.learning_account.models import (
    AccountEvent,
    DeletionRequest,
    EventKind,
    RequestStatus,
    Upload,
)
from laeringsarena.learning_account.tests.factories import (
    CertificationFactory,
    CertificationRequirementFactory,
    past_employment,
    upload,
)


@pytest.fixture
def account(world: Any) -> Any:
    from laeringsarena.competence.models import Competence, CompetenceArea, Framework

    person = world.employee.person
    past_employment(person, world.beta_unit, dt.date(2015, 1, 1), dt.date(2019, 12, 31))
    framework = Framework.objects.create(slug="f", name="Rammeverk")
    area = CompetenceArea.objects.create(framework=framework, code="A", name="Område")
    competence = Competence.objects.create(framework=framework, area=area, code="A1", name="Kompetanse")
    Assessment.objects.create(
        person=person, competence=competence, level=3, source=Source.SELF, assessed_on=dt.date(2024, 1, 1)
    )
    Assessment.objects.create(
        person=person, competence=competence, level=2, source=Source.LEADER, assessed_on=dt.date(2024, 2, 1)
    )
    CompetenceLevel.objects.create(
        person=person,
        competence=competence,
        level=2,
        source=Source.LEADER,
        assessed_on=dt.date(2024, 2, 1),
        self_level=3,
    )
    hlr = CertificationRequirementFactory(tenant=world.alpha, organisation=world.alpha_health)
    world.required = CertificationFactory(person=person, requirement=hlr, issued_on=dt.date(2024, 3, 1))
    world.beta_cert = CertificationFactory(
        person=person, name="Forflytning", issuer="Beta kommune", issued_on=dt.date(2018, 5, 2)
    )
    world.hired_with = Education.objects.create(
        person=person, level="trade_certificate", field="Helsearbeiderfaget"
    )
    world.own_education = services.save_education(world.employee, {"level": "bachelor", "field": "Sykepleie"})
    world.own_prior = services.save_prior_learning(world.employee, {"description": "Tolk i ti år"})
    world.private = upload(world.employee, title="Privat", prior_learning_id=world.own_prior.pk)
    world.completion = Completion.objects.create(
        person=person,
        completed_at=timezone.now() - dt.timedelta(days=30),
        source="manual",
        title="Brannvernkurs",
    )
    return world


def test_plan_lists_every_record_in_exactly_one_place_with_reasons(account: Any) -> None:
    plan = client_for(account.employee).get("/api/v1/me/account/deletion").json()
    now = {(i["kind"], i["title"]) for i in plan["delete_now"]}
    assert now == {
        ("upload", "Privat"),
        ("education", "Sykepleie"),
        ("prior_learning", "Tolk i ti år"),
        ("self_assessment", "Egenvurderinger (1)"),
    }
    kept = {i["title"]: i for i in plan["keep"]}
    assert (
        "Førstehjelp og HLR" in kept
        and "dokumentere at kravet var oppfylt" in kept["Førstehjelp og HLR"]["reason"]
    )
    review = {(i["title"], i["employer"]) for i in plan["review"]}
    assert review == {
        ("Forflytning", "Beta kommune"),
        ("Helsearbeiderfaget", "Alfa kommune"),
        ("Brannvernkurs", "Alfa kommune"),
        ("Ledervurderinger (1)", "Alfa kommune"),
    }


def test_deletion_needs_confirmation(account: Any) -> None:
    response = client_for(account.employee).post("/laeringskonto/sletting/", {})
    assert response.status_code == 400
    assert "Bekreft" in response.content.decode()
    api = client_for(account.employee).post(
        "/api/v1/me/account/deletion", {}, content_type="application/json"
    )
    assert api.status_code == 400 and api["Content-Type"] == "application/problem+json"
    assert Upload.objects.filter(pk=account.private.pk).exists()


def test_deletion_removes_own_items_at_once_keeps_retained_ones_and_asks_hr(
    account: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = account.employee.person
    file_name = account.private.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(account.employee).post("/laeringskonto/sletting/", {"confirm": "on"})
    assert response.status_code == 302
    # Deleted at once, the file too.
    assert not Upload.objects.filter(person=person).exists()
    assert not default_storage.exists(file_name)
    assert not Education.objects.filter(pk=account.own_education.pk).exists()
    assert not Assessment.objects.filter(person=person, source=Source.SELF).exists()
    assert CompetenceLevel.objects.get(person=person).self_level is None
    # Kept (retention duty) or waiting for a human: still there.
    assert Certification.objects.filter(pk__in=[account.required.pk, account.beta_cert.pk]).count() == 2
    assert Completion.objects.filter(pk=account.completion.pk).exists()
    assert Assessment.objects.filter(person=person, source=Source.LEADER).exists()
    # One request per employer that must act, with e-mail to its HR.
    requests = {r.tenant.name: r for r in DeletionRequest.objects.filter(person=person)}
    assert set(requests) == {"Alfa kommune", "Beta kommune"}
    assert [i["title"] for i in requests["Beta kommune"].items] == ["Forflytning"]
    assert any(account.hr.email in m.to for m in mail.outbox)
    # The receipt, kept in the audit trail and shown to the person.
    event = AccountEvent.objects.get(person=person, kind=EventKind.DELETION)
    assert {i["title"] for i in event.data["deleted"]} >= {"Privat", "Sykepleie", "Tolk i ti år"}
    receipt = client_for(account.employee).get(response["Location"]).content.decode()
    assert "Privat" in receipt and "dokumentere at kravet var oppfylt" in receipt
    # Asking again does not send the same items twice.
    client_for(account.employee).post("/laeringskonto/sletting/", {"confirm": "on"})
    assert DeletionRequest.objects.filter(person=person).count() == 2


def test_api_deletion_answers_with_the_receipt(account: Any) -> None:
    response = client_for(account.employee).post(
        "/api/v1/me/account/deletion",
        {"confirm": True},
        content_type="application/json",
        **bearer(account.employee),
    )
    assert response.status_code == 201
    body = response.json()
    assert {i["title"] for i in body["deleted"]} >= {"Privat", "Sykepleie"}
    assert len(body["requests"]) == 2


def test_hr_answers_a_request_and_only_that_employers_hr_may(account: Any) -> None:
    services_ = __import__("laeringsarena.learning_account.deletion", fromlist=["request_deletion"])
    services_.request_deletion(account.employee, confirm=True)
    alpha_request = DeletionRequest.objects.get(tenant=account.alpha)
    url = f"/laeringskonto/sletteforesporsler/{alpha_request.pk}/"
    assert client_for(account.leader).get(url).status_code == 403  # a leader, not HR
    assert client_for(account.beta_leader).get(url).status_code == 404  # another municipality
    assert client_for(account.employee).get("/laeringskonto/sletteforesporsler/").status_code == 403
    hr = client_for(account.hr)
    assert account.employee.person.full_name in hr.get("/laeringskonto/sletteforesporsler/").content.decode()
    assert hr.post(url, {"note": ""}).status_code == 400
    mail.outbox.clear()
    assert hr.post(url, {"note": "Brannvernkurset beholdes (HMS). Resten er slettet."}).status_code == 302
    alpha_request.refresh_from_db()
    assert alpha_request.status == RequestStatus.DONE and alpha_request.handled_by == account.hr.person
    assert AccountEvent.objects.filter(
        person=account.employee.person, kind=EventKind.REQUEST_HANDLED
    ).exists()
    page = client_for(account.employee).get("/laeringskonto/sletting/").content.decode()
    assert "Brannvernkurset beholdes (HMS)" in page
