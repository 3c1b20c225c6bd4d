"""Procedures (dokumentstyring): folders, versions, the approval workflow and required reading.

Workflow: draft → for approval → published → for revision → (for approval → published …) →
archived. While a document is under revision, its last published version stays visible; every
published version is kept. Quality coordinators (``QUALITY_MANAGE``) and the document's owner
edit; everyone in the municipality reads published documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from laeringsarena.core.tasks import notify
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Employment, Person
from laeringsarena.quality import attachments, richtext
from laeringsarena.quality.models import (
    Document,
    DocumentAttachment,
    DocumentKind,
    DocumentState,
    DocumentVersion,
    Folder,
    ProcedureChangeRequest,
    ReadConfirmation,
)

S = DocumentState
WORKFLOW: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.FOR_APPROVAL, S.ARCHIVED),
    S.FOR_APPROVAL: (S.PUBLISHED, S.DRAFT),
    S.PUBLISHED: (S.FOR_REVISION, S.ARCHIVED),
    S.FOR_REVISION: (S.FOR_APPROVAL, S.ARCHIVED),
    S.ARCHIVED: (),
}


def readable_tenants(user: Any) -> list[Organisation]:
    return list(permissions.tenants(user))


def can_manage(user: Any, tenant: Organisation) -> bool:
    return permissions.has_permission(user, Permission.QUALITY_MANAGE, tenant)


def documents(user: Any, tenant: Organisation) -> QuerySet[Document]:
    """Documents the user may see: published (and under revision) ones, all of them for managers."""
    queryset = Document.objects.filter(tenant=tenant).select_related("folder", "owner")
    if can_manage(user, tenant):
        return queryset
    person_id = getattr(user, "person_id", None)
    return queryset.filter(Q(state__in=[S.PUBLISHED, S.FOR_REVISION]) | Q(owner_id=person_id))


def access_document(user: Any, pk: int) -> Document:
    permissions.require_login(user)
    document = Document.objects.select_related("tenant", "folder", "owner").filter(pk=pk).first()
    if document is None or document.tenant not in readable_tenants(user):
        raise NotFound()
    if not documents(user, document.tenant).filter(pk=pk).exists():
        raise NotFound()
    return document


def _require_edit(user: Any, document: Document) -> None:
    if not (can_manage(user, document.tenant) or document.owner_id == getattr(user, "person_id", None)):
        raise PermissionDenied()


def create_folder(user: Any, tenant: Organisation, name: str, parent: Folder | None = None) -> Folder:
    permissions.require(user, Permission.QUALITY_MANAGE, tenant)
    if not name.strip():
        raise InvalidInput(_("Mappen må ha et navn."))
    if parent is not None and parent.tenant_id != tenant.pk:
        raise NotFound()
    return Folder.objects.create(tenant=tenant, parent=parent, name=name.strip())


def create_document(
    user: Any,
    folder: Folder,
    *,
    title: str,
    body: str,
    kind: str = DocumentKind.PROCEDURE,
    review_interval_months: int = 24,
    owner: Person | None = None,
) -> Document:
    tenant = folder.tenant
    permissions.require(user, Permission.QUALITY_MANAGE, tenant)
    if not title.strip() or not body.strip():
        raise InvalidInput(_("Dokumentet må ha tittel og tekst."))
    with transaction.atomic():
        document = Document.objects.create(
            tenant=tenant,
            folder=folder,
            kind=kind,
            title=title.strip(),
            owner=owner or user.person,
            review_interval_months=review_interval_months,
        )
        DocumentVersion.objects.create(
            document=document, number=1, body=body, change_note=_("Første versjon."), author=user.person
        )
    return document


def working_version(document: Document) -> DocumentVersion | None:
    """The unpublished version being written, if any."""
    return document.versions.filter(published_at__isnull=True).order_by("-number").first()


def edit(user: Any, document: Document, *, body: str, change_note: str) -> DocumentVersion:
    """Change the text of the draft or revision being written."""
    _require_edit(user, document)
    version = working_version(document)
    if version is None or document.state not in (S.DRAFT, S.FOR_REVISION):
        raise Conflict(_("Start en revisjon før du endrer teksten."))
    if not change_note.strip() and version.number > 1:
        raise InvalidInput(_("Skriv et endringsnotat."))
    version.body = body
    version.change_note = change_note.strip() or version.change_note
    version.author = user.person
    version.save()
    return version


def move(user: Any, document: Document, to: str) -> Document:
    """One step in the workflow. Publishing and archiving need QUALITY_MANAGE."""
    _require_edit(user, document)
    if to not in WORKFLOW.get(document.state, ()):
        raise Conflict(_("Ugyldig steg i arbeidsflyten."))
    if to in (S.PUBLISHED, S.ARCHIVED):
        permissions.require(user, Permission.QUALITY_MANAGE, document.tenant)
    with transaction.atomic():
        if to == S.PUBLISHED:
            version = working_version(document)
            if version is None:
                raise Conflict(_("Det finnes ingen ny versjon å publisere."))
            version.published_at = timezone.now()
            version.approved_by = user.person
            version.save(update_fields=["published_at", "approved_by"])
            document.next_review = _add_months(timezone.localdate(), document.review_interval_months)
        if to == S.FOR_REVISION and working_version(document) is None:
            current = document.published_version()
            revision = DocumentVersion.objects.create(
                document=document,
                number=(current.number if current else 0) + 1,
                body=current.body if current else "",
                author=user.person,
            )
            if current is not None:
                # The attachments carry over (sharing the stored files) and can be changed in
                # the revision; the published version keeps its own.
                DocumentAttachment.objects.bulk_create(
                    DocumentAttachment(
                        version=revision,
                        file=a.file.name,
                        name=a.name,
                        content_type=a.content_type,
                        size=a.size,
                        added_by=a.added_by,
                    )
                    for a in current.attachments.all()
                )
        document.state = to
        document.save(update_fields=["state", "next_review"])
    return document


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return dt.date(year, month % 12 + 1, min(day.day, 28))


REVIEW_INTERVALS = (6, 12, 18, 24, 36, 48, 60)
MAX_REVIEW_INTERVAL = 60


def owner_candidates(document: Document) -> QuerySet[Person]:
    """People who can own a document: those with an active employment in its municipality."""
    return Person.objects.filter(
        pk__in=Employment.objects.active().filter(organisation=document.tenant).values("person_id")
    ).order_by("family_name", "given_name")


def update_settings(
    user: Any, document: Document, *, owner_id: int | None, review_interval_months: int
) -> Document:
    """Owner and review interval (revisjonsintervall) of a document.

    The owner or a quality coordinator may change them. A published document's next review is
    set from its current version's publication date and the new interval; the reminders follow
    the new date. A new owner is told by e-mail.
    """
    _require_edit(user, document)
    if not 1 <= review_interval_months <= MAX_REVIEW_INTERVAL:
        raise InvalidInput(
            _("Revisjonsintervallet må være mellom 1 og %(max)s måneder.") % {"max": MAX_REVIEW_INTERVAL},
            errors=[{"field": "review_interval_months", "reason": "range"}],
        )
    owner = owner_candidates(document).filter(pk=owner_id).first() if owner_id else None
    if owner is None:
        raise InvalidInput(
            _("Velg en eier som er ansatt i kommunen."), errors=[{"field": "owner_id", "reason": "unknown"}]
        )
    new_owner = owner.pk != document.owner_id
    with transaction.atomic():
        document.owner = owner
        document.review_interval_months = review_interval_months
        published = document.published_version()
        if published is not None and published.published_at is not None:
            document.next_review = _add_months(
                timezone.localdate(published.published_at), review_interval_months
            )
        document.save(update_fields=["owner", "review_interval_months", "next_review"])
        if new_owner and owner.email:
            notify(
                [owner.email],
                _("[Læringsarena] Du er eier av «%(t)s»") % {"t": document.title},
                _(
                    "Du er nå eier av dokumentet «%(t)s» og får påminnelser når det skal revideres "
                    "(hver %(m)s. måned%(next)s).\n\n%(link)s\n"
                )
                % {
                    "t": document.title,
                    "m": review_interval_months,
                    "next": _(", neste gang innen %(d)s") % {"d": document.next_review.strftime("%d.%m.%Y")}
                    if document.next_review
                    else "",
                    "link": document_link(document),
                },
            )
    return document


def document_link(document: Document) -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse("quality:document", args=[document.pk])


def add_attachments(
    user: Any, document: Document, files: list[attachments.Upload]
) -> list[DocumentAttachment]:
    """Attach files to the version being written (draft or revision)."""
    _require_edit(user, document)
    version = working_version(document)
    if version is None or document.state not in (S.DRAFT, S.FOR_REVISION):
        raise Conflict(_("Start en revisjon før du endrer vedleggene."))
    if not files:
        raise InvalidInput(_("Velg en fil."), errors=[{"field": "files", "reason": "required"}])
    if version.attachments.count() + len(files) > attachments.DOCUMENT_MAX_FILES:
        raise InvalidInput(
            _("En versjon kan ha høyst %(n)s vedlegg.") % {"n": attachments.DOCUMENT_MAX_FILES},
            errors=[{"field": "files", "reason": "too-many"}],
        )
    cleaned = [attachments.check_document_file(upload, name) for name, upload in files]
    stored = [attachments.store(c, f"quality/documents/{document.tenant_id}") for c in cleaned]
    try:
        with transaction.atomic():
            return [
                DocumentAttachment.objects.create(
                    version=version,
                    file=name,
                    name=c.name,
                    content_type=c.content_type,
                    size=len(c.content),
                    added_by=user.person,
                )
                for c, name in zip(cleaned, stored, strict=True)
            ]
    except BaseException:
        attachments.delete_quietly(stored)
        raise


def remove_attachment(user: Any, document: Document, attachment_id: int) -> None:
    """Take an attachment off the version being written; published versions never change."""
    _require_edit(user, document)
    version = working_version(document)
    attachment = (
        DocumentAttachment.objects.filter(pk=attachment_id, version=version).first() if version else None
    )
    if attachment is None:
        raise NotFound()
    name = attachment.file.name
    attachment.delete()
    if not DocumentAttachment.objects.filter(file=name).exists():
        transaction.on_commit(lambda: attachments.delete_quietly([name]))


def access_attachment(user: Any, document_pk: int, attachment_pk: int) -> DocumentAttachment:
    """An attachment the user may open: of a published version, or any version for editors."""
    document = access_document(user, document_pk)
    attachment = (
        DocumentAttachment.objects.select_related("version")
        .filter(pk=attachment_pk, version__document=document)
        .first()
    )
    if attachment is None:
        raise NotFound()
    editor = can_manage(user, document.tenant) or document.owner_id == getattr(user, "person_id", None)
    if attachment.version.published_at is None and not editor:
        raise NotFound()
    return attachment


def set_required_reading(
    user: Any, document: Document, *, position_ids: list[int], unit_ids: list[int]
) -> Document:
    permissions.require(user, Permission.QUALITY_MANAGE, document.tenant)
    units = list(Organisation.objects.filter(pk__in=unit_ids, tenant=document.tenant))
    document.required_units.set(units)
    document.required_positions.set(position_ids)
    return document


@dataclass
class Reading:
    document: Document
    version: DocumentVersion
    confirmed_at: dt.datetime | None


def required_documents_for(person: Person) -> list[Document]:
    """Published documents a person must read, from their active positions and units."""
    employments = list(Employment.objects.active().filter(person=person).select_related("unit"))
    if not employments:
        return []
    query = Q(pk__in=[])
    for employment in employments:
        ancestors = [int(p) for p in employment.unit.path.strip("/").split("/") if p]
        query |= Q(tenant_id=employment.organisation_id, required_positions=employment.position_id)
        query |= Q(tenant_id=employment.organisation_id, required_units__in=ancestors)
    return list(
        Document.objects.filter(query, state__in=[S.PUBLISHED, S.FOR_REVISION]).distinct().order_by("title")
    )


def must_read(person: Person) -> list[Reading]:
    """«Det jeg må lese»: each required document's current version, with my confirmation."""
    readings = []
    for document in required_documents_for(person):
        version = document.published_version()
        if version is None:
            continue
        confirmation = ReadConfirmation.objects.filter(version=version, person=person).first()
        readings.append(Reading(document, version, confirmation.confirmed_at if confirmation else None))
    readings.sort(key=lambda r: (r.confirmed_at is not None, r.document.title))
    return readings


