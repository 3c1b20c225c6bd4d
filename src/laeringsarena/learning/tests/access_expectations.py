"""Who may open the learning app's views and API operations (see core/tests/test_access.py).

Learners see their own municipality's published paths and only their own runs and notices;
leaders and HR see learning records of their own units only (another municipality: 404).
"""

from __future__ import annotations

from laeringsarena.accounts.models import User
from laeringsarena.learning.models import Attempt, LearningPath, Notice
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing.access import FJORDVIK, LEADERS, NORDOY, Expectations, logged_in, only

FJORDVIK_RECORDS = only("leder", "kommunalsjef", "hr", "admin")
NORDOY_RECORDS = only("leder_nordoy", "admin")

WEB: dict[str, Expectations] = {
    "learning:mine": {None: logged_in},
    "learning:paths": {None: logged_in},
    "learning:path": {
        "learning_fjordvik_path": only(FJORDVIK, "admin"),
        "learning_nordoy_path": only(NORDOY, "admin"),
    },
    "learning:step": {
        "learning_fjordvik_step": only(FJORDVIK, "admin"),
        "learning_nordoy_step": only(NORDOY, "admin"),
    },
    "learning:module": {"learning_fjordvik_attempt": only("ansatt")},
    "learning:sign_offs": {None: logged_in},
    "learning:grading": {None: only(LEADERS, "hr", "admin")},
    "learning:dismiss_notice": {"learning_fjordvik_notice": only("ansatt")},
    "learning:manage_path": {
        "learning_fjordvik_path": FJORDVIK_RECORDS,
        "learning_nordoy_path": NORDOY_RECORDS,
    },
    "learning:units": {None: only(LEADERS, "hr", "admin")},
    "learning:unit": {"learning_fjordvik_unit": FJORDVIK_RECORDS, "learning_nordoy_unit": NORDOY_RECORDS},
    "learning:unit_csv": {"learning_fjordvik_unit": FJORDVIK_RECORDS, "learning_nordoy_unit": NORDOY_RECORDS},
}

API: dict[str, Expectations] = {
    "GET /api/v1/me/learning": {None: logged_in},
    "GET /api/v1/units/{unit_id}/learning": {
        "learning_fjordvik_unit": FJORDVIK_RECORDS,
        "learning_nordoy_unit": NORDOY_RECORDS,
    },
}


def targets() -> dict[str, dict[str, object]]:
    fjordvik = LearningPath.objects.get(tenant__slug="fjordvik", slug="introduksjon")
    nordoy = LearningPath.objects.get(tenant__slug="nordoy", slug="introduksjon")
    employee = User.objects.get(email="ansatt@fjordvik.demo")
    attempt = Attempt.objects.filter(enrolment__person_id=employee.person_id).order_by("pk").first()
    notice = Notice.objects.filter(person_id=employee.person_id).order_by("pk").first()
    home = Organisation.objects.get(tenant__slug="fjordvik", slug="fjordvik-sykehjem")
    nordoy_home = Organisation.objects.get(tenant__slug="nordoy", slug="nordoy-omsorgssenter")
    assert attempt is not None and notice is not None
    return {
        "learning_fjordvik_path": {"pk": fjordvik.pk},
        "learning_nordoy_path": {"pk": nordoy.pk},
        "learning_fjordvik_step": {"pk": fjordvik.pk, "step_pk": fjordvik.steps.order_by("order").first().pk},
        "learning_nordoy_step": {"pk": nordoy.pk, "step_pk": nordoy.steps.order_by("order").first().pk},
        "learning_fjordvik_attempt": {"attempt_pk": attempt.pk},
        "learning_fjordvik_notice": {"pk": notice.pk},
        "learning_fjordvik_unit": {"pk": home.pk, "unit_id": home.pk},
        "learning_nordoy_unit": {"pk": nordoy_home.pk, "unit_id": nordoy_home.pk},
    }
