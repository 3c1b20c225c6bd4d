"""Who may open the competence app's views and API operations."""

from __future__ import annotations

from laeringsarena.accounts.models import User
from laeringsarena.competence.models import Campaign, Framework, Participant, PulseSurvey
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing.access import AGGREGATES, Expectations, logged_in, only

# Leaders and HR: the people scope (PEOPLE_VIEW) or competence management.
RUNNERS = {"leder", "kommunalsjef", "hr", "admin", "leder_nordoy"}
SYKEHJEM_PEOPLE = {"leder", "kommunalsjef", "hr", "admin"}


WEB: dict[str, Expectations] = {
    "competence:mine": {None: logged_in},  # everyone with a person; a user without one gets 404
    "competence:overview": {None: only(AGGREGATES | RUNNERS)},  # aggregates-only roles see have vs need
    "competence:campaign_new": {None: only(RUNNERS)},
    "competence:campaign": {"fjordvik_campaign": only(SYKEHJEM_PEOPLE)},
    # Only participants (people employed in the unit when the campaign started) answer.
    "competence:self_assess": {"fjordvik_campaign": only("ansatt", "ansatt2", "leder")},
    "competence:leader_assess": {"fjordvik_participant": only(SYKEHJEM_PEOPLE)},
    "competence:heatmap": {
        "fjordvik_unit": only(SYKEHJEM_PEOPLE),
        "nordoy_unit": only("leder_nordoy", "admin"),
    },
    # Aggregated, so union representatives and safety delegates see it too.
    "competence:coverage": {
        "fjordvik_unit": only(
            "leder", "kommunalsjef", "hr", "tillitsvalgt", "verneombud", "kvalitet", "admin"
        ),
        "nordoy_unit": only("leder_nordoy", "admin"),
    },
    "competence:requirements": {None: only("hr", "admin")},  # competence.manage
    "competence:pulse_new": {None: only(RUNNERS)},  # GET redirects to the overview; POST starts one
    # Only people in the nursing home who have not answered yet.
    "competence:pulse_answer": {"fjordvik_open_pulse": only("ansatt", "ansatt2", "leder")},
    # Aggregates of the health sector: its leader, HR, union rep, safety delegate, quality, admin.
    "competence:pulse_results": {
        "fjordvik_pulse": only("kommunalsjef", "hr", "tillitsvalgt", "verneombud", "kvalitet", "admin")
    },
    "competence:heatmap_csv": {
        "fjordvik_unit": only(SYKEHJEM_PEOPLE),
        "nordoy_unit": only("leder_nordoy", "admin"),
    },
    "competence:heatmap_xlsx": {
        "fjordvik_unit": only(SYKEHJEM_PEOPLE),
        "nordoy_unit": only("leder_nordoy", "admin"),
    },
    "competence:coverage_xlsx": {
        "fjordvik_unit": only(
            "leder", "kommunalsjef", "hr", "tillitsvalgt", "verneombud", "kvalitet", "admin"
        ),
        "nordoy_unit": only("leder_nordoy", "admin"),
    },
}

API: dict[str, Expectations] = {
    "GET /api/v1/competence/frameworks": {None: logged_in},
    "GET /api/v1/competence/frameworks/{framework_id}": {"digcomp": logged_in},
    "GET /api/v1/competence/frameworks/{framework_id}/export": {"digcomp": logged_in},
    "POST /api/v1/competence/organisations/{slug}/frameworks": {
        "fjordvik_slug": only("hr", "admin"),
        "nordoy_slug": only("admin"),
    },
    # Without ?unit= every logged-in caller gets 400; unit scoping is tested in test_gaps.py.
    "GET /api/v1/competence/gaps": {None: logged_in},
    "GET /api/v1/competence/organisations/{slug}/requirements": {
        "fjordvik_slug": only("hr", "admin"),
        "nordoy_slug": only("admin"),
    },
    # The bodies below are refused by the service (400) once access is granted; no data changes.
    "POST /api/v1/competence/organisations/{slug}/requirements": {
        "fjordvik_slug": only("hr", "admin"),
        "nordoy_slug": only("admin"),
    },
    "DELETE /api/v1/competence/organisations/{slug}/requirements/{kind}/{requirement_id}": {
        "fjordvik_requirement": only("hr", "admin"),
    },
    "GET /api/v1/competence/campaigns": {None: logged_in},  # a list of what the caller may see
    "POST /api/v1/competence/campaigns": {None: only()},  # organisation 0 does not exist for anyone
    "GET /api/v1/competence/campaigns/{campaign_id}": {"fjordvik_campaign": only(SYKEHJEM_PEOPLE)},
    "POST /api/v1/competence/campaigns/{campaign_id}/actions": {"fjordvik_campaign": only(SYKEHJEM_PEOPLE)},
}

BODIES: dict[str, tuple[str, bytes, str]] = {
    "POST /api/v1/competence/organisations/{slug}/requirements": (
        "application/json",
        b'{"kind": "certification", "name": ""}',
        "",
    ),
    "POST /api/v1/competence/campaigns": (
        "application/json",
        b'{"name": "x", "organisation_id": 0, "framework_id": 0, "self_deadline": "2030-01-01",'
        b' "leader_deadline": "2030-02-01"}',
        "",
    ),
    "POST /api/v1/competence/campaigns/{campaign_id}/actions": (
        "application/json",
        b'{"action": "remind"}',
        "",
    ),
}


# "fjordvik_unit" (Fjordvik sykehjem) and "nordoy_unit" come from core/tests/access_expectations.py.
def targets() -> dict[str, dict[str, object]]:
    digcomp = Framework.objects.get(slug="digcomp", version="2.2", owner__isnull=True)
    unit = Organisation.objects.get(tenant__slug="fjordvik", slug="fjordvik-sykehjem")
    campaign = Campaign.objects.filter(organisation=unit).first()
    assert campaign is not None
    employee = User.objects.get(email="ansatt@fjordvik.demo")
    participant = Participant.objects.get(campaign=campaign, person_id=employee.person_id)
    closed = PulseSurvey.objects.get(tenant__slug="fjordvik", organisation__slug="helse-og-omsorg")
    open_survey = PulseSurvey.objects.get(tenant__slug="fjordvik", organisation=unit)
    return {
        "fjordvik_pulse": {"pk": closed.pk},
        "fjordvik_open_pulse": {"pk": open_survey.pk},
        "digcomp": {"framework_id": digcomp.pk},
        "fjordvik_campaign": {"pk": campaign.pk, "campaign_id": campaign.pk},
        "fjordvik_requirement": {"slug": "fjordvik", "kind": "unknown", "requirement_id": 1},
        "fjordvik_participant": {"pk": campaign.pk, "participant_id": participant.pk},
    }
