"""Provider usage statistics: aggregates per offering and month, small groups suppressed."""

from __future__ import annotations

import pytest
from django.test import Client

from laeringsarena.accounts.models import Role
from laeringsarena.catalogue.models import Participation, Rating
from laeringsarena.catalogue.tests.helpers import offering, provider
from laeringsarena.conftest import World, client_for
from laeringsarena.testing import factories as f

pytestmark = pytest.mark.django_db


def test_editors_see_views_clicks_and_only_large_enough_groups(world: World) -> None:
    alfa = provider("alfa", organisation=world.alpha)
    popular = offering(alfa, "Populært kurs", external_url="https://example.test/kurs")
    quiet = offering(alfa, "Stille kurs")
    editor = f.UserFactory(person=f.PersonFactory(email="red@alfa.test"))
    f.RoleFactory(person=editor.person, role=Role.PROVIDER_EDITOR, organisation=world.alpha)
    for _ in range(3):
        Client().get(f"/katalog/{popular.pk}/")  # anonymous views count too
    Client().post(f"/katalog/{popular.pk}/ga-til/")
    people = [f.PersonFactory() for _ in range(6)]
    for person in people:
        Participation.objects.create(offering=popular, person=person, kind="completed")
        Rating.objects.create(offering=popular, person=person, stars=4)
    for person in people[:2]:
        Participation.objects.create(offering=quiet, person=person, kind="completed")
        Rating.objects.create(offering=quiet, person=person, stars=1)
    url = "/katalog/redaktor/statistikk/alfa/"
    assert client_for(world.employee).get(url).status_code == 403
    response = client_for(editor).get(url)
    assert response.status_code == 200
    rows = {r.offering.title: r for r in response.context["rows"]}
    assert (rows["Populært kurs"].views, rows["Populært kurs"].clicks) == (3, 1)
    assert (rows["Populært kurs"].participants, rows["Populært kurs"].ratings) == (6, 6)
    assert rows["Populært kurs"].average == 4.0
    # two people: hidden, and the average of their stars too
    assert (rows["Stille kurs"].participants, rows["Stille kurs"].ratings, rows["Stille kurs"].average) == (
        None,
        None,
        None,
    )
