"""Min læringskonto: thin web adapters over the selectors and services of the account."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laeringsarena.competence.models import Competence, EducationLevel
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.learning_account import access, deletion, export, pdf, selectors, services, visibility
from laeringsarena.learning_account.models import (
    DeletionRequest,
    DocumentKind,
    EntryKind,
    RequestStatus,
    Upload,
)

SECTION = "learning_account"

# URL slug → entry kind.
KINDS = {
    "utdanning": EntryKind.EDUCATION,
    "sertifisering": EntryKind.CERTIFICATION,
    "realkompetanse": EntryKind.PRIOR_LEARNING,
}
SLUGS = {kind: slug for slug, kind in KINDS.items()}


def _kind(slug: str) -> str:
    if slug not in KINDS:
        raise NotFound()
    return KINDS[slug]


@login_required
@nav_section(SECTION)
def account(request: HttpRequest) -> HttpResponse:
    """The person's own learning account, across all employments past and present."""
    person = access.person_of(request.user)
    data = selectors.account_of(person)
    return render(
        request,
        "learning_account/account.html",
        {
            "account": data,
            "slugs": SLUGS,
            "today": timezone.localdate(),
            "open_requests": DeletionRequest.objects.filter(person=person, status=RequestStatus.OPEN).count(),
        },
    )


def _upload_data(post: Any) -> services.UploadData:
    return services.UploadData(
        kind=post.get("kind", ""),
        title=post.get("title", ""),
        issuer=post.get("issuer", ""),
        issued_on=post.get("issued_on", ""),
        visible_to_employer=post.get("visible_to_employer") == "on",
    )


@login_required
@nav_section(SECTION)
def upload_new(request: HttpRequest) -> HttpResponse:
    access.person_of(request.user)
    context: dict[str, Any] = {
        "kinds": DocumentKind.choices,
        "form": {"kind": request.GET.get("type", DocumentKind.COURSE_CERTIFICATE)},
        "max_mb": services.MAX_UPLOAD_BYTES // 1024 // 1024,
    }
    if request.method == "POST":
        context["form"] = request.POST
        try:
            upload = services.add_upload(request.user, _upload_data(request.POST), request.FILES.get("file"))
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(
                request, _("«%(title)s» er lagt i læringskontoen din.") % {"title": upload.title}
            )
            return redirect("learning_account:account")
    return render(
        request, "learning_account/upload_form.html", context, status=400 if "error" in context else 200
    )


@login_required
@nav_section(SECTION)
def upload_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_of(request.user)
    upload = Upload.objects.filter(pk=pk, person=person).first()
    if upload is None:
        raise NotFound()
    context: dict[str, Any] = {
        "kinds": DocumentKind.choices,
        "upload": upload,
        "form": {
            "kind": upload.kind,
            "title": upload.title,
            "issuer": upload.issuer,
            "issued_on": upload.issued_on.isoformat() if upload.issued_on else "",
            "visible_to_employer": upload.visible_to_employer,
        },
    }
    if request.method == "POST":
        context["form"] = request.POST
        try:
            services.update_upload(request.user, pk, _upload_data(request.POST))
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Endringen er lagret."))
            return redirect("learning_account:account")
    return render(
        request, "learning_account/upload_form.html", context, status=400 if "error" in context else 200
    )


@require_POST
@login_required
def upload_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_upload(request.user, pk)
    messages.success(request, _("Dokumentet er slettet."))
    return redirect("learning_account:account")