def confirm_read(user: Any, document: Document) -> ReadConfirmation:
    """«Lest og forstått» for the current published version."""
    person = getattr(user, "person", None)
    version = document.published_version()
    if person is None or version is None:
        raise Conflict(_("Dokumentet har ingen publisert versjon."))
    confirmation, _created = ReadConfirmation.objects.get_or_create(
        version=version, person=person, defaults={"confirmed_at": timezone.now()}
    )
    return confirmation


def confirmation_status(user: Any, unit: Organisation) -> dict[str, Any]:
    """For a leader: who in the unit has confirmed which required documents."""
    unit = permissions.access_organisation(user, unit.pk, Permission.PEOPLE_VIEW)
    employments = list(
        Employment.objects.active()
        .filter(unit__path__startswith=unit.path)
        .select_related("person", "position", "unit")
        .order_by("person__family_name", "person__given_name")
    )
    people = list({e.person_id: e.person for e in employments}.values())
    required: dict[int, list[Document]] = {p.pk: required_documents_for(p) for p in people}
    docs = sorted({d for ds in required.values() for d in ds}, key=lambda d: d.title)
    versions = {d.pk: d.published_version() for d in docs}
    confirmed = set(
        ReadConfirmation.objects.filter(
            version__in=[v for v in versions.values() if v], person__in=people
        ).values_list("person_id", "version__document_id")
    )
    rows = []
    for person in people:
        cells: list[bool | None] = []
        for document in docs:
            if document not in required[person.pk]:
                cells.append(None)
            else:
                cells.append((person.pk, document.pk) in confirmed)
        rows.append((person, cells))
    totals = [
        (
            d,
            sum(1 for p in people if (p.pk, d.pk) in confirmed),
            sum(1 for p in people if d in required[p.pk]),
        )
        for d in docs
    ]
    return {"unit": unit, "documents": docs, "rows": rows, "totals": totals}


