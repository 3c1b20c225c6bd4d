"""The editor flow ("publish"): draft, publish, find it, retire it, hosted content."""

from __future__ import annotations

import pytest

from laeringsarena.accounts.models import Role
from laeringsarena.catalogue import selectors, services
from laeringsarena.catalogue.models import Offering, Status
from laeringsarena.catalogue.tests.helpers import provider
from laeringsarena.conftest import World, client_for
from laeringsarena.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(world: World):  # type: ignore[no-untyped-def]
    user = f.UserFactory(person=f.PersonFactory(email="red@alfa.test"))
    f.RoleFactory(person=user.person, role=Role.PROVIDER_EDITOR, organisation=world.alpha)
    provider("alfa", organisation=world.alpha, name="Alfa kommune")
    return user


def test_an_editor_drafts_publishes_and_retires_an_internal_offering(world: World, editor) -> None:  # type: ignore[no-untyped-def]
    client = client_for(editor)
    assert "Nytt tilbud fra Alfa kommune" in client.get("/katalog/redaktor/").content.decode()
    response = client.post(
        "/katalog/redaktor/ny/alfa/",
        {
            "title": "Turnusopplæring i Alfa",
            "summary": "Slik bruker du turnussystemet.",
            "format": "elearning",
            "language": "nb",
            "level": "basic",
            "price_model": "free",
            "visibility": "internal",
        },
    )
    offering = Offering.objects.get(title="Turnusopplæring i Alfa")
    assert response.status_code == 302 and offering.status == Status.DRAFT
    assert offering.owner == world.alpha
    assert selectors.search(world.employee, "turnusopplæring").count == 0  # a draft is not in search
    client.post(f"/katalog/redaktor/{offering.pk}/", {"status": "published"})
    assert selectors.search(world.employee, "turnusopplæring").count == 1
    assert selectors.search(world.beta_employee, "turnusopplæring").count == 0
    assert selectors.search(None, "turnusopplæring").count == 0
    client.post(f"/katalog/redaktor/{offering.pk}/", {"status": "retired"})
    assert selectors.search(world.employee, "turnusopplæring").count == 0


def test_invalid_input_is_shown_next_to_the_field(editor) -> None:  # type: ignore[no-untyped-def]
    response = client_for(editor).post(
        "/katalog/redaktor/ny/alfa/",
        {
            "title": "Betalt kurs",
            "format": "classroom",
            "language": "nb",
            "level": "basic",
            "price_model": "paid",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "Betalte tilbud må ha en pris." in response.content.decode()
    assert not Offering.objects.exists()


def test_hosted_content_is_shown_on_the_offering_page(world: World, editor) -> None:  # type: ignore[no-untyped-def]
    alfa = provider("alfa2", organisation=world.alpha)
    data = services.OfferingInput(title="Velkommen til Alfa", format="elearning")
    offering = services.save_offering(editor, alfa, data)
    services.add_content(editor, offering, "page", "Om kommunen", body="Alfa har 5 000 innbyggere.")
    services.set_status(editor, offering, Status.PUBLISHED)
    html = client_for(world.employee).get(f"/katalog/{offering.pk}/").content.decode()
    assert "Alfa har 5 000 innbyggere." in html
