"""Export of the whole learning account as one JSON-LD document (see docs/learning-account.md).

The document uses schema.org terms where they fit (``Person``, ``EmployeeRole``,
``EducationalOccupationalCredential``, ``DigitalDocument``) and a small vocabulary of our own
(prefix ``la:``) for the rest. The context is embedded, so the bundle can be processed without
fetching anything. The person's signed credentials (Open Badges 3.0 / W3C VC 2.0) are carried
**unchanged** as JSON literals (``"@type": "@json"``): nothing in them is re-serialised, so
their signatures still verify after export.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from laeringsarena.learning_account.models import AccountEvent, DeletionRequest
from laeringsarena.learning_account.selectors import Account, Item, account_of, period
from laeringsarena.people.models import Person

FORMAT_VERSION = "1.0"
VOCABULARY = "https://laeringsarena.no/ns/learning-account#"

CONTEXT: dict[str, Any] = {
    "@version": 1.1,
    "@vocab": "https://schema.org/",
    "la": VOCABULARY,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": "@id",
    "type": "@type",
    "formatVersion": "la:formatVersion",
    "exportedAt": {"@id": "dateCreated", "@type": "xsd:dateTime"},
    "person": "la:person",
    "employments": {"@id": "la:employment", "@container": "@list"},
    "unit": "la:unit",
    "current": "la:current",
    "completions": {"@id": "la:completion", "@container": "@list"},
    "certifications": {"@id": "la:certification", "@container": "@list"},
    "educations": {"@id": "la:education", "@container": "@list"},
    "priorLearning": {"@id": "la:priorLearning", "@container": "@list"},
    "uploads": {"@id": "la:upload", "@container": "@list"},
    "credentials": {"@id": "la:verifiableCredential", "@type": "@json"},
    "importedCredentials": {"@id": "la:importedCredential", "@container": "@list"},
    "verified": "la:verified",
    "verification": {"@id": "la:verification", "@type": "@json"},
    "document": {"@id": "la:document", "@type": "@json"},
    "events": {"@id": "la:event", "@container": "@list"},
    "deletionRequests": {"@id": "la:deletionRequest", "@container": "@list"},
    "origin": "la:origin",
    "source": "la:source",
    "state": "la:state",
    "score": "la:score",
    "credits": "la:credits",
    "completedYear": "la:completedYear",
    "evidence": "la:evidence",
    "documentKind": "la:documentKind",
    "sha256": "la:sha256",
    "fileName": "la:fileName",
    "visibleToEmployer": "la:visibleToEmployer",
    "evidenceDocuments": {"@id": "la:evidenceDocument", "@container": "@set"},
    "status": "la:status",
    "at": {"@id": "la:at", "@type": "xsd:dateTime"},
    "kind": "la:kind",
    "items": {"@id": "la:item", "@type": "@json"},
    "note": "la:note",
    "data": {"@id": "la:data", "@type": "@json"},
}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _origin(item: Item) -> dict[str, Any]:
    origin: dict[str, Any] = {
        "type": "Organization" if not item.origin.own else "Person",
        "name": item.origin.label,
    }
    if item.origin.own:
        origin["name"] = "self"
    return origin


def _upload_ref(upload: Any) -> dict[str, Any]:
    return {
        "id": f"{settings.PUBLIC_URL}{reverse('learning_account:upload_file', args=[upload.pk])}",
        "type": "DigitalDocument",
        "name": upload.title,
        "documentKind": upload.kind,
        "fileName": upload.original_name,
        "encodingFormat": upload.content_type,
        "contentSize": upload.size,
        "sha256": upload.sha256,
        "dateCreated": _iso(upload.uploaded_at),
        "dateIssued": _iso(upload.issued_on),
        "publisher": upload.issuer or None,
        "visibleToEmployer": upload.visible_to_employer,
    }


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def bundle(person: Person, account: Account | None = None) -> dict[str, Any]:
    """The person's whole account as a JSON-LD document (``application/ld+json``)."""
    account = account or account_of(person)
    base = settings.PUBLIC_URL
    today = timezone.localdate()
    return {
        "@context": CONTEXT,
        "id": f"{base}/laeringskonto/#export-{timezone.now():%Y%m%dT%H%M%S}",
        "type": "la:LearningAccountExport",
        "formatVersion": FORMAT_VERSION,
        "exportedAt": timezone.now().isoformat(),
        "person": _compact(
            {
                "id": f"{base}/people/{person.pk}",
                "type": "Person",
                "givenName": person.given_name,
                "familyName": person.family_name,
                "email": person.email,
                "telephone": person.phone,
            }
        ),
        "employments": [
            _compact(
                {
                    "type": "EmployeeRole",
                    "roleName": e.position.name,
                    "worksFor": _compact(
                        {
                            "type": "Organization",
                            "name": e.organisation.name,
                            "identifier": e.organisation.org_number,
                        }
                    ),
                    "unit": e.unit.name,
                    "startDate": _iso(e.start_date),
                    "endDate": _iso(e.end_date),
                    "current": e.is_active(today),
                    "description": period(e),
                }
            )
            for e in account.employments
        ],
        "completions": [
            _compact(
                {
                    "type": "la:Completion",
                    "identifier": str(i.pk),
                    "name": i.title,
                    "endDate": _iso(getattr(i.record, "completed_at", None)),
                    "score": getattr(i.record, "score", None),
                    "origin": _origin(i),
                    "source": "employer" if i.origin.tenant_id else "platform",
                }
            )
            for i in account.completions
        ],
        "certifications": [
            _compact(
                {
                    "type": "EducationalOccupationalCredential",
                    "credentialCategory": "certification",
                    "identifier": str(i.pk),
                    "name": i.title,
                    "recognizedBy": _compact({"type": "Organization", "name": i.record.issuer}),
                    "dateCreated": _iso(i.record.issued_on),
                    "expires": _iso(i.record.expires_on),
                    "state": i.state,
                    "origin": _origin(i),
                    "source": "self" if i.own else "employer",
                    "evidenceDocuments": [_upload_ref(u) for u in i.uploads],
                }
            )
            for i in account.certifications
        ],
        "educations": [
            _compact(
                {
                    "type": "EducationalOccupationalCredential",
                    "credentialCategory": "degree"
                    if i.record.level in ("bachelor", "master", "doctorate")
                    else i.record.level,
                    "educationalLevel": i.record.get_level_display(),
                    "identifier": str(i.pk),
                    "name": i.title,
                    "recognizedBy": _compact(
                        {"type": "EducationalOrganization", "name": i.record.institution}
                    ),
                    "completedYear": i.record.completed_year,
                    "credits": float(i.record.credits) if i.record.credits is not None else None,
                    "source": "self" if i.own else "employer",
                    "evidenceDocuments": [_upload_ref(u) for u in i.uploads],
                }
            )
            for i in account.educations
        ],
        "priorLearning": [
            _compact(
                {
                    "type": "la:PriorLearning",
                    "identifier": str(i.pk),
                    "description": i.record.description,
                    "evidence": i.record.evidence,
                    "teaches": str(i.record.competence) if i.record.competence else None,
                    "dateCreated": _iso(i.record.recorded_on),
                    "origin": _origin(i),
                    "source": "self" if i.own else "employer",
                    "evidenceDocuments": [_upload_ref(u) for u in i.uploads],
                }
            )
            for i in account.prior_learning
        ],
        "uploads": [_upload_ref(i.record) for i in account.uploads],
        "credentials": [getattr(i.record, "document", {}) for i in account.credentials],
        # Open Badges 2.0/3.0 the person uploaded: the document as it came (a signed OB 2.0 is
        # its JWS string) with the verification result it was stored with.
        "importedCredentials": [
            _compact(
                {
                    "type": "la:ImportedCredential",
                    "identifier": str(i.pk),
                    "name": i.name,
                    "issuer": i.issuer_name,
                    "format": i.format,
                    "dateCreated": _iso(i.uploaded_at),
                    "verified": i.verified,
                    "verification": i.verification,
                    "document": i.document,
                }
            )
            for i in _imported_credentials(person)
        ],
        "deletionRequests": [
            _compact(
                {
                    "type": "la:DeletionRequest",
                    "identifier": str(r.pk),
                    "recipient": r.tenant.name if r.tenant else "platform",
                    "status": r.status,
                    "dateCreated": _iso(r.created_at),
                    "items": r.items,
                    "note": r.note,
                }
            )
            for r in DeletionRequest.objects.filter(person=person).select_related("tenant")
        ],
        "events": [
            _compact({"type": "la:Event", "kind": e.kind, "at": _iso(e.at), "description": e.summary})
            for e in AccountEvent.objects.filter(person=person)[:500]
        ],
    }


def _imported_credentials(person: Person) -> list[Any]:
    from laeringsarena.credentials import selectors as credential_selectors

    return credential_selectors.imports_for(person)
