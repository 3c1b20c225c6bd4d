"""The batch path (weekly digest) gives every person exactly what the one-person path gives them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import laeringsarena.demo.services as demo_services
from laeringsarena.guidance import digest, services
from laeringsarena.guidance.models import CareerWish, Dismissal, GuidanceSettings, Impression
from laeringsarena.people.models import Employment, Person

# The apps whose demo data the recommender reads (learning: offering completions).
DEMO_APPS = ("competence", "catalogue", "plans", "learning", "guidance")


@pytest.fixture
def population(db, monkeypatch):
    monkeypatch.setattr(demo_services, "DEMO_APPS", DEMO_APPS)
    demo_services.load_demo()
    return list(Person.objects.filter(pk__in=Employment.objects.values("person_id")).order_by("pk"))


def _view(items: list[services.Recommendation]) -> list[tuple[object, ...]]:
    return [
        (
            r.offering.pk,
            r.reason,
            r.score,
            [(s.key, s.category, s.text, s.weight, s.data) for s in r.signals],
            [(f.kind, f.text) for f in r.funding],
        )
        for r in items
    ]


def test_batch_gives_each_demo_person_the_same_items_and_reasons(population):
    # The demo has what makes people differ: career wishes (ladder step and position),
    # calendars, preferred formats, dismissals of both kinds.
    assert CareerWish.objects.filter(ladder_step__isnull=False).exists()
    assert CareerWish.objects.filter(target_position__isnull=False).exists()
    assert Dismissal.objects.exists() and GuidanceSettings.objects.exists()
    someone = population[len(population) // 2]
    GuidanceSettings.objects.update_or_create(person=someone, defaults={"disabled_signals": ["colleagues"]})
    now = timezone.now()
    batch = services.recommend_many(population, limit=10, now=now)
    assert set(batch) == {p.pk for p in population}
    differing = []
    for person in population:
        single = services.recommend(person, limit=10, now=now)
        if _view(single) != _view(batch[person.pk]):
            differing.append(person.pk)
    assert differing == []
    reasons = {r.reason for items in batch.values() for r in items}
    assert len(reasons) > 20  # not everybody gets the same list
    assert all(batch[p.pk] for p in population)


def test_batch_reads_the_people_in_a_fixed_number_of_queries(population):
    now = timezone.now()
    services.recommend_many(population[:5], now=now)  # catalogue arrays and colleague statistics
    services.recommend_many(population, now=now)
    with CaptureQueriesContext(connection) as few:
        services.recommend_many(population[:20], now=now)
    with CaptureQueriesContext(connection) as many:
        services.recommend_many(population, now=now)
    assert len(population) > 100
    assert len(many.captured_queries) <= len(few.captured_queries) + 2


def test_digest_for_many_people_matches_one_by_one_and_records_what_was_shown(population):
    now = timezone.now()
    people = population[:40]
    batch = digest.sections_many(people, now)
    assert all(batch[p.pk] for p in people)
    rows = Impression.objects.filter(person__in=people)
    count = rows.count()
    assert count == sum(len(batch[p.pk][0].lines) for p in people)
    assert set(rows.values_list("first_shown_at", "last_shown_at")) == {(now, now)}
    for person in people:
        assert digest.sections(person, now) == batch[person.pk]
    later = now + dt.timedelta(days=7)
    services.record_shown_many(services.recommend_many(people, limit=digest.DIGEST_LIMIT, now=now), later)
    assert rows.count() == count  # shown again: no duplicates, the last time moves on
    assert set(rows.values_list("first_shown_at", "last_shown_at")) == {(now, later)}
