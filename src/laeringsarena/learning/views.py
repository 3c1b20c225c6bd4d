"""Web views of the learning app (thin adapters over services, player and selectors)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, LaeringsarenaError, NotFound, PermissionDenied
from laeringsarena.learning import access, imports, overview, player, selectors, services
from laeringsarena.learning.models import (
    MANUAL_KINDS,
    Answer,
    Attempt,
    AttemptState,
    CohortSession,
    CompletionImport,
    Enrolment,
    Notice,
    PageKind,
    QuestionKind,
    SignOff,
    SignOffState,
    Step,
    StepKind,
)
from laeringsarena.organisations.models import Organisation, Position
from laeringsarena.people.models import Employment, Person


def _person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise NotFound(_("Du har ingen læringskonto."))
    return person


def _open_enrolment(request: HttpRequest, path_pk: int) -> Enrolment | None:
    person_id = access.person_id(request.user)
    if not person_id:
        return None
    return (
        Enrolment.objects.filter(person_id=person_id, path_id=path_pk, withdrawn_at__isnull=True)
        .order_by("-enrolled_at")
        .first()
    )


@login_required
@nav_section("my_learning")
def mine(request: HttpRequest) -> HttpResponse:
    """Min læring: what is required, how far, what remains, what expires next."""
    person = _person(request)
    progress = selectors.progress_for(person, timezone.localdate())
    return render(
        request,
        "learning/mine.html",
        {
            "progress": progress,
            "completions": list(selectors.person_completions(person)[:20]),
            "sign_offs": SignOff.objects.filter(supervisor=person, state=SignOffState.REQUESTED).count(),
        },
    )


@login_required
@nav_section("my_learning")
def paths(request: HttpRequest) -> HttpResponse:
    """Learning paths of my municipality that I can join."""
    visible = list(access.visible_paths(request.user).select_related("tenant").prefetch_related("steps"))
    mine_ids = set(
        Enrolment.objects.filter(
            person_id=access.person_id(request.user) or -1, withdrawn_at__isnull=True
        ).values_list("path_id", flat=True)
    )
    return render(request, "learning/paths.html", {"paths": visible, "mine": mine_ids})


@login_required
@nav_section("my_learning")
def path_detail(request: HttpRequest, pk: int) -> HttpResponse:
    path = access.access_path(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                enrolment = _open_enrolment(request, path.pk)
                if enrolment is None:
                    raise NotFound()
                services.withdraw(request.user, enrolment)
                messages.success(request, _("Du er meldt av."))
            else:
                services.self_enrol(request.user, path)
                messages.success(request, _("Du er meldt på. Lykke til!"))
        except LaeringsarenaError as err:
            messages.error(request, str(err.detail))
        return redirect("learning:path", pk=path.pk)
    enrolment = _open_enrolment(request, path.pk)
    states = selectors.step_states(enrolment) if enrolment else []
    progress = selectors.path_progress(enrolment, timezone.localdate()) if enrolment else None
    steps = list(path.steps.all()) if not enrolment else []
    return render(
        request,
        "learning/path.html",
        {
            "path": path,
            "enrolment": enrolment,
            "states": states,
            "steps": steps,
            "progress": progress,
            "can_manage": access.can_manage(request.user, path),
            "cohort_sessions": list(
                CohortSession.objects.filter(cohort_id=enrolment.cohort_id).select_related("step")
            )
            if enrolment and enrolment.cohort_id
            else [],
        },
    )


def _launch_url(step: Step) -> str | None:
    if step.kind != StepKind.CMI5:
        return None
    try:
        from laeringsarena.cmi5.selectors import launch_url
    except ImportError:
        return None
    return launch_url(step.activity_id)


@login_required
@nav_section("my_learning")
def step(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """One step: what to do, and the action that fits its kind."""
    path = access.access_path(request.user, pk)
    current = (
        Step.objects.filter(pk=step_pk, path=path).select_related("offering", "module", "supervisor").first()
    )
    if current is None:
        raise NotFound()
    enrolment = _open_enrolment(request, path.pk)
    state = None
    if enrolment is not None:
        state = next(s for s in selectors.step_states(enrolment) if s.step.pk == current.pk)
    errors: list[str] = []
    if request.method == "POST":
        if enrolment is None:
            raise PermissionDenied(_("Meld deg på stien først."))
        action = request.POST.get("action", "")
        try:
            if action == "start" and current.kind == StepKind.MODULE:
                attempt = player.start(request.user, enrolment, current)
                return redirect("learning:module", attempt_pk=attempt.pk)
            if action == "done" and current.kind == StepKind.OFFERING:
                services.mark_offering_done(request.user, enrolment, current)
                messages.success(request, _("Registrert som fullført."))
            elif action == "reflect":
                services.submit_reflection(request.user, enrolment, current, request.POST.get("text", ""))
                messages.success(request, _("Takk for refleksjonen din."))
            elif action == "sign_off":
                supervisor = None
                if request.POST.get("supervisor"):
                    supervisor = Person.objects.filter(pk=int(request.POST["supervisor"] or 0)).first()
                services.request_sign_off(
                    request.user, enrolment, current, supervisor=supervisor, note=request.POST.get("note", "")
                )
                messages.success(request, _("Forespørselen om klarsignal er sendt."))
            else:
                raise InvalidInput(_("Ukjent handling."))
            return redirect("learning:step", pk=path.pk, step_pk=current.pk)
        except (InvalidInput, LaeringsarenaError) as err:
            if isinstance(err, (NotFound, PermissionDenied)):
                raise
            errors.append(str(err.detail))
    supervisors: list[Person] = []
    if current.kind == StepKind.PRACTICAL and current.supervisor_id is None and enrolment is not None:
        units = access.person_units(enrolment.person_id)
        ids = (
            Employment.objects.active()
            .filter(unit__in=units)
            .exclude(person_id=enrolment.person_id)
            .values_list("person_id", flat=True)
        )
        supervisors = list(Person.objects.filter(pk__in=ids).order_by("given_name", "family_name")[:200])
    sessions = []
    if enrolment is not None and enrolment.cohort_id:
        sessions = list(current.cohort_sessions.filter(cohort_id=enrolment.cohort_id))
    return render(
        request,
        "learning/step.html",
        {
            "path": path,
            "step": current,
            "enrolment": enrolment,
            "state": state,
            "errors": errors,
            "supervisors": supervisors,
            "sessions": sessions,
            "launch_url": _launch_url(current),
            "sign_off": SignOff.objects.filter(enrolment=enrolment, step=current).first()
            if enrolment
            else None,
            "attempts": list(Attempt.objects.filter(enrolment=enrolment, step=current)[:5])
            if enrolment
            else [],
            "manual": current.kind in MANUAL_KINDS,
        },
    )


@login_required
@nav_section("my_learning")
def module(request: HttpRequest, attempt_pk: int) -> HttpResponse:
    """The module player: one page at a time (``?side=N``); the quiz page submits all answers."""
    attempt = (
        Attempt.objects.filter(pk=attempt_pk, enrolment__person_id=access.person_id(request.user) or -1)
        .select_related("step__path__tenant", "step__module", "enrolment__person")
        .first()
    )
    if attempt is None:
        raise NotFound()
    all_pages = player.pages(attempt)
    if attempt.state != AttemptState.IN_PROGRESS:
        return render(request, "learning/module_result.html", {"attempt": attempt, "step": attempt.step})
    try:
        number = max(1, min(len(all_pages), int(request.GET.get("side", "1"))))
    except ValueError:
        number = 1
    page = all_pages[number - 1]
    errors: list[dict[str, Any]] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "submit":
                responses: dict[int, Any] = {
                    q.pk: request.POST.getlist(f"q{q.pk}")
                    if q.kind in (QuestionKind.MULTIPLE, QuestionKind.ORDERING)
                    else request.POST.get(f"q{q.pk}")
                    for p in all_pages
                    for q in p.questions.all()
                }
                for p in all_pages:
                    for q in p.questions.all():
                        if q.kind == QuestionKind.ORDERING:
                            responses[q.pk] = _ordering_from_ranks(request, q.pk, len(q.options))
                player.submit_quiz(request.user, attempt, responses)
            else:
                player.finish_reading(request.user, attempt)
            return redirect("learning:module", attempt_pk=attempt.pk)
        except InvalidInput as err:
            errors = err.errors
    else:
        player.view_page(request.user, attempt, page)
    questions = []
    for question in page.questions.all():
        order = player.display_order(question, attempt)
        questions.append({"question": question, "options": [(i, question.options[i]) for i in order]})
    return render(
        request,
        "learning/module.html",
        {
            "attempt": attempt,
            "step": attempt.step,
            "page": page,
            "number": number,
            "count": len(all_pages),
            "questions": questions,
            "errors": errors,
            "error_fields": {e.get("field") for e in errors},
            "is_last": number == len(all_pages),
            "has_quiz": any(p.kind == PageKind.QUIZ for p in all_pages),
            "posted": request.POST,
        },
    )


def _ordering_from_ranks(request: HttpRequest, question_pk: int, count: int) -> list[int] | None:
    """Ordering questions are answered with a position (1…n) per item; turn that into an order."""
    ranks: dict[int, int] = {}
    for index in range(count):
        value = request.POST.get(f"q{question_pk}_{index}", "")
        if not value.isdigit():
            return None
        ranks[index] = int(value)
    if sorted(ranks.values()) != list(range(1, count + 1)):
        return None
    return [index for index, _rank in sorted(ranks.items(), key=lambda item: item[1])]


@login_required
@nav_section("my_learning")
def sign_offs(request: HttpRequest) -> HttpResponse:
    """Klarsignal: practical tasks where I am the named supervisor."""
    person = _person(request)
    if request.method == "POST":
        sign_off = SignOff.objects.filter(
            pk=int(request.POST.get("sign_off") or 0), supervisor=person
        ).first()
        if sign_off is None:
            raise NotFound()
        try:
            services.decide_sign_off(
                request.user,
                sign_off,
                approve=request.POST.get("decision") == "approve",
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Svaret er registrert."))
            return redirect("learning:sign_offs")
        except InvalidInput as err:
            messages.error(request, str(err.detail))
    requests = SignOff.objects.filter(supervisor=person).select_related("step__path", "enrolment__person")
    return render(
        request,
        "learning/sign_offs.html",
        {
            "waiting": [s for s in requests if s.state == SignOffState.REQUESTED],
            "decided": [s for s in requests if s.state != SignOffState.REQUESTED][:30],
        },
    )


@login_required
@nav_section("my_learning")
def grading(request: HttpRequest) -> HttpResponse:
    """Free-text answers waiting for my grading (paths I manage, learners I lead)."""
    if not permissions.has_permission(request.user, permissions.Permission.LEARNING_MANAGE) and not (
        access.managed_paths(request.user).exists()
    ):
        raise PermissionDenied()
    if request.method == "POST":
        answer = (
            Answer.objects.filter(pk=int(request.POST.get("answer") or 0)).select_related("attempt").first()
        )
        if answer is None:
            raise NotFound()
        try:
            points = float(request.POST.get("points", "").replace(",", "."))
        except ValueError:
            messages.error(request, _("Skriv inn poeng som et tall."))
        else:
            try:
                player.grade(request.user, answer, points=points, feedback=request.POST.get("feedback", ""))
                messages.success(request, _("Vurderingen er lagret."))
            except InvalidInput as err:
                messages.error(request, str(err.detail))
        return redirect("learning:grading")
    return render(request, "learning/grading.html", {"answers": player.awaiting_grading(request.user)})


@login_required
def dismiss_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = Notice.objects.filter(pk=pk, person_id=access.person_id(request.user) or -1).first()
    if notice is None:
        raise NotFound()
    if request.method == "POST":
        services.dismiss_notice(request.user, notice)
    return redirect("learning:mine")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as err:
        raise InvalidInput(_("Ugyldig dato."), errors=[{"field": "due_on", "reason": value}]) from err


@login_required
@nav_section("my_unit")
def manage_path(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol people, a unit or a position; register attendance. For the path's managers and leaders."""
    path = access.access_path(request.user, pk)
    manageable_units = [
        u
        for u in access.may_create_paths(request.user)
        if u.tenant_id == path.tenant_id or u.pk == path.tenant_id
    ]
    if not access.can_manage(request.user, path) and not manageable_units:
        raise PermissionDenied()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            due_on = _date(request.POST.get("due_on", ""))
            mandatory = request.POST.get("mandatory") == "on"
            if action == "enrol_unit":
                unit = Organisation.objects.filter(pk=int(request.POST.get("unit") or 0)).first()
                if unit is None:
                    raise NotFound()
                done = services.enrol_unit(request.user, path, unit, due_on=due_on, mandatory=mandatory)
            elif action == "enrol_position":
                position = Position.objects.filter(pk=int(request.POST.get("position") or 0)).first()
                if position is None:
                    raise NotFound()
                within = Organisation.objects.filter(pk=int(request.POST.get("unit") or 0)).first()
                done = services.enrol_position(
                    request.user, path, position, within=within, due_on=due_on, mandatory=mandatory
                )
            elif action == "enrol_person":
                email = request.POST.get("email", "").strip()
                person = Person.objects.filter(email__iexact=email).first() if email else None
                if person is None:
                    raise InvalidInput(_("Fant ingen med den e-postadressen."))
                done = services.enrol_people(request.user, path, [person], due_on=due_on, mandatory=mandatory)
            elif action == "attendance":
                step_obj = path.steps.filter(pk=int(request.POST.get("step") or 0)).first()
                if step_obj is None:
                    raise NotFound()
                people = list(Person.objects.filter(pk__in=[int(v) for v in request.POST.getlist("person")]))
                attended = services.register_attendance(request.user, step_obj, people)
                messages.success(request, _("Oppmøte registrert for %(n)s.") % {"n": len(attended)})
                return redirect("learning:manage_path", pk=path.pk)
            else:
                raise InvalidInput(_("Ukjent handling."))
            messages.success(request, _("%(n)s er meldt på.") % {"n": len(done)})
        except LaeringsarenaError as err:
            if isinstance(err, NotFound):
                raise
            messages.error(request, str(err.detail))
        return redirect("learning:manage_path", pk=path.pk)
    enrolments = list(
        Enrolment.objects.filter(path=path, completed_at__isnull=True, withdrawn_at__isnull=True)
        .select_related("person")
        .order_by("person__family_name")
    )
    visible = [e for e in enrolments if access.can_see_records(request.user, e.person_id)]
    return render(
        request,
        "learning/manage_path.html",
        {
            "path": path,
            "enrolments": visible,
            "units": manageable_units,
            "positions": Position.objects.order_by("name"),
            "manual_steps": [s for s in path.steps.all() if s.kind in MANUAL_KINDS],
        },
    )