REVIEW_NOTICE_DAYS = 30


def remind_reviews(today: dt.date | None = None) -> int:
    """E-mail owners about reviews: a notice 30 days ahead and a reminder when the date has come.

    The date is the document's ``next_review`` (publication + its review interval, kept current
    by :func:`update_settings`); each e-mail goes once per date to the current owner.
    """
    day = today or timezone.localdate()
    horizon = day + dt.timedelta(days=REVIEW_NOTICE_DAYS)
    due = Document.objects.filter(state=S.PUBLISHED, next_review__lte=horizon).select_related("owner")
    count = 0
    for document in due:
        assert document.next_review is not None  # filtered above
        if document.next_review <= day:
            if document.review_reminded_for == document.next_review:
                continue
            Document.objects.filter(pk=document.pk).update(
                review_reminded_for=document.next_review, review_notice_sent_for=document.next_review
            )
            subject = _("[Læringsarena] Dokument skal revideres: %(t)s") % {"t": document.title}
            text = _("«%(t)s» skulle vært gjennomgått innen %(d)s. Start en revisjon i Læringsarena.")
        else:
            if document.review_notice_sent_for == document.next_review:
                continue
            Document.objects.filter(pk=document.pk).update(review_notice_sent_for=document.next_review)
            subject = _("[Læringsarena] Revisjon nærmer seg: %(t)s") % {"t": document.title}
            text = _("«%(t)s» skal gjennomgås innen %(d)s. Start en revisjon i Læringsarena i god tid.")
        if document.owner and document.owner.email:
            body = text % {"t": document.title, "d": document.next_review.strftime("%d.%m.%Y")}
            notify([document.owner.email], subject, f"{body}\n\n{document_link(document)}\n")
        count += 1
    return count


