"""Internal offerings never leak: not in search, not in the API, not on the detail page."""

from __future__ import annotations

import pytest
from django.test import Client

from laeringsarena.catalogue import selectors, services
from laeringsarena.catalogue.models import Bundle, BundleGrant, Offering, Visibility
from laeringsarena.catalogue.tests.helpers import offering, provider
from laeringsarena.conftest import World, bearer, client_for
from laeringsarena.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world: World) -> dict[str, Offering]:
    ks = provider("ks")
    alfa = provider("alfa", organisation=world.alpha)
    return {
        "public": offering(ks, "Turnusplanlegging for alle", summary="Åpent kurs om turnus."),
        "internal": offering(
            alfa,
            "Turnusplanlegging i Alfa",
            summary="Alfas interne turnusrutiner.",
            visibility=Visibility.INTERNAL,
            owner=world.alpha,
        ),
        "draft": offering(ks, "Turnusplanlegging utkast", status="draft"),
    }


def titles(user: object, q: str = "turnusplanlegging") -> set[str]:
    return {hit.offering.title for hit in selectors.search(user, q, limit=50).hits}


def test_anonymous_search_shows_public_published_offerings_only(catalogue: dict[str, Offering]) -> None:
    assert titles(None) == {"Turnusplanlegging for alle"}
    response = Client().get("/api/v1/catalogue/search", {"q": "turnusplanlegging"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [r["title"] for r in body["results"]] == ["Turnusplanlegging for alle"]
    assert body["facets"]["provider"] == {"ks": 1}


def test_the_owning_municipality_sees_its_internal_offering(
    world: World, catalogue: dict[str, Offering]
) -> None:
    assert titles(world.employee) == {"Turnusplanlegging for alle", "Turnusplanlegging i Alfa"}
    api = Client().get("/api/v1/catalogue/search", {"q": "turnusplanlegging"}, **bearer(world.colleague))
    assert api.json()["count"] == 2


def test_another_municipality_never_sees_it_anywhere(world: World, catalogue: dict[str, Offering]) -> None:
    internal = catalogue["internal"]
    assert titles(world.beta_employee) == {"Turnusplanlegging for alle"}
    assert titles(world.beta_leader, "alfas interne") == set()
    client = Client()
    api = client.get(
        "/api/v1/catalogue/search", {"q": "alfa", "provider": "alfa"}, **bearer(world.beta_employee)
    )
    assert api.json()["count"] == 0 and api.json()["facets"]["provider"] == {}
    assert (
        client.get(f"/api/v1/catalogue/offerings/{internal.pk}", **bearer(world.beta_employee)).status_code
        == 404
    )
    assert client_for(world.beta_employee).get(f"/katalog/{internal.pk}/").status_code == 404
    assert Client().get(f"/katalog/{internal.pk}/").status_code == 404
    html = client_for(world.beta_employee).get("/katalog/", {"q": "turnus"}).content.decode()
    assert "Turnusplanlegging i Alfa" not in html


def test_sharing_with_a_named_municipality_opens_it_for_them_only(
    world: World, catalogue: dict[str, Offering]
) -> None:
    gamma = f.MunicipalityFactory(name="Gamma kommune", slug="gamma")
    gamma_user = f.UserFactory(person=f.PersonFactory(email="g@gamma.test"))
    f.EmploymentFactory(person=gamma_user.person, unit=f.UnitFactory(parent=gamma, slug="g-enhet"))
    alfa_editor = f.UserFactory(person=f.PersonFactory(email="red@alfa.test"))
    f.RoleFactory(person=alfa_editor.person, role="provider_editor", organisation=world.alpha)
    services.share(alfa_editor, catalogue["internal"], [world.beta])
    assert "Turnusplanlegging i Alfa" in titles(world.beta_employee)
    assert "Turnusplanlegging i Alfa" not in titles(gamma_user)
    assert "Turnusplanlegging i Alfa" not in titles(None)
    services.share(alfa_editor, catalogue["internal"], [], everyone=True)
    assert "Turnusplanlegging i Alfa" in titles(gamma_user)
    assert "Turnusplanlegging i Alfa" not in titles(None)  # the municipal sector, not the public


def test_only_the_providers_editors_may_share_or_edit(world: World, catalogue: dict[str, Offering]) -> None:
    from laeringsarena.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.share(world.hr, catalogue["internal"], [world.beta])
    assert client_for(world.hr).get(f"/katalog/redaktor/{catalogue['internal'].pk}/").status_code == 403
    assert (
        client_for(world.beta_leader).get(f"/katalog/redaktor/{catalogue['internal'].pk}/").status_code == 404
    )


def test_subscription_content_needs_a_bundle_grant(world: World) -> None:
    ks = provider("ks")
    video = offering(
        ks, "Video om demens", price_model="subscription", external_url="https://ks.example.no/v"
    )
    bundle = Bundle.objects.create(name="KS-pakke", slug="ks-pakke")
    bundle.offerings.add(video)
    client = Client()
    assert (
        client.post(f"/api/v1/catalogue/offerings/{video.pk}/refer", **bearer(world.employee)).status_code
        == 403
    )
    BundleGrant.objects.create(bundle=bundle, organisation=world.alpha, valid_from="2020-01-01")
    response = client.post(f"/api/v1/catalogue/offerings/{video.pk}/refer", **bearer(world.employee))
    assert response.json() == {"url": "https://ks.example.no/v"}
    assert (
        client.post(
            f"/api/v1/catalogue/offerings/{video.pk}/refer", **bearer(world.beta_employee)
        ).status_code
        == 403
    )
    assert video.referral_clicks.count() == 1
