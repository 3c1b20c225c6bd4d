"""Mapping campaign flow, gaps, heatmap and Min kompetanse — through the web and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from laeringsarena.competence.models import (
    Campaign,
    CampaignStatus,
    Certification,
    CertificationRequirement,
    CompetenceLevel,
    CompetenceRequirement,
    Framework,
    Participant,
)
from laeringsarena.conftest import bearer, client_for


@pytest.fixture
def health(db):
    return Framework.objects.get(slug="helse-og-omsorg", owner__isnull=True)


def _code(health, code):
    return health.competences.get(code=code)


def _start(world, health, codes=("PS1", "PS2")) -> Campaign:
    response = client_for(world.leader).post(
        "/kompetanse/kartlegging/ny/",
        {
            "name": "Kartlegging våren",
            "organisation": world.alpha_home.pk,
            "framework": health.pk,
            "competences": ", ".join(codes),
            "self_deadline": "2030-03-01",
            "leader_deadline": "2030-03-15",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Campaign.objects.get(name="Kartlegging våren")


def _levels(health, values: dict[str, int]) -> dict[str, str]:
    return {f"level-{_code(health, code).pk}": str(level) for code, level in values.items()}


def test_leader_runs_a_campaign_end_to_end(world, health):
    CompetenceRequirement.objects.create(
        tenant=world.alpha, organisation=world.alpha_home, competence=_code(health, "PS1"), required_level=3
    )
    campaign = _start(world, health)
    # Everyone employed at the nursing home takes part; the school teacher does not.
    people = set(Participant.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    assert world.employee.person_id in people
    assert world.colleague.person_id not in people
    assert campaign.competences.count() == 2

    employee = client_for(world.employee)
    assert "Kartlegging våren" in employee.get("/min-kompetanse/").content.decode()
    form = employee.get(f"/kompetanse/kartlegging/{campaign.pk}/svar/")
    assert "Legemiddelhåndtering" in form.content.decode()
    # Leaving one competence out is refused and the form says which.
    incomplete = employee.post(f"/kompetanse/kartlegging/{campaign.pk}/svar/", _levels(health, {"PS1": 2}))
    assert incomplete.status_code == 400
    assert "mangler svar" in incomplete.content.decode()
    done = employee.post(
        f"/kompetanse/kartlegging/{campaign.pk}/svar/", _levels(health, {"PS1": 2, "PS2": 4})
    )
    assert done.status_code == 302

    leader = client_for(world.leader)
    page = leader.get(f"/kompetanse/kartlegging/{campaign.pk}/").content.decode()
    participants = Participant.objects.filter(campaign=campaign).count()
    assert f"{round(100 / participants)}&nbsp;%" in page  # response rate: one of them answered
    leader.post(f"/kompetanse/kartlegging/{campaign.pk}/", {"action": "leader"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LEADER_ASSESSMENT
    participant = Participant.objects.get(campaign=campaign, person_id=world.employee.person_id)
    assess = leader.get(f"/kompetanse/kartlegging/{campaign.pk}/vurder/{participant.pk}/").content.decode()
    assert "Egenvurdering: nivå 2" in assess
    leader.post(
        f"/kompetanse/kartlegging/{campaign.pk}/vurder/{participant.pk}/",
        _levels(health, {"PS1": 1, "PS2": 3}),
    )
    level = CompetenceLevel.objects.get(person_id=world.employee.person_id, competence=_code(health, "PS1"))
    assert (level.level, level.source, level.self_level) == (1, "leader", 2)
    leader.post(f"/kompetanse/kartlegging/{campaign.pk}/", {"action": "close"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED

    heatmap = leader.get(f"/kompetanse/enheter/{world.alpha_home.pk}/").content.decode()
    assert "1/3" in heatmap and "gap 2" in heatmap
    csv_text = leader.get(f"/kompetanse/enheter/{world.alpha_home.pk}/gap.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("person_id;navn;stilling;kompetanse")
    assert ";PS1;3;1;leader;2" in csv_text

    # The same in Excel: the heatmap sheet shows "assessed / required", coloured by the gap.
    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = leader.get(f"/kompetanse/enheter/{world.alpha_home.pk}/gap.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(xlsx.content))
    heatmap, table = workbook.worksheets
    header = [cell.value for cell in heatmap[1]]
    row = next(r for r in heatmap.iter_rows(min_row=2) if r[0].value == world.employee.person.full_name)
    cell = row[header.index("PS1")]
    assert cell.value == "1 / 3" and cell.fill.fgColor.rgb.endswith("FFD3B0")
    assert ["PS1", 3, 1, "leader", 2] in [[c.value for c in r][4:] for r in table.iter_rows(min_row=2)]


def test_self_assessment_is_closed_in_the_leader_phase(world, health):
    campaign = _start(world, health)
    client_for(world.leader).post(f"/kompetanse/kartlegging/{campaign.pk}/", {"action": "leader"})
    response = client_for(world.employee).post(
        f"/kompetanse/kartlegging/{campaign.pk}/svar/", _levels(health, {"PS1": 2, "PS2": 4})
    )
    assert response.status_code == 409
    assert not CompetenceLevel.objects.filter(person_id=world.employee.person_id).exists()


def test_a_self_assessment_does_not_override_a_leader_assessment(world, health):
    from laeringsarena.competence import services

    ps1 = _code(health, "PS1")
    services.record_assessment(world.employee.person_id, ps1, 3, "leader")
    services.record_assessment(world.employee.person_id, ps1, 5, "self")
    level = CompetenceLevel.objects.get(person_id=world.employee.person_id, competence=ps1)
    assert (level.level, level.source, level.self_level) == (3, "leader", 5)


def test_people_outside_the_campaign_and_other_leaders_cannot_answer_or_assess(world, health):
    campaign = _start(world, health)
    assert client_for(world.colleague).get(f"/kompetanse/kartlegging/{campaign.pk}/svar/").status_code == 404
    participant = Participant.objects.get(campaign=campaign, person_id=world.employee.person_id)
    url = f"/kompetanse/kartlegging/{campaign.pk}/vurder/{participant.pk}/"
    assert client_for(world.beta_leader).get(url).status_code == 404
    assert client_for(world.union_rep).get(url).status_code in (403, 404)
    assert client_for(world.hr).get(url).status_code == 200


def test_leader_cannot_start_a_campaign_outside_their_units(world, health):
    response = client_for(world.leader).post(
        "/kompetanse/kartlegging/ny/",
        {
            "name": "Skole",
            "organisation": world.alpha_school.pk,
            "framework": health.pk,
            "self_deadline": "2030-03-01",
            "leader_deadline": "2030-03-15",
        },
    )
    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_gaps_api_per_person_and_competence(world, health):
    from laeringsarena.competence import services

    CompetenceRequirement.objects.create(
        tenant=world.alpha, organisation=world.alpha_health, competence=_code(health, "PS2"), required_level=3
    )
    services.record_assessment(world.employee.person_id, _code(health, "PS2"), 2, "leader")
    response = Client().get(f"/api/v1/competence/gaps?unit={world.alpha_home.pk}", **bearer(world.leader))
    assert response.status_code == 200
    body = response.json()
    person = next(p for p in body["people"] if p["person_id"] == world.employee.person_id)
    cell = person["competences"][0]
    assert (cell["code"], cell["required"], cell["assessed"], cell["gap"], cell["source"]) == (
        "PS2",
        3,
        2,
        1,
        "leader",
    )
    summary = body["competences"][0]
    assert summary["people_required"] == len(body["people"])
    assert summary["total_gap"] == 1 + 3 * (len(body["people"]) - 1)  # the others are not assessed


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 200), ("hr", 200), ("union_rep", 403), ("employee", 403), ("beta_leader", 404)],
)
def test_gaps_api_is_for_the_units_leader_and_hr_only(world, who, status):
    response = Client().get(
        f"/api/v1/competence/gaps?unit={world.alpha_home.pk}", **bearer(getattr(world, who))
    )
    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == "application/problem+json"


def test_leader_of_one_unit_cannot_see_the_heatmap_of_another(world):
    assert client_for(world.leader).get(f"/kompetanse/enheter/{world.alpha_school.pk}/").status_code == 403
    assert client_for(world.union_rep).get(f"/kompetanse/enheter/{world.alpha_home.pk}/").status_code == 403


def test_min_kompetanse_shows_requirements_certifications_and_expiry(world, health):
    today = timezone.localdate()
    requirement = CertificationRequirement.objects.create(
        tenant=world.alpha, organisation=world.alpha_health, name="Førstehjelp og HLR", validity_months=12
    )
    CertificationRequirement.objects.create(
        tenant=world.alpha, organisation=world.alpha_health, name="Legemiddelhåndtering", validity_months=24
    )
    Certification.objects.create(
        person_id=world.employee.person_id,
        name="Førstehjelp og HLR",
        issued_on=today - dt.timedelta(days=340),
        expires_on=today + dt.timedelta(days=25),
        requirement=requirement,
    )
    CompetenceRequirement.objects.create(
        tenant=world.alpha, organisation=world.alpha_home, competence=_code(health, "FP1"), required_level=3
    )
    page = client_for(world.employee).get("/min-kompetanse/").content.decode()
    assert "Demensomsorg" in page
    assert "Utløper snart" in page
    # HLR is held; legemiddelhåndtering is missing.
    missing = page.split("Påkrevde sertifiseringer")[1].split("</ul>")[0]
    assert "Legemiddelhåndtering" in missing and "Førstehjelp og HLR" not in missing
    # The school teacher has no such requirements.
    other = client_for(world.colleague).get("/min-kompetanse/").content.decode()
    assert "Demensomsorg" not in other


def test_coverage_is_aggregated_for_union_reps_and_suppresses_small_groups(world, health):
    from laeringsarena.competence import services
    from laeringsarena.testing import factories as f

    CompetenceRequirement.objects.create(
        tenant=world.alpha, competence=_code(health, "PS2"), required_level=3
    )
    for index in range(5):
        person = f.PersonFactory(email=f"pleier{index}@alfa.test")
        f.EmploymentFactory(person=person, unit=world.alpha_home_ward)
        services.record_assessment(person.pk, _code(health, "PS2"), 2 + index % 2, "leader")
    union = client_for(world.union_rep)
    page = union.get(f"/kompetanse/oversikt/{world.alpha.pk}/").content.decode()
    assert "Smittevern" in page and "2: 3, 3: 2" in page
    assert "Kompetansekart per person" not in page  # no way to individual data
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(
        BytesIO(union.get(f"/kompetanse/oversikt/{world.alpha.pk}/oversikt.xlsx").content)
    ).active
    smittevern = next(
        r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] and "Smittevern" in r[1]
    )
    assert smittevern[4] == 5  # five people assessed; no names anywhere in the workbook
    assert not any("pleier" in str(v) for r in sheet.iter_rows(values_only=True) for v in r if v)
    # Only one person is assessed at the school: suppressed.
    services.record_assessment(world.colleague.person_id, _code(health, "PS4"), 2, "leader")
    school = union.get(f"/kompetanse/oversikt/{world.alpha_school.pk}/").content.decode()
    assert "For få ansatte" in school
    assert client_for(world.beta_leader).get(f"/kompetanse/oversikt/{world.alpha.pk}/").status_code == 404


def test_hr_adds_requirements_that_employees_then_see(world, health):
    hr = client_for(world.hr)
    page = hr.get("/kompetanse/krav/")
    assert page.status_code == 200 and "Legemiddelhåndtering" in page.content.decode()
    hr.post(
        "/kompetanse/krav/?kommune=alfa",
        {
            "action": "competence",
            "competence": _code(health, "FP1").pk,
            "required_level": "3",
            "organisation": world.alpha_home.pk,
        },
    )
    hr.post(
        "/kompetanse/krav/?kommune=alfa",
        {
            "action": "certification",
            "name": "Førstehjelp og HLR",
            "validity_months": "12",
            "organisation": world.alpha_health.pk,
        },
    )
    bad = hr.post(
        "/kompetanse/krav/?kommune=alfa",
        {"action": "competence", "competence": _code(health, "FP1").pk, "required_level": "9"},
    )
    assert bad.status_code == 400
    assert CompetenceRequirement.objects.get().required_level == 3
    mine = client_for(world.employee).get("/min-kompetanse/").content.decode()
    assert "Demensomsorg" in mine and "Førstehjelp og HLR" in mine
    assert "Demensomsorg" not in client_for(world.colleague).get("/min-kompetanse/").content.decode()
    assert client_for(world.leader).get("/kompetanse/krav/").status_code == 403


def test_union_reps_follow_response_rates_without_names(world, health):
    from laeringsarena.testing import factories as f

    for index in range(5):
        f.EmploymentFactory(person=f.PersonFactory(email=f"deltaker{index}@alfa.test"), unit=world.alpha_home)
    campaign = _start(world, health)
    first = campaign.participants.order_by("pk").first()
    Participant.objects.filter(pk=first.pk).update(self_done_at=timezone.now())  # one has answered
    rate = campaign.participants.count()
    page = client_for(world.union_rep).get("/kompetanse/").content.decode()
    assert "Svarprosent i kartlegginger" in page and "Kartlegging våren" in page
    assert f"{rate} deltakere: egenvurdering {round(100 / rate)} %" in page
    assert f"/kompetanse/kartlegging/{campaign.pk}/" not in page  # no way into the answers
    assert world.employee.person.full_name not in page
