"""The cmi5 demo: «Håndhygiene – smittevern» for Fjordvik, with one learner done and one half-way."""

from __future__ import annotations

import pytest

from laeringsarena.cmi5 import demo
from laeringsarena.cmi5.models import Course, Registration
from laeringsarena.demo.services import load_demo

pytestmark = pytest.mark.django_db


def test_demo_course_and_progress(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    course = Course.objects.get(publisher_id=demo.COURSE_ID)
    assert course.name == "Håndhygiene – smittevern"
    assert course.tenant.slug == "fjordvik"
    assert [au.name for au in course.aus.order_by("order")] == ["Håndhygiene i praksis", "Test: smittevern"]
    assert set(course.files) == {"cmi5.xml", "praksis.html", "test.html", "au.js", "au.css"}
    finished = Registration.objects.get(course=course, person__email=demo.FINISHED)
    half_way = Registration.objects.get(course=course, person__email=demo.HALF_WAY)
    assert finished.satisfied_at is not None
    assert half_way.satisfied_at is None
    # Idempotent: loading again adds nothing.
    demo.load()
    assert Course.objects.filter(publisher_id=demo.COURSE_ID).count() == 1
    assert Registration.objects.filter(course=course).count() == 2
