"""The JSON API: bearer tokens, /me, scoped lists, pagination, import and RFC 9457 errors."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.test import Client

from laeringsarena.accounts.models import ApiToken
from laeringsarena.conftest import bearer, client_for
from laeringsarena.people.models import Person

IMPORT_CSV = (
    "employee_number,given_name,family_name,email,unit,position_code,position_name,percentage,start_date\n"
    "501,Nora,Strand,nora@alfa.test,alfa-sykehjem,5321,Helsefagarbeider,75,2021-02-01\n"
)


def test_me_returns_person_employments_and_roles(world):
    response = Client().get("/api/v1/me", **bearer(world.leader))

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "leder@alfa.test"
    assert body["person"]["family_name"] == "Nordmann"
    assert [e["unit"] for e in body["employments"]] == ["Alfa sykehjem"]
    assert {
        "role": "leader",
        "organisation_id": world.alpha_home.pk,
        "organisation": "Alfa sykehjem",
    } in body["roles"]


def test_create_token_command_prints_a_working_token(world, capsys):
    call_command("create_token", "leder@alfa.test")
    raw = capsys.readouterr().out.strip()

    assert raw.startswith("la_")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["email"] == "leder@alfa.test"


def test_missing_or_wrong_token_is_a_401_problem(world):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer la_wrong"}):
        response = Client().get("/api/v1/me", **headers)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 401 and problem["title"] and problem["type"].startswith("https://")


def test_revoked_token_no_longer_works(world):
    headers = bearer(world.leader)
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert Client().get("/api/v1/me", **headers).status_code == 401


def test_people_list_is_scoped_and_paginated(world):
    response = Client().get("/api/v1/people?page_size=2", **bearer(world.leader))

    body = response.json()
    assert body["count"] == 3  # the leader, the employee and the union rep at the nursing home
    assert body["pages"] == 2 and len(body["items"]) == 2
    emails = {p["email"] for p in body["items"]} | {
        p["email"]
        for p in Client().get("/api/v1/people?page=2&page_size=2", **bearer(world.leader)).json()["items"]
    }
    assert emails == {"leder@alfa.test", "ansatt@alfa.test", "tillitsvalgt@alfa.test"}


def test_a_person_in_another_municipality_is_not_found(world):
    other = world.beta_employee.person
    response = Client().get(f"/api/v1/people/{other.pk}", **bearer(world.leader))
    assert response.status_code == 404
    assert response.json()["code"] == "not-found"


def test_organisations_of_another_tenant_are_invisible(world):
    body = Client().get("/api/v1/organisations?page_size=100", **bearer(world.beta_leader)).json()
    assert {o["slug"] for o in body["items"]} == {"beta", "beta-helse", "beta-omsorg"}
    response = Client().get(f"/api/v1/organisations/{world.alpha.pk}", **bearer(world.beta_leader))
    assert response.status_code == 404


def test_invalid_query_parameter_is_a_400_problem_naming_the_field(world):
    response = Client().get("/api/v1/people?page=zero", **bearer(world.leader))
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid-input"
    assert any("page" in e["field"] for e in problem["errors"])


def test_hr_imports_csv_through_the_api(world):
    response = Client().post(
        "/api/v1/organisations/alfa/employee-imports", IMPORT_CSV, content_type="text/csv", **bearer(world.hr)
    )
    assert response.status_code == 200, response.content
    assert response.json()["created_people"] == 1
    assert Person.objects.filter(email="nora@alfa.test").exists()


def test_api_import_as_multipart_upload_and_dry_run(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("hr.csv", IMPORT_CSV.encode(), content_type="text/csv")
    response = Client().post(
        "/api/v1/organisations/alfa/employee-imports?dry_run=true", {"file": upload}, **bearer(world.hr)
    )
    assert response.json()["dry_run"] is True
    assert not Person.objects.filter(email="nora@alfa.test").exists()


def test_api_import_with_bad_rows_is_a_problem_listing_each_row(world):
    bad = IMPORT_CSV + "502,Per,Dal,per@alfa.test,nowhere,5321,Helsefagarbeider,abc,2021-02-01\n"
    response = Client().post(
        "/api/v1/organisations/alfa/employee-imports", bad, content_type="text/csv", **bearer(world.hr)
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert {(e["line"], e["field"]) for e in errors} == {(3, "unit"), (3, "percentage")}
    assert not Person.objects.filter(email="nora@alfa.test").exists()


def test_import_into_another_municipality_is_not_found_and_a_leader_may_not_import(world):
    response = Client().post(
        "/api/v1/organisations/beta/employee-imports", IMPORT_CSV, content_type="text/csv", **bearer(world.hr)
    )
    assert response.status_code == 404
    response = Client().post(
        "/api/v1/organisations/alfa/employee-imports",
        IMPORT_CSV,
        content_type="text/csv",
        **bearer(world.leader),
    )
    assert response.status_code == 403


def test_browser_session_works_for_the_api_and_needs_csrf_for_writes(world):
    client = client_for(world.hr)
    assert client.get("/api/v1/me").status_code == 200
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world.hr)
    response = csrf_client.post(
        "/api/v1/organisations/alfa/employee-imports", IMPORT_CSV, content_type="text/csv"
    )
    assert response.status_code in (401, 403)
    assert not Person.objects.filter(email="nora@alfa.test").exists()


def test_openapi_schema_is_served_and_documents_bearer_auth(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me" in schema["paths"]
    assert "/api/v1/organisations/{slug}/employee-imports" in schema["paths"]
    assert any(s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values())


def test_healthz_reports_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["status"] == "ok"
