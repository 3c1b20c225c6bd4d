"""Min læring shows refreshers assigned after deviations and what the person must read."""

from __future__ import annotations

import datetime as dt

from laeringsarena.conftest import client_for
from laeringsarena.quality.models import LearningAssignment


def test_a_refresher_for_the_unit_appears_on_min_laering(world):
    LearningAssignment.objects.create(
        tenant=world.alpha,
        title="Repetisjon: dobbeltkontroll av legemidler",
        url="https://example.no/dobbeltkontroll",
        unit=world.alpha_home,
        due_date=dt.date(2026, 12, 15),
    )

    employee_page = client_for(world.employee).get("/").content.decode()
    colleague_page = client_for(world.colleague).get("/").content.decode()

    assert "Oppfriskning du er bedt om" in employee_page
    assert "Repetisjon: dobbeltkontroll av legemidler" in employee_page
    assert "https://example.no/dobbeltkontroll" in employee_page
    assert "Repetisjon: dobbeltkontroll" not in colleague_page  # another unit


def test_nothing_to_read_is_said_plainly(world):
    page = client_for(world.employee).get("/").content.decode()
    assert "Det jeg må lese" in page
    assert "Du har lest og forstått alt som kreves av deg." in page
