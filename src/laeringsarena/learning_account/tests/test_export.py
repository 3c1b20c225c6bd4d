"""Export: the JSON-LD bundle (credentials unchanged, uploads' metadata) and the competence CV PDF."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from typing import Any

import pytest
from pyld import jsonld

from laeringsarena.conftest import bearer, client_for
from laeringsarena.credentials import services as credential_services
from laeringsarena.learning_account import export, services
from laeringsarena.learning_account.models import AccountEvent, EventKind
from laeringsarena.learning_account.tests.factories import TEXT, CertificationFactory, past_employment, upload

VOCAB = export.VOCABULARY


@pytest.fixture
def rich(world: Any) -> Any:
    person = world.employee.person
    person.given_name, person.family_name = "Åse", "Ødegård"
    person.save()
    past_employment(person, world.beta_unit, dt.date(2015, 1, 1), dt.date(2019, 12, 31))
    CertificationFactory(
        person=person, name="Forflytning", issuer="Beta kommune", issued_on=dt.date(2018, 5, 2)
    )
    services.save_education(
        world.employee, {"level": "bachelor", "field": "Sykepleie", "completed_year": "2014"}
    )
    upload(world.employee, title="Attest frivillig arbeid", content=TEXT, name="attest.txt")
    achievement = credential_services.create_achievement(
        world.alpha,
        slug="legemidler",
        name="Legemiddelhåndtering",
        description="Trygg legemiddelhåndtering.",
        criteria="Fullført kurs og praktisk prøve.",
    )
    world.credential = credential_services.issue(achievement, person)
    # An Open Badge 3.0 from elsewhere that the person uploaded (here: one of ours, reissued).
    world.imported = credential_services.import_credential(person, world.credential.document)
    return world


def test_export_is_json_ld_with_the_signed_credentials_unchanged_and_upload_metadata(rich: Any) -> None:
    response = client_for(rich.employee).get("/api/v1/me/account/export", **bearer(rich.employee))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    bundle = json.loads(response.content)
    # The credential is byte-for-byte the document the issuer signed, and still verifies.
    assert bundle["credentials"] == [rich.credential.document]
    assert credential_services.verify(bundle["credentials"][0]).verified
    upload_meta = bundle["uploads"][0]
    assert upload_meta["fileName"] == "attest.txt"
    assert upload_meta["encodingFormat"] == "text/plain"
    assert upload_meta["contentSize"] == len(TEXT)
    assert len(upload_meta["sha256"]) == 64
    assert {e["worksFor"]["name"] for e in bundle["employments"]} == {"Alfa kommune", "Beta kommune"}
    assert any(c["name"] == "Forflytning" and c["source"] == "employer" for c in bundle["certifications"])
    assert any(e["name"] == "Sykepleie" and e["source"] == "self" for e in bundle["educations"])
    assert bundle["person"]["givenName"] == "Åse"
    [imported] = bundle["importedCredentials"]
    assert imported["document"] == rich.credential.document
    assert (imported["name"], imported["verified"]) == (rich.imported.name, True)
    assert imported["verification"]["verified"] is True

    # It is valid JSON-LD that expands without fetching anything (the context is embedded).
    expanded = jsonld.expand(bundle)
    node = expanded[0]
    assert node["@type"] == [VOCAB + "LearningAccountExport"]
    literal = node[VOCAB + "verifiableCredential"][0]
    assert literal["@type"] == "@json"
    assert literal["@value"] == [rich.credential.document]
    documents = node[VOCAB + "upload"][0]["@list"]
    assert documents[0]["@type"] == ["https://schema.org/DigitalDocument"]
    assert documents[0]["https://schema.org/encodingFormat"] == [{"@value": "text/plain"}]
    assert AccountEvent.objects.filter(person=rich.employee.person, kind=EventKind.EXPORTED).exists()


def test_export_download_button_gives_a_file(rich: Any) -> None:
    response = client_for(rich.employee).get("/laeringskonto/eksport.jsonld")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".jsonld" in response["Content-Disposition"]
    assert json.loads(response.content)["credentials"] == [rich.credential.document]


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return out


def test_competence_cv_pdf_renders_with_an_embedded_unicode_font(rich: Any) -> None:
    response = client_for(rich.employee).get("/laeringskonto/kompetanse-cv.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"DejaVuSans" in pdf  # the TrueType font from fonts-dejavu-core, embedded
    unicode_maps = b"".join(s for s in _streams(pdf) if b"beginbfchar" in s or b"beginbfrange" in s)
    # Å, Ø and å (in «Åse Ødegård», «Legemiddelhåndtering») are mapped back to Unicode.
    for code in (b"00C5", b"00D8", b"00E5"):
        assert code in unicode_maps.upper()
    assert AccountEvent.objects.filter(person=rich.employee.person, kind=EventKind.EXPORTED).exists()
