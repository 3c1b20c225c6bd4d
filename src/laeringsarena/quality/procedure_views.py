"""Procedures: the document tree, one document with its versions, «det jeg må lese», read status."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.models import Role
from laeringsarena.core.decorators import login_required, nav_section
from laeringsarena.core.errors import InvalidInput, LaeringsarenaError, NotFound, PermissionDenied
from laeringsarena.organisations.models import Organisation, Position
from laeringsarena.quality import attachments, procedures, richtext
from laeringsarena.quality.models import DocumentKind, DocumentState, Folder
from laeringsarena.quality.views import serve_attachment, uploads


def _tenant(request: HttpRequest) -> Organisation:
    tenants = procedures.readable_tenants(request.user)
    if not tenants:
        raise NotFound()
    wanted = request.GET.get("kommune")
    return next((t for t in tenants if t.slug == wanted), tenants[0])


@login_required
@nav_section("quality")
def document_tree(request: HttpRequest) -> HttpResponse:
    """Prosedyrer: the folder tree of the municipality with its documents."""
    tenant = _tenant(request)
    manage = procedures.can_manage(request.user, tenant)
    if request.method == "POST" and manage:
        try:
            if request.POST.get("action") == "folder":
                parent = Folder.objects.filter(pk=request.POST.get("parent") or 0, tenant=tenant).first()
                procedures.create_folder(request.user, tenant, request.POST.get("name", ""), parent)
                messages.success(request, _("Mappen er opprettet."))
            else:
                folder = Folder.objects.filter(pk=request.POST.get("folder") or 0, tenant=tenant).first()
                if folder is None:
                    raise InvalidInput(_("Velg en mappe."))
                document = procedures.create_document(
                    request.user,
                    folder,
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                    kind=request.POST.get("kind", DocumentKind.PROCEDURE),
                )
                return redirect("quality:document", pk=document.pk)
        except LaeringsarenaError as err:
            messages.error(request, str(err.detail))
        return redirect("quality:documents")
    query = request.GET.get("q", "").strip()[:200]
    hits = procedures.search_documents(request.user, tenant, query) if query else []
    docs = list(procedures.documents(request.user, tenant))
    folders = list(Folder.objects.filter(tenant=tenant).order_by("name"))
    by_folder: dict[int | None, list[Any]] = {}
    for document in docs:
        by_folder.setdefault(document.folder_id, []).append(document)
    children: dict[int | None, list[Folder]] = {}
    for folder in folders:
        children.setdefault(folder.parent_id, []).append(folder)

    def tree(parent: int | None, depth: int) -> list[tuple[Folder, int, list[Any]]]:
        rows: list[tuple[Folder, int, list[Any]]] = []
        for folder in children.get(parent, []):
            rows.append((folder, depth, by_folder.get(folder.pk, [])))
            rows += tree(folder.pk, depth + 1)
        return rows

    return render(
        request,
        "quality/documents.html",
        {
            "tenant": tenant,
            "tree": tree(None, 0),
            "manage": manage,
            "folders": folders,
            "kinds": DocumentKind.choices,
            "query": query,
            "hits": hits,
        },
    )


@login_required
@nav_section("quality")
def document(request: HttpRequest, pk: int) -> HttpResponse:
    item = procedures.access_document(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                procedures.confirm_read(request.user, item)
                messages.success(request, _("Takk! Du har bekreftet at du har lest og forstått dokumentet."))
            elif action == "edit":
                procedures.edit(
                    request.user,
                    item,
                    body=request.POST.get("body", ""),
                    change_note=request.POST.get("change_note", ""),
                )
                messages.success(request, _("Teksten er lagret."))
            elif action == "required":
                procedures.set_required_reading(
                    request.user,
                    item,
                    position_ids=[int(x) for x in request.POST.getlist("positions") if x.isdigit()],
                    unit_ids=[int(x) for x in request.POST.getlist("units") if x.isdigit()],
                )
                messages.success(request, _("Lesekravet er lagret."))
            elif action == "attach":
                added = procedures.add_attachments(request.user, item, uploads(request))
                messages.success(request, _("%(n)s vedlegg er lagt til.") % {"n": len(added)})
            elif action == "detach":
                procedures.remove_attachment(request.user, item, int(request.POST.get("attachment") or 0))
                messages.success(request, _("Vedlegget er fjernet fra versjonen."))
            elif action == "move":
                procedures.move(request.user, item, request.POST.get("to", ""))
                messages.success(request, _("Dokumentet er nå «%(s)s».") % {"s": item.get_state_display()})
            else:
                raise InvalidInput(_("Ukjent handling."))
        except LaeringsarenaError as err:
            if err.status == 404:
                raise
            messages.error(request, str(err.detail))
        return redirect("quality:document", pk=pk)
    manage = procedures.can_manage(request.user, item.tenant) or item.owner_id == getattr(
        request.user, "person_id", None
    )
    published = item.published_version()
    confirmed = False
    person_id = getattr(request.user, "person_id", None)
    person = getattr(request.user, "person", None)
    if published and person_id:
        confirmed = published.confirmations.filter(person_id=person_id).exists()
    labels = dict(DocumentState.choices)
    working = procedures.working_version(item) if manage else None
    return render(
        request,
        "quality/document.html",
        {
            "document": item,
            "published": published,
            "published_html": richtext.render(published.body) if published else "",
            "published_attachments": list(published.attachments.all()) if published else [],
            "working": working,
            "working_attachments": list(working.attachments.all()) if working else [],
            "max_mb": attachments.DOCUMENT_MAX_BYTES // attachments.MB,
            "older": item.versions.filter(published_at__isnull=False).exclude(
                number=published.number if published else 0
            ),
            "manage": manage,
            "steps": [(s, labels[s]) for s in procedures.WORKFLOW[item.state]] if manage else [],
            "confirmed": confirmed,
            "coordinator": procedures.can_manage(request.user, item.tenant),
            "positions": Position.objects.filter(employments__organisation=item.tenant).distinct(),
            "units": Organisation.objects.filter(tenant=item.tenant)
            .exclude(pk=item.tenant_id)
            .order_by("path"),
            "required_positions": set(item.required_positions.values_list("pk", flat=True)),
            "required_units": set(item.required_units.values_list("pk", flat=True)),
            "required": person is not None and item in procedures.required_documents_for(person),
            "open_requests": list(item.change_requests.filter(status="open").select_related("requested_by"))
            if manage
            else [],
        },
    )


@login_required
def document_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A file attached to a version of a document, for those who may read that version."""
    attachment = procedures.access_attachment(request.user, pk, attachment_pk)
    return cast(HttpResponse, serve_attachment(attachment))  # a streaming response


