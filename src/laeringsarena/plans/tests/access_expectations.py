"""Who may open the plans app's views and API operations."""

from __future__ import annotations

from laeringsarena.accounts.models import User
from laeringsarena.plans.models import CompetencePlan, CourseRequest, DevelopmentTalk
from laeringsarena.testing.access import Expectations, logged_in, only

SELF_AND_LEADERS = only("ansatt", "leder", "kommunalsjef", "hr", "admin")
PLAN_READERS = {"leder", "kommunalsjef", "hr", "tillitsvalgt", "verneombud", "admin"}

WEB: dict[str, Expectations] = {
    "plans:my_plan": {None: logged_in},
    "plans:person_plan": {
        "fjordvik_person": SELF_AND_LEADERS,  # the person is redirected to Min plan
        "nordoy_person": only("ansatt_nordoy", "leder_nordoy", "admin"),
    },
    "plans:course_requests": {None: only("leder", "kommunalsjef", "hr", "admin", "leder_nordoy")},
    "plans:course_request": {"fjordvik_request": SELF_AND_LEADERS},
    "plans:talk": {"fjordvik_talk": SELF_AND_LEADERS},
    # Union representatives and safety delegates read unit/municipality plans, never individual ones.
    "plans:competence_plans": {None: only(PLAN_READERS | {"leder_nordoy"})},
    "plans:competence_plan": {"fjordvik_plan": only(PLAN_READERS)},
    "plans:competence_plan_ics": {"fjordvik_plan": only(PLAN_READERS)},
    "plans:ladders": {None: logged_in},
}

API: dict[str, Expectations] = {
    "GET /api/v1/me/plan": {None: logged_in},
    "POST /api/v1/me/plan/items": {None: logged_in},  # own plan only; {} is answered with 400
    "POST /api/v1/me/course-requests": {None: logged_in},
}


def targets() -> dict[str, dict[str, object]]:
    employee = User.objects.get(email="ansatt@fjordvik.demo")
    request = CourseRequest.objects.filter(person_id=employee.person_id).order_by("pk").first()
    talk = DevelopmentTalk.objects.filter(person_id=employee.person_id).first()
    plan = CompetencePlan.objects.get(
        organisation__slug="fjordvik-sykehjem", organisation__tenant__slug="fjordvik"
    )
    assert request is not None and talk is not None
    return {
        "fjordvik_request": {"pk": request.pk},
        "fjordvik_talk": {"pk": talk.pk},
        "fjordvik_plan": {"pk": plan.pk},
    }
