"""Hosted quiz: answerable, immediate feedback per question, the person's score kept."""

from __future__ import annotations

import pytest
from django.test import Client

from laeringsarena.catalogue.models import ContentItem, QuizResult
from laeringsarena.catalogue.tests.helpers import offering, provider
from laeringsarena.conftest import World, client_for

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"question": "Hvor melder du avvik?", "options": ["I kvalitetssystemet", "På e-post"], "answer": 0},
    {"question": "Hvem har taushetsplikt?", "options": ["Bare leger", "Alle ansatte"], "answer": 1},
]


def test_a_person_answers_gets_feedback_at_once_and_the_score_is_kept(world: World) -> None:
    course = offering(provider("ks"), "Ny i kommunen")
    item = ContentItem.objects.create(offering=course, kind="quiz", title="Sjekk deg selv", quiz=QUESTIONS)
    client = client_for(world.employee)
    url = f"/katalog/quiz/{item.pk}/"
    first = client.post(url, {f"quiz-{item.pk}-1": "0", f"quiz-{item.pk}-2": "0"}, HTTP_HX_REQUEST="true")
    html = first.content.decode()
    assert first.status_code == 200
    assert "Du fikk 1 av 2 riktige." in html and "Riktig svar: Alle ansatte" in html
    second = client.post(url, {f"quiz-{item.pk}-1": "0", f"quiz-{item.pk}-2": "1"}, HTTP_HX_REQUEST="true")
    assert "Du fikk 2 av 2 riktige." in second.content.decode()
    result = QuizResult.objects.get(item=item, person=world.employee.person)  # type: ignore[misc]
    assert (result.score, result.best_score, result.total, result.attempts) == (2, 2, 2, 2)
    page = client.get(f"/katalog/{course.pk}/").content.decode()
    assert "Sist: 2 av 2 riktige" in page
    # without htmx: back to the offering with the score as a message
    plain = client.post(url, {f"quiz-{item.pk}-1": "1"})
    assert plain.status_code == 302
    result.refresh_from_db()
    assert (result.score, result.best_score, result.attempts) == (0, 2, 3)


def test_anyone_may_try_a_public_quiz_but_only_a_person_gets_a_stored_score(world: World) -> None:
    course = offering(provider("ks"), "Åpent kurs")
    item = ContentItem.objects.create(offering=course, kind="quiz", title="Quiz", quiz=QUESTIONS)
    response = Client().post(f"/katalog/quiz/{item.pk}/", {f"quiz-{item.pk}-1": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Du fikk 1 av 2 riktige." in response.content.decode()
    assert not QuizResult.objects.exists()
    bad = Client().post(f"/katalog/quiz/{item.pk}/", {f"quiz-{item.pk}-1": "7"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400


def test_an_internal_quiz_is_not_found_outside_the_municipality(world: World) -> None:
    alfa = provider("alfa", organisation=world.alpha)
    course = offering(alfa, "Intern opplæring", visibility="internal", owner=world.alpha)
    item = ContentItem.objects.create(offering=course, kind="quiz", title="Quiz", quiz=QUESTIONS)
    url = f"/katalog/quiz/{item.pk}/"
    assert client_for(world.beta_employee).post(url, {f"quiz-{item.pk}-1": "0"}).status_code == 404
    assert client_for(world.employee).post(url, {f"quiz-{item.pk}-1": "0"}).status_code == 302
