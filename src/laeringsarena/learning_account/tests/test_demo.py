"""The learning account's demo: a person who moved from Nordøy, uploads, own entries; fast and idempotent."""

from __future__ import annotations

from typing import Any

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role, User
from laeringsarena.conftest import client_for
from laeringsarena.demo.services import load_demo
from laeringsarena.learning_account import demo
from laeringsarena.learning_account.models import AccountEvent, OwnEntry, Upload
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment


def test_demo_gives_a_former_nordoy_employee_an_account_nordoy_no_longer_reads(db: Any) -> None:
    load_demo()
    mover = demo.mover()
    assert mover is not None and mover.person is not None
    nordoy_job = Employment.objects.get(person=mover.person, organisation__slug="nordoy")
    assert nordoy_job.end_date is not None
    html = client_for(mover).get("/laeringskonto/").content.decode()
    assert "Fra tidligere ansettelse: Nordøy kommune, Hjemmetjenesten" in html
    assert "Kursbevis: Forflytningsteknikk" in html and "Utløpt" in html
    home_care = Organisation.objects.get(tenant__slug="nordoy", slug="hjemmetjenesten")
    former_leader = permissions.role_holders(Role.LEADER, home_care).first()
    assert former_leader is not None
    former_user = User.objects.get(person=former_leader)
    assert client_for(former_user).get(f"/laeringskonto/person/{mover.person_id}/").status_code == 404
    current_leader = User.objects.get(email="leder@fjordvik.demo")
    page = client_for(current_leader).get(f"/laeringskonto/person/{mover.person_id}/").content.decode()
    assert "Kursbevis: Forflytningsteknikk" not in page and "Nordøy" not in page


def test_demo_logins_have_uploads_and_own_entries(db: Any) -> None:
    load_demo()
    ingrid = User.objects.get(email="ansatt@fjordvik.demo").person
    amir = User.objects.get(email="ansatt2@fjordvik.demo").person
    sunniva = User.objects.get(email="ansatt@nordoy.demo").person
    assert Upload.objects.filter(person=ingrid).count() == 2
    assert set(OwnEntry.objects.filter(person=ingrid).values_list("kind", flat=True)) == {
        "certification",
        "prior_learning",
    }
    assert Upload.objects.filter(person=amir, education__isnull=False).exists()
    assert AccountEvent.objects.filter(person=sunniva, kind="deletion").exists()
    assert list(Upload.objects.filter(person=sunniva).values_list("title", flat=True)) == [
        "Vitnemål: helsefagarbeider"
    ]


def test_demo_is_idempotent(db: Any) -> None:
    load_demo()
    counts = (
        Upload.objects.count(),
        OwnEntry.objects.count(),
        Employment.objects.count(),
        AccountEvent.objects.count(),
    )
    demo.load()
    assert (
        Upload.objects.count(),
        OwnEntry.objects.count(),
        Employment.objects.count(),
        AccountEvent.objects.count(),
    ) == counts
