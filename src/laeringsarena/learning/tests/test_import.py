"""Import of completions and certificates from external providers (CSV): web, command line, API."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from laeringsarena.catalogue.models import Participation
from laeringsarena.catalogue.tests.helpers import offering, provider
from laeringsarena.competence.models import Certification, CertificationRequirement
from laeringsarena.conftest import World, bearer, client_for
from laeringsarena.core.errors import InvalidInput, PermissionDenied
from laeringsarena.learning import imports, services
from laeringsarena.learning.models import (
    Completion,
    CompletionImport,
    CompletionSource,
    Enrolment,
    PathStatus,
    StepKind,
)
from laeringsarena.learning.signals import completion_recorded
from laeringsarena.people.models import Employment

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def numbered(world: World) -> World:
    """Employee numbers as the HR import leaves them (ansattnummer:arbeidsforhold)."""
    Employment.objects.filter(person=world.employee.person).update(external_id="1001:1")
    Employment.objects.filter(person=world.colleague.person).update(external_id="1002:1")
    Employment.objects.filter(person=world.beta_employee.person).update(external_id="1001:1")
    return world


@pytest.fixture
def course(world: World) -> Any:
    ks = provider("ks-laering", name="KS Læring")
    return offering(ks, "Digital dømmekraft", external_id="KSL-DIGI-101")


@pytest.fixture
def received() -> list[Completion]:
    got: list[Completion] = []

    def receiver(sender: Any, completion: Completion, **kwargs: Any) -> None:
        got.append(completion)

    completion_recorded.connect(receiver, dispatch_uid="test-import-receiver")
    yield got
    completion_recorded.disconnect(dispatch_uid="test-import-receiver")


GOOD = (
    "employee_number,email,course_id,course_title,provider,completed_on,score,certificate,"
    "certificate_expires_on,reference\n"
    "1001,,KSL-DIGI-101,,KS Læring,2025-01-14,92,,,ksl-1\n"
    ",laerer@alfa.test,,Førstehjelp i barnehagen,Røde Kors,03.02.2025,,Førstehjelp,03.02.2027,\n"
    "1001,,,,HLR-instruktør AS,2025-02-10,,HLR,,\n"
)


def run(world: World, data: str | bytes, **kwargs: Any) -> imports.ImportResult:
    return imports.import_completions(world.hr, world.alpha, data, today=TODAY, **kwargs)


def test_rows_become_completions_and_certificates_and_fire_the_signal(
    numbered: World, course: Any, received: list[Completion], django_capture_on_commit_callbacks: Any
) -> None:
    world = numbered
    hlr = CertificationRequirement.objects.create(tenant=world.alpha, name="HLR", validity_months=12)
    with django_capture_on_commit_callbacks(execute=True):
        result = run(world, GOOD, filename="ks.csv")
    assert result.as_dict() == {
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "certifications": 2,
        "steps_completed": 0,
    }
    employee, colleague = world.employee.person, world.colleague.person
    digital = Completion.objects.get(person=employee, offering=course)
    assert digital.source == CompletionSource.IMPORT
    assert digital.score == 0.92
    assert digital.provider == "KS Læring"
    assert digital.completed_at.date() == dt.date(2025, 1, 14)
    # The catalogue knows the person has taken it.
    assert Participation.objects.filter(person=employee, offering=course, kind="completed").exists()
    first_aid = Completion.objects.get(person=colleague)
    assert first_aid.title == "Førstehjelp i barnehagen"
    assert first_aid.offering is None
    assert first_aid.certification is not None
    assert (first_aid.certification.name, first_aid.certification.expires_on) == (
        "Førstehjelp",
        dt.date(2027, 2, 3),
    )
    # A certificate named like the municipality's requirement meets it, with the requirement's validity.
    cert = Certification.objects.get(person=employee, name="HLR")
    assert cert.requirement == hlr
    assert (cert.issued_on, cert.expires_on) == (dt.date(2025, 2, 10), dt.date(2026, 2, 10))
    assert sorted(c.pk for c in received) == sorted(Completion.objects.values_list("pk", flat=True))
    log = CompletionImport.objects.get()
    assert (log.filename, log.rows, log.created, log.imported_by) == ("ks.csv", 3, 3, world.hr.person)


def test_importing_the_same_file_again_changes_nothing_and_a_changed_score_updates(
    numbered: World, course: Any
) -> None:
    world = numbered
    run(numbered, GOOD)
    before = (Completion.objects.count(), Certification.objects.count())
    again = run(world, GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (Completion.objects.count(), Certification.objects.count()) == before
    changed = run(world, GOOD.replace("2025-01-14,92", "2025-01-14,95").replace("03.02.2027", "01.03.2027"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 1)
    assert Completion.objects.get(offering=course).score == 0.95
    assert Certification.objects.get(name="Førstehjelp").expires_on == dt.date(2027, 3, 1)
    assert (Completion.objects.count(), Certification.objects.count()) == before


def test_every_bad_row_is_reported_with_line_column_and_reason_and_nothing_is_saved(
    numbered: World, course: Any
) -> None:
    data = (
        "employee_number;email;course_id;completed_on;score;certificate;certificate_expires_on\n"
        "1001;;KSL-DIGI-101;2025-01-14;92;;\n"  # good
        "9999;;KSL-DIGI-101;2025-01-14;;;\n"  # unknown employee number
        ";nobody@alfa.test;KSL-DIGI-101;2025-01-14;;;\n"  # unknown e-mail
        "1002;;NOPE-1;2025-01-14;;;\n"  # unknown course
        "1002;;KSL-DIGI-101;14/01/2025;;;\n"  # bad date
        "1002;;KSL-DIGI-101;2025-01-15;120;;\n"  # score out of range
        "1002;;KSL-DIGI-101;2025-01-16;;HLR;2024-01-01\n"  # expires before issued
        "1002;;KSL-DIGI-101;2099-01-01;;;\n"  # in the future
        "1001;;KSL-DIGI-101;2025-01-14;92;;\n"  # same as line 2
        "1001;ansatt@beta.test;KSL-DIGI-101;2025-01-14;;;\n"  # e-mail of someone else (other tenant)
    )
    with pytest.raises(InvalidInput) as caught:
        run(numbered, data)
    problems = [(e["line"], e["column"]) for e in caught.value.errors]
    assert problems == [
        (3, "employee_number"),
        (4, "email"),
        (5, "course_id"),
        (6, "completed_on"),
        (7, "score"),
        (8, "certificate_expires_on"),
        (9, "completed_on"),
        (10, "completed_on"),
        (11, "email"),
    ]
    assert all(e["reason"] for e in caught.value.errors)
    assert "linje 2" in caught.value.errors[7]["reason"]
    assert not Completion.objects.exists()
    assert not CompletionImport.objects.exists()


def test_missing_columns_and_an_empty_file_are_explained(numbered: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        run(numbered, "name,date\nKari,2025-01-01\n")
    assert caught.value.errors[0]["line"] == 1
    assert "completed_on" in caught.value.errors[0]["reason"]
    with pytest.raises(InvalidInput) as caught:
        run(numbered, "employee_number,course_title,completed_on\n")
    assert "ingen rader" in caught.value.errors[0]["reason"]


def test_windows_1252_semicolons_and_norwegian_dates(numbered: World) -> None:
    data = (
        "employee_number;course_title;completed_on;certificate\r\n1001;Førstehjelp;03.02.2025;Førstehjelp\r\n"
    )
    result = run(numbered, data.encode("cp1252"))
    assert result.created == 1
    completion = Completion.objects.get(person=numbered.employee.person)
    assert completion.title == "Førstehjelp"
    assert completion.certification.issued_on == dt.date(2025, 2, 3)


def test_a_dry_run_reports_without_saving(numbered: World, course: Any) -> None:
    result = run(numbered, GOOD, dry_run=True)
    assert result.created == 3
    assert not Completion.objects.exists()
    assert not Certification.objects.exists()
    assert not CompletionImport.objects.exists()


def test_an_offering_step_of_an_enrolled_path_is_completed_and_finishes_the_path(
    numbered: World, course: Any, received: list[Completion], django_capture_on_commit_callbacks: Any
) -> None:
    world = numbered
    requirement = CertificationRequirement.objects.create(
        tenant=world.alpha, name="Digital kompetanse", validity_months=24
    )
    path = services.create_path(
        world.hr, world.alpha, title="Digital hverdag", grants_certification_id=requirement.pk
    )
    step = services.add_step(world.hr, path, kind=StepKind.OFFERING, title="KS-kurset", offering_id=course.pk)
    services.set_status(world.hr, path, PathStatus.PUBLISHED)
    enrolment = services.enrol_people(world.hr, path, [world.employee.person], mandatory=True)[0]
    with django_capture_on_commit_callbacks(execute=True):
        result = run(world, GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n")
    assert result.steps_completed == 1
    step_completion = Completion.objects.get(enrolment=enrolment, step=step)
    assert step_completion.source == CompletionSource.IMPORT
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    path_completion = Completion.objects.get(enrolment=enrolment, step__isnull=True)
    assert path_completion.certification.expires_on == dt.date(2027, 1, 14)
    assert {c.pk for c in received} == {step_completion.pk, path_completion.pk}
    # Again: nothing new, although the enrolment is finished now.
    assert run(world, GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n").unchanged == 1
    assert Completion.objects.filter(person=world.employee.person).count() == 2


def test_a_leader_imports_only_for_the_people_of_their_units(numbered: World, course: Any) -> None:
    world = numbered
    with pytest.raises(InvalidInput) as caught:
        imports.import_completions(world.leader, world.alpha, GOOD, today=TODAY)
    assert [(e["line"], e["column"]) for e in caught.value.errors] == [(3, "email")]
    only_own = GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n"
    assert imports.import_completions(world.leader, world.alpha, only_own, today=TODAY).created == 1
    with pytest.raises(PermissionDenied):
        imports.import_completions(world.employee, world.alpha, only_own, today=TODAY)
    with pytest.raises(PermissionDenied):
        imports.import_completions(world.beta_leader, world.alpha, only_own, today=TODAY)


def test_the_command_line_import(numbered: World, course: Any, tmp_path: Any) -> None:
    file = tmp_path / "ks.csv"
    file.write_text(GOOD.replace("2025-", "2024-").replace("03.02.2025", "03.02.2024"), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "learning", "import-completions", str(file), "--org", "alfa", "--dry-run", "--json", stdout=out
    )
    assert json.loads(out.getvalue()) == {
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "certifications": 2,
        "steps_completed": 0,
        "dry_run": True,
    }
    assert not Completion.objects.exists()
    out = io.StringIO()
    call_command("learning", "import-completions", str(file), "--org", "alfa", stdout=out)
    assert "3 new completions" in out.getvalue()
    assert Completion.objects.count() == 3
    file.write_text("employee_number,course_title,completed_on\n4242,X,2024-01-01\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("learning", "import-completions", str(file), "--org", "alfa", stderr=err)
    assert "line 2 [employee_number]" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("learning", "import-completions", str(file), "--org", "nowhere")


def test_the_api_takes_text_csv_or_multipart_and_answers_problems(numbered: World, course: Any) -> None:
    world = numbered
    client = Client()
    url = "/api/v1/learning/completion-imports"
    data = GOOD.replace("2025-", "2024-").replace("03.02.2025", "03.02.2024")
    response = client.post(f"{url}?org=alfa&dry_run=true", data, content_type="text/csv", **bearer(world.hr))
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3 and response.json()["dry_run"] is True
    assert not Completion.objects.exists()
    upload = SimpleUploadedFile("ks.csv", data.encode(), content_type="text/csv")
    response = client.post(f"{url}?org=alfa", {"file": upload}, **bearer(world.hr))
    assert response.status_code == 200, response.content
    assert response.json()["organisation"] == "alfa"
    assert Completion.objects.count() == 3
    bad = "employee_number,course_title,completed_on\n4242,X,2024-01-01\n"
    response = client.post(f"{url}?org=alfa", bad, content_type="text/csv", **bearer(world.hr))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["line"] == 2
    assert response.json()["errors"][0]["column"] == "employee_number"
    assert (
        client.post(f"{url}?org=beta", data, content_type="text/csv", **bearer(world.hr)).status_code == 404
    )
    response = client.post(url, data, content_type="text/csv", **bearer(world.employee))
    assert response.status_code == 403


def test_the_import_page(numbered: World, course: Any) -> None:
    world = numbered
    client = client_for(world.hr)
    page = client.get("/laering/import/")
    assert page.status_code == 200
    assert "course_id" in page.content.decode()
    bad = SimpleUploadedFile("x.csv", b"employee_number,course_title,completed_on\n4242,X,2024-01-01\n")
    response = client.post("/laering/import/", {"org": world.alpha.pk, "file": bad})
    assert response.status_code == 400
    assert "Ukjent ansattnummer" in response.content.decode()
    data = GOOD.replace("2025-", "2024-").replace("03.02.2025", "03.02.2024").encode()
    good = SimpleUploadedFile("ks.csv", data)
    response = client.post("/laering/import/", {"org": world.alpha.pk, "file": good})
    assert response.status_code == 200
    assert Completion.objects.count() == 3
    assert "ks.csv" in client.get("/laering/import/").content.decode()
    assert client_for(world.employee).get("/laering/import/").status_code == 403
    assert not Enrolment.objects.exists()


def test_an_imported_certificate_closes_the_mandatory_enrolment_it_meets(
    numbered: World, received: list[Completion], django_capture_on_commit_callbacks: Any
) -> None:
    """HLR taken with another provider: the requirement's path is no longer asked of the person."""
    world = numbered
    hlr = CertificationRequirement.objects.create(tenant=world.alpha, name="HLR", validity_months=12)
    path = services.create_path(
        world.hr, world.alpha, title="HLR med klarsignal", grants_certification_id=hlr.pk
    )
    services.add_step(world.hr, path, kind=StepKind.REFLECTION, title="Hva lærte du?")
    services.set_status(world.hr, path, PathStatus.PUBLISHED)
    with time_machine.travel(dt.datetime(2025, 5, 1, 8, tzinfo=dt.UTC), tick=False):
        enrolled = {e.person_id: e for e in services.enrol_from_requirements(world.alpha)}
    enrolment = enrolled[world.employee.person_id]
    assert enrolment.mandatory and enrolment.due_on == dt.date(2025, 5, 31)
    api, as_employee, as_leader = Client(), bearer(world.employee), bearer(world.leader)
    with time_machine.travel(dt.datetime(2025, 6, 2, 8, tzinfo=dt.UTC), tick=False):
        before = api.get("/api/v1/me/learning", **as_employee).json()
        assert [i["path"]["name"] for i in before["required"]] == ["HLR med klarsignal"]
        unit = api.get(f"/api/v1/units/{world.alpha_home.pk}/learning", **as_leader).json()
        assert world.employee.person_id in {r["person"]["id"] for r in unit["overdue"]}

        hlr_row = "employee_number,provider,completed_on,certificate\n1001,HLR-instruktør AS,2025-05-20,HLR\n"
        with django_capture_on_commit_callbacks(execute=True):
            run(world, hlr_row)

        enrolment.refresh_from_db()
        assert enrolment.fulfilled_by is not None and enrolment.fulfilled_by.name == "HLR"
        after = api.get("/api/v1/me/learning", **as_employee).json()
        assert after["required"] == []
        [item] = [i for i in after["items"] if i["path"]["name"] == "HLR med klarsignal"]
        assert item["fulfilled_by_certificate"] is True
        unit = api.get(f"/api/v1/units/{world.alpha_home.pk}/learning", **as_leader).json()
        assert world.employee.person_id not in {r["person"]["id"] for r in unit["overdue"]}
        page = client_for(world.employee).get(f"/laering/stier/{path.pk}/")
        assert "Kravet ble oppfylt 20.5.2025" in page.content.decode()
    # The path was not taken: no path completion, so no credential for it either.
    assert not Completion.objects.filter(path=path).exists()
    assert [c.path_id for c in received] == [None]
    # Colleagues without the certificate still have it to do.
    assert Enrolment.objects.get(pk=enrolled[world.colleague.person_id].pk).is_open


def test_an_expired_imported_certificate_closes_nothing(numbered: World) -> None:
    world = numbered
    hlr = CertificationRequirement.objects.create(tenant=world.alpha, name="HLR", validity_months=12)
    path = services.create_path(world.hr, world.alpha, title="HLR", grants_certification_id=hlr.pk)
    services.add_step(world.hr, path, kind=StepKind.REFLECTION, title="Hva lærte du?")
    services.set_status(world.hr, path, PathStatus.PUBLISHED)
    with time_machine.travel(dt.datetime(2025, 5, 1, 8, tzinfo=dt.UTC), tick=False):
        [enrolment] = [
            e
            for e in services.enrol_from_requirements(world.alpha)
            if e.person_id == world.employee.person_id
        ]
        run(world, "employee_number,provider,completed_on,certificate\n1001,Røde Kors,2023-01-10,HLR\n")
    enrolment.refresh_from_db()
    assert enrolment.is_open and enrolment.fulfilled_by is None
