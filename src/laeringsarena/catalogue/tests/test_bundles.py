"""Subscription bundles: the provider's editors grant and revoke; access to content follows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from laeringsarena.accounts.models import Role
from laeringsarena.catalogue import access
from laeringsarena.catalogue.models import Bundle, BundleGrant
from laeringsarena.catalogue.tests.helpers import offering, provider
from laeringsarena.conftest import World, bearer, client_for
from laeringsarena.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world: World) -> tuple[Bundle, object, object]:
    seller = provider("alfa", organisation=world.alpha)
    course = offering(seller, "Simulering av legemiddelhåndtering", price_model="subscription")
    bundle = Bundle.objects.create(name="Alfa-pakken", slug="alfa-pakken", provider=seller)
    bundle.offerings.add(course)
    editor = f.UserFactory(person=f.PersonFactory(email="red@alfa.test"))
    f.RoleFactory(person=editor.person, role=Role.PROVIDER_EDITOR, organisation=world.alpha)
    return bundle, course, editor


def test_an_organisation_grant_opens_the_content_for_its_people_and_revoking_closes_it(
    world: World, setup: tuple[Bundle, object, object]
) -> None:
    bundle, course, editor = setup
    assert not access.has_content_access(world.beta_employee, course)  # type: ignore[arg-type]
    url = "/api/v1/catalogue/bundles/alfa-pakken/grants"
    denied = Client().post(url, {"organisation": "beta"}, content_type="application/json", **bearer(world.hr))
    assert denied.status_code == 403  # HR of another tenant does not sell this bundle
    created = Client().post(url, {"organisation": "beta"}, content_type="application/json", **bearer(editor))
    assert created.status_code == 201, created.content
    assert created.json()["organisation"] == "beta" and created.json()["active"]
    assert access.has_content_access(world.beta_employee, course)  # type: ignore[arg-type]
    again = Client().post(url, {"organisation": "beta"}, content_type="application/json", **bearer(editor))
    assert again.json()["id"] == created.json()["id"]  # one active grant per holder
    listed = Client().get(url, **bearer(editor)).json()
    assert [g["organisation"] for g in listed] == ["beta"]
    revoked = Client().delete(f"{url}/{created.json()['id']}", **bearer(editor))
    assert revoked.status_code == 200 and not revoked.json()["active"]
    assert not access.has_content_access(world.beta_employee, course)  # type: ignore[arg-type]
    assert BundleGrant.objects.filter(bundle=bundle).count() == 1  # kept as history
    unknown = Client().post(
        url, {"organisation": "nowhere"}, content_type="application/json", **bearer(editor)
    )
    assert unknown.status_code == 400 and unknown.headers["Content-Type"] == "application/problem+json"
    neither = Client().post(url, {}, content_type="application/json", **bearer(editor))
    assert neither.status_code == 400


def test_a_person_grant_on_the_web_page_with_a_period(
    world: World, setup: tuple[Bundle, object, object]
) -> None:
    bundle, course, editor = setup
    client = client_for(editor)  # type: ignore[arg-type]
    page = client.get("/katalog/redaktor/pakker/alfa-pakken/")
    assert page.status_code == 200 and "Alfa-pakken" in page.content.decode()
    assert client_for(world.employee).get("/katalog/redaktor/pakker/alfa-pakken/").status_code == 403
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    email = world.colleague.person.email  # type: ignore[union-attr]
    response = client.post(
        "/katalog/redaktor/pakker/alfa-pakken/", {"person_email": email, "valid_from": tomorrow.isoformat()}
    )
    assert response.status_code == 302
    grant = BundleGrant.objects.get(bundle=bundle, person=world.colleague.person)  # type: ignore[misc]
    assert not access.has_content_access(world.colleague, course)  # type: ignore[arg-type]  # starts tomorrow
    grant.valid_from = timezone.localdate()
    grant.save()
    assert access.has_content_access(world.colleague, course)  # type: ignore[arg-type]
    assert (
        client_for(world.employee).post(f"/katalog/redaktor/tilganger/{grant.pk}/trekk-tilbake/").status_code
        == 403
    )
    assert client.post(f"/katalog/redaktor/tilganger/{grant.pk}/trekk-tilbake/").status_code == 302
    assert not access.has_content_access(world.colleague, course)  # type: ignore[arg-type]
    bad = client.post("/katalog/redaktor/pakker/alfa-pakken/", {"person_email": "ingen@example.test"})
    assert bad.status_code == 200 and "ingen@example.test" in bad.content.decode()
