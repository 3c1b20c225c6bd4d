"""Authoring (paths, steps, modules, cohorts) on the web and the API; cohorts for shift workers;
stepwise certification."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from laeringsarena.competence.models import Certification, CertificationRequirement
from laeringsarena.conftest import World, bearer, client_for
from laeringsarena.core.errors import Conflict, InvalidInput, PermissionDenied
from laeringsarena.learning import completions, player, services
from laeringsarena.learning.authoring import question_spec
from laeringsarena.learning.models import (
    Cohort,
    CompletionSource,
    Enrolment,
    EnrolmentSource,
    LearningPath,
    Module,
    PageKind,
    PathStatus,
    Question,
    QuestionKind,
    Step,
    StepKind,
)
from laeringsarena.learning.selectors import StepStatus, step_states
from laeringsarena.learning.tests.factories import PathWorld
from laeringsarena.learning.tests.support import answers

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def test_hr_builds_a_path_with_steps_of_every_kind_on_the_web(world: World) -> None:
    client = client_for(world.hr)
    assert client.get("/laering/forvalt/").status_code == 200
    response = client.post(
        "/laering/forvalt/", {"node": world.alpha.pk, "title": "Velkommen", "action": "path"}
    )
    path = LearningPath.objects.get(title="Velkommen")
    assert response["Location"] == f"/laering/stier/{path.pk}/rediger/"
    assert path.status == PathStatus.DRAFT and path.unit is None
    response = client.post(
        "/laering/forvalt/", {"node": world.alpha.pk, "title": "Brannvern", "action": "module"}
    )
    module = Module.objects.get(title="Brannvern")
    assert response["Location"] == f"/laering/moduler/{module.pk}/"
    edit = f"/laering/stier/{path.pk}/rediger/"
    for kind, extra in [
        (StepKind.MODULE, {"module": module.pk}),
        (StepKind.GATHERING, {"starts_at": "2025-09-01T14:30", "place": "Rådhuset"}),
        (StepKind.WEBINAR, {"url": "https://webinar.example.org/x"}),
        (StepKind.GROUP_WORK, {}),
        (StepKind.PRACTICAL, {"supervisor": "leder@alfa.test", "gated": "on"}),
        (StepKind.REFLECTION, {"optional": "on"}),
        (StepKind.CMI5, {"activity_id": "https://example.org/cmi5/kurs"}),
    ]:
        response = client.post(edit, {"action": "add_step", "kind": kind, "title": f"Steg {kind}", **extra})
        assert response.status_code == 302, response.content.decode()[:2000]
    steps = list(path.steps.all())
    assert [s.kind for s in steps] == [
        "module", "gathering", "webinar", "group_work", "practical", "reflection", "cmi5"
    ]  # fmt: skip
    assert steps[1].starts_at is not None and steps[1].place == "Rådhuset"
    assert steps[4].gated and steps[4].supervisor == world.leader.person
    assert steps[5].optional
    assert steps[6].activity_id == "https://example.org/cmi5/kurs"
    # A module step without a module is refused with the reason next to the form.
    response = client.post(edit, {"action": "add_step", "kind": "module", "title": "Uten modul"})
    assert response.status_code == 400
    assert "velg en modul fra kommunen" in response.content.decode()
    # Order: move the reflection up; prerequisites on the step page.
    client.post(edit, {"action": "up", "step": steps[5].pk})
    assert list(path.steps.values_list("kind", flat=True))[4:6] == ["reflection", "practical"]
    practical = Step.objects.get(pk=steps[4].pk)
    response = client.post(
        f"/laering/stier/{path.pk}/steg/{practical.pk}/rediger/",
        {
            "kind": "practical",
            "title": "Praktisk øvelse",
            "supervisor": "leder@alfa.test",
            "gated": "on",
            "prerequisites": [steps[0].pk, steps[1].pk],
            "certificate_name": "Delsertifikat praksis",
        },
    )
    assert response.status_code == 302
    practical.refresh_from_db()
    assert practical.title == "Praktisk øvelse" and practical.certificate_name == "Delsertifikat praksis"
    assert {p.pk for p in practical.prerequisites.all()} == {steps[0].pk, steps[1].pk}
    # Moving a step above its prerequisite is refused.
    response = client.post(edit, {"action": "up", "step": steps[1].pk})
    client.post(edit, {"action": "down", "step": steps[1].pk})
    assert client.post(edit, {"action": "down", "step": steps[1].pk}).status_code in (302, 400)
    # Settings and publishing.
    requirement = CertificationRequirement.objects.create(
        tenant=world.alpha, name="Velkomst", validity_months=24
    )
    response = client.post(
        edit,
        {
            "action": "settings",
            "title": "Velkommen til Alfa",
            "description": "Det første du trenger.",
            "owner": "leder@alfa.test",
            "grants_certification": requirement.pk,
            "default_due_days": "45",
            "recertify_days_before": "30",
        },
    )
    assert response.status_code == 302
    client.post(edit, {"action": "status", "status": "published"})
    path.refresh_from_db()
    assert (path.title, path.owner, path.grants_certification, path.default_due_days, path.status) == (
        "Velkommen til Alfa",
        world.leader.person,
        requirement,
        45,
        PathStatus.PUBLISHED,
    )
    assert "Velkommen til Alfa" in client.get(edit).content.decode()


def test_moving_a_step_keeps_prerequisites_before_it(world: World, blended: PathWorld) -> None:
    services.update_step(world.hr, blended.reflection, prerequisites=[blended.gathering])
    with pytest.raises(Conflict):
        services.move_step(world.hr, blended.reflection, -2)
    with pytest.raises(InvalidInput):
        services.update_step(world.hr, blended.gathering, prerequisites=[blended.reflection])
    services.move_step(world.hr, blended.module_step, 3)
    assert list(blended.path.steps.values_list("pk", flat=True)) == [
        blended.gathering.pk,
        blended.practical.pk,
        blended.reflection.pk,
        blended.module_step.pk,
    ]


def test_a_started_step_cannot_be_removed_but_an_untouched_one_can(world: World, blended: PathWorld) -> None:
    enrolment = services.enrol_people(world.hr, blended.path, [world.employee.person])[0]
    player.start(world.employee, enrolment, blended.module_step)
    with pytest.raises(Conflict):
        services.remove_step(world.hr, blended.module_step)
    services.remove_step(world.hr, blended.gathering)
    assert list(blended.path.steps.values_list("order", flat=True)) == [1, 2, 3]


def test_leaders_author_paths_of_their_own_unit_only(world: World) -> None:
    path = services.create_path(
        world.leader, world.alpha, title="Sykehjemmets rutiner", unit=world.alpha_home
    )
    services.add_step(world.leader, path, kind=StepKind.REFLECTION, title="Hva gjør vi her?")
    services.update_path(world.leader, path, description="Rutiner for nye på sykehjemmet.")
    with pytest.raises(PermissionDenied):
        services.create_path(world.leader, world.alpha, title="For hele kommunen")
    with pytest.raises(PermissionDenied):
        services.update_path(world.leader, path, unit=None)
    hr_path = services.create_path(world.hr, world.alpha, title="Kommunens introduksjon")
    with pytest.raises(PermissionDenied):
        services.add_step(world.leader, hr_path, kind=StepKind.REFLECTION, title="Nei")
    client = client_for(world.leader)
    assert client.get(f"/laering/stier/{path.pk}/rediger/").status_code == 200
    assert client.get(f"/laering/stier/{hr_path.pk}/rediger/").status_code == 404  # a draft: not theirs
    services.add_step(world.hr, hr_path, kind=StepKind.REFLECTION, title="Ja")
    services.set_status(world.hr, hr_path, PathStatus.PUBLISHED)
    assert client.get(f"/laering/stier/{hr_path.pk}/rediger/").status_code == 403
    assert client_for(world.beta_leader).get(f"/laering/stier/{path.pk}/rediger/").status_code == 404
    assert client_for(world.employee).get("/laering/forvalt/").status_code == 403
    # Modules: a leader's module belongs to the unit; HR's municipality module is not theirs.
    module = services.create_module(
        world.leader, world.alpha, unit=world.alpha_home, title="Vår modul", pages=[services.PageSpec("Hei")]
    )
    assert client.get(f"/laering/moduler/{module.pk}/").status_code == 200
    hr_module = services.create_module(
        world.hr, world.alpha, title="HR-modul", pages=[services.PageSpec("Hei")]
    )
    assert client.get(f"/laering/moduler/{hr_module.pk}/").status_code == 403
    assert client_for(world.beta_leader).get(f"/laering/moduler/{hr_module.pk}/").status_code == 404


def _post_question(client: Client, url: str, **fields: Any) -> Any:
    return client.post(url, {"action": "add_question", **fields})


def test_a_module_with_pages_video_and_questions_of_every_kind_is_playable(world: World) -> None:
    client = client_for(world.hr)
    client.post("/laering/forvalt/", {"node": world.alpha.pk, "title": "Hygiene", "action": "module"})
    module = Module.objects.get(title="Hygiene")
    url = f"/laering/moduler/{module.pk}/"
    response = client.post(
        url, {"action": "add_page", "kind": "video", "title": "Film", "video_url": "https://v.example.org/1"}
    )
    assert response.status_code == 400  # a video needs a description for those who cannot see it
    assert "beskriv videoen" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "add_page",
            "kind": "video",
            "title": "Film",
            "video_url": "https://v.example.org/1",
            "video_caption": "Slik vasker du hendene",
        },
    )
    assert response.status_code == 302
    client.post(url, {"action": "add_page", "kind": "page", "title": "Quiz"})
    quiz = module.pages.get(title="Quiz")
    page_url = f"/laering/moduler/{module.pk}/sider/{quiz.pk}/"
    assert (
        _post_question(
            client,
            page_url,
            kind="single",
            text="Hvor lenge?",
            options="5 sekunder\n* 30 sekunder\n2 minutter",
        ).status_code
        == 302
    )
    assert (
        _post_question(
            client, page_url, kind="multiple", text="Når?", options="* Før pasientkontakt\n* Etter\nAldri"
        ).status_code
        == 302
    )
    assert (
        _post_question(
            client, page_url, kind="true_false", text="Hansker erstatter håndvask.", answer="false"
        ).status_code
        == 302
    )
    assert (
        _post_question(
            client, page_url, kind="ordering", text="Rekkefølge", options="Vask\nSkyll\nTørk"
        ).status_code
        == 302
    )
    assert (
        _post_question(
            client,
            page_url,
            kind="free_text",
            text="Beskriv en situasjon.",
            points="2",
            guidance="Situasjon og tiltak.",
        ).status_code
        == 302
    )
    bad = _post_question(client, page_url, kind="single", text="Uten riktig svar", options="A\nB")
    assert bad.status_code == 400
    quiz.refresh_from_db()
    assert quiz.kind == PageKind.QUIZ
    questions = list(quiz.questions.order_by("order"))
    assert [(q.kind, q.correct) for q in questions] == [
        (QuestionKind.SINGLE, [1]),
        (QuestionKind.MULTIPLE, [0, 1]),
        (QuestionKind.TRUE_FALSE, [False]),
        (QuestionKind.ORDERING, []),
        (QuestionKind.FREE_TEXT, []),
    ]
    assert questions[3].options == ["Vask", "Skyll", "Tørk"]
    assert "* 30 sekunder" in client.get(page_url).content.decode()
    # Pass mark in percent; the first page moved last.
    client.post(url, {"action": "settings", "title": "Håndhygiene", "pass_mark": "75"})
    first = module.pages.order_by("order").first()
    client.post(url, {"action": "down", "page": first.pk})
    client.post(url, {"action": "down", "page": first.pk})
    module.refresh_from_db()
    assert (module.title, module.pass_mark) == ("Håndhygiene", 0.75)
    assert module.pages.order_by("order").last().pk == first.pk
    # A learner plays it: the authored quiz is graded as written (free text waits for grading).
    path = services.create_path(world.hr, world.alpha, title="Hygiene")
    step = services.add_step(world.hr, path, kind=StepKind.MODULE, title="Hygiene", module=module)
    services.set_status(world.hr, path, PathStatus.PUBLISHED)
    enrolment = services.enrol_people(world.hr, path, [world.employee.person])[0]
    attempt = player.start(world.employee, enrolment, step)
    for page in player.pages(attempt):
        player.view_page(world.employee, attempt, page)
    attempt = player.submit_quiz(world.employee, attempt, answers(attempt))
    assert attempt.state == "awaiting"
    # Answered questions keep their options; the wording may still be fixed.
    single = questions[0]
    with pytest.raises(InvalidInput):
        services.update_question(
            world.hr,
            single,
            question_spec({"kind": "single", "text": "Hvor lenge?", "options": "* 5 sekunder\n30 sekunder"}),
        )
    services.update_question(
        world.hr,
        single,
        question_spec(
            {
                "kind": "single",
                "text": "Hvor lenge skal du vaske?",
                "options": "5 sekunder\n* 30 sekunder\n2 minutter",
            }
        ),
    )
    assert Question.objects.get(pk=single.pk).text == "Hvor lenge skal du vaske?"
    with pytest.raises(Conflict):
        services.remove_question(world.hr, single)


def test_a_cohort_with_its_own_sessions_is_enrolled_and_shift_workers_see_their_schedule(
    world: World, blended: PathWorld
) -> None:
    client = client_for(world.leader)
    response = client.post(
        f"/laering/stier/{blended.path.pk}/kull/",
        {
            "name": "Nattevakter",
            "unit": world.alpha_home.pk,
            "starts_on": "2025-03-01",
            "due_on": "2025-04-01",
        },
    )
    cohort = Cohort.objects.get(name="Nattevakter")
    assert response["Location"] == f"/laering/kull/{cohort.pk}/"
    assert cohort.unit == world.alpha_home
    url = f"/laering/kull/{cohort.pk}/"
    response = client.post(
        url,
        {
            "action": "add_session",
            "step": blended.gathering.pk,
            "starts_at": "2025-03-10T07:45",
            "ends_at": "2025-03-10T08:30",
            "place": "Vaktrommet",
        },
    )
    assert response.status_code == 302
    # A reflection has no time of its own.
    bad = client.post(
        url, {"action": "add_session", "step": blended.reflection.pk, "starts_at": "2025-03-10T07:45"}
    )
    assert bad.status_code == 400
    page = client.get(url).content.decode()
    assert world.employee.person.full_name in page  # a candidate from the leader's unit
    assert world.colleague.person.full_name not in page  # works elsewhere
    response = client.post(url, {"action": "enrol", "person": [world.employee.person.pk], "mandatory": "on"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=world.employee.person, path=blended.path)
    assert (enrolment.cohort, enrolment.source, enrolment.mandatory, enrolment.due_on) == (
        cohort,
        EnrolmentSource.COHORT,
        True,
        dt.date(2025, 4, 1),
    )
    # Someone outside the leader's units cannot be put in the cohort.
    with pytest.raises(PermissionDenied):
        services.enrol_cohort(world.leader, cohort, [world.colleague.person])
    # The shift worker sees the cohort's time on the path and on the step, not only the path's.
    learner = client_for(world.employee)
    path_page = learner.get(f"/laering/stier/{blended.path.pk}/").content.decode()
    assert "Ditt kull: Nattevakter" in path_page
    assert "Vaktrommet" in path_page and "07:45" in path_page
    step_page = learner.get(f"/laering/stier/{blended.path.pk}/steg/{blended.gathering.pk}/").content.decode()
    assert "Ditt kull: 10.3.2025 07:45" in step_page
    # Moving the cohort's due date moves its members'.
    services.update_cohort(world.leader, cohort, due_on=dt.date(2025, 4, 15))
    enrolment.refresh_from_db()
    assert enrolment.due_on == dt.date(2025, 4, 15)
    # Another cohort member's schedule is theirs: a learner without a cohort sees none.
    services.enrol_people(world.hr, blended.path, [world.colleague.person])
    assert (
        "Ditt kull"
        not in client_for(world.colleague).get(f"/laering/stier/{blended.path.pk}/").content.decode()
    )
    assert client_for(world.employee).get(url).status_code == 403
    assert client_for(world.beta_leader).get(url).status_code == 404


def test_stepwise_certification_gives_an_intermediate_certificate_then_the_full_one(
    world: World, requirement: CertificationRequirement, django_capture_on_commit_callbacks: Any
) -> None:
    path = services.create_path(
        world.hr, world.alpha, title="Legemiddelhåndtering", grants_certification_id=requirement.pk
    )
    theory = services.add_step(
        world.hr,
        path,
        kind=StepKind.REFLECTION,
        title="Teori",
        certificate_name="Legemiddelhåndtering del 1 (teori)",
    )
    practice = services.add_step(
        world.hr, path, kind=StepKind.PRACTICAL, title="Praksis", supervisor=world.leader.person
    )
    services.set_status(world.hr, path, PathStatus.PUBLISHED)
    enrolment = services.enrol_people(world.hr, path, [world.employee.person], mandatory=True)[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_reflection(
            world.employee,
            enrolment,
            theory,
            "Jeg kan dobbeltkontroll og dokumentasjon.",
            now=dt.datetime(2025, 3, 3, 10, tzinfo=UTC),
        )
    certs = list(Certification.objects.filter(person=world.employee.person))
    assert [(c.name, c.issued_on, c.expires_on, c.requirement) for c in certs] == [
        ("Legemiddelhåndtering del 1 (teori)", dt.date(2025, 3, 3), None, None)
    ]
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # only a part of the path
    sign_off = services.request_sign_off(world.employee, enrolment, practice)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_sign_off(
            world.leader, sign_off, approve=True, now=dt.datetime(2025, 3, 20, 10, tzinfo=UTC)
        )
    full = Certification.objects.get(person=world.employee.person, requirement=requirement)
    assert (full.issued_on, full.expires_on) == (dt.date(2025, 3, 20), dt.date(2026, 3, 20))
    assert Certification.objects.filter(person=world.employee.person).count() == 2
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert enrolment.completions.get(step=theory).source == CompletionSource.REFLECTION
    assert [s.status for s in step_states(enrolment)] == [StepStatus.DONE, StepStatus.DONE]
    # Completing the intermediate step again (a re-sent statement) issues nothing more.
    completions.complete_step(
        enrolment,
        theory,
        completed_at=dt.datetime(2025, 3, 21, tzinfo=UTC),
        source=CompletionSource.STATEMENT,
    )
    assert Certification.objects.filter(person=world.employee.person).count() == 2


def test_the_paths_and_steps_api(world: World) -> None:
    client = Client()
    hr, leader = bearer(world.hr), bearer(world.leader)
    created = client.post(
        "/api/v1/learning/paths",
        json.dumps({"org": "alfa", "title": "API-sti", "description": "Laget fra et annet system."}),
        content_type="application/json",
        **hr,
    )
    assert created.status_code == 201, created.content
    path_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["can_manage"] is True
    bad = client.post(
        "/api/v1/learning/paths",
        json.dumps({"org": "alfa", "title": ""}),
        content_type="application/json",
        **hr,
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"][0]["field"] == "title"
    denied = client.post(
        "/api/v1/learning/paths",
        json.dumps({"org": "alfa", "title": "X"}),
        content_type="application/json",
        **leader,
    )
    assert denied.status_code == 403
    unit_path = client.post(
        "/api/v1/learning/paths",
        json.dumps({"org": "alfa", "unit_id": world.alpha_home.pk, "title": "Enhetens sti"}),
        content_type="application/json",
        **leader,
    )
    assert unit_path.status_code == 201
    steps_url = f"/api/v1/learning/paths/{path_id}/steps"
    first = client.post(
        steps_url, json.dumps({"kind": "reflection", "title": "Tenk"}), content_type="application/json", **hr
    )
    assert first.status_code == 201
    second = client.post(
        steps_url,
        json.dumps(
            {
                "kind": "gathering",
                "title": "Samling",
                "starts_at": "2025-05-01T12:30:00+02:00",
                "gated": True,
                "prerequisite_ids": [first.json()["id"]],
            }
        ),
        content_type="application/json",
        **hr,
    )  # fmt: skip
    assert second.status_code == 201, second.content
    assert second.json()["prerequisite_ids"] == [first.json()["id"]] and second.json()["order"] == 2
    wrong = client.post(
        steps_url, json.dumps({"kind": "module", "title": "M"}), content_type="application/json", **hr
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "module"
    patched = client.patch(
        f"{steps_url}/{first.json()['id']}",
        json.dumps({"title": "Tenk etter", "optional": True}),
        content_type="application/json",
        **hr,
    )
    assert (
        patched.status_code == 200 and patched.json()["title"] == "Tenk etter" and patched.json()["optional"]
    )
    assert (
        client.patch(
            f"{steps_url}/{first.json()['id']}", "{}", content_type="application/json", **leader
        ).status_code
        == 404  # a draft is not the leader's to see
    )
    published = client.patch(
        f"/api/v1/learning/paths/{path_id}",
        json.dumps({"status": "published"}),
        content_type="application/json",
        **hr,
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    listing = client.get("/api/v1/learning/paths", **bearer(world.employee)).json()
    assert [p["title"] for p in listing] == ["API-sti"]
    assert client.get("/api/v1/learning/paths?managed=true", **leader).json()[0]["title"] == "Enhetens sti"
    detail = client.get(f"/api/v1/learning/paths/{path_id}", **bearer(world.employee)).json()
    assert [s["title"] for s in detail["step_list"]] == ["Tenk etter", "Samling"]
    assert (
        client.get(f"/api/v1/learning/paths/{path_id}/steps", **bearer(world.beta_employee)).status_code
        == 404
    )
