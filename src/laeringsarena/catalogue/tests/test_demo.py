"""The demo catalogue: big enough, varied, fast, idempotent — and searchable."""

from __future__ import annotations

import time

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
    started = time.perf_counter()
    demo.load()
    assert time.perf_counter() - started < 0.1
    assert Offering.objects.count() == count
    titles = [hit.offering.title for hit in selectors.search(None, "legemiddelhåndtering").hits]
    assert any("legemidler" in title.lower() for title in titles)
