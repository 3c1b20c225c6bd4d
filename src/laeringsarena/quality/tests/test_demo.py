"""The quality demo: a realistic year of deviations, fast and idempotent."""

from __future__ import annotations

from collections import Counter

import pytest

from laeringsarena.demo import services as demo_services
from laeringsarena.quality import demo
from laeringsarena.quality.models import Deviation, ImprovementCase, ReadConfirmation


@pytest.fixture
def people(db, monkeypatch):
    monkeypatch.setattr(demo_services, "_load_app_demos", lambda: None)
    demo_services.load_demo()


def test_demo_loads_a_year_of_deviations_quickly_and_only_once(people):
    demo.load()
    count = Deviation.objects.filter(tenant__slug="fjordvik").count()
    assert 200 <= count <= 600
    demo.load()
    assert Deviation.objects.filter(tenant__slug="fjordvik").count() == count
    assert ReadConfirmation.objects.count() > 100


def test_demo_falls_peak_in_winter_and_medication_errors_fall_after_the_improvement_case(people):
    demo.load()
    case = ImprovementCase.objects.get(title__startswith="Dobbeltkontroll")
    falls = Counter(
        d.occurred_at.month
        for d in Deviation.objects.filter(category__slug="fall-brukerskade", tenant__slug="fjordvik")
    )
    assert falls[1] + falls[2] > falls[5] + falls[9]
    from laeringsarena.quality.services import rate_before_after

    rates = rate_before_after(case)
    assert rates["after"] < rates["before"] * 0.7
