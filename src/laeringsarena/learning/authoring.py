"""Authoring views (for LEARNING_MANAGE): paths, steps, hosted modules, cohorts with sessions.

Thin adapters over :mod:`.services`: each POST names an ``action``; errors from the services are
shown next to the form (and answered with 400), success redirects back (post/redirect/get).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, LaeringsarenaError, NotFound, PermissionDenied
from laeringsarena.learning import access, services
from laeringsarena.learning.models import (
    MANUAL_KINDS,
    Cohort,
    CohortSession,
    LearningPath,
    ModulePage,
    PageKind,
    PathStatus,
    Question,
    QuestionKind,
    StepKind,
)
from laeringsarena.learning.services import PageSpec, QuestionSpec
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment, Person


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _date(value: str, field: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as err:
        raise InvalidInput(_("Ugyldig dato."), errors=[{"field": field, "reason": value}]) from err


def _datetime(value: str, field: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as err:
        raise InvalidInput(_("Ugyldig tidspunkt."), errors=[{"field": field, "reason": value}]) from err
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _person_by_email(value: str, field: str) -> Person | None:
    value = value.strip()
    if not value:
        return None
    person = Person.objects.filter(email__iexact=value).first()
    if person is None:
        raise InvalidInput(
            _("Fant ingen med den e-postadressen."), errors=[{"field": field, "reason": value}]
        )
    return person


def _fail(request: HttpRequest, err: LaeringsarenaError) -> dict[str, Any]:
    if isinstance(err, (NotFound, PermissionDenied)):
        raise err
    errors = getattr(err, "errors", [])
    return {"error": str(err.detail), "errors": errors, "error_fields": {e.get("field") for e in errors}}


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if context.get("error") else 200)


# --- Paths ------------------------------------------------------------------------------------


@login_required
@nav_section("learning_authoring")
def authoring(request: HttpRequest) -> HttpResponse:
    """Læringsstier jeg forvalter: paths and modules I may edit, and new ones."""
    nodes = access.may_create_paths(request.user)
    if not nodes:
        raise PermissionDenied()
    context: dict[str, Any] = {"nodes": nodes, "posted": request.POST}
    if request.method == "POST":
        node = next((n for n in nodes if str(n.pk) == request.POST.get("node")), None)
        try:
            if node is None:
                raise InvalidInput(_("Velg hvem som eier stien."), errors=[{"field": "node", "reason": ""}])
            tenant = services.tenant_of(node)
            unit = None if node.pk == tenant.pk else node
            title = request.POST.get("title", "")
            if request.POST.get("action") == "module":
                module = services.create_module(
                    request.user,
                    tenant,
                    unit=unit,
                    title=title,
                    pages=[PageSpec(_("Innledning"), request.POST.get("description", ""))],
                )
                messages.success(request, _("Modulen er opprettet. Legg til sider og spørsmål."))
                return redirect("learning:module_edit", pk=module.pk)
            path = services.create_path(
                request.user, tenant, unit=unit, title=title, description=request.POST.get("description", "")
            )
            messages.success(request, _("Læringsstien er opprettet som utkast. Legg til steg."))
            return redirect("learning:path_edit", pk=path.pk)
        except LaeringsarenaError as err:
            context.update(_fail(request, err))
    context["paths"] = list(
        access.managed_paths(request.user).select_related("tenant", "unit").order_by("title")
    )
    context["modules"] = list(access.editable_modules(request.user).order_by("title"))
    return _render(request, "learning/authoring.html", context)


def _path_context(request: HttpRequest, path: LearningPath) -> dict[str, Any]:
    from laeringsarena.catalogue.models import Offering, Status
    from laeringsarena.competence.models import CertificationRequirement

    return {
        "path": path,
        "steps": list(
            path.steps.select_related("offering", "module", "supervisor").prefetch_related("prerequisites")
        ),
        "kinds": StepKind.choices,
        "statuses": PathStatus.choices,
        "requirements": CertificationRequirement.objects.filter(tenant=path.tenant).order_by("name"),
        "modules": access.editable_modules(request.user).filter(tenant=path.tenant).order_by("title"),
        "offerings": Offering.objects.filter(status=Status.PUBLISHED).order_by("title")[:300],
        "cohorts": list(path.cohorts.all()),
        "posted": request.POST,
    }


def _step_values(request: HttpRequest, path: LearningPath) -> dict[str, Any]:
    post = request.POST
    module_id = _int(post.get("module"))
    module = access.editable_modules(request.user).filter(pk=module_id).first() if module_id else None
    if module_id and module is None:
        module = services.Module.objects.filter(pk=module_id, tenant=path.tenant).first()
    return {
        "kind": post.get("kind", ""),
        "title": post.get("title", ""),
        "description": post.get("description", ""),
        "activity_id": post.get("activity_id", "").strip(),
        "offering_id": _int(post.get("offering")),
        "module": module,
        "supervisor": _person_by_email(post.get("supervisor", ""), "supervisor"),
        "starts_at": _datetime(post.get("starts_at", ""), "starts_at"),
        "place": post.get("place", "").strip(),
        "url": post.get("url", "").strip(),
        "gated": post.get("gated") == "on",
        "optional": post.get("optional") == "on",
        "certificate_name": post.get("certificate_name", "").strip(),
    }


@login_required
@nav_section("learning_authoring")
def path_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a path: settings, status, steps (add, order, remove) and links to cohorts."""
    path = access.access_managed_path(request.user, pk)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        post = request.POST
        try:
            if action == "settings":
                owner = _person_by_email(post.get("owner", ""), "owner")
                services.update_path(
                    request.user,
                    path,
                    title=post.get("title", ""),
                    description=post.get("description", ""),
                    owner=owner,
                    grants_certification_id=_int(post.get("grants_certification")),
                    default_due_days=_int(post.get("default_due_days")),
                    recertify_days_before=_int(post.get("recertify_days_before")) or 0,
                )
                messages.success(request, _("Innstillingene er lagret."))
            elif action == "status":
                services.set_status(request.user, path, post.get("status", ""))
                messages.success(request, _("Status er endret."))
            elif action == "add_step":
                values = _step_values(request, path)
                services.add_step(request.user, path, **values)
                messages.success(request, _("Steget er lagt til."))
            elif action in ("up", "down", "remove"):
                step = path.steps.filter(pk=_int(post.get("step")) or 0).first()
                if step is None:
                    raise NotFound()
                if action == "remove":
                    services.remove_step(request.user, step)
                    messages.success(request, _("Steget er fjernet."))
                else:
                    services.move_step(request.user, step, -1 if action == "up" else 1)
            else:
                raise InvalidInput(_("Ukjent handling."))
            return redirect("learning:path_edit", pk=path.pk)
        except LaeringsarenaError as err:
            errors = _fail(request, err)
            errors["failed_action"] = action
    path.refresh_from_db()
    return _render(request, "learning/path_edit.html", {**_path_context(request, path), **errors})


