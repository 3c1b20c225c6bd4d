"""Campaigns and requirements through the API: what HR systems and scripts use."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from laeringsarena.competence.models import Campaign, CertificationRequirement, Framework, Participant
from laeringsarena.conftest import bearer


@pytest.fixture
def health(db):
    return Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True)


def _json(client: Client, method: str, url: str, user, body=None):
    data = b"" if body is None else json.dumps(body)
    return client.generic(method, url, data=data, content_type="application/json", **bearer(user))


def test_hr_manages_requirements_and_bad_input_is_a_problem(world, health):
    client = Client()
    url = "/api/v1/competence/organisations/alfa/requirements"
    ps1 = health.competences.get(code="PS1")
    created = _json(
        client,
        "POST",
        url,
        world.hr,
        {
            "kind": "competence",
            "competence_id": ps1.pk,
            "required_level": 3,
            "organisation_id": world.alpha_home.pk,
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["competences"][0]["code"] == "PS1"
    hlr = _json(
        client, "POST", url, world.hr, {"kind": "certification", "name": "HLR", "validity_months": 12}
    )
    assert hlr.json()["certifications"][0] == {
        "id": CertificationRequirement.objects.get().pk,
        "name": "HLR",
        "validity_months": 12,
        "organisation_id": None,
        "position_code": None,
    }

    bad = _json(
        client, "POST", url, world.hr, {"kind": "competence", "competence_id": ps1.pk, "required_level": 99}
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"][0]["field"] == "required_level"

    requirement_id = created.json()["competences"][0]["id"]
    assert _json(client, "DELETE", f"{url}/competence/{requirement_id}", world.hr).status_code == 204
    assert _json(client, "DELETE", f"{url}/competence/{requirement_id}", world.hr).status_code == 404
    assert client.get(url, **bearer(world.hr)).json()["competences"] == []

    # Leaders and other municipalities may not.
    assert client.get(url, **bearer(world.leader)).status_code == 403
    assert client.get(url, **bearer(world.beta_leader)).status_code == 404


def test_leader_runs_a_campaign_through_the_api(world, health):
    client = Client()
    response = _json(
        client,
        "POST",
        "/api/v1/competence/campaigns",
        world.leader,
        {
            "name": "Kartlegging via API",
            "organisation_id": world.alpha_home.pk,
            "framework_id": health.pk,
            "self_deadline": "2030-03-01",
            "leader_deadline": "2030-03-15",
            "competence_ids": [health.competences.get(code="PS1").pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "self" and body["participants"] >= 2 and body["self_percent"] == 0
    campaign = Campaign.objects.get(pk=body["id"])
    assert Participant.objects.filter(campaign=campaign, person_id=world.employee.person_id).exists()

    listed = client.get("/api/v1/competence/campaigns", **bearer(world.leader)).json()
    assert [c["id"] for c in listed["items"]] == [campaign.pk]
    actions = f"/api/v1/competence/campaigns/{campaign.pk}/actions"
    assert (
        _json(client, "POST", actions, world.leader, {"action": "leader-phase"}).json()["status"] == "leader"
    )
    assert _json(client, "POST", actions, world.leader, {"action": "close"}).json()["status"] == "closed"
    again = _json(client, "POST", actions, world.leader, {"action": "close"})
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"

    # Another municipality's leader does not learn the campaign exists; nor does a colleague.
    assert (
        client.get(f"/api/v1/competence/campaigns/{campaign.pk}", **bearer(world.beta_leader)).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/competence/campaigns/{campaign.pk}", **bearer(world.colleague)).status_code
        == 404
    )


def test_a_leader_cannot_start_a_campaign_for_a_unit_they_do_not_lead(world, health):
    response = _json(
        Client(),
        "POST",
        "/api/v1/competence/campaigns",
        world.leader,
        {
            "name": "Skolen",
            "organisation_id": world.alpha_school.pk,
            "framework_id": health.pk,
            "self_deadline": "2030-03-01",
            "leader_deadline": "2030-03-15",
        },
    )
    assert response.status_code == 403
    assert not Campaign.objects.exists()