@login_required
@nav_section("quality")
def document_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """Innstillinger for a document: its owner and review interval (owner or quality coordinator)."""
    item = procedures.access_document(request.user, pk)
    if not (
        procedures.can_manage(request.user, item.tenant)
        or item.owner_id == getattr(request.user, "person_id", None)
    ):
        raise PermissionDenied()
    errors: list[str] = []
    values = {
        "owner_id": str(item.owner_id or ""),
        "review_interval_months": str(item.review_interval_months),
    }
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            interval = int(values["review_interval_months"])
        except ValueError:
            errors.append(_("Revisjonsintervallet må være et helt antall måneder."))
        if not errors:
            try:
                procedures.update_settings(
                    request.user,
                    item,
                    owner_id=int(values["owner_id"]) if values["owner_id"].isdigit() else None,
                    review_interval_months=interval,
                )
            except InvalidInput as err:
                errors.append(str(err.detail))
            else:
                messages.success(request, _("Innstillingene er lagret."))
                return redirect("quality:document", pk=pk)
    return render(
        request,
        "quality/document_settings.html",
        {
            "document": item,
            "values": values,
            "errors": errors,
            "people": procedures.owner_candidates(item),
            "intervals": procedures.REVIEW_INTERVALS,
            "max_interval": procedures.MAX_REVIEW_INTERVAL,
        },
    )


@login_required
@nav_section("report_deviation")
def must_read(request: HttpRequest) -> HttpResponse:
    """Det jeg må lese: required documents, unconfirmed first."""
    person = getattr(request.user, "person", None)
    readings = procedures.must_read(person) if person else []
    return render(request, "quality/must_read.html", {"readings": readings})


@login_required
@nav_section("my_unit")
def read_status(request: HttpRequest, pk: int) -> HttpResponse:
    """For leaders: who in the unit has confirmed the required documents."""
    unit = permissions.access_organisation(request.user, pk, permissions.Permission.PEOPLE_VIEW)
    if not permissions.has_role(request.user, Role.LEADER) and not permissions.has_permission(
        request.user, permissions.Permission.QUALITY_MANAGE, unit
    ):
        raise NotFound()
    return render(request, "quality/read_status.html", procedures.confirmation_status(request.user, unit))


@login_required
@nav_section("quality")
def change_requests(request: HttpRequest) -> HttpResponse:
    """Endringsforslag: propose a change; decide the ones for one's documents; see one's own."""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "request":
                document = None
                if request.POST.get("document", "").isdigit():
                    document = procedures.access_document(request.user, int(request.POST["document"]))
                    tenant = document.tenant
                else:
                    tenant = _tenant(request)
                procedures.request_change(
                    request.user, tenant=tenant, document=document, text=request.POST.get("text", "")
                )
                messages.success(request, _("Forslaget er sendt."))
                if document is not None:
                    return redirect("quality:document", pk=document.pk)
            elif action in ("accept", "decline"):
                procedures.decide_change_request(
                    request.user,
                    int(request.POST.get("request") or 0),
                    accept=action == "accept",
                    reason=request.POST.get("reason", ""),
                    start_revision=action == "accept" and request.POST.get("start_revision") == "1",
                )
                messages.success(request, _("Forslaget er behandlet."))
            else:
                raise InvalidInput(_("Ukjent handling."))
        except LaeringsarenaError as err:
            if err.status == 404:
                raise
            messages.error(request, str(err.detail))
        return redirect("quality:change_requests")
    to_decide = list(procedures.change_requests_to_decide(request.user)[:200])
    return render(
        request,
        "quality/change_requests.html",
        {
            "open": [r for r in to_decide if r.status == "open"],
            "decided": [r for r in to_decide if r.status != "open"][:50],
            "mine": list(procedures.my_change_requests(request.user)[:100]),
        },
    )
