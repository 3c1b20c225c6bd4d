"""Pulse survey: anonymous answers, one per person, aggregates only, suppressed under five."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from laeringsarena.competence.models import PulseParticipation, PulseResponse, PulseSurvey
from laeringsarena.competence.pulse import SITUATIONS, band
from laeringsarena.conftest import client_for
from laeringsarena.testing import factories as f


def _survey(world) -> PulseSurvey:
    today = timezone.localdate()
    return PulseSurvey.objects.create(
        tenant=world.alpha,
        organisation=world.alpha_home,
        title="Læring i jobben",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
    )


def _answers(yes: int) -> dict[str, str]:
    return {key: ("yes" if index < yes else "no") for index, (key, _q) in enumerate(SITUATIONS)} | {
        "time": "2"
    }


def test_scores_are_grouped_low_middle_high():
    assert [band(n) for n in (0, 2, 3, 5, 6, 8)] == ["low", "low", "middle", "middle", "high", "high"]


def test_employee_answers_once_and_the_answer_is_stored_without_the_person(world):
    survey = _survey(world)
    employee = client_for(world.employee)
    assert "Læring i jobben" in employee.get("/min-kompetanse/").content.decode()
    assert employee.post(f"/kompetanse/puls/{survey.pk}/", _answers(4)).status_code == 302
    response = PulseResponse.objects.get(survey=survey)
    assert response.score == 4 and response.unit == world.alpha_home
    assert not hasattr(response, "person_id")
    assert PulseParticipation.objects.filter(survey=survey, person_id=world.employee.person_id).exists()
    # Answered: the survey is no longer offered, and a second answer is refused.
    assert employee.get(f"/kompetanse/puls/{survey.pk}/").status_code == 404
    assert (
        client_for(world.colleague).get(f"/kompetanse/puls/{survey.pk}/").status_code == 404
    )  # not in the unit


def test_results_are_suppressed_under_five_and_shown_from_five(world):
    survey = _survey(world)
    union = client_for(world.union_rep)
    for index in range(4):
        person = f.PersonFactory(email=f"p{index}@alfa.test")
        f.EmploymentFactory(person=person, unit=world.alpha_home)
        client_for(f.UserFactory(person=person)).post(f"/kompetanse/puls/{survey.pk}/", _answers(index * 2))
    page = union.get(f"/kompetanse/puls/{survey.pk}/resultater/").content.decode()
    assert "For få svar" in page
    client_for(world.employee).post(f"/kompetanse/puls/{survey.pk}/", _answers(8))
    page = union.get(f"/kompetanse/puls/{survey.pk}/resultater/").content.decode()
    assert "For få svar" not in page
    # Scores 0, 2, 4, 6, 8 → low 40 %, middle 20 %, high 40 %.
    assert "40&nbsp;%" in page and "20&nbsp;%" in page
    assert client_for(world.employee).get(f"/kompetanse/puls/{survey.pk}/resultater/").status_code == 403
    assert client_for(world.beta_leader).get(f"/kompetanse/puls/{survey.pk}/resultater/").status_code == 404