@dataclass
class SearchHit:
    document: Document
    title_html: str
    snippet_html: str


def search_documents(user: Any, tenant: Organisation, text: str, limit: int = 50) -> list[SearchHit]:
    """Full-text search over the documents the user may see, with the catalogue's analysis.

    The index is built per search from the tenant's documents (tens to a few hundred), so it is
    always current; the analysis (folding, stemming, compounds, synonyms, typos) is shared with
    the catalogue through :mod:`laeringsarena.search`.
    """
    from laeringsarena.search.engine import Document as SearchDocument
    from laeringsarena.search.engine import Index
    from laeringsarena.search.highlight import highlight
    from laeringsarena.search.query import plan

    if not text.strip():
        return []
    docs = {d.pk: d for d in documents(user, tenant)}
    bodies: dict[int, str] = {}
    for version in DocumentVersion.objects.filter(document_id__in=list(docs)).order_by(
        "document_id", "number"
    ):
        if version.published_at is not None or not bodies.get(version.document_id):
            bodies[version.document_id] = richtext.plain_text(version.body)  # newest published wins
    index = Index()
    index.build(
        SearchDocument(
            key=pk, fields={"title": d.title, "description": bodies.get(pk, "")}, sort_title=d.title
        )
        for pk, d in docs.items()
    )
    query = plan(index, text, as_you_type=False)
    result = index.search(query.clauses, limit=limit)
    hits = []
    for hit in result.hits:
        document = docs[hit.key]
        body = " ".join(bodies.get(hit.key, "").split())
        snippet = body[:240] + ("…" if len(body) > 240 else "")
        hits.append(
            SearchHit(
                document=document,
                title_html=highlight(document.title, index.analyser, query.terms, query.prefixes),
                snippet_html=highlight(snippet, index.analyser, query.terms, query.prefixes),
            )
        )
    return hits


