"""The demo catalogue: big enough, varied, fast, idempotent — and searchable."""

from __future__ import annotations

import pytest

from laeringsarena.catalogue import demo, selectors
from laeringsarena.catalogue.models import Bundle, Offering, OfferingSession, Provider, Rating
from laeringsarena.demo.services import load_demo

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_realistic_and_idempotent() -> None:
    load_demo()
    count = Offering.objects.count()
    assert count >= 300
    assert Provider.objects.count() >= 8
    assert set(Offering.objects.values_list("language", flat=True)) >= {"nb", "nn", "da", "en"}
    assert OfferingSession.objects.exists() and Bundle.objects.exists() and Rating.objects.exists()
    demo.load()  # a second load changes nothing (its speed is not a unit-test matter)
    assert Offering.objects.count() == count
    titles = [hit.offering.title for hit in selectors.search(None, "legemiddelhåndtering").hits]
    assert any("legemidler" in title.lower() for title in titles)