@login_required
@nav_section("my_unit")
def units(request: HttpRequest) -> HttpResponse:
    nodes = access.records_units(request.user)
    if not nodes:
        raise PermissionDenied()
    if len(nodes) == 1:
        return redirect("learning:unit", pk=nodes[0].pk)
    return render(request, "learning/units.html", {"units": nodes})


def _overview(request: HttpRequest, pk: int) -> overview.Overview:
    unit = access.access_records_unit(request.user, pk)
    try:
        days = int(request.GET.get("dager", "90"))
    except ValueError:
        days = 90
    path_id = request.GET.get("sti", "")
    return overview.unit_overview(
        unit,
        timezone.localdate(),
        path_id=int(path_id) if path_id.isdigit() else None,
        status=request.GET.get("status", ""),
        mandatory_only=request.GET.get("obligatorisk") == "1",
        expiry_days=days if days in overview.EXPIRY_WINDOWS else 90,
    )


@login_required
@nav_section("my_unit")
def unit_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's learning: completion and scores, overdue mandatory training, expiring certificates."""
    data = _overview(request, pk)
    sub_units = Organisation.objects.filter(parent=data.unit).order_by("name")
    return render(
        request,
        "learning/unit.html",
        {
            "o": data,
            "sub_units": sub_units,
            "filters": request.GET,
            "windows": overview.EXPIRY_WINDOWS,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def unit_csv(request: HttpRequest, pk: int) -> HttpResponse:
    data = _overview(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laering-{data.unit.slug}-{data.today}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["navn", "e-post", "enhet", "læringssti", "obligatorisk", "frist", "steg fullført", "steg totalt",
         "fullført", "poeng", "forfalt"]
    )  # fmt: skip
    for row in data.rows:
        writer.writerow(
            [
                row.person.full_name,
                row.person.email or "",
                row.unit.name,
                row.path_title,
                "ja" if row.mandatory else "nei",
                row.due_on.isoformat() if row.due_on else "",
                row.done,
                row.total,
                timezone.localtime(row.completed_at).date().isoformat() if row.completed_at else "",
                f"{row.score:.2f}" if row.score is not None else "",
                "ja" if row.overdue else "nei",
            ]
        )
    return response


# --- Import of completions from external providers --------------------------------------------


def _import_history(request: HttpRequest, tenants: list[Organisation]) -> list[CompletionImport]:
    """Earlier imports: all of the municipality for HR, a leader's own otherwise."""
    whole = [t for t in tenants if permissions.has_permission(request.user, Permission.LEARNING_MANAGE, t)]
    query = Q(tenant__in=whole) | Q(tenant__in=tenants, imported_by_id=access.person_id(request.user) or -1)
    return list(CompletionImport.objects.filter(query).select_related("tenant", "imported_by")[:10])


@login_required
@nav_section("my_unit")
def completion_import(request: HttpRequest) -> HttpResponse:
    """Import completions/certificates from an external provider's CSV (HR, leaders)."""
    tenants = imports.import_tenants(request.user)
    if not tenants:
        raise PermissionDenied()
    context: dict[str, Any] = {
        "tenants": tenants,
        "columns": imports.column_docs(),
        "example": imports.EXAMPLE,
        "history": CompletionImport.objects.filter(tenant__in=tenants).select_related(
            "tenant", "imported_by"
        )[:10],
    }
    status = 200
    if request.method == "POST":
        tenant = next((t for t in tenants if str(t.pk) == request.POST.get("org")), None)
        upload = request.FILES.get("file")
        dry_run = request.POST.get("dry_run") == "on"
        context["selected"] = tenant.pk if tenant else None
        if tenant is None or upload is None:
            context["form_error"] = "org" if tenant is None else "file"
            status = 400
        else:
            try:
                context["result"] = imports.import_completions(
                    request.user, tenant, upload.read(), dry_run=dry_run, filename=upload.name or ""
                )
                context["dry_run"] = dry_run
            except InvalidInput as err:
                context["error"] = err
                status = 400
    return render(request, "learning/import.html", context, status=status)