@login_required
@nav_section("learning_authoring")
def step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = access.access_managed_path(request.user, pk)
    step = path.steps.select_related("module", "offering", "supervisor").filter(pk=step_pk).first()
    if step is None:
        raise NotFound()
    context = _path_context(request, path)
    context.update(
        {
            "step": step,
            "earlier": [s for s in context["steps"] if s.order < step.order],
            "chosen": {p.pk for p in step.prerequisites.all()},
        }
    )
    if request.method == "POST":
        try:
            values = _step_values(request, path)
            wanted = {int(v) for v in request.POST.getlist("prerequisites") if v.isdigit()}
            values["prerequisites"] = list(path.steps.filter(pk__in=wanted))
            services.update_step(request.user, step, **values)
            messages.success(request, _("Steget er lagret."))
            return redirect("learning:path_edit", pk=path.pk)
        except LaeringsarenaError as err:
            context.update(_fail(request, err))
    return _render(request, "learning/step_edit.html", context)


# --- Hosted modules ---------------------------------------------------------------------------


def _page_spec(request: HttpRequest) -> PageSpec:
    post = request.POST
    return PageSpec(
        title=post.get("title", ""),
        body=post.get("body", ""),
        kind=post.get("kind", PageKind.PAGE),
        video_url=post.get("video_url", "").strip(),
        video_caption=post.get("video_caption", "").strip(),
    )


def question_spec(post: Any) -> QuestionSpec:
    """A question from the form: options one per line, the right ones marked with a leading «*»;
    true/false from a radio; ordering options in the right order."""
    kind = post.get("kind", "")
    options: list[str] = []
    correct: list[Any] = []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.ORDERING):
        for line in post.get("options", "").splitlines():
            text = line.strip()
            if not text:
                continue
            if text.startswith("*"):
                text = text[1:].strip()
                if kind != QuestionKind.ORDERING:
                    correct.append(len(options))
            options.append(text)
    elif kind == QuestionKind.TRUE_FALSE:
        correct = [post.get("answer") == "true"] if post.get("answer") in ("true", "false") else []
    try:
        points = max(1, min(100, int(post.get("points", "1") or 1)))
    except ValueError:
        points = 1
    return QuestionSpec(kind, post.get("text", ""), options, correct, points, post.get("guidance", ""))


