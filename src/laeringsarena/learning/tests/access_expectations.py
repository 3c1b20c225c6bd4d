"""Who may open the learning app's views and API operations (see core/tests/test_access.py).

Learners see their own municipality's published paths and only their own runs and notices;
leaders and HR see learning records of their own units only (another municipality: 404).
"""

from __future__ import annotations

from laeringsarena.accounts.models import User
from laeringsarena.learning.models import Attempt, Cohort, LearningPath, Notice
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing.access import FJORDVIK, LEADERS, NORDOY, Expectations, logged_in, only

FJORDVIK_RECORDS = only("leder", "kommunalsjef", "hr", "admin")
NORDOY_RECORDS = only("leder_nordoy", "admin")
# Paths and modules of the whole municipality: its HR (and the path owner, here HR too).
MUNICIPALITY_MANAGERS = only("hr", "admin")

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
    "learning:completion_import": {None: only(LEADERS, "hr", "admin")},
    "learning:authoring": {None: only(LEADERS, "hr", "admin")},
    "learning:path_edit": {
        "learning_fjordvik_path": MUNICIPALITY_MANAGERS,
        "learning_fjordvik_unit_path": FJORDVIK_RECORDS,
        "learning_nordoy_path": only("admin"),
    },
    "learning:step_edit": {
        "learning_fjordvik_step": MUNICIPALITY_MANAGERS,
        "learning_fjordvik_unit_step": FJORDVIK_RECORDS,
        "learning_nordoy_step": only("admin"),
    },
    "learning:module_edit": {"learning_fjordvik_module": MUNICIPALITY_MANAGERS},
    "learning:page_edit": {"learning_fjordvik_page": MUNICIPALITY_MANAGERS},
    "learning:cohorts": {
        "learning_fjordvik_unit_path": FJORDVIK_RECORDS,
        "learning_nordoy_path": NORDOY_RECORDS,
    },
    "learning:cohort": {"learning_fjordvik_cohort": FJORDVIK_RECORDS},
    "learning:unit_csv": {"learning_fjordvik_unit": FJORDVIK_RECORDS, "learning_nordoy_unit": NORDOY_RECORDS},
}

API: dict[str, Expectations] = {
    "GET /api/v1/me/learning": {None: logged_in},
    "GET /api/v1/units/{unit_id}/learning": {
        "learning_fjordvik_unit": FJORDVIK_RECORDS,
        "learning_nordoy_unit": NORDOY_RECORDS,
    },
    "POST /api/v1/learning/completion-imports": {None: FJORDVIK_RECORDS},
    "GET /api/v1/learning/paths": {None: logged_in},
    "POST /api/v1/learning/paths": {None: MUNICIPALITY_MANAGERS},
    "GET /api/v1/learning/paths/{path_id}": {
        "learning_fjordvik_path": only(FJORDVIK, "admin"),
        "learning_nordoy_path": only(NORDOY, "admin"),
    },
    "PATCH /api/v1/learning/paths/{path_id}": {
        "learning_fjordvik_path": MUNICIPALITY_MANAGERS,
        "learning_fjordvik_unit_path": FJORDVIK_RECORDS,
        "learning_nordoy_path": only("admin"),
    },
    "GET /api/v1/learning/paths/{path_id}/steps": {
        "learning_fjordvik_path": only(FJORDVIK, "admin"),
        "learning_nordoy_path": only(NORDOY, "admin"),
    },
    "POST /api/v1/learning/paths/{path_id}/steps": {
        "learning_fjordvik_path": MUNICIPALITY_MANAGERS,
        "learning_fjordvik_unit_path": FJORDVIK_RECORDS,
        "learning_nordoy_path": only("admin"),
    },
    "PATCH /api/v1/learning/paths/{path_id}/steps/{step_id}": {
        "learning_fjordvik_step": MUNICIPALITY_MANAGERS,
        "learning_fjordvik_unit_step": FJORDVIK_RECORDS,
        "learning_nordoy_step": only("admin"),
    },
}

BODIES: dict[str, tuple[str, bytes, str]] = {
    # A file without the required columns: allowed callers get past the permission check to a 400.
    "POST /api/v1/learning/completion-imports": (
        "text/csv",
        b"employee_number\n",
        "org=fjordvik&dry_run=true",
    ),
    # Invalid on purpose: allowed callers get a 400 after the permission check, nothing is saved.
    "POST /api/v1/learning/paths": ("application/json", b'{"org": "fjordvik", "title": ""}', ""),
    "POST /api/v1/learning/paths/{path_id}/steps": (
        "application/json",
        b'{"kind": "bogus", "title": ""}',
        "",
    ),
}


def _step(path: LearningPath) -> dict[str, object]:
    step = path.steps.order_by("order").first()
    assert step is not None
    return {"pk": path.pk, "step_pk": step.pk, "path_id": path.pk, "step_id": step.pk}


def targets() -> dict[str, dict[str, object]]:
    fjordvik = LearningPath.objects.get(tenant__slug="fjordvik", slug="introduksjon")
    nordoy = LearningPath.objects.get(tenant__slug="nordoy", slug="introduksjon")
    employee = User.objects.get(email="ansatt@fjordvik.demo")
    attempt = Attempt.objects.filter(enrolment__person_id=employee.person_id).order_by("pk").first()
    notice = Notice.objects.filter(person_id=employee.person_id).order_by("pk").first()
    home = Organisation.objects.get(tenant__slug="fjordvik", slug="fjordvik-sykehjem")
    nordoy_home = Organisation.objects.get(tenant__slug="nordoy", slug="nordoy-omsorgssenter")
    assert attempt is not None and notice is not None
    unit_path = LearningPath.objects.get(tenant__slug="fjordvik", slug="smittevern")
    module_step = unit_path.steps.filter(module__isnull=False).select_related("module").first()
    assert module_step is not None and module_step.module is not None
    page = module_step.module.pages.order_by("order").first()
    assert page is not None
    cohort = Cohort.objects.filter(path=unit_path).order_by("pk").first()
    assert cohort is not None
    return {
        "learning_fjordvik_unit_path": {"pk": unit_path.pk, "path_id": unit_path.pk},
        "learning_fjordvik_unit_step": {
            "pk": unit_path.pk,
            "step_pk": module_step.pk,
            "path_id": unit_path.pk,
            "step_id": module_step.pk,
        },
        "learning_fjordvik_module": {"pk": module_step.module.pk},
        "learning_fjordvik_page": {"pk": module_step.module.pk, "page_pk": page.pk},
        "learning_fjordvik_cohort": {"pk": cohort.pk},
        "learning_fjordvik_path": {"pk": fjordvik.pk, "path_id": fjordvik.pk},
        "learning_nordoy_path": {"pk": nordoy.pk, "path_id": nordoy.pk},
        "learning_fjordvik_step": _step(fjordvik),
        "learning_nordoy_step": _step(nordoy),
        "learning_fjordvik_attempt": {"attempt_pk": attempt.pk},
        "learning_fjordvik_notice": {"pk": notice.pk},
        "learning_fjordvik_unit": {"pk": home.pk, "unit_id": home.pk},
        "learning_nordoy_unit": {"pk": nordoy_home.pk, "unit_id": nordoy_home.pk},
    }
