"""The web pages as people use them: write a reflection, hold a debrief, ask for feedback."""

from __future__ import annotations

from laeringsarena.community.models import Debrief, DebriefOutcome, FeedbackRequest, Reflection
from laeringsarena.conftest import client_for


def test_the_menu_offers_refleksjon_og_nettverk_after_min_laering(world):
    page = client_for(world.employee).get("/").content.decode()
    assert page.index("Min læring") < page.index("Refleksjon og nettverk")


def test_writing_a_reflection_in_the_browser_keeps_it_private(world):
    client = client_for(world.employee)
    response = client.post(
        "/fellesskap/", {"prompt": "learned", "body": "Ny rutine for væskelister."}, follow=True
    )

    assert response.status_code == 200
    reflection = Reflection.objects.get()
    assert reflection.is_private
    assert "Privat – bare du ser den" in response.content.decode()
    assert client_for(world.leader).get(f"/fellesskap/refleksjoner/{reflection.pk}/").status_code == 404


def test_an_empty_reflection_is_refused_with_a_message(world):
    response = client_for(world.employee).post("/fellesskap/", {"body": " "})
    assert response.status_code == 400
    assert "Skriv noen ord." in response.content.decode()


def test_a_group_holds_a_debrief_and_records_what_it_leads_to(world, guidance):
    client = client_for(world.leader)
    form = client.get(f"/fellesskap/grupper/{guidance.pk}/gjennomgang/ny/").content.decode()
    for question in ("Hva skjedde?", "Hva gikk bra?", "Hva kunne vært gjort bedre?", "Hva endrer vi?"):
        assert question in form

    response = client.post(
        f"/fellesskap/grupper/{guidance.pk}/gjennomgang/ny/",
        {
            "title": "Utagering på kveldsvakt",
            "answer_happened": "En beboer slo etter en kollega.",
            "answer_change": "Vi går to og to inn til beboeren.",
            "link_kind": "deviation",
            "link_title": "Avvik 2026-114",
        },
        follow=True,
    )
    debrief = Debrief.objects.get()
    assert response.redirect_chain[-1][0] == f"/fellesskap/gjennomganger/{debrief.pk}/"
    assert debrief.answers["change"] == "Vi går to og to inn til beboeren."
    assert debrief.link_kind == "deviation"

    client.post(
        f"/fellesskap/gjennomganger/{debrief.pk}/",
        {
            "kind": "procedure_change",
            "description": "Oppdater rutinen for utagering.",
            "due_date": "2026-12-15",
        },
    )
    outcome = DebriefOutcome.objects.get()
    assert (outcome.kind, str(outcome.due_date)) == ("procedure_change", "2026-12-15")
    page = client.get(f"/fellesskap/gjennomganger/{debrief.pk}/").content.decode()
    assert "Endring i prosedyre" in page and "Oppdater rutinen for utagering." in page


def test_feedback_is_private_to_the_two(world):
    client = client_for(world.employee)
    client.post("/fellesskap/tilbakemelding/", {"giver_id": world.leader.person.pk, "task": "Ansvarsvakt"})
    item = FeedbackRequest.objects.get()

    client_for(world.leader).post(f"/fellesskap/tilbakemelding/{item.pk}/", {"answer": "God oversikt."})

    assert "God oversikt." in client.get(f"/fellesskap/tilbakemelding/{item.pk}/").content.decode()
    for other in (world.hr, world.colleague, world.union_rep):
        assert client_for(other).get(f"/fellesskap/tilbakemelding/{item.pk}/").status_code == 404


def test_one_cannot_ask_someone_outside_the_unit_for_feedback(world):
    response = client_for(world.employee).post(
        "/fellesskap/tilbakemelding/", {"giver_id": world.beta_leader.person.pk, "task": "Vakt"}
    )
    assert response.status_code == 400
    assert not FeedbackRequest.objects.exists()


def test_hr_configures_a_debrief_template_that_groups_then_use(world, guidance):
    client_for(world.hr).post(
        "/fellesskap/administrasjon/",
        {
            "action": "template",
            "tenant": "alfa",
            "name": "Etter vold",
            "questions": "Hva skjedde?\nVarslet vi?\n",
        },
    )
    form = client_for(world.leader).get(f"/fellesskap/grupper/{guidance.pk}/gjennomgang/ny/").content.decode()
    assert "Etter vold" in form
    template_id = guidance.tenant.debrief_templates.get().pk
    page = client_for(world.leader).get(
        f"/fellesskap/grupper/{guidance.pk}/gjennomgang/ny/?mal={template_id}"
    )
    assert "Varslet vi?" in page.content.decode()
    # A leader (no admin) cannot add templates.
    client_for(world.leader).post(
        "/fellesskap/administrasjon/", {"action": "template", "tenant": "alfa", "name": "X", "questions": "Y"}
    )
    assert guidance.tenant.debrief_templates.count() == 1
