"""The HR page for xAPI clients: list, create (secret shown once), revoke; others are refused."""

from __future__ import annotations

import base64

from django.test import Client

from laeringsarena.conftest import client_for
from laeringsarena.lrs.models import LrsClient
from laeringsarena.lrs.tests.factories import XapiClient


def test_hr_creates_a_client_sees_the_secret_once_and_can_use_it(world):
    page = client_for(world.hr)
    response = page.post("/xapi-klienter/", {"tenant": "alfa", "name": "Kursverktøy"})
    assert response.status_code == 200
    client = LrsClient.objects.get(name="Kursverktøy")
    assert client.organisation == world.alpha and client.created_by == world.hr.person
    secret = response.context["created"][1]
    assert secret in response.content.decode()
    assert secret not in page.get("/xapi-klienter/").content.decode()
    token = base64.b64encode(f"{client.key}:{secret}".encode()).decode()
    auth = {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    assert Client().get("/xapi/statements", **auth).status_code == 200


def test_hr_revokes_a_client_and_its_credentials_stop_working(world):
    lrs = XapiClient(world.alpha)
    response = client_for(world.hr).post(f"/xapi-klienter/{lrs.lrs_client.pk}/trekk-tilbake/")
    assert response.status_code == 302
    assert lrs.get("statements").status_code == 401


def test_a_client_without_a_name_is_refused_with_a_message(world):
    response = client_for(world.hr).post("/xapi-klienter/", {"tenant": "alfa", "name": " "})
    assert response.status_code == 400
    assert not LrsClient.objects.exists()


def test_employees_leaders_and_other_municipalities_cannot_manage_clients(world):
    beta_client = XapiClient(world.beta)
    assert client_for(world.employee).get("/xapi-klienter/").status_code == 403
    assert client_for(world.leader).get("/xapi-klienter/").status_code == 403
    # HR in Alfa does not see or revoke Beta's clients.
    hr = client_for(world.hr)
    assert beta_client.key not in hr.get("/xapi-klienter/").content.decode()
    assert hr.post(f"/xapi-klienter/{beta_client.lrs_client.pk}/trekk-tilbake/").status_code == 404
    assert beta_client.get("statements").status_code == 200
