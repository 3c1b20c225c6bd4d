"""Importing cmi5 course packages: the good one made by us, and every way a package can be bad."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from laeringsarena.cmi5 import services
from laeringsarena.cmi5.models import AssignableUnit, Course
from laeringsarena.cmi5.structure import PackageError
from laeringsarena.cmi5.tests.factories import (
    AU_HTML,
    FIRST_AU,
    SECOND_AU,
    STRUCTURE,
    import_test_course,
    package_zip,
)
from laeringsarena.conftest import client_for
from laeringsarena.core.errors import Conflict, PermissionDenied

pytestmark = pytest.mark.django_db


def _import(world, data: bytes, filename: str = "kurs.zip", **kwargs):
    return services.import_course(None, world.alpha, io.BytesIO(data), filename=filename, **kwargs)


def _error(world, data: bytes, filename: str = "kurs.zip") -> PackageError:
    with pytest.raises(PackageError) as caught:
        _import(world, data, filename)
    return caught.value


def test_the_test_package_imports_with_its_structure_and_files(world):
    course = import_test_course(world.alpha)
    assert course.name == "Testkurs i cmi5"
    assert course.tenant == world.alpha
    assert course.publisher_id == "https://laeringsarena.no/test/cmi5/kurs/testkurs"
    assert course.activity_id != course.publisher_id
    assert course.description["nb-NO"].startswith("Et lite kurs")  # whitespace trimmed
    block = course.blocks.get()
    assert block.name == "Del 1"
    first, second = course.aus.order_by("order")
    assert (first.publisher_id, first.block) == (FIRST_AU, block)
    assert first.move_on == "CompletedAndPassed"
    assert first.mastery_score == Decimal("0.8")
    assert first.launch_method == "OwnWindow"
    assert first.launch_parameters == '{"del": 1}'
    assert first.entitlement_key == "testkurs-2025"
    assert first.activity_id != first.publisher_id
    assert (second.publisher_id, second.block, second.move_on) == (SECOND_AU, None, "NotApplicable")
    assert second.launch_method == "AnyWindow"
    assert second.url == "index.html?del=ekstra"
    assert set(course.files) == {"cmi5.xml", "index.html"}


def test_package_content_is_served_from_our_origin_to_people_of_the_municipality(world):
    course = import_test_course(world.alpha)
    url = f"/cmi5/innhold/{course.uuid}/index.html"
    response = client_for(world.employee).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"".join(response.streaming_content) == AU_HTML
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert client_for(world.beta_employee).get(url).status_code == 404
    assert client_for(world.employee).get(f"/cmi5/innhold/{course.uuid}/nope.html").status_code == 404


def test_a_standalone_cmi5_xml_with_absolute_urls_imports(world):
    xml = STRUCTURE.replace("<url>index.html</url>", "<url>https://innhold.example.org/kurs/start.html</url>")
    xml = xml.replace(
        "<url>index.html?del=ekstra</url>", "<url>https://innhold.example.org/kurs/ekstra.html</url>"
    )
    course = _import(world, xml.encode(), "cmi5.xml")
    assert course.files == {}
    au = course.aus.get(publisher_id=FIRST_AU)
    assert au.is_absolute
    assert services.content_url(au, "http://testserver/") == "https://innhold.example.org/kurs/start.html"


def test_a_zip_may_mix_packaged_and_absolute_au_urls(world):
    xml = STRUCTURE.replace(
        "<url>index.html?del=ekstra</url>", "<url>https://video.example.org/film?id=7</url>"
    )
    course = _import(world, package_zip(xml))
    assert course.aus.get(publisher_id=SECOND_AU).url == "https://video.example.org/film?id=7"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (lambda: b"PK\x03\x04 not really a zip", "verken en zip-fil"),
        (lambda: b"hello", "verken en zip-fil eller en cmi5.xml"),
        (lambda: _zip({"index.html": AU_HTML}), "har ingen cmi5.xml"),
        (
            lambda: _zip({"kurs/cmi5.xml": STRUCTURE.encode(), "kurs/index.html": AU_HTML}),
            "ligger i mappen «kurs»",
        ),
        (lambda: package_zip("<courseStructure><course>"), "ikke gyldig XML"),
        (
            lambda: package_zip(
                STRUCTURE.replace("https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd", "urn:feil")
            ),
            "Rotelementet må være <courseStructure>",
        ),
        (
            lambda: package_zip(STRUCTURE.replace('moveOn="CompletedAndPassed"', 'moveOn="Finished"')),
            "Følger ikke cmi5-skjemaet",
        ),
        (
            lambda: package_zip(STRUCTURE.replace('masteryScore="0.8"', 'masteryScore="1.5"')),
            "Følger ikke cmi5-skjemaet",
        ),
        (
            lambda: package_zip(STRUCTURE.replace('masteryScore="0.8"', 'masteryScore="0.12345"')),
            "mer enn fire desimaler",
        ),
        (
            lambda: package_zip(
                STRUCTURE.replace('<title><langstring lang="nb-NO">Ekstrastoff</langstring></title>', "")
            ),
            "Følger ikke cmi5-skjemaet",
        ),
        (lambda: package_zip(STRUCTURE.replace(SECOND_AU, FIRST_AU)), "brukt mer enn én gang"),
        (lambda: package_zip(STRUCTURE.replace(FIRST_AU, "lesing-og-test")), "ikke er en fullstendig IRI"),
        (
            lambda: package_zip(STRUCTURE.replace("<url>index.html</url>", "<url>start.html</url>")),
            "start.html, som ikke finnes i zip-fila",
        ),
        (
            lambda: package_zip(STRUCTURE.replace("<url>index.html</url>", "<url>../index.html</url>")),
            "peker utenfor pakken",
        ),
        (
            lambda: package_zip(STRUCTURE.replace("<url>index.html</url>", "<url>ftp://example.org/a</url>")),
            "bare http og https",
        ),
        (
            lambda: _zip({"cmi5.xml": STRUCTURE.encode(), "index.html": AU_HTML, "../../etc/passwd": b"x"}),
            "Ugyldig filnavn",
        ),
    ],
    ids=[
        "corrupt-zip",
        "not-a-package",
        "no-cmi5-xml",
        "nested-cmi5-xml",
        "malformed-xml",
        "wrong-namespace",
        "unknown-moveon",
        "mastery-above-1",
        "mastery-precision",
        "missing-title",
        "duplicate-id",
        "relative-id",
        "missing-au-file",
        "url-outside-package",
        "unlaunchable-scheme",
        "zip-slip",
    ],
)
def test_bad_packages_are_refused_with_a_message_naming_the_problem(world, data, expected):
    error = _error(world, data())
    messages = str(error.detail) + " ".join(e["message"] for e in error.errors)
    assert expected in messages
    assert error.status == 400
    assert Course.objects.count() == 0


def test_schema_errors_name_the_line_in_cmi5_xml(world):
    error = _error(world, package_zip(STRUCTURE.replace('moveOn="CompletedAndPassed"', 'moveOn="Finished"')))
    line = next(
        n for n, text in enumerate(STRUCTURE.splitlines(), 1) if 'moveOn="CompletedAndPassed"' in text
    )
    assert error.errors[0]["line"] == line
    assert "Finished" in error.errors[0]["message"]


def test_a_standalone_cmi5_xml_with_relative_urls_is_refused(world):
    error = _error(world, STRUCTURE.encode(), "cmi5.xml")
    assert "må bruke fullstendige adresser" in error.errors[0]["message"]


def test_doctype_and_entities_are_refused(world):
    xml = STRUCTURE.replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    )
    error = _error(world, package_zip(xml))
    assert "DOCTYPE" in str(error.detail)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_importing_the_same_course_twice_needs_replace_which_keeps_the_generated_ids(world):
    course = import_test_course(world.alpha)
    ids = {au.publisher_id: au.activity_id for au in course.aus.all()}
    with pytest.raises(Conflict):
        import_test_course(world.alpha)
    renamed = STRUCTURE.replace("Lesing og test</langstring>", "Lesing og quiz</langstring>")
    replaced = _import(world, package_zip(renamed), replace=True)
    assert replaced.pk == course.pk
    assert replaced.aus.get(publisher_id=FIRST_AU).name == "Lesing og quiz"
    assert {au.publisher_id: au.activity_id for au in replaced.aus.all()} == ids
    # Another municipality imports the same course on its own.
    other = services.import_course(None, world.beta, io.BytesIO(package_zip()), filename="k.zip")
    assert other.activity_id != course.activity_id


def test_only_people_who_manage_learning_may_import(world):
    with pytest.raises(PermissionDenied):
        services.import_course(world.employee, world.alpha, io.BytesIO(package_zip()))
    course = services.import_course(world.hr, world.alpha, io.BytesIO(package_zip()))
    assert course.imported_by == world.hr


def test_hr_imports_a_package_through_the_web_form(world):
    client = client_for(world.hr)
    page = client.get("/cmi5/administrer/")
    assert page.status_code == 200
    upload = SimpleUploadedFile("testkurs.zip", package_zip(), content_type="application/zip")
    response = client.post("/cmi5/administrer/", {"package": upload, "organisation_id": world.alpha.pk})
    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cmi5/administrer/{course.uuid}/"
    detail = client.get(response["Location"])
    assert "Testkurs i cmi5" in detail.content.decode()
    assert course.activity_id in detail.content.decode()


def test_the_web_form_shows_what_is_wrong_with_a_bad_package(world):
    client = client_for(world.hr)
    bad = package_zip(STRUCTURE.replace("<url>index.html</url>", "<url>start.html</url>"))
    upload = SimpleUploadedFile("testkurs.zip", bad, content_type="application/zip")
    response = client.post("/cmi5/administrer/", {"package": upload, "organisation_id": world.alpha.pk})
    assert response.status_code == 400
    assert "start.html, som ikke finnes i zip-fila" in response.content.decode()
    assert not Course.objects.exists()


def test_employees_cannot_open_the_import_page(world):
    assert client_for(world.employee).get("/cmi5/administrer/").status_code == 403


def test_the_command_line_imports_a_package(world, tmp_path, capsys):
    path = tmp_path / "testkurs.zip"
    path.write_bytes(package_zip())
    call_command("cmi5", "import", str(path), "--org", "alfa", "--json")
    printed = json.loads(capsys.readouterr().out)
    course = Course.objects.get()
    assert printed["activityId"] == course.activity_id
    assert [au["publisherId"] for au in printed["aus"]] == [FIRST_AU, SECOND_AU]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(package_zip(STRUCTURE.replace("<url>index.html</url>", "<url>start.html</url>")))
    with pytest.raises(CommandError, match=r"start\.html"):
        call_command("cmi5", "import", str(bad), "--org", "beta")
    with pytest.raises(CommandError, match=r"No municipality"):
        call_command("cmi5", "import", str(path), "--org", "nowhere")


def test_deleting_a_course_removes_its_files(world, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    course = import_test_course(world.alpha)
    stored = list(course.files.values())
    assert all(default_storage.exists(name) for name in stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.hr).post(f"/cmi5/administrer/{course.uuid}/slett", {"confirm": "on"})
    assert response.status_code == 302
    assert not Course.objects.exists()
    assert not AssignableUnit.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
