"""Who may open the cmi5 app's views and API operations (see core/tests/test_access.py)."""

from __future__ import annotations

from laeringsarena.cmi5.demo import COURSE_ID, PRACTICE
from laeringsarena.cmi5.models import AssignableUnit, Course
from laeringsarena.testing.access import FJORDVIK, NOT_ALLOWED, Expectations, always, logged_in, only

POST_ONLY: Expectations = {"cmi5_au": always(NOT_ALLOWED)}
# Everyone with an employment or a role in Fjordvik takes Fjordvik's courses; Nordøy: not found.
FJORDVIK_PEOPLE = only(FJORDVIK, "admin")

WEB: dict[str, Expectations] = {
    "cmi5:courses": {None: logged_in},
    "cmi5:course": {"cmi5_course": FJORDVIK_PEOPLE},
    "cmi5:au": {"cmi5_au": FJORDVIK_PEOPLE},
    "cmi5:au_launch": POST_ONLY,
    # The fetch URL answers POST only (its token is the credential, cmi5 §8.2).
    "cmi5:fetch": {"cmi5_fetch": always(NOT_ALLOWED)},
    "cmi5:content": {"cmi5_content": FJORDVIK_PEOPLE},
    # Importing needs LEARNING_MANAGE somewhere (leaders for their units, HR, admin) ...
    "cmi5:manage": {None: only("leder", "kommunalsjef", "hr", "admin", "leder_nordoy")},
    # ... and managing the demo course LEARNING_MANAGE on Fjordvik itself.
    "cmi5:manage_course": {"cmi5_course": only("hr", "admin")},
    "cmi5:course_delete": {"cmi5_course": always(NOT_ALLOWED)},
}
API: dict[str, Expectations] = {}


def targets() -> dict[str, dict[str, object]]:
    course = Course.objects.get(publisher_id=COURSE_ID, tenant__slug="fjordvik")
    au = AssignableUnit.objects.get(course=course, publisher_id=PRACTICE)
    return {
        "cmi5_course": {"course_uuid": course.uuid},
        "cmi5_au": {"au_uuid": au.uuid},
        "cmi5_content": {"course_uuid": course.uuid, "path": "praksis.html"},
        "cmi5_fetch": {"token": "not-a-real-token"},
    }