# --- Change requests (endringsforslag) ----------------------------------------------------------


def change_request_recipients(tenant: Organisation, document: Document | None) -> list[Person]:
    """Who decides a change request: the document's owner, else the quality managers."""
    if document is not None and document.owner is not None and document.owner.email:
        return [document.owner]
    return [p for p in permissions.holders(Permission.QUALITY_MANAGE, tenant).order_by("pk") if p.email]


def change_requests_link() -> str:
    return settings.PUBLIC_URL.rstrip("/") + reverse("quality:change_requests")


def request_change(
    user: Any, *, tenant: Organisation, document: Document | None = None, text: str, source: str = ""
) -> ProcedureChangeRequest:
    """Ask for a procedure to be changed (or, without a document, for a new or changed one).

    Any employee of the municipality may ask; the owner (or the quality managers) get one
    e-mail each with the proposal and a link — nothing else from where it came from.
    """
    permissions.require_login(user)
    if not permissions.tenants(user).filter(pk=tenant.pk).exists():
        raise NotFound()
    if document is not None and (
        document.tenant_id != tenant.pk or not documents(user, tenant).filter(pk=document.pk).exists()
    ):
        raise NotFound()
    if not text.strip():
        raise InvalidInput(_("Skriv hva som bør endres."), errors=[{"field": "text", "reason": "required"}])
    person = getattr(user, "person", None)
    request = ProcedureChangeRequest.objects.create(
        tenant=tenant, document=document, text=text.strip(), source=source[:100], requested_by=person
    )
    if document is not None:
        subject = _("[Læringsarena] Forslag til endring i «%(title)s»") % {"title": document.title}
    else:
        subject = _("[Læringsarena] Forslag om ny eller endret prosedyre")
    body = _("%(sender)s foreslår:\n\n%(text)s\n\nTa stilling til forslaget her: %(link)s\n") % {
        "sender": person.full_name if person else _("En ansatt"),
        "text": request.text,
        "link": change_requests_link(),
    }
    if document is not None:
        body += _("Prosedyren: %(link)s\n") % {"link": document_link(document)}
    for recipient in change_request_recipients(tenant, document):
        notify([recipient.email or ""], subject, body)
    return request


