"""Frameworks: the shipped DigComp 2.2 and health-and-care frameworks, the API, import/export."""

from __future__ import annotations

import json

import pytest

from laeringsarena.competence import frameworks
from laeringsarena.competence.models import Framework
from laeringsarena.conftest import bearer, client_for


def _digcomp() -> Framework:
    return Framework.objects.get(slug="digcomp", version="2.2", owner__isnull=True)


@pytest.mark.django_db
def test_digcomp_22_ships_with_5_areas_21_competences_and_8_levels():
    digcomp = _digcomp()
    assert digcomp.areas.count() == 5
    assert digcomp.competences.count() == 21
    levels = list(digcomp.levels.order_by("value").values_list("value", "name", "group"))
    assert [v for v, _n, _g in levels] == list(range(1, 9))
    assert levels[0] == (1, "Foundation 1", "Foundation")
    assert levels[7] == (8, "Highly specialised 8", "Highly specialised")
    assert all(level.description for level in digcomp.levels.all())
    names = dict(digcomp.competences.values_list("code", "name"))
    assert names["1.1"] == "Browsing, searching and filtering data, information and digital content"
    assert names["2.5"] == "Netiquette"
    assert names["5.4"] == "Identifying digital competence gaps"


@pytest.mark.django_db
def test_health_and_care_framework_is_norwegian_with_level_descriptions():
    health = Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True)
    names = set(health.competences.values_list("name", flat=True))
    assert {
        "Legemiddelhåndtering",
        "Smittevern",
        "Demensomsorg",
        "Førstehjelp og HLR",
        "Forflytning",
    } <= names
    assert {"Velferdsteknologi", "Arbeidsnorsk", "Personvern og taushetsplikt", "Lederskap"} <= names
    assert health.levels.count() == 5
    assert all(level.description for level in health.levels.all())


def test_frameworks_api_lists_shared_frameworks_for_any_employee(world):
    response = client_for(world.employee).get("/api/v1/competence/frameworks")
    assert response.status_code == 200
    by_slug = {f["slug"]: f for f in response.json()}
    assert by_slug["digcomp"]["competences"] == 21
    assert by_slug["digcomp"]["areas"] == 5
    assert by_slug["digcomp"]["levels"] == 8


def test_framework_detail_has_areas_competences_and_levels(world):
    response = client_for(world.employee).get(
        f"/api/v1/competence/frameworks/{_digcomp().pk}", **bearer(world.employee)
    )
    body = response.json()
    assert [a["code"] for a in body["areas"]] == ["1", "2", "3", "4", "5"]
    assert [c["code"] for c in body["areas"][1]["competences"]] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert body["levels"][4]["name"] == "Advanced 5"


def test_frameworks_api_needs_login(world):
    from django.test import Client

    response = Client().get("/api/v1/competence/frameworks")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_json_export_round_trips_into_a_new_version(world):
    exported = json.loads(frameworks.to_json(_digcomp()))
    exported["version"] = "2.2-fjordvik"
    response = client_for(world.hr).post(
        "/api/v1/competence/organisations/alfa/frameworks",
        json.dumps(exported),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["competences"] == 21
    copy = Framework.objects.get(slug="digcomp", version="2.2-fjordvik")
    assert copy.owner == world.alpha
    assert frameworks.to_dict(copy)["areas"] == frameworks.to_dict(_digcomp())["areas"]


def test_csv_export_and_import_keep_everything(world):
    health = Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True)
    text = frameworks.to_csv(health)
    assert text.splitlines()[0] == "record,code,name,description,area,group,version,language,source"
    data = frameworks.parse(text.replace(",1.0,nb,", ",1.1,nb,").encode(), "text/csv")
    created = frameworks.import_framework(data, world.alpha)
    assert created.version == "1.1"
    original, copy = frameworks.to_dict(health), frameworks.to_dict(created)
    assert copy["levels"] == original["levels"]
    assert copy["areas"] == original["areas"]


def test_importing_the_same_version_twice_is_a_conflict(world):
    body = frameworks.to_json(_digcomp())
    client = client_for(world.hr)
    url = "/api/v1/competence/organisations/alfa/frameworks"
    assert client.post(url, body, content_type="application/json").status_code == 201
    second = client.post(url, body, content_type="application/json")
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"


def test_bad_csv_lists_every_bad_line(world):
    text = (
        "record,code,name,description,area\n"
        "framework,mitt,Mitt rammeverk,,\n"
        "level,x,Nivå,,\n"
        "competence,K1,Kompetanse,,UKJENT\n"
    )
    response = client_for(world.hr).post(
        "/api/v1/competence/organisations/alfa/frameworks", text, content_type="text/csv"
    )
    assert response.status_code == 400
    lines = sorted(e["line"] for e in response.json()["errors"])
    assert lines == [3, 4]


def test_only_competence_managers_import_and_other_tenants_are_not_found(world):
    body = frameworks.to_json(_digcomp())
    assert (
        client_for(world.leader)
        .post("/api/v1/competence/organisations/alfa/frameworks", body, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        client_for(world.hr)
        .post("/api/v1/competence/organisations/beta/frameworks", body, content_type="application/json")
        .status_code
        == 404
    )


def test_a_municipalitys_own_framework_is_invisible_to_other_municipalities(world):
    data = frameworks.to_dict(_digcomp())
    data.update(slug="alfa-egen", version="1")
    own = frameworks.import_framework(data, world.alpha)
    assert client_for(world.employee).get(f"/api/v1/competence/frameworks/{own.pk}").status_code == 200
    assert client_for(world.beta_employee).get(f"/api/v1/competence/frameworks/{own.pk}").status_code == 404
    slugs = [f["slug"] for f in client_for(world.beta_employee).get("/api/v1/competence/frameworks").json()]
    assert "alfa-egen" not in slugs


def test_export_endpoint_serves_csv_and_json(world):
    client = client_for(world.employee)
    pk = _digcomp().pk
    csv_response = client.get(f"/api/v1/competence/frameworks/{pk}/export?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "competence,5.4,Identifying digital competence gaps" in csv_response.content.decode()
    json_response = client.get(f"/api/v1/competence/frameworks/{pk}/export")
    assert json.loads(json_response.content)["format"] == "laeringsarena-framework/1"
    assert client.get(f"/api/v1/competence/frameworks/{pk}/export?format=xml").status_code == 400


def test_import_and_export_commands(world, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("export_framework", "digcomp", "2.2", "--format", "csv", stdout=out)
    path = tmp_path / "digcomp.csv"
    path.write_text(out.getvalue().replace(",2.2,en,", ",2.2-alfa,en,"), encoding="utf-8")
    result = StringIO()
    call_command("import_framework", str(path), "--org", "alfa", stdout=result)
    assert "21 competences, 8 levels" in result.getvalue()
    with pytest.raises(CommandError, match="finnes fra før"):
        call_command("import_framework", str(path), "--org", "alfa", stdout=StringIO())
