"""Ratings: who may rate, one editable rating per person, rate limits, bursts, flags, moderation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from laeringsarena.catalogue import selectors, services
from laeringsarena.catalogue.models import Participation, Rating, RatingStatus
from laeringsarena.catalogue.tests.helpers import offering, provider
from laeringsarena.conftest import World, bearer
from laeringsarena.core.errors import PermissionDenied
from laeringsarena.testing import factories as f

pytestmark = pytest.mark.django_db


def taken(user: object, item: object, minutes_ago: int = 60 * 24 * 30) -> None:
    record = Participation.objects.create(offering=item, person_id=user.person_id, kind="completed")  # type: ignore[attr-defined]
    Participation.objects.filter(pk=record.pk).update(at=timezone.now() - dt.timedelta(minutes=minutes_ago))


def old_account(user: object) -> None:
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=400))  # type: ignore[attr-defined]


def test_only_people_who_took_it_may_rate_and_the_rating_is_editable(world: World) -> None:
    course = offering(provider("ks"), "Kurs om demens")
    old_account(world.employee)
    with pytest.raises(PermissionDenied):
        services.rate(world.employee, course, 5)
    client = Client()
    taken_response = client.post(
        f"/api/v1/catalogue/offerings/{course.pk}/taken",
        {"kind": "completed"},
        content_type="application/json",
        **bearer(world.employee),
    )
    assert taken_response.status_code == 200
    Participation.objects.update(at=timezone.now() - dt.timedelta(days=3))
    url = f"/api/v1/catalogue/offerings/{course.pk}/my-rating"
    first = client.put(
        url, {"stars": 2, "review": "Tørt"}, content_type="application/json", **bearer(world.employee)
    )
    assert first.status_code == 200, first.content
    second = client.put(
        url,
        {"stars": 4, "review": "Bedre ved andre gangs lesing"},
        content_type="application/json",
        **bearer(world.employee),
    )
    assert second.json()["id"] == first.json()["id"]
    assert Rating.objects.filter(offering=course).count() == 1
    course.refresh_from_db()
    assert (course.rating_count, course.rating_sum) == (1, 4)
    listed = client.get(f"/api/v1/catalogue/offerings/{course.pk}/ratings").json()
    assert [(r["stars"], r["review"]) for r in listed] == [(4, "Bedre ved andre gangs lesing")]


def test_leaders_rate_for_their_organisation(world: World) -> None:
    course = offering(provider("ks"), "Kurs om HMS")
    old_account(world.hr)
    rating = services.rate(world.hr, course, 5, on_behalf_of=world.alpha)
    assert rating.on_behalf_of == world.alpha
    with pytest.raises(PermissionDenied):
        services.rate(world.hr, course, 5, on_behalf_of=world.beta)


def test_a_burst_from_new_accounts_is_held_and_does_not_move_the_average(world: World) -> None:
    course = offering(provider("ks"), "Kurs om smittevern")
    honest = []
    for n in range(3):
        user = f.UserFactory(person=f.PersonFactory(email=f"ekte{n}@alfa.test"))
        f.EmploymentFactory(person=user.person, unit=world.alpha_home)
        old_account(user)
        taken(user, course)
        services.rate(user, course, 2)
        honest.append(user)
    for n in range(5):  # brand-new accounts without any employer, all giving five stars
        user = f.UserFactory(person=f.PersonFactory(email=f"bot{n}@example.test"))
        taken(user, course, minutes_ago=5)
        services.rate(user, course, 5)
    statuses = list(Rating.objects.filter(offering=course, stars=5).values_list("status", flat=True))
    assert statuses.count(RatingStatus.HELD) >= 4
    course.refresh_from_db()
    assert course.rating_sum / course.rating_count < 3
    assert all(r.status == RatingStatus.VISIBLE for r in Rating.objects.filter(stars=2))


def test_rate_limit_per_person(world: World) -> None:
    ks = provider("ks")
    old_account(world.employee)
    courses = [offering(ks, f"Kurs nummer {n}") for n in range(services.RATINGS_PER_HOUR + 1)]
    for course in courses:
        taken(world.employee, course)
    for course in courses[:-1]:
        services.rate(world.employee, course, 4)
    with pytest.raises(services.RateLimited):
        services.rate(world.employee, courses[-1], 4)


def test_flags_hold_a_review_and_a_moderator_decides(world: World) -> None:
    ks = provider("ks")
    course = offering(ks, "Kurs om vold og trusler")
    old_account(world.employee)
    taken(world.employee, course)
    rating = services.rate(world.employee, course, 1, "Tull og tøys, kjøp heller vårt kurs på example.com")
    for user in (world.colleague, world.leader, world.hr):
        services.flag(user, rating, "Reklame")
    rating.refresh_from_db()
    assert rating.status == RatingStatus.HELD
    course.refresh_from_db()
    assert course.rating_count == 0
    with pytest.raises(PermissionDenied):
        services.moderate(world.hr, rating, RatingStatus.HIDDEN)
    admin = f.UserFactory(person=None, is_superuser=True, email="admin@test")
    services.moderate(admin, rating, RatingStatus.HIDDEN)
    assert Rating.objects.get(pk=rating.pk).status == RatingStatus.HIDDEN
    assert not rating.flags.filter(resolved_at__isnull=True).exists()


def test_well_rated_content_rises_and_low_rated_sinks(world: World) -> None:
    ks = provider("ks")
    good = offering(ks, "Demensomsorg i praksis")
    poor = offering(ks, "Demensomsorg i teorien")
    raters = []
    for n in range(8):
        user = f.UserFactory(person=f.PersonFactory(email=f"r{n}@alfa.test"))
        f.EmploymentFactory(person=user.person, unit=world.alpha_home)
        old_account(user)
        raters.append(user)
    for user in raters:
        taken(user, good)
        taken(user, poor)
        services.rate(user, good, 5)
        services.rate(user, poor, 1)
    hits = selectors.search(None, "demensomsorg").hits
    assert [h.offering.title for h in hits] == ["Demensomsorg i praksis", "Demensomsorg i teorien"]
    assert hits[0].explanation()["bayesian_rating"] > 4 > 2 > hits[1].explanation()["bayesian_rating"]


def test_a_completion_or_enrolment_in_the_learning_app_lets_the_person_rate(world: World) -> None:
    from laeringsarena.learning.models import Completion, Enrolment, LearningPath, Step

    ks = provider("ks")
    completed = offering(ks, "Kurs om legemidler")
    followed = offering(ks, "Kurs om smittevern")
    old_account(world.employee)
    assert not services.may_rate(world.employee, completed)
    assert not services.may_rate(world.employee, followed)
    Completion.objects.create(
        person_id=world.employee.person_id,  # type: ignore[attr-defined]
        offering=completed,
        completed_at=timezone.now() - dt.timedelta(days=3),
        source="manual",
    )
    assert services.may_rate(world.employee, completed)
    assert services.rate(world.employee, completed, 5).stars == 5
    path = LearningPath.objects.create(tenant=world.alpha, slug="smitte", title="Smittevern for nyansatte")
    Step.objects.create(
        path=path, kind="offering", title="Smittevern", activity_id="urn:x:1", offering=followed
    )
    enrolment = Enrolment.objects.create(
        person_id=world.employee.person_id,  # type: ignore[attr-defined]
        path=path,
        source="person",
        enrolled_at=timezone.now() - dt.timedelta(days=3),
    )
    assert services.may_rate(world.employee, followed)
    assert not services.may_rate(world.colleague, followed)  # someone else's enrolment counts for nobody else
    enrolment.withdrawn_at = timezone.now()
    enrolment.save()
    assert not services.may_rate(world.employee, followed)