def can_decide(user: Any, request: ProcedureChangeRequest) -> bool:
    person_id = getattr(user, "person_id", None)
    if request.document is not None and request.document.owner_id and request.document.owner_id == person_id:
        return True
    return can_manage(user, request.tenant)


def change_requests_to_decide(user: Any) -> QuerySet[ProcedureChangeRequest]:
    """Requests for the user's documents and, for quality managers, all in their municipalities."""
    person_id = getattr(user, "person_id", None)
    managed = [t.pk for t in readable_tenants(user) if can_manage(user, t)]
    return (
        ProcedureChangeRequest.objects.filter(Q(document__owner_id=person_id) | Q(tenant_id__in=managed))
        .filter(tenant_id__in=[t.pk for t in readable_tenants(user)])
        .select_related("document", "requested_by", "decided_by", "tenant")
        .order_by("-created_at", "-pk")
    )


def my_change_requests(user: Any) -> QuerySet[ProcedureChangeRequest]:
    person_id = getattr(user, "person_id", None)
    return (
        ProcedureChangeRequest.objects.filter(requested_by_id=person_id, requested_by__isnull=False)
        .select_related("document", "decided_by")
        .order_by("-created_at", "-pk")
    )


def decide_change_request(
    user: Any, request_id: int, *, accept: bool, reason: str = "", start_revision: bool = False
) -> ProcedureChangeRequest:
    """The owner or a quality manager accepts (optionally starting a revision) or declines."""
    permissions.require_login(user)
    with transaction.atomic():
        request = (
            ProcedureChangeRequest.objects.select_for_update(of=("self",))
            .select_related("tenant", "document", "document__owner", "requested_by")
            .filter(pk=request_id)
            .first()
        )
        if request is None or not permissions.tenants(user).filter(pk=request.tenant_id).exists():
            raise NotFound()
        if not can_decide(user, request):
            raise PermissionDenied()
        if request.status != ProcedureChangeRequest.Status.OPEN:
            raise Conflict(_("Forslaget er allerede behandlet."))
        if not accept and not reason.strip():
            raise InvalidInput(
                _("Skriv en begrunnelse for avslaget."), errors=[{"field": "reason", "reason": "required"}]
            )
        if accept and start_revision:
            if request.document is None:
                raise InvalidInput(_("Forslaget gjelder ingen bestemt prosedyre."))
            if request.document.state == S.PUBLISHED:
                move(user, request.document, S.FOR_REVISION)
        request.status = (
            ProcedureChangeRequest.Status.ACCEPTED if accept else ProcedureChangeRequest.Status.DECLINED
        )
        request.reason = reason.strip()
        request.decided_by = getattr(user, "person", None)
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        requester = request.requested_by
        status = request.get_status_display().lower()
        why = "\n" + _("Begrunnelse: %(r)s") % {"r": request.reason} if request.reason else ""
        if requester is not None and requester.email and requester.pk != getattr(user, "person_id", None):
            notify(
                [requester.email],
                _("[Læringsarena] Forslaget ditt er %(status)s") % {"status": status},
                _("Forslaget ditt:\n\n%(text)s\n\ner %(status)s.%(reason)s\n\n%(link)s\n")
                % {
                    "text": request.text,
                    "status": status,
                    "reason": why,
                    "link": change_requests_link(),
                },
            )
    return request
