"""Networks across municipalities, proposed and agreed on the web by each municipality's admins."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from laeringsarena.accounts.models import Role
from laeringsarena.community import networks, services
from laeringsarena.community.models import CommunityNotice, Group, GroupKind, NoticeKind
from laeringsarena.community.tests.conftest import colleague_at
from laeringsarena.conftest import bearer, client_for
from laeringsarena.core.errors import NotFound
from laeringsarena.testing import factories as f

API = "/api/v1/community"


@pytest.fixture
def beta_admin(world):
    admin = colleague_at(world.beta_unit, "hr@beta.test")
    f.RoleFactory(person=admin.person, role=Role.HR, organisation=world.beta)
    return admin


@pytest.fixture
def gamma_admin(world):
    gamma = f.MunicipalityFactory(name="Gamma kommune", slug="gamma")
    unit = f.UnitFactory(parent=f.SectorFactory(parent=gamma, slug="gamma-helse"), slug="gamma-omsorg")
    admin = colleague_at(unit, "hr@gamma.test")
    f.RoleFactory(person=admin.person, role=Role.HR, organisation=gamma)
    return admin


def propose(world, *slugs: str):
    return client_for(world.hr).post(
        "/fellesskap/nettverk/nytt/",
        {
            "tenant": "alfa",
            "name": "Ledere i omsorg",
            "description": "Erfaringsdeling for ledere.",
            "join_policy": "open",
            "municipalities": list(slugs),
        },
    )


def test_an_admin_proposes_a_network_on_the_web_and_the_other_admins_are_asked(
    world, beta_admin, django_capture_on_commit_callbacks
):
    page = client_for(world.hr).get("/fellesskap/nettverk/nytt/")
    assert page.status_code == 200 and "Beta kommune" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = propose(world, "beta")
    network = Group.objects.get(name="Ledere i omsorg")
    assert (
        response.status_code == 302 and response["Location"] == f"/fellesskap/nettverk/{network.pk}/avtale/"
    )
    assert network.kind == GroupKind.REGIONAL and network.tenant == world.alpha

    # Beta's admin is told by e-mail (with a link) and in the app.
    assert [m.to for m in mail.outbox] == [[beta_admin.person.email]]
    assert f"/fellesskap/nettverk/{network.pk}/avtale/" in mail.outbox[0].body
    notice = CommunityNotice.objects.get(tenant=world.beta, kind=NoticeKind.AGREEMENT_NEEDED)
    assert notice.group == network
    assert "Ledere i omsorg" in client_for(beta_admin).get("/fellesskap/administrasjon/").content.decode()

    # Not in force: Beta's people do not see it and nobody can join yet.
    assert Client().get(f"{API}/groups/{network.pk}", **bearer(world.beta_leader)).status_code == 404
    page = client_for(beta_admin).get(f"/fellesskap/nettverk/{network.pk}/avtale/").content.decode()
    assert "Venter på svar" in page and "Ja, vi blir med" in page


def test_the_network_exists_when_every_municipality_has_accepted(
    world, beta_admin, gamma_admin, django_capture_on_commit_callbacks
):
    propose(world, "beta", "gamma")
    network = Group.objects.get(name="Ledere i omsorg")
    url = f"/fellesskap/nettverk/{network.pk}/avtale/"

    client_for(beta_admin).post(url, {"action": "accept", "tenant": "beta"})
    # Two of three have said yes: still not in force.
    with pytest.raises(NotFound):
        services.join(world.beta_leader, network.pk)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(gamma_admin).post(url, {"action": "accept", "tenant": "gamma"})
    # The proposer's admins hear that it is in force; Beta's people can now join.
    assert [m.to for m in mail.outbox] == [[world.hr.person.email]]
    assert "er opprettet" in mail.outbox[0].subject
    assert CommunityNotice.objects.filter(tenant=world.alpha, kind=NoticeKind.NETWORK_AGREED).exists()
    assert services.join(world.beta_leader, network.pk).status == "active"


def test_a_municipality_that_declines_stops_the_network_until_the_proposer_goes_on_without_it(
    world, beta_admin, gamma_admin, django_capture_on_commit_callbacks
):
    propose(world, "beta", "gamma")
    network = Group.objects.get(name="Ledere i omsorg")
    url = f"/fellesskap/nettverk/{network.pk}/avtale/"
    client_for(beta_admin).post(url, {"action": "accept", "tenant": "beta"})

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(gamma_admin).post(url, {"action": "decline", "tenant": "gamma", "reason": "Ikke i år"})
    assert [m.to for m in mail.outbox] == [[world.hr.person.email]]
    declined = CommunityNotice.objects.get(tenant=world.alpha, kind=NoticeKind.NETWORK_DECLINED)
    assert "Gamma kommune" in declined.message and "Ikke i år" in declined.message
    page = client_for(world.hr).get(url).content.decode()
    assert "Nei (" in page and "Ikke i år" in page
    with pytest.raises(NotFound):
        services.join(world.beta_leader, network.pk)

    client_for(world.hr).post(url, {"action": "continue"})
    assert set(network.municipalities.values_list("tenant__slug", flat=True)) == {"alfa", "beta"}
    assert services.join(world.beta_leader, network.pk).status == "active"
    # Gamma's admin has nothing more to do with it.
    assert client_for(gamma_admin).get(url).status_code == 404


def test_only_the_participating_municipalities_admins_open_the_agreement(world, beta_admin):
    propose(world, "beta")
    network = Group.objects.get(name="Ledere i omsorg")
    url = f"/fellesskap/nettverk/{network.pk}/avtale/"
    for outsider in (world.employee, world.leader, world.beta_leader, world.beta_employee):
        assert client_for(outsider).get(url).status_code == 404
    # An employee cannot open the proposal form, nor answer for a municipality.
    assert client_for(world.employee).get("/fellesskap/nettverk/nytt/").status_code == 403
    assert client_for(world.beta_leader).post(url, {"action": "accept", "tenant": "beta"}).status_code == 404
    # Alfa's admin cannot answer for Beta.
    client_for(world.hr).post(url, {"action": "accept", "tenant": "beta"})
    assert not network.municipalities.get(tenant=world.beta).agreed_at


def test_a_proposal_needs_another_existing_municipality_and_says_so(world):
    response = propose(world)
    assert response.status_code == 400
    assert "Velg minst én annen kommune" in response.content.decode()
    assert not Group.objects.exists()


def test_the_proposer_can_withdraw(world, beta_admin, django_capture_on_commit_callbacks):
    propose(world, "beta")
    network = Group.objects.get(name="Ledere i omsorg")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        networks.withdraw(world.hr, network.pk)
    assert not Group.objects.filter(pk=network.pk).exists()
    assert [m.to for m in mail.outbox] == [[beta_admin.person.email]]