def options_text(question: Question) -> str:
    marked = set(question.correct) if question.kind != QuestionKind.ORDERING else set()
    return "\n".join(("* " if i in marked else "") + option for i, option in enumerate(question.options))


@login_required
@nav_section("learning_authoring")
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A hosted module: title, pass mark and its pages (add, order, remove)."""
    module = access.access_module(request.user, pk)
    context: dict[str, Any] = {"module": module, "page_kinds": PageKind.choices, "posted": request.POST}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings":
                raw = request.POST.get("pass_mark", "").replace(",", ".").rstrip("%").strip()
                try:
                    pass_mark = float(raw) / 100
                except ValueError as err:
                    raise InvalidInput(
                        _("Krav for bestått må være en prosent."),
                        errors=[{"field": "pass_mark", "reason": raw}],
                    ) from err
                services.update_module(
                    request.user, module, title=request.POST.get("title", ""), pass_mark=pass_mark
                )
                messages.success(request, _("Modulen er lagret."))
            elif action == "add_page":
                added = services.add_page(request.user, module, _page_spec(request))
                messages.success(request, _("Siden er lagt til."))
                return redirect("learning:page_edit", pk=module.pk, page_pk=added.pk)
            elif action in ("up", "down", "remove"):
                page = module.pages.filter(pk=_int(request.POST.get("page")) or 0).first()
                if page is None:
                    raise NotFound()
                if action == "remove":
                    services.remove_page(request.user, page)
                else:
                    services.move_page(request.user, page, -1 if action == "up" else 1)
            else:
                raise InvalidInput(_("Ukjent handling."))
            return redirect("learning:module_edit", pk=module.pk)
        except LaeringsarenaError as err:
            context.update(_fail(request, err))
            context["failed_action"] = action
    module.refresh_from_db()
    context["pages"] = list(module.pages.prefetch_related("questions"))
    context["used_in"] = list(module.steps.select_related("path"))
    context["pass_percent"] = round(module.pass_mark * 100)
    return _render(request, "learning/module_edit.html", context)


@login_required
@nav_section("learning_authoring")
def page_edit(request: HttpRequest, pk: int, page_pk: int) -> HttpResponse:
    """One page of a module: text/video, and its quiz questions of every kind."""
    module = access.access_module(request.user, pk)
    page = ModulePage.objects.filter(pk=page_pk, module=module).first()
    if page is None:
        raise NotFound()
    context: dict[str, Any] = {
        "module": module,
        "page": page,
        "page_kinds": PageKind.choices,
        "question_kinds": QuestionKind.choices,
        "posted": request.POST,
    }
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "page":
                services.update_page(request.user, page, _page_spec(request))
                messages.success(request, _("Siden er lagret."))
            elif action == "add_question":
                services.add_question(request.user, page, question_spec(request.POST))
                messages.success(request, _("Spørsmålet er lagt til."))
            elif action in ("question", "remove_question"):
                question = page.questions.filter(pk=_int(request.POST.get("question")) or 0).first()
                if question is None:
                    raise NotFound()
                if action == "remove_question":
                    services.remove_question(request.user, question)
                    messages.success(request, _("Spørsmålet er fjernet."))
                else:
                    services.update_question(request.user, question, question_spec(request.POST))
                    messages.success(request, _("Spørsmålet er lagret."))
            else:
                raise InvalidInput(_("Ukjent handling."))
            return redirect("learning:page_edit", pk=module.pk, page_pk=page.pk)
        except LaeringsarenaError as err:
            context.update(_fail(request, err))
            context["failed_action"] = action
            context["failed_question"] = request.POST.get("question", "")
    page.refresh_from_db()
    context["questions"] = [(q, options_text(q)) for q in page.questions.all()]
    return _render(request, "learning/page_edit.html", context)


# --- Cohorts ----------------------------------------------------------------------------------


def _cohort_units(request: HttpRequest, path: LearningPath) -> list[Organisation]:
    return [
        u
        for u in access.may_create_paths(request.user)
        if u.pk == path.tenant_id or u.tenant_id == path.tenant_id
    ]


@login_required
@nav_section("learning_authoring")
def cohorts(request: HttpRequest, pk: int) -> HttpResponse:
    """A path's cohorts (kull) and a new one; leaders make cohorts for their own unit."""
    path = access.access_path(request.user, pk)
    units = _cohort_units(request, path)
    if not access.can_manage(request.user, path) and not units:
        raise PermissionDenied()
    context: dict[str, Any] = {"path": path, "units": units, "posted": request.POST}
    if request.method == "POST":
        try:
            unit_id = _int(request.POST.get("unit"))
            unit = next((u for u in units if u.pk == unit_id), None)
            if unit is not None and unit.pk == path.tenant_id:
                unit = None
            starts_on = _date(request.POST.get("starts_on", ""), "starts_on")
            if starts_on is None:
                raise InvalidInput(
                    _("Velg startdato."), errors=[{"field": "starts_on", "reason": _("mangler")}]
                )
            cohort = services.create_cohort(
                request.user,
                path,
                name=request.POST.get("name", ""),
                starts_on=starts_on,
                due_on=_date(request.POST.get("due_on", ""), "due_on"),
                unit=unit,
            )
            messages.success(request, _("Kullet er opprettet. Legg inn tidspunkter og meld på deltakere."))
            return redirect("learning:cohort", pk=cohort.pk)
        except LaeringsarenaError as err:
            context.update(_fail(request, err))
    visible = [c for c in path.cohorts.select_related("unit") if access.can_manage_cohort(request.user, c)]
    context["cohorts"] = visible
    return _render(request, "learning/cohorts.html", context)


