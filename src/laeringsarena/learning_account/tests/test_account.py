"""Min læringskonto: records from every employment, uploads, own entries, and who may read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.competence.models import Certification, Education, PriorLearning
from laeringsarena.conftest import bearer, client_for
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.learning_account import services
from laeringsarena.learning_account.models import AccountEvent, EventKind, OwnEntry, Upload
from laeringsarena.learning_account.tests.factories import (
    PDF,
    TEXT,
    CertificationFactory,
    CertificationRequirementFactory,
    past_employment,
    upload,
)
from laeringsarena.testing import factories as f

ACCOUNT = "/laeringskonto/"


@pytest.fixture
def moved(world: Any) -> Any:
    """The employee worked in Beta kommune 2015–2019 before starting in Alfa in 2020."""
    person = world.employee.person
    past_employment(person, world.beta_unit, dt.date(2015, 1, 1), dt.date(2019, 12, 31))
    CertificationFactory(
        person=person, name="Forflytningskurs Beta", issuer="Beta kommune", issued_on=dt.date(2018, 5, 2)
    )
    hlr = CertificationRequirementFactory(tenant=world.alpha, organisation=world.alpha_health)
    CertificationFactory(
        person=person,
        issuer="Alfa kommune",
        issued_on=timezone.localdate() - dt.timedelta(days=400),
        expires_on=timezone.localdate() - dt.timedelta(days=35),
        requirement=hlr,
    )
    Education.objects.create(person=person, level="trade_certificate", field="Helsearbeiderfaget")
    upload(world.employee, title="Privat attest", content=TEXT, name="attest.txt")
    upload(world.employee, title="Kursbevis demens", visible=True)
    return world


def test_account_shows_records_from_a_past_employment_with_employer_and_period(moved: Any) -> None:
    response = client_for(moved.employee).get(ACCOUNT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Forflytningskurs Beta" in html
    assert "Fra tidligere ansettelse: Beta kommune, Beta omsorg (01.2015–12.2019)" in html
    assert "Utløpt" in html  # the HLR certification expired 35 days ago
    assert "Privat attest" in html and "Kursbevis demens" in html
    assert "Avsluttet – arbeidsgiveren har ikke lenger tilgang til kontoen din" in html


def test_api_account_lists_every_employment_and_the_origin_of_each_record(moved: Any) -> None:
    body = client_for(moved.employee).get("/api/v1/me/account").json()
    employers = {(e["employer"], e["current"]) for e in body["employments"]}
    assert employers == {("Alfa kommune", True), ("Beta kommune", False)}
    beta = next(c for c in body["certifications"] if c["title"] == "Forflytningskurs Beta")
    assert beta["origin"]["employer_id"] == moved.beta.pk and beta["origin"]["current"] is False
    hlr = next(c for c in body["certifications"] if c["title"] == "Førstehjelp og HLR")
    assert hlr["state"] == "expired"


def test_former_employers_leader_cannot_read_the_account(moved: Any) -> None:
    person_id = moved.employee.person_id
    beta_leader = moved.beta_leader
    # The permission service: the leader still holds the permission on the old unit …
    assert permissions.has_permission(beta_leader, Permission.LEARNING_RECORDS_VIEW, moved.beta_unit)
    # … but the person has no employment in force there, so the account is closed to them.
    assert (
        client_for(beta_leader).get(f"{ACCOUNT}person/{person_id}/").status_code == 404
    )  # the former employer no longer knows the person
    response = client_for(beta_leader).get(f"/api/v1/learning-accounts/{person_id}", **bearer(beta_leader))
    assert response.status_code == 404  # the former employer no longer knows the person
    assert response["Content-Type"] == "application/problem+json"
    shown = Upload.objects.get(title="Kursbevis demens")
    assert (
        client_for(beta_leader).get(reverse("learning_account:upload_file", args=[shown.pk])).status_code
        == 404
    )


def test_permission_service_does_not_reach_a_former_employee(moved: Any) -> None:
    with pytest.raises(NotFound):
        permissions.access_person(moved.beta_leader, moved.employee.person_id)


def test_new_employers_leader_sees_only_the_employers_part_and_what_the_person_shows(moved: Any) -> None:
    person_id = moved.employee.person_id
    body = client_for(moved.leader).get(f"/api/v1/learning-accounts/{person_id}").json()
    titles = {
        i["title"] for key in ("certifications", "uploads", "educations", "credentials") for i in body[key]
    }
    assert "Førstehjelp og HLR" in titles  # required by Alfa, recorded while employed there
    assert "Helsearbeiderfaget" in titles  # education the employer registered
    assert "Kursbevis demens" in titles  # the person chose to show it
    assert "Forflytningskurs Beta" not in titles  # from the former employer
    assert "Privat attest" not in titles  # private upload
    assert [e["employer"] for e in body["employments"]] == ["Alfa kommune"]
    html = client_for(moved.leader).get(f"{ACCOUNT}person/{person_id}/").content.decode()
    assert "Forflytningskurs Beta" not in html and "Privat attest" not in html and "Kursbevis demens" in html
    private = Upload.objects.get(title="Privat attest")
    assert (
        client_for(moved.leader).get(reverse("learning_account:upload_file", args=[private.pk])).status_code
        == 404
    )
    shown = Upload.objects.get(title="Kursbevis demens")
    assert (
        client_for(moved.leader).get(reverse("learning_account:upload_file", args=[shown.pk])).status_code
        == 200
    )
    # The person can see that the leader opened the account.
    assert AccountEvent.objects.filter(
        person_id=person_id, kind=EventKind.VIEWED, actor=moved.leader.person
    ).exists()
    visibility = client_for(moved.employee).get(f"{ACCOUNT}hvem-ser-hva/").content.decode()
    assert f"{moved.leader.person.full_name} åpnet kontoen" in visibility


def test_colleagues_union_reps_and_other_municipalities_cannot_read_the_account(moved: Any) -> None:
    person_id = moved.employee.person_id
    assert client_for(moved.colleague).get(f"{ACCOUNT}person/{person_id}/").status_code == 404
    assert client_for(moved.union_rep).get(f"{ACCOUNT}person/{person_id}/").status_code == 404
    assert client_for(moved.beta_employee).get(f"/api/v1/learning-accounts/{person_id}").status_code == 404


def test_access_ends_the_day_after_the_employment_ends(world: Any) -> None:
    person = f.PersonFactory()
    job = f.EmploymentFactory(person=person, unit=world.alpha_home, start_date=dt.date(2020, 1, 1))
    url = f"{ACCOUNT}person/{person.pk}/"
    assert client_for(world.leader).get(url).status_code == 200
    job.end_date = timezone.localdate() - dt.timedelta(days=1)
    job.save()
    assert (
        client_for(world.leader).get(url).status_code == 404
    )  # the former employer no longer knows the person


def test_upload_is_stored_with_a_detected_type_and_checksum(world: Any) -> None:
    client = client_for(world.employee)
    response = client.post(
        f"{ACCOUNT}dokumenter/ny/",
        {"kind": "diploma", "title": "Vitnemål", "file": ContentFile(PDF, name="vitnemål.pdf")},
    )
    assert response.status_code == 302
    stored = Upload.objects.get(title="Vitnemål")
    assert stored.content_type == "application/pdf" and stored.size == len(PDF)
    assert stored.original_name == "vitnemål.pdf"
    assert default_storage.exists(stored.file.name)
    download = client.get(reverse("learning_account:upload_file", args=[stored.pk]))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00\x03\x00binary", "program.exe", "Filtypen støttes ikke"),
        (b"", "tom.pdf", "Velg en fil"),
    ],
)
def test_upload_refuses_unknown_types_and_empty_files_with_a_clear_message(
    world: Any, content: bytes, name: str, message: str
) -> None:
    response = client_for(world.employee).post(
        f"{ACCOUNT}dokumenter/ny/", {"kind": "other", "title": "Noe", "file": ContentFile(content, name=name)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Upload.objects.exists()


def test_upload_refuses_files_over_the_size_limit(world: Any) -> None:
    big = b"%PDF-1.4\n" + b"0" * services.MAX_UPLOAD_BYTES
    with pytest.raises(InvalidInput, match="største tillatte størrelse er 10 MB"):
        upload(world.employee, content=big)
    assert not Upload.objects.exists()


def test_person_adds_changes_and_deletes_own_education_certification_and_prior_learning(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.employee)
    response = client.post(
        f"{ACCOUNT}sertifisering/ny/",
        {
            "name": "Truckførerbevis",
            "issuer": "AKA",
            "issued_on": "2022-03-01",
            "visible_to_employer": "on",
            "evidence_file": ContentFile(PDF, name="truck.pdf"),
        },
    )
    assert response.status_code == 302
    certification = Certification.objects.get(name="Truckførerbevis")
    assert certification.own_entry.visible_to_employer  # type: ignore[attr-defined]
    evidence = Upload.objects.get(certification=certification)
    assert evidence.kind == "certification"
    client.post(
        f"{ACCOUNT}sertifisering/{certification.pk}/",
        {"name": "Truckførerbevis T1–T4", "issued_on": "2022-03-01", "expires_on": "2020-01-01"},
    )
    certification.refresh_from_db()
    assert certification.name == "Truckførerbevis"  # expiry before issue was refused
    client.post(
        f"{ACCOUNT}sertifisering/{certification.pk}/",
        {"name": "Truckførerbevis T1–T4", "issued_on": "2022-03-01"},
    )
    certification.refresh_from_db()
    assert certification.name == "Truckførerbevis T1–T4"
    assert not certification.own_entry.visible_to_employer  # type: ignore[attr-defined]

    client.post(
        f"{ACCOUNT}utdanning/ny/",
        {"level": "bachelor", "field": "Sykepleie", "credits": "180", "completed_year": "2019"},
    )
    assert Education.objects.get(field="Sykepleie").credits == 180
    client.post(f"{ACCOUNT}realkompetanse/ny/", {"description": "Tolk for familien i ti år"})
    learning = PriorLearning.objects.get(description="Tolk for familien i ti år")
    assert not learning.own_entry.visible_to_employer  # type: ignore[attr-defined]  # private by default

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{ACCOUNT}sertifisering/{certification.pk}/slett/").status_code == 302
    assert not Certification.objects.filter(pk=certification.pk).exists()
    assert not Upload.objects.filter(pk=evidence.pk).exists()
    assert not default_storage.exists(evidence.file.name)
    kinds = list(AccountEvent.objects.filter(person=world.employee.person).values_list("kind", flat=True))
    assert kinds.count(EventKind.ENTRY_CREATED) == 3 and EventKind.ENTRY_DELETED in kinds


def test_records_the_employer_registered_cannot_be_changed_or_deleted_by_the_person(world: Any) -> None:
    registered = CertificationFactory(person=world.employee.person)
    client = client_for(world.employee)
    assert client.get(f"{ACCOUNT}sertifisering/{registered.pk}/").status_code == 404
    assert client.post(f"{ACCOUNT}sertifisering/{registered.pk}/slett/").status_code == 404
    assert Certification.objects.filter(pk=registered.pk).exists()


def test_nobody_changes_another_persons_entries_or_uploads(world: Any) -> None:
    services.save_prior_learning(world.employee, {"description": "Min egen"})
    entry = OwnEntry.objects.get()
    mine = upload(world.employee)
    client = client_for(world.leader)
    assert client.post(f"{ACCOUNT}realkompetanse/{entry.prior_learning_id}/slett/").status_code == 404
    assert client.post(f"{ACCOUNT}dokumenter/{mine.pk}/slett/").status_code == 404
    assert client.get(f"{ACCOUNT}dokumenter/{mine.pk}/").status_code == 404
    assert (
        PriorLearning.objects.filter(pk=entry.prior_learning_id).exists()
        and Upload.objects.filter(pk=mine.pk).exists()
    )


def test_who_sees_what_names_current_leaders_hr_and_union_reps_with_the_legal_basis(moved: Any) -> None:
    html = client_for(moved.employee).get(f"{ACCOUNT}hvem-ser-hva/").content.decode()
    assert moved.leader.person.full_name in html
    assert moved.hr.person.full_name in html
    assert moved.union_rep.person.full_name in html
    assert "art. 6 nr. 1 bokstav b" in html and "arbeidsmiljøloven § 3-2" in html
    assert "Bare samlede tall for grupper på minst 5 personer" in html
    assert moved.beta_leader.person.full_name not in html  # the former employer's leader
    assert "Beta kommune" in html and "Ingen tilgang til læringskontoen din" in html


def test_home_card_and_navigation(moved: Any) -> None:
    html = client_for(moved.employee).get("/").content.decode()
    assert "Min læringskonto" in html
    assert "Også fra tidligere arbeidsgivere: Beta kommune" in html
    assert 'href="/laeringskonto/"' in html
