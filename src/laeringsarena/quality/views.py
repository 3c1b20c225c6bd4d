"""Meld avvik, mine meldinger, avviksbehandling, ledermøte and statistics: thin adapters."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laeringsarena.accounts import permissions
from laeringsarena.catalogue import access as catalogue_access
from laeringsarena.catalogue.models import Status as OfferingStatus
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, LaeringsarenaError, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation, Position
from laeringsarena.quality import access, agenda_pdf, attachments, selectors, services
from laeringsarena.quality.models import (
    Deviation,
    DeviationAttachment,
    Document,
    DocumentAttachment,
    DocumentState,
    ImprovementCase,
    Severity,
    State,
)

STATE_ACTIONS: dict[str, Any] = {
    State.UNDER_TREATMENT: gettext_lazy("Start behandling"),
    State.MEASURES_DECIDED: gettext_lazy("Tiltak besluttet"),
    State.CLOSED: gettext_lazy("Lukk og gi tilbakemelding"),
    State.REJECTED: gettext_lazy("Avvis"),
}


def uploads(request: HttpRequest, field: str = "files") -> list[tuple[str, Any]]:
    """The files of a multipart form field as (name, file) pairs; empty file inputs are skipped."""
    return [(f.name or "", f) for f in request.FILES.getlist(field) if f.size]


def serve_attachment(attachment: DeviationAttachment | DocumentAttachment) -> FileResponse:
    """Send a stored attachment after the caller's access was checked. Pictures show in the
    browser, everything else (PDFs too) downloads and opens in the device's own viewer; the
    response is never cached by shared caches and cannot run scripts even if a file were crafted
    to (a sandboxing CSP would also stop the browsers' built-in PDF viewers)."""
    try:
        handle = default_storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError) as err:
        raise NotFound(_("Filen finnes ikke lenger.")) from err
    inline = attachment.content_type.startswith("image/")
    response = FileResponse(
        handle, content_type=attachment.content_type, as_attachment=not inline, filename=attachment.name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as err:
        raise InvalidInput(_("Ugyldig dato.")) from err


@login_required
@nav_section("report_deviation")
def report(request: HttpRequest) -> HttpResponse:
    """Meld avvik: a few fields, unit preselected, category as big radio buttons."""
    units = access.reporting_units(request.user)
    if not units:
        raise NotFound(_("Du må være ansatt i en kommune for å melde avvik."))
    tenant = units[0].tenant or units[0]
    categories = services.ensure_categories(tenant)
    all_units = access.report_units(request.user, tenant)
    values: dict[str, Any] = {"unit_id": str(units[0].pk), "severity": Severity.MEDIUM}
    findings: list[Any] = []
    errors: list[str] = []
    if request.method == "POST":
        values = request.POST.dict()
        occurred = None
        if values.get("occurred_at"):
            try:
                occurred = timezone.make_aware(dt.datetime.fromisoformat(values["occurred_at"]))
            except ValueError:
                errors.append(_("Ugyldig tidspunkt."))
        if not errors:
            try:
                deviation = services.report_deviation(
                    request.user,  # type: ignore[arg-type]
                    services.Report(
                        unit_id=int(values.get("unit_id") or 0),
                        category_id=int(values.get("category_id") or 0),
                        what_happened=values.get("what_happened", ""),
                        severity=values.get("severity", Severity.MEDIUM),
                        occurred_at=occurred,
                        immediate_action=values.get("immediate_action", ""),
                        suggestion=values.get("suggestion", ""),
                        anonymous=values.get("anonymous") == "on",
                        acknowledge_personal_data=values.get("acknowledge_personal_data") == "on",
                        files=uploads(request),
                    ),
                )
            except services.PersonalDataWarning as warning:
                findings = warning.errors
            except InvalidInput as err:
                errors.append(str(err.detail))
            else:
                if deviation.anonymous:
                    return redirect("quality:reported_anonymously")
                messages.success(request, _("Takk! Avviket er meldt, og lederen din har fått beskjed."))
                return redirect("quality:deviation", pk=deviation.pk)
    if request.method == "POST" and request.FILES and (errors or findings):
        errors.append(_("Bildene og filene ble ikke lagret. Velg dem på nytt før du sender."))
    return render(
        request,
        "quality/report.html",
        {
            "units": all_units,
            "own_units": units,
            "categories": categories,
            "severities": Severity.choices,
            "values": values,
            "findings": findings,
            "errors": errors,
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "max_files": attachments.DEVIATION_MAX_FILES,
            "max_mb": attachments.DEVIATION_MAX_BYTES // attachments.MB,
        },
    )


@login_required
def personal_data_check(request: HttpRequest) -> HttpResponse:
    """htmx: warn as the reporter types if the text seems to hold a national id or phone number."""
    text = " ".join(request.POST.get(k, "") for k in ("what_happened", "immediate_action", "suggestion"))
    return render(request, "quality/_pii_warning.html", {"findings": services.check_personal_data(text)})


@login_required
@nav_section("report_deviation")
def reported_anonymously(request: HttpRequest) -> HttpResponse:
    return render(request, "quality/reported_anonymously.html")


@login_required
@nav_section("report_deviation")
def my_reports(request: HttpRequest) -> HttpResponse:
    """Mine meldinger: what I reported (not anonymously), its state and the feedback."""
    person_id = getattr(request.user, "person_id", None)
    queryset = (
        Deviation.objects.filter(reporter_id=person_id)
        .select_related("unit", "category")
        .order_by("-created_at")
        if person_id
        else Deviation.objects.none()
    )
    deviations = list(queryset[:100])
    services.record_reads(request.user, deviations, "web.my_reports")
    return render(request, "quality/my_reports.html", {"deviations": deviations})


@login_required
@nav_section("deviations")
def handle_list(request: HttpRequest) -> HttpResponse:
    """Avvik: what I handle, open first, overdue marked."""
    if not access.is_handler(request.user):
        raise PermissionDenied()
    state = request.GET.get("state", "open")
    queryset = access.handled_deviations(request.user).select_related("unit", "forwarded_to", "category")
    if state == "open":
        queryset = queryset.filter(state__in=[State.RECEIVED, State.UNDER_TREATMENT, State.MEASURES_DECIDED])
    elif state in State.values:
        queryset = queryset.filter(state=state)
    deviations = list(queryset.order_by("deadline", "-created_at")[:200])
    services.record_reads(request.user, deviations, "web.list")
    return render(
        request,
        "quality/handle_list.html",
        {"deviations": deviations, "state": state, "states": State.choices, "today": timezone.localdate()},
    )


@login_required
def deviation(request: HttpRequest, pk: int) -> HttpResponse:
    """One deviation: the reporter sees state and feedback; handlers handle it here."""
    item = services.read_deviation(request.user, pk, "web.detail")
    handles = access.can_handle(request.user, item)
    context: dict[str, Any] = {
        "deviation": item,
        "handles": handles,
        "today": timezone.localdate(),
        "readers": selectors.readers(item),
        "attachments": list(item.attachments.all()),
        "may_attach": item.is_open
        and (
            handles
            or (item.reporter_id is not None and item.reporter_id == getattr(request.user, "person_id", None))
        ),
        "max_mb": attachments.DEVIATION_MAX_BYTES // attachments.MB,
    }
    if handles:
        tenant = item.tenant
        context.update(
            {
                "events": item.events.select_related("actor"),
                "actions": [(s, STATE_ACTIONS[s]) for s in services.TRANSITIONS[item.state]],
                "units": Organisation.objects.filter(tenant=tenant, kind="unit").order_by("path"),
                "positions": Position.objects.filter(employments__organisation=tenant).distinct(),
                "assignments": item.learning_assignments.select_related("person", "unit", "position"),
                "agenda_items": item.agenda_items.select_related("unit"),
                "cases": item.improvement_cases.all(),
                "offerings": catalogue_access.visible_offerings(request.user)
                .filter(status=OfferingStatus.PUBLISHED)
                .order_by("title")[:300],
                "related": access.visible_deviations(request.user)
                .filter(related=item)
                .select_related("category"),
                "procedures": Document.objects.filter(tenant=tenant).exclude(state=DocumentState.ARCHIVED),
                "people": permissions.people(request.user)
                .filter(employments__unit__path__startswith=item.responsible_unit.path)
                .distinct()[:300],
            }
        )
    return render(request, "quality/deviation.html", context)


@login_required
def deviation_action(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: a transition, forwarding, or a learning step on one deviation."""
    item = access.access_deviation(request.user, pk)
    if request.method != "POST":
        return redirect("quality:deviation", pk=pk)
    user: Any = request.user
    post = request.POST
    action = post.get("action", "")
    try:
        if action == "attach":
            added = services.add_attachments(user, item, uploads(request))
            messages.success(request, _("%(n)s vedlegg er lagt til.") % {"n": len(added)})
        elif action == "transition":
            services.transition(
                user,
                item,
                post.get("to", ""),
                note=post.get("note", ""),
                measures=post.get("measures", ""),
                feedback=post.get("feedback", ""),
                reason=post.get("reason", ""),
                deadline=_date(post.get("deadline")),
            )
            messages.success(request, _("Status endret til «%(s)s».") % {"s": item.get_state_display()})
        elif action == "forward":
            services.forward(user, item, int(post.get("unit_id") or 0), post.get("note", ""))
            messages.success(request, _("Avviket er videresendt."))
        elif action == "refresher":
            services.assign_refresher(
                user,
                [item.pk],
                title=post.get("title", ""),
                url=post.get("url", ""),
                person_id=int(post["person_id"]) if post.get("person_id") else None,
                unit_id=int(post["unit_id"]) if post.get("unit_id") else None,
                position_id=int(post["position_id"]) if post.get("position_id") else None,
                due_date=_date(post.get("due_date")),
                offering_id=int(post["offering_id"]) if post.get("offering_id") else None,
            )
            messages.success(request, _("Oppfriskningen er tildelt."))
        elif action == "agenda":
            services.add_to_agenda(
                user,
                [item.pk],
                meeting_date=_date(post.get("meeting_date")) or timezone.localdate(),
                discussion_guide=post.get("discussion_guide", ""),
            )
            messages.success(request, _("Avviket er satt på dagsorden."))
        elif action == "link":
            ids = [
                int(x)
                for x in post.get("related", "").replace("#", " ").replace(",", " ").split()
                if x.isdigit()
            ]
            services.link(
                user, item, procedure_id=int(post.get("procedure_id") or 0) or None, related_ids=ids
            )
            messages.success(request, _("Koblingene er lagret."))
        elif action == "case":
            case = services.open_improvement_case(
                user,
                [item.pk],
                title=post.get("title", ""),
                goal=post.get("goal", ""),
                measures=post.get("measures", ""),
            )
            return redirect("quality:improvement_case", pk=case.pk)
        else:
            raise InvalidInput(_("Ukjent handling."))
    except LaeringsarenaError as err:
        if err.status == 404:
            raise
        messages.error(request, str(err.detail))
    return redirect("quality:deviation", pk=pk)


@login_required
def deviation_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A photo or file of a deviation, for its reporter and handler chain only; the read is logged."""
    attachment = services.access_attachment(request.user, pk, attachment_pk, "web.attachment")
    return cast(HttpResponse, serve_attachment(attachment))  # a streaming response


@login_required
@nav_section("deviations")
def improvement_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = services.access_improvement_case(request.user, pk)  # type: ignore[arg-type]
    if request.method == "POST":
        services.update_improvement_case(
            request.user,  # type: ignore[arg-type]
            case,
            phase=request.POST.get("phase", case.phase),
            evaluation=request.POST.get("evaluation", ""),
        )
        messages.success(request, _("Forbedringssaken er oppdatert."))
        return redirect("quality:improvement_case", pk=pk)
    return render(
        request,
        "quality/improvement_case.html",
        {"case": case, "rates": services.rate_before_after(case), "phases": ImprovementCase.Phase.choices},
    )


@login_required
@nav_section("deviations")
def leader_meeting(request: HttpRequest) -> HttpResponse:
    """Ledermøte: deviations since the last meeting per unit and category, open cases, overdue items."""
    if not access.is_handler(request.user):
        raise NotFound()
    since = (
        _date(request.GET.get("since"))
        or selectors.last_meeting(request.user)
        or (timezone.localdate() - dt.timedelta(days=30))
    )
    data = selectors.meeting_overview(request.user, since)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(agenda_pdf.render(data), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="avvik-ledermote-{timezone.localdate()}.pdf"'
        return response
    if request.GET.get("format") == "md":
        response = HttpResponse(selectors.meeting_markdown(data), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="avvik-ledermote-{timezone.localdate()}.md"'
        return response
    return render(request, "quality/leader_meeting.html", {"data": data, "since": since})


@login_required
def agenda_conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.access_agenda_item(request.user, pk)
    if request.method != "POST":
        return redirect("quality:leader_meeting")
    services.record_conclusion(request.user, item.pk, request.POST.get("conclusion", ""))  # type: ignore[arg-type]
    messages.success(request, _("Konklusjonen er lagret."))
    return redirect("quality:leader_meeting")


@login_required
@nav_section("quality")
def reports_home(request: HttpRequest) -> HttpResponse:
    tenants = access.aggregate_tenants(request.user)
    if not tenants:
        raise NotFound()
    return redirect("quality:tenant_reports", slug=tenants[0].slug)


@login_required
@nav_section("quality")
def tenant_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """Avviksstatistikk for the parts of the municipality the user may see."""
    from laeringsarena.accounts.permissions import Permission
    from laeringsarena.quality import reports

    tenant = permissions.access_tenant(request.user, slug, Permission.AGGREGATES_VIEW)
    data = reports.report(request.user, tenant)
    table = request.GET.get("csv")
    if table in ("category", "unit", "severity", "month"):
        response = HttpResponse(reports.as_csv(data, table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="avvik-{slug}-{table}.csv"'
        return response
    manage = permissions.has_permission(request.user, Permission.QUALITY_MANAGE, tenant)
    return render(request, "quality/reports.html", {"data": data, "manage": manage})


@login_required
@nav_section("quality")
def categories(request: HttpRequest) -> HttpResponse:
    """Avvikskategorier for quality coordinators: name, HMS, deadline and default handler."""
    from laeringsarena.accounts.permissions import Permission
    from laeringsarena.quality.models import DeviationCategory

    tenants = [
        t
        for t in permissions.tenants(request.user)
        if permissions.has_permission(request.user, Permission.QUALITY_MANAGE, t)
    ]
    if not tenants:
        raise PermissionDenied()
    tenant = next((t for t in tenants if t.slug == request.GET.get("kommune")), tenants[0])
    services.ensure_categories(tenant)
    if request.method == "POST":
        category = None
        if request.POST.get("category_id"):
            category = DeviationCategory.objects.filter(pk=request.POST["category_id"], tenant=tenant).first()
            if category is None:
                raise NotFound()
        try:
            services.save_category(
                request.user,  # type: ignore[arg-type]
                tenant,
                name=request.POST.get("name", ""),
                default_handler_id=int(request.POST["default_handler_id"])
                if request.POST.get("default_handler_id")
                else None,
                is_hms=request.POST.get("is_hms") == "on",
                deadline_days=int(request.POST.get("deadline_days") or 14),
                category=category,
            )
            messages.success(request, _("Kategorien er lagret."))
        except (LaeringsarenaError, ValueError) as err:
            messages.error(request, str(getattr(err, "detail", err)))
        return redirect(f"{request.path}?kommune={tenant.slug}")
    from laeringsarena.people.models import Person

    people = (
        Person.objects.filter(employments__organisation=tenant)
        .distinct()
        .order_by("family_name", "given_name")
    )
    return render(
        request,
        "quality/categories.html",
        {
            "tenant": tenant,
            "categories": DeviationCategory.objects.filter(tenant=tenant).select_related("default_handler"),
            "people": people,
        },
    )
