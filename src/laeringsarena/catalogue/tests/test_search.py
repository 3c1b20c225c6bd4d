"""Search through the API and the page: the issue's examples on ingested text, facets, sorting,
highlighting, pagination, as-you-type, and several nodes staying in step."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from laeringsarena.catalogue import feeds, search_index, selectors
from laeringsarena.catalogue.models import Offering
from laeringsarena.catalogue.tests.helpers import offering, provider
from laeringsarena.conftest import World, client_for

pytestmark = pytest.mark.django_db

RECORDS = [
    ("r1", "Håndtering av legemidler i hjemmetjenesten", "nb", "elearning", 40, "free"),
    ("r2", "Omsorg for personer med demens", "nb", "classroom", 420, "employer"),
    ("r3", "Hjerte-lunge-redning for barnehageansatte", "nb", "classroom", 180, "employer"),
    ("r4", "HLR – repetisjon", "nb", "micro", 10, "free"),
    ("r5", "Helse, miljø og sikkerhet for verneombud", "nb", "webinar", 90, "free"),
    ("r6", "HMS-kurs for ledere", "nb", "elearning", 60, "paid"),
    ("r7", "Kvardagsrehabilitering for heimetenesta", "nn", "blended", 600, "employer"),
    ("r8", "Sygepleje til borgere med demens", "da", "video", 20, "subscription"),
    ("r9", "Velferdsteknologi: digitalt tilsyn om natten", "nb", "video", 15, "free"),
    ("r10", "Budsjettering for enhetsledere", "nb", "gathering", 2400, "paid"),
]


@pytest.fixture
def ingested() -> None:
    provider("kursbyraa", name="Kursbyrået")
    records = []
    for rid, title, language, fmt, minutes, price in RECORDS:
        record = {
            "id": rid,
            "title": title,
            "language": language,
            "format": fmt,
            "duration_minutes": minutes,
            "price_model": price,
        }
        if price == "paid":
            record["price_nok"] = 1000
        if fmt in ("classroom", "gathering"):
            record["sessions"] = [
                {"starts_at": "2030-05-05T09:00:00+02:00", "place": "Bergen", "county": "Vestland"}
            ]
        records.append(record)
    result = feeds.ingest(provider_obj(), json.dumps({"offerings": records}).encode())
    assert result.created == len(RECORDS)


def provider_obj():  # type: ignore[no-untyped-def]
    from laeringsarena.catalogue.models import Provider

    return Provider.objects.get(slug="kursbyraa")


def ids(q: str, **params: object) -> list[str]:
    response = Client().get("/api/v1/catalogue/search", {"q": q, "limit": 20, **params})
    assert response.status_code == 200, response.content
    return [r["external_id"] for r in response.json()["results"]]


@pytest.mark.usefixtures("ingested")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("legemiddelhåndtering", {"r1"}),
        ("demensomsorg", {"r2"}),
        ("HLR", {"r3", "r4"}),
        ("hjerte-lunge-redning", {"r3", "r4"}),
        ("HMS", {"r5", "r6"}),
        ("helse, miljø og sikkerhet", {"r5", "r6"}),
        ("legemidelhåndtering", {"r1"}),  # typo
        ("velferdsteknolgi", {"r9"}),  # typo
        ("hverdagsrehabilitering", {"r7"}),  # Bokmål query, Nynorsk offering
        ("heimeteneste legemiddel", {"r1"}),  # Nynorsk query
        ("sygepleje demens", {"r8"}),  # Danish query
    ],
)
def test_issue_examples_on_ingested_offerings(query: str, expected: set[str]) -> None:
    found = ids(query)
    assert expected <= set(found), (query, found)
    assert "r10" not in found


def test_response_shape_and_facets(ingested: None) -> None:
    body = Client().get("/api/v1/catalogue/search", {"q": "demens"}).json()
    assert set(body) >= {"count", "results", "facets"}
    first = body["results"][0]
    assert {"id", "external_id", "provider", "title", "score"} <= set(first)
    assert first["provider"] == "kursbyraa"
    assert set(body["facets"]) == {
        "format",
        "duration",
        "price",
        "language",
        "provider",
        "credits",
        "mode",
        "county",
    }
    assert body["facets"]["language"] == {"nb": 1, "da": 1}
    assert body["facets"]["county"] == {"Vestland": 1}


def test_facet_filters_narrow_but_keep_their_own_counts(ingested: None) -> None:
    body = Client().get("/api/v1/catalogue/search", {"q": "", "price": "free", "limit": 50}).json()
    assert body["count"] == 4
    assert body["facets"]["price"]["employer"] == 3  # other values stay visible to widen again
    assert {r["price_model"] for r in body["results"]} == {"free"}
    both = Client().get("/api/v1/catalogue/search", {"price": "free,paid", "duration": "lt15m"}).json()
    assert [r["external_id"] for r in both["results"]] == ["r4"]


def test_sorting_and_pagination(ingested: None) -> None:
    shortest = Client().get("/api/v1/catalogue/search", {"sort": "shortest", "limit": 3}).json()
    assert [r["external_id"] for r in shortest["results"]] == ["r4", "r9", "r8"]
    page2 = Client().get("/api/v1/catalogue/search", {"sort": "shortest", "limit": 3, "offset": 3}).json()
    assert page2["count"] == 10 and len(page2["results"]) == 3
    assert not {r["id"] for r in page2["results"]} & {r["id"] for r in shortest["results"]}
    assert Client().get("/api/v1/catalogue/search", {"limit": 1000}).status_code == 400


def test_matches_are_highlighted(ingested: None) -> None:
    result = Client().get("/api/v1/catalogue/search", {"q": "legemiddelhåndtering"}).json()["results"][0]
    assert (
        result["title_highlighted"] == "<mark>Håndtering</mark> av <mark>legemidler</mark> i hjemmetjenesten"
    )


def test_search_page_as_you_type_with_htmx(ingested: None) -> None:
    page = Client().get("/katalog/")
    html = page.content.decode()
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'aria-live="polite"' in html
    partial = Client().get("/katalog/", {"q": "demensomsor"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "<mark>Omsorg</mark> for personer med <mark>demens</mark>" in partial
    assert 'name="format" value="classroom"' in partial


def test_a_change_is_visible_at_once_and_on_every_node(world: World) -> None:
    ks = provider("ks")
    node_a, node_b = search_index.Node(), search_index.Node()
    assert selectors.search(None, "ergoterapi", node=node_a).count == 0
    assert selectors.search(None, "ergoterapi", node=node_b).count == 0
    course = offering(ks, "Ergoterapi i hjemmet")
    assert selectors.search(None, "ergoterapi", node=node_a).count == 1
    assert selectors.search(None, "ergoterapi", node=node_b).count == 1
    course.title = "Fysioterapi i hjemmet"
    course.save()
    assert selectors.search(None, "ergoterapi", node=node_b).count == 0
    assert selectors.search(None, "fysioterapi", node=node_a).count == 1
    assert node_a.updates >= 1  # incremental, not rebuilt
    Offering.objects.filter(pk=course.pk).update(status="retired")  # a write that bypasses signals…
    search_index.log_changes([course.pk])  # …must log the change itself
    assert selectors.search(None, "fysioterapi", node=node_b).count == 0


def test_position_fit_is_explained(world: World) -> None:
    from laeringsarena.people.models import Employment

    ks = provider("ks")
    position = Employment.objects.get(person=world.employee.person).position
    fit = offering(ks, "Smittevern for deg")
    fit.target_positions.add(position)
    offering(ks, "Smittevern for alle")
    hits = selectors.search(world.employee, "smittevern").hits
    assert hits[0].offering == fit and hits[0].explanation()["fits_your_position"] is True
    assert client_for(world.employee).get("/katalog/", {"q": "smittevern"}).status_code == 200