@login_required
def upload_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored file (the owner's, or one made visible to the viewer as current employer)."""
    upload = access.access_upload(request.user, pk)
    if upload.person_id != getattr(request.user, "person_id", None):
        services.record_view(request.user, upload.person)
    response = FileResponse(
        upload.file.open("rb"),
        content_type=upload.content_type,
        as_attachment=request.GET.get("vis") != "1",
        filename=upload.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response  # type: ignore[return-value]  # a streaming FileResponse


def _entry_initial(kind: str, record: Any, entry: Any) -> dict[str, Any]:
    if kind == EntryKind.EDUCATION:
        return {
            "level": record.level,
            "field": record.field,
            "institution": record.institution,
            "completed_year": record.completed_year or "",
            "credits": f"{record.credits:g}" if record.credits is not None else "",
            "visible_to_employer": entry.visible_to_employer,
        }
    if kind == EntryKind.CERTIFICATION:
        return {
            "name": record.name,
            "issuer": record.issuer,
            "issued_on": record.issued_on.isoformat(),
            "expires_on": record.expires_on.isoformat() if record.expires_on else "",
            "visible_to_employer": entry.visible_to_employer,
        }
    return {
        "description": record.description,
        "evidence": record.evidence,
        "competence_id": record.competence_id or "",
        "visible_to_employer": entry.visible_to_employer,
    }


def _save_entry(request: HttpRequest, kind: str, pk: int | None) -> Any:
    data: dict[str, Any] = {key: request.POST.get(key, "") for key in request.POST}
    data["visible_to_employer"] = request.POST.get("visible_to_employer") == "on"
    savers: dict[str, Any] = {
        EntryKind.EDUCATION: services.save_education,
        EntryKind.CERTIFICATION: services.save_certification,
        EntryKind.PRIOR_LEARNING: services.save_prior_learning,
    }
    save = savers[kind]
    evidence = request.FILES.get("evidence_file")
    from django.db import transaction

    with transaction.atomic():
        record = save(request.user, data, pk)
        if evidence is not None:
            services.add_upload(
                request.user,
                services.UploadData(
                    kind=DocumentKind.PRIOR_LEARNING
                    if kind == EntryKind.PRIOR_LEARNING
                    else DocumentKind.DIPLOMA
                    if kind == EntryKind.EDUCATION
                    else DocumentKind.CERTIFICATION,
                    title=str(record)[:200],
                    issuer=getattr(record, "issuer", "") or getattr(record, "institution", ""),
                    visible_to_employer=bool(data["visible_to_employer"]),
                    **{f"{kind}_id": record.pk},
                ),
                evidence,
            )
    return record


@login_required
@nav_section(SECTION)
def entry_form(request: HttpRequest, kind_slug: str, pk: int | None = None) -> HttpResponse:
    """Add or change education, a self-reported certification or prior learning."""
    kind = _kind(kind_slug)
    person = access.person_of(request.user)
    entry = None
    form: dict[str, Any] = {"visible_to_employer": kind != EntryKind.PRIOR_LEARNING}
    if pk is not None:
        entry = services.own_entry(person, kind, pk)
        form = _entry_initial(kind, entry.record, entry)
    context: dict[str, Any] = {
        "kind": kind,
        "kind_slug": kind_slug,
        "entry": entry,
        "form": form,
        "levels": EducationLevel.choices,
        "competences": Competence.objects.filter(framework__owner__isnull=True).select_related("framework")[
            :200
        ],
        "max_mb": services.MAX_UPLOAD_BYTES // 1024 // 1024,
    }
    if request.method == "POST":
        context["form"] = request.POST
        try:
            _save_entry(request, kind, pk)
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Lagret i læringskontoen din."))
            return redirect("learning_account:account")
    return render(
        request, "learning_account/entry_form.html", context, status=400 if "error" in context else 200
    )


@require_POST
@login_required
def entry_delete(request: HttpRequest, kind_slug: str, pk: int) -> HttpResponse:
    services.delete_entry(request.user, _kind(kind_slug), pk)
    messages.success(request, _("Registreringen er slettet."))
    return redirect("learning_account:account")


@login_required
@nav_section(SECTION)
def who_sees_what(request: HttpRequest) -> HttpResponse:
    person = access.person_of(request.user)
    return render(
        request, "learning_account/visibility.html", {"visibility": visibility.visibility_of(person)}
    )


@login_required
def export_jsonld(request: HttpRequest) -> HttpResponse:
    person = access.person_of(request.user)
    document = export.bundle(person)
    services.record_export(request.user, "json-ld")
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/ld+json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="laeringskonto-{timezone.localdate():%Y-%m-%d}.jsonld"'
    )
    return response


@login_required
def cv_pdf(request: HttpRequest) -> HttpResponse:
    person = access.person_of(request.user)
    content = pdf.render(selectors.account_of(person))
    services.record_export(request.user, "pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kompetanse-cv-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    return response


@login_required
@nav_section(SECTION)
def deletion_view(request: HttpRequest) -> HttpResponse:
    """What a deletion request would do; on POST, do it and show the receipt."""
    person = access.person_of(request.user)
    context: dict[str, Any] = {}
    if request.method == "POST":
        try:
            event = deletion.request_deletion(request.user, confirm=request.POST.get("confirm") == "on")
        except InvalidInput as err:
            context["error"] = err
        else:
            return redirect("learning_account:deletion_receipt", pk=event.pk)
    context |= {
        "plan": deletion.plan_for(person),
        "requests": DeletionRequest.objects.filter(person=person).select_related("tenant"),
    }
    return render(
        request, "learning_account/deletion.html", context, status=400 if "error" in context else 200
    )


@login_required
@nav_section(SECTION)
def deletion_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    event = deletion.receipt_for(request.user, pk)
    requests = DeletionRequest.objects.filter(pk__in=event.data.get("requests", [])).select_related("tenant")
    return render(
        request,
        "learning_account/receipt.html",
        {"event": event, "receipt": event.data, "requests": requests},
    )


@login_required
@nav_section("my_unit")
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's account as their current employer sees it (leaders and HR)."""
    if pk == getattr(request.user, "person_id", None):
        return redirect("learning_account:account")
    person, tenant_ids = access.access_account(request.user, pk)
    view = selectors.employer_view(selectors.account_of(person), tenant_ids)
    services.record_view(request.user, person)
    return render(request, "learning_account/person.html", {"account": view, "person": person})


@login_required
@nav_section("administration")
def deletion_requests(request: HttpRequest) -> HttpResponse:
    tenants = access.hr_tenants(request.user)
    if not tenants:
        from laeringsarena.core.errors import PermissionDenied

        raise PermissionDenied()
    items = DeletionRequest.objects.filter(tenant__in=tenants).select_related(
        "person", "tenant", "handled_by"
    )
    return render(
        request,
        "learning_account/requests.html",
        {
            "open": [r for r in items if r.status == RequestStatus.OPEN],
            "done": [r for r in items if r.status == RequestStatus.DONE][:50],
        },
    )


@login_required
@nav_section("administration")
def deletion_request(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_deletion_request(request.user, pk)
    context: dict[str, Any] = {"item": item}
    if request.method == "POST":
        try:
            deletion.handle_request(request.user, pk, note=request.POST.get("note", ""))
        except InvalidInput as err:
            context["error"] = err
        else:
            messages.success(request, _("Forespørselen er behandlet, og personen har fått svar."))
            return redirect("learning_account:deletion_requests")
    return render(
        request, "learning_account/request.html", context, status=400 if "error" in context else 200
    )
