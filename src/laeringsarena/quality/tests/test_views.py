"""The web pages: reporting on a phone, my reports with feedback, the leader meeting, statistics."""

from __future__ import annotations

from laeringsarena.accounts.models import Role
from laeringsarena.conftest import client_for
from laeringsarena.quality import services
from laeringsarena.quality.models import Deviation
from laeringsarena.quality.tests.support import report
from laeringsarena.testing import factories as f


def test_report_page_preselects_the_unit_and_offers_the_default_categories(setup):
    page = client_for(setup.employee).get("/avvik/meld/").content.decode()
    assert f'<option value="{setup.alpha_home.pk}" selected>' in page
    for name in (
        "Tjenesteutførelse",
        "Legemidler",
        "Fall/brukerskade",
        "HMS/arbeidsmiljø",
        "Brann/beredskap",
    ):
        assert name in page
    assert 'type="radio" name="category_id"' in page


def test_reporting_through_the_page_warns_about_a_phone_number_then_sends(setup):
    client = client_for(setup.employee)
    form = {
        "category_id": setup.category.pk,
        "unit_id": setup.alpha_home.pk,
        "severity": "medium",
        "what_happened": "Pårørende ringte fra 98765432 om feil medisin.",
    }
    warned = client.post("/avvik/meld/", form)
    assert warned.status_code == 200 and "telefonnummer" in warned.content.decode()
    assert not Deviation.objects.exists()
    sent = client.post("/avvik/meld/", {**form, "acknowledge_personal_data": "on"})
    deviation = Deviation.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/avvik/{deviation.pk}/"
    check = client.post("/avvik/meld/sjekk/", {"what_happened": "fnr 01010012356"}).content.decode()
    assert "fødselsnummer" in check


def test_anonymous_report_through_the_page_is_not_in_my_reports(setup):
    client = client_for(setup.employee)
    response = client.post(
        "/avvik/meld/",
        {
            "category_id": setup.category.pk,
            "unit_id": setup.alpha_home.pk,
            "severity": "low",
            "what_happened": "Nøkkel borte",
            "anonymous": "on",
        },
    )
    assert response["Location"] == "/avvik/meldt/"
    assert Deviation.objects.get().reporter_id is None
    assert "Nøkkel borte" not in client.get("/avvik/mine/").content.decode()


def test_my_reports_shows_the_feedback_when_closed(setup):
    deviation = Deviation.objects.get(pk=report(setup.employee, setup).json()["id"])
    services.transition(setup.leader, deviation, "under_treatment")
    services.transition(setup.leader, deviation, "measures_decided", measures="Ny sjekkliste")
    services.transition(setup.leader, deviation, "closed", feedback="Takk, vi har laget en sjekkliste.")
    page = client_for(setup.employee).get("/avvik/mine/").content.decode()
    assert "Takk, vi har laget en sjekkliste." in page and "Lukket" in page


def test_leader_handles_and_assigns_a_refresher_on_the_page(setup):
    deviation_id = report(setup.employee, setup).json()["id"]
    leader = client_for(setup.leader)
    page = leader.get(f"/avvik/{deviation_id}/").content.decode()
    assert "Behandle" in page and "Tildel oppfriskning" in page
    leader.post(f"/avvik/{deviation_id}/handling/", {"action": "transition", "to": "under_treatment"})
    leader.post(
        f"/avvik/{deviation_id}/handling/",
        {
            "action": "refresher",
            "title": "Legemiddelhåndtering – repetisjon",
            "person_id": setup.employee.person_id,
        },
    )
    assert Deviation.objects.get(pk=deviation_id).state == "under_treatment"
    assert [a.title for a in services.learning_for(setup.employee.person)] == [
        "Legemiddelhåndtering – repetisjon"
    ]
    # The reporter sees neither the handling form nor the log.
    mine = client_for(setup.employee).get(f"/avvik/{deviation_id}/").content.decode()
    assert "Behandlingslogg" not in mine and "Under behandling" in mine


def test_leader_meeting_exports_markdown_with_counts_per_unit_and_category(setup):
    report(setup.employee, setup)
    report(setup.employee, setup)
    services.add_to_agenda(
        setup.leader,
        list(Deviation.objects.values_list("pk", flat=True)),
        meeting_date=services.timezone.localdate(),
        discussion_guide="Hva skjedde på kveldsvakten?",
    )
    response = client_for(setup.sector_leader).get("/avvik/ledermote/?format=md")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert "| Alfa sykehjem | 2 | 2 |" in text and "Hva skjedde på kveldsvakten?" in text
    assert client_for(setup.employee).get("/avvik/ledermote/").status_code == 404