def _candidates(request: HttpRequest, cohort: Cohort) -> list[Person]:
    """People the user may put in the cohort: employees of the cohort's unit (or the units they manage)."""
    nodes = [cohort.unit] if cohort.unit_id else _cohort_units(request, cohort.path)
    query = Employment.objects.active().filter(organisation_id=cohort.path.tenant_id)
    ids: set[int] = set()
    for node in nodes:
        if node is not None:
            ids |= set(query.filter(unit__path__startswith=node.path).values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=ids).order_by("family_name", "given_name")[:500]
    return [p for p in people if access.can_enrol(request.user, p)]


@login_required
@nav_section("learning_authoring")
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    """One cohort: its dates, its own session times (for shift workers) and its members."""
    current = access.access_cohort(request.user, pk)
    path = current.path
    context: dict[str, Any] = {
        "cohort": current,
        "path": path,
        "session_steps": [s for s in path.steps.all() if s.kind in MANUAL_KINDS],
        "posted": request.POST,
    }
    if request.method == "POST":
        action = request.POST.get("action")
        post = request.POST
        try:
            if action == "settings":
                services.update_cohort(
                    request.user,
                    current,
                    name=post.get("name", ""),
                    starts_on=_date(post.get("starts_on", ""), "starts_on"),
                    due_on=_date(post.get("due_on", ""), "due_on"),
                )
                messages.success(request, _("Kullet er lagret."))
            elif action == "add_session":
                step = path.steps.filter(pk=_int(post.get("step")) or 0).first()
                starts_at = _datetime(post.get("starts_at", ""), "starts_at")
                if step is None or starts_at is None:
                    raise InvalidInput(
                        _("Velg steg og starttidspunkt."),
                        errors=[{"field": "step" if step is None else "starts_at", "reason": _("mangler")}],
                    )
                services.add_cohort_session(
                    request.user,
                    current,
                    step,
                    starts_at=starts_at,
                    ends_at=_datetime(post.get("ends_at", ""), "ends_at"),
                    place=post.get("place", ""),
                )
                messages.success(request, _("Tidspunktet er lagt til."))
            elif action == "remove_session":
                session = CohortSession.objects.filter(
                    pk=_int(post.get("session")) or 0, cohort=current
                ).first()
                if session is None:
                    raise NotFound()
                services.remove_cohort_session(request.user, session)
            elif action == "enrol":
                wanted = {int(v) for v in post.getlist("person") if v.isdigit()}
                people = [p for p in _candidates(request, current) if p.pk in wanted]
                if not people:
                    raise InvalidInput(
                        _("Velg minst én deltaker."), errors=[{"field": "person", "reason": ""}]
                    )
                done = services.enrol_cohort(
                    request.user, current, people, mandatory=post.get("mandatory") == "on"
                )
                messages.success(request, _("%(n)s er meldt på kullet.") % {"n": len(done)})
            else:
                raise InvalidInput(_("Ukjent handling."))
            return redirect("learning:cohort", pk=current.pk)
        except LaeringsarenaError as err:
            context.update(_fail(request, err))
            context["failed_action"] = action
    current.refresh_from_db()
    members = list(current.enrolments.filter(withdrawn_at__isnull=True).select_related("person"))
    member_ids = {e.person_id for e in members}
    context.update(
        {
            "sessions": list(current.sessions.select_related("step")),
            "members": members,
            "candidates": [p for p in _candidates(request, current) if p.pk not in member_ids],
        }
    )
    return _render(request, "learning/cohort.html", context)
