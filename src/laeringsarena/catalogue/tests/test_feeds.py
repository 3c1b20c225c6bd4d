"""Provider feed ingest: JSON and CSV, CLI and API, bad records, idempotency, retirement."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laeringsarena.accounts.models import Role
from laeringsarena.catalogue import feeds, selectors
from laeringsarena.catalogue.models import Offering, Status
from laeringsarena.catalogue.tests.helpers import provider
from laeringsarena.conftest import World, bearer
from laeringsarena.testing import factories as f

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[4]


def record(id: str, title: str, **extra: object) -> dict[str, object]:
    return {"id": id, "title": title, "format": "elearning", "language": "nb", "price_model": "free", **extra}


def feed(*records: dict[str, object], full: bool = True) -> bytes:
    return json.dumps({"provider": "ks", "full": full, "offerings": list(records)}).encode()


def test_valid_records_land_and_invalid_ones_are_reported_with_reason() -> None:
    ks = provider("ks")
    result = feeds.ingest(
        ks,
        feed(
            record(
                "a1",
                "Håndtering av legemidler",
                sessions=[
                    {"starts_at": "2030-01-10T09:00:00+01:00", "place": "Bergen", "county": "Vestland"}
                ],
            ),
            record("a2", "Mangler format", format="hologram"),
            {"id": "a3", "language": "nb"},
            record("a4", "Betalt uten pris", price_model="paid"),
            record("a5", "Feil dato", sessions=[{"starts_at": "i morgen"}]),
        ),
    )
    assert (result.created, result.rejected) == (1, 4)
    reasons = {error.id: (error.field, error.reason) for error in result.errors}
    assert reasons["a2"][0] == "format" and "hologram" in reasons["a2"][1]
    assert [e.reason for e in result.errors if e.id == "a3"] == [
        "'title' is a required property",
        "'format' is a required property",
        "'price_model' is a required property",
    ]
    assert "price_nok" in reasons["a4"][1]
    assert reasons["a5"][0] == "sessions.0.starts_at"
    landed = Offering.objects.get(provider=ks, external_id="a1")
    assert landed.status == Status.PUBLISHED
    assert landed.sessions.get().county == "Vestland"


def test_reingesting_the_same_feed_changes_nothing() -> None:
    ks = provider("ks")
    data = feed(record("a1", "Demensomsorg"), record("a2", "HMS for ledere"))
    first = feeds.ingest(ks, data)
    before = {o.pk: o.updated_at for o in Offering.objects.all()}
    second = feeds.ingest(ks, data)
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert {o.pk: o.updated_at for o in Offering.objects.all()} == before


def test_changed_record_is_updated_in_place_by_its_stable_id() -> None:
    ks = provider("ks")
    feeds.ingest(ks, feed(record("a1", "Demensomsorg")))
    pk = Offering.objects.get(external_id="a1").pk
    result = feeds.ingest(ks, feed(record("a1", "Demensomsorg i sykehjem")))
    assert result.updated == 1
    assert Offering.objects.get(pk=pk).title == "Demensomsorg i sykehjem"


def test_records_missing_from_a_full_feed_are_retired_not_deleted_and_leave_search() -> None:
    ks = provider("ks")
    feeds.ingest(ks, feed(record("a1", "Kurs om demens"), record("a2", "Kurs om smittevern")))
    assert selectors.search(None, "smittevern").count == 1
    result = feeds.ingest(ks, feed(record("a1", "Kurs om demens")))
    assert result.retired == 1
    retired = Offering.objects.get(external_id="a2")
    assert retired.status == Status.RETIRED and retired.retired_at is not None
    assert selectors.search(None, "smittevern").count == 0
    # Back in the feed: published again.
    feeds.ingest(ks, feed(record("a1", "Kurs om demens"), record("a2", "Kurs om smittevern")))
    assert Offering.objects.get(external_id="a2").status == Status.PUBLISHED


def test_a_partial_feed_retires_nothing_and_invalid_known_records_are_kept() -> None:
    ks = provider("ks")
    feeds.ingest(ks, feed(record("a1", "Kurs om demens"), record("a2", "Kurs om smittevern")))
    assert feeds.ingest(ks, feed(record("a3", "Nytt kurs om HLR"), full=False)).retired == 0
    result = feeds.ingest(
        ks, feed(record("a1", "Kurs om demens"), record("a2", "x"), record("a3", "Nytt kurs om HLR"))
    )
    assert result.retired == 0 and result.rejected == 1
    assert Offering.objects.get(external_id="a2").status == Status.PUBLISHED


def test_csv_feed_with_repeated_rows_for_sessions() -> None:
    ks = provider("ks")
    csv = (
        "id;title;format;language;price_model;keywords;session_starts_at;session_place;session_county;session_online\n"
        "c1;Hjerte-lunge-redning;classroom;nb;employer;hlr|førstehjelp;2030-02-01T09:00;Bergen;Vestland;\n"
        "c1;;;;;;2030-03-01T09:00;;;ja\n"
        "c2;Mangler prismodell;video;nb;;;;;;\n"
    ).encode()
    result = feeds.ingest(ks, csv, filename="feed.csv")
    assert (result.created, result.rejected) == (1, 1)
    offering = Offering.objects.get(external_id="c1")
    assert offering.keywords == "hlr, førstehjelp"
    assert sorted(s.online for s in offering.sessions.all()) == [False, True]


def test_a_feed_for_another_provider_is_refused() -> None:
    from laeringsarena.core.errors import InvalidInput

    dfo = provider("dfo")
    with pytest.raises(InvalidInput):
        feeds.ingest(dfo, feed(record("a1", "Kurs")))


def test_cli_ingest_reports_per_record(tmp_path: Path) -> None:
    provider("ks")
    path = tmp_path / "feed.json"
    path.write_bytes(feed(record("a1", "Kurs om demens"), record("a2", "Dårlig", language="klingon")))
    out, err = StringIO(), StringIO()
    call_command("catalogue", "ingest", str(path), "--provider", "ks", stdout=out, stderr=err)
    assert "1 created" in out.getvalue() and "1 rejected" in out.getvalue()
    assert "language" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("catalogue", "ingest", str(path), "--provider", "ukjent", stdout=out)


def test_api_ingest_needs_catalogue_edit_on_the_provider(world: World) -> None:
    from django.test import Client

    alfa = provider("alfa", organisation=world.alpha)
    editor = f.UserFactory(person=f.PersonFactory(email="red@alfa.test"))
    f.RoleFactory(person=editor.person, role=Role.PROVIDER_EDITOR, organisation=world.alpha)
    body = json.dumps({"offerings": [record("x1", "Intern opplæring i turnus", visibility="internal")]})
    url = "/api/v1/catalogue/providers/alfa/ingest"
    denied = Client().post(url, body, content_type="application/json", **bearer(world.employee))
    assert denied.status_code == 403
    response = Client().post(url, body, content_type="application/json", **bearer(editor))
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    landed = Offering.objects.get(provider=alfa, external_id="x1")
    assert (landed.visibility, landed.owner_id) == ("internal", world.alpha.pk)
    again = Client().post(url, body, content_type="application/json", **bearer(editor))
    assert again.json()["unchanged"] == 1


def test_the_schema_in_docs_is_the_one_the_code_uses() -> None:
    docs = REPO / "docs" / "feeds" / "offering-feed.schema.json"
    assert json.loads(docs.read_text()) == feeds.schema()


@pytest.mark.parametrize("name", ["example-feed.json", "example-feed.csv"])
def test_the_documented_examples_ingest_cleanly(name: str) -> None:
    from laeringsarena.organisations.models import Position

    Position.objects.bulk_create(
        [Position(code="5321", name="Helsefagarbeider"), Position(code="2223", name="Sykepleier")],
        ignore_conflicts=True,
    )
    ks = provider("ks")
    path = REPO / "docs" / "feeds" / name
    result = feeds.ingest(ks, path.read_bytes(), filename=name)
    assert result.errors == [] and result.created == 2
    assert feeds.ingest(ks, path.read_bytes(), filename=name).unchanged == 2


def test_offerings_link_to_framework_competences() -> None:
    from laeringsarena.competence.models import Competence, CompetenceArea, Framework

    framework = Framework.objects.create(slug="helse", name="Helse og omsorg")
    area = CompetenceArea.objects.create(framework=framework, code="A", name="Legemidler")
    competence = Competence.objects.create(
        framework=framework, area=area, code="A1", name="Legemiddelhåndtering"
    )
    ks = provider("ks")
    result = feeds.ingest(
        ks,
        feed(
            record("a1", "Håndtering av legemidler", competences=["helse:A1"]),
            record("a2", "Ukjent kompetanse", competences=["helse:Z9"]),
        ),
    )
    assert result.created == 1
    assert [(e.id, e.field) for e in result.errors] == [("a2", "competences")]
    assert list(Offering.objects.get(external_id="a1").competences.all()) == [competence]


def test_an_editor_uploads_a_feed_on_the_web_page_and_sees_each_record(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from laeringsarena.conftest import client_for

    alfa = provider("alfa", organisation=world.alpha)
    editor = f.UserFactory(person=f.PersonFactory(email="red@alfa.test"))
    f.RoleFactory(person=editor.person, role=Role.PROVIDER_EDITOR, organisation=world.alpha)
    url = "/katalog/redaktor/feed/alfa/"
    assert client_for(world.employee).get(url).status_code == 403
    csv = (
        "id;title;format;language;price_model\n"
        "w1;Turnusplanlegging for ledere;elearning;nb;free\n"
        "w2;Uten språk;video;klingon;free\n"
    ).encode()
    client = client_for(editor)
    page = client.post(url, {"file": SimpleUploadedFile("alfa.csv", csv, content_type="text/csv")})
    html = page.content.decode()
    assert page.status_code == 200
    assert Offering.objects.get(provider=alfa, external_id="w1").title == "Turnusplanlegging for ledere"
    assert "w2" in html and "language" in html and "klingon" in html  # the rejected record, with why
    again = client.post(url, {"file": SimpleUploadedFile("alfa.csv", csv, content_type="text/csv")})
    assert Offering.objects.filter(provider=alfa).count() == 1  # idempotent
    assert again.context["result"].unchanged == 1
    broken = client.post(
        url, {"file": SimpleUploadedFile("alfa.json", b"{not json", content_type="application/json")}
    )
    assert broken.status_code == 200 and broken.context["form"].errors["file"]
    assert Offering.objects.filter(provider=alfa).count() == 1