def test_union_representatives_see_hms_aggregates_only_with_small_numbers_suppressed(setup):
    hms = services.ensure_categories(setup.alpha)
    hms_category = next(c for c in hms if c.slug == "hms-arbeidsmiljo")
    for _ in range(3):
        report(setup.employee, setup, category_id=hms_category.pk)
    for _ in range(6):
        report(setup.employee, setup)
    page = client_for(setup.union_rep).get("/kvalitet/alfa/statistikk/").content.decode()
    assert "HMS/arbeidsmiljø" in page and "Legemidler" not in page and "&lt;5" in page
    hr_page = client_for(setup.hr).get("/kvalitet/alfa/statistikk/?csv=category").content.decode()
    assert "Legemidler,6" in hr_page and "HMS/arbeidsmiljø,3" in hr_page
    assert client_for(setup.employee).get("/kvalitet/alfa/statistikk/").status_code == 403


def test_navigation_names_meld_avvik_for_employees_and_avvik_for_leaders(setup):
    employee = client_for(setup.employee).get("/avvik/mine/").content.decode()
    assert ">Meld avvik<" in employee and ">Avvik<" not in employee
    leader = client_for(setup.leader).get("/avvik/mine/").content.decode()
    assert ">Avvik<" in leader
    coordinator = f.UserFactory(person=f.PersonFactory(email="k@alfa.test"))
    f.RoleFactory(person=coordinator.person, role=Role.QUALITY_COORDINATOR, organisation=setup.alpha)
    assert ">Kvalitet<" in client_for(coordinator).get("/kvalitet/les/").content.decode()


def test_leader_links_a_cluster_and_the_broken_procedure(setup):
    first = report(setup.employee, setup).json()["id"]
    second = report(setup.employee, setup).json()["id"]
    elsewhere = report(setup.employee, setup, unit_id=setup.alpha_school.pk).json()["id"]
    leader = client_for(setup.leader)
    leader.post(f"/avvik/{first}/handling/", {"action": "link", "related": f"#{second}"})
    page = leader.get(f"/avvik/{first}/").content.decode()
    assert f"#{second} Legemidler" in page
    refused = leader.post(
        f"/avvik/{first}/handling/", {"action": "link", "related": str(elsewhere)}, follow=True
    )
    assert "bare koble til avvik du selv behandler" in refused.content.decode()
    assert not Deviation.objects.get(pk=first).related.filter(pk=elsewhere).exists()


def test_quality_coordinator_changes_a_category_and_its_default_handler_sees_its_deviations(setup):
    coordinator = f.UserFactory(person=f.PersonFactory(email="k@alfa.test"))
    f.RoleFactory(person=coordinator.person, role=Role.QUALITY_COORDINATOR, organisation=setup.alpha)
    pharmacist = f.UserFactory(person=f.PersonFactory(email="farmasoyt@alfa.test"))
    f.EmploymentFactory(person=pharmacist.person, unit=setup.alpha_school)
    deviation_id = report(setup.employee, setup).json()["id"]
    assert client_for(pharmacist).get(f"/avvik/{deviation_id}/").status_code == 404
    response = client_for(coordinator).post(
        "/kvalitet/kategorier/?kommune=alfa",
        {
            "category_id": setup.category.pk,
            "name": "Legemidler",
            "deadline_days": "5",
            "default_handler_id": pharmacist.person_id,
        },
    )
    assert response.status_code == 302
    assert client_for(pharmacist).get(f"/avvik/{deviation_id}/").status_code == 200
    assert client_for(setup.leader).get("/kvalitet/kategorier/").status_code == 403


def test_leader_assigns_a_catalogue_offering_as_refresher(setup):
    from laeringsarena.catalogue.models import Offering, Provider, ProviderKind

    provider = Provider.objects.create(name="KS Læring", slug="ks-laering", kind=ProviderKind.values[0])
    offering = Offering.objects.create(
        provider=provider,
        title="Trygg legemiddelhåndtering",
        format="elearning",
        price_model="free",
        status="published",
        visibility="public",
    )
    deviation_id = report(setup.employee, setup).json()["id"]
    leader = client_for(setup.leader)
    assert "Trygg legemiddelhåndtering" in leader.get(f"/avvik/{deviation_id}/").content.decode()
    leader.post(
        f"/avvik/{deviation_id}/handling/",
        {"action": "refresher", "offering_id": offering.pk, "unit_id": setup.alpha_home.pk},
    )
    (assignment,) = services.learning_for(setup.employee.person)
    assert assignment.offering == offering and assignment.title == "Trygg legemiddelhåndtering"
    assert assignment.url == f"/katalog/{offering.pk}/"


def test_the_reporter_sees_who_has_read_the_report(setup):
    deviation_id = report(setup.employee, setup).json()["id"]
    client_for(setup.sector_leader).get(f"/avvik/{deviation_id}/")
    page = client_for(setup.employee).get(f"/avvik/{deviation_id}/").content.decode()
    assert "Hvem har lest meldingen?" in page
    assert setup.sector_leader.person.full_name in page


def test_the_handler_list_uses_a_fixed_number_of_queries(setup, django_assert_max_num_queries):
    for _ in range(3):
        report(setup.employee, setup)
    leader = client_for(setup.leader)
    leader.get("/avvik/")
    for _ in range(20):
        report(setup.employee, setup)
    with django_assert_max_num_queries(14):
        response = leader.get("/avvik/")
    assert response.content.decode().count('class="card"') == 23
