"""The only write path of the learning account (læringskonto).

These services are also **the write path for records a person enters themselves** in the
competence app's models (:class:`~laeringsarena.competence.models.Education`, self-reported
:class:`~laeringsarena.competence.models.Certification`,
:class:`~laeringsarena.competence.models.PriorLearning`): the competence app has no service for
person-owned edits. A record entered here gets an :class:`OwnEntry` marker; only marked records
can be changed or deleted by the person. Records the employer registered are read-only here.

Every function takes the acting user, checks access, runs in one transaction and writes an
:class:`AccountEvent` (the account's audit trail).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.competence.models import (
    Certification,
    Competence,
    Education,
    EducationLevel,
    PriorLearning,
)
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.learning_account import access
from laeringsarena.learning_account.models import (
    AccountEvent,
    DocumentKind,
    EntryKind,
    EventKind,
    OwnEntry,
    Upload,
)
from laeringsarena.people.models import Person

# --- Files ------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB
# Accepted types, recognised from the file's first bytes (the browser's claim is not trusted).
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
}


def sniff_type(head: bytes) -> str | None:
    """The content type of a file from its first bytes, if it is one we accept."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as err:
            # A multi-byte character may be cut at the end of the sample.
            if err.start < len(head) - 3:
                return None
        return "text/plain"
    return None


def _read_file(file: UploadedFile | ContentFile[bytes] | None) -> tuple[bytes, str, str]:
    """The bytes, detected content type and clean original name of an upload, or a clear error."""
    if file is None or not getattr(file, "size", 0):
        raise InvalidInput(
            _("Velg en fil å laste opp."),
            errors=[{"field": "file", "message": _("Filen mangler eller er tom.")}],
        )
    if file.size and file.size > MAX_UPLOAD_BYTES:
        message = _("Filen er %(size)s MB; største tillatte størrelse er %(max)s MB.") % {
            "size": f"{file.size / 1024 / 1024:.1f}",
            "max": MAX_UPLOAD_BYTES // 1024 // 1024,
        }
        raise InvalidInput(message, errors=[{"field": "file", "message": message}])
    content = file.read()
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("Filen er for stor."), errors=[{"field": "file", "message": _("Filen er for stor.")}]
        )
    content_type = sniff_type(content[:2048])
    if content_type is None:
        message = _("Filtypen støttes ikke. Last opp PDF, PNG, JPEG eller ren tekst.")
        raise InvalidInput(message, errors=[{"field": "file", "message": message}])
    name = (getattr(file, "name", "") or "dokument").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return content, content_type, name


def _clean(value: Any, *, field: str, label: str, required: bool = True, max_length: int = 200) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(
            _("%(label)s må fylles ut.") % {"label": label},
            errors=[{"field": field, "message": _("Må fylles ut.")}],
        )
    if len(text) > max_length:
        raise InvalidInput(
            _("%(label)s kan være høyst %(max)s tegn.") % {"label": label, "max": max_length},
            errors=[{"field": field, "message": _("For lang tekst.")}],
        )
    return text


def _date(value: Any, *, field: str, label: str, required: bool = False) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            raise InvalidInput(
                _("%(label)s må fylles ut.") % {"label": label},
                errors=[{"field": field, "message": _("Må fylles ut.")}],
            )
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise InvalidInput(
            _("%(label)s må være en dato (åååå-mm-dd).") % {"label": label},
            errors=[{"field": field, "message": _("Ugyldig dato.")}],
        ) from err


def _event(person: Person, actor: Person | None, kind: str, summary: str, **data: Any) -> AccountEvent:
    return AccountEvent.objects.create(
        person=person, actor=actor, kind=kind, summary=summary[:300], data=data
    )


def _delete_files_after_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


# --- Uploads ----------------------------------------------------------------------------------


@dataclass
class UploadData:
    kind: str
    title: str
    issuer: str = ""
    issued_on: Any = None
    visible_to_employer: bool = False
    certification_id: int | None = None
    education_id: int | None = None
    prior_learning_id: int | None = None


def _check_upload_data(person: Person, data: UploadData) -> dict[str, Any]:
    if data.kind not in DocumentKind.values:
        raise InvalidInput(
            _("Velg hva slags dokument dette er."), errors=[{"field": "kind", "message": _("Ukjent type.")}]
        )
    values: dict[str, Any] = {
        "kind": data.kind,
        "title": _clean(data.title, field="title", label=_("Tittel")),
        "issuer": _clean(data.issuer, field="issuer", label=_("Utsteder"), required=False),
        "issued_on": _date(data.issued_on, field="issued_on", label=_("Utstedt")),
        "visible_to_employer": bool(data.visible_to_employer),
    }
    for name, model in (
        ("certification", Certification),
        ("education", Education),
        ("prior_learning", PriorLearning),
    ):
        target = getattr(data, f"{name}_id")
        if target and not model.objects.filter(pk=target, person=person).exists():
            raise InvalidInput(
                _("Dokumentet kan bare knyttes til dine egne registreringer."),
                errors=[{"field": f"{name}_id", "message": _("Finnes ikke i kontoen din.")}],
            )
        values[f"{name}_id"] = target or None
    return values


def add_upload(user: Any, data: UploadData, file: UploadedFile | ContentFile[bytes] | None) -> Upload:
    """Upload a diploma, course certificate or other evidence to the person's own account.

    The file is checked (size, type from its first bytes), stored through ``default_storage``
    under a random name, and removed again if the database write fails.
    """
    person = access.person_of(user)
    values = _check_upload_data(person, data)
    content, content_type, name = _read_file(file)
    upload = Upload(
        person=person,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        **values,
    )
    stored_name = name if "." in name else name + ALLOWED_TYPES[content_type]
    upload.file.save(stored_name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            upload.save()
            _event(
                person,
                person,
                EventKind.UPLOADED,
                _("Lastet opp «%(title)s»") % {"title": upload.title},
                upload=upload.pk,
                sha256=upload.sha256,
            )
    except Exception:
        default_storage.delete(upload.file.name)
        raise
    return upload


@transaction.atomic
def update_upload(user: Any, pk: int, data: UploadData) -> Upload:
    person = access.person_of(user)
    upload = Upload.objects.filter(pk=pk, person=person).first()
    if upload is None:
        raise NotFound()
    for key, value in _check_upload_data(person, data).items():
        setattr(upload, key, value)
    upload.save()
    _event(
        person, person, EventKind.UPLOAD_CHANGED, _("Endret «%(title)s»") % {"title": upload.title}, upload=pk
    )
    return upload


@transaction.atomic
def delete_upload(user: Any, pk: int) -> None:
    person = access.person_of(user)
    upload = Upload.objects.filter(pk=pk, person=person).first()
    if upload is None:
        raise NotFound()
    name = upload.file.name
    title = upload.title
    upload.delete()
    _delete_files_after_commit([name])
    _event(person, person, EventKind.UPLOAD_DELETED, _("Slettet «%(title)s»") % {"title": title}, upload=pk)


# --- Records the person enters (egenregistrert) --------------------------------------------------


def own_entry(person: Person, kind: str, pk: int) -> OwnEntry:
    """The person's own entry of a record; records the employer registered cannot be changed here."""
    entry = OwnEntry.objects.filter(person=person, kind=kind, **{f"{kind}_id": pk}).first()
    if entry is None:
        raise NotFound(_("Fant ingen registrering du selv har lagt inn med dette nummeret."))
    return entry


def _year(value: Any) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1900 <= int(text) <= timezone.localdate().year + 1:
        raise InvalidInput(
            _("Fullført år må være et årstall."),
            errors=[{"field": "completed_year", "message": _("Ugyldig årstall.")}],
        )
    return int(text)


def _credits(value: Any) -> Decimal | None:
    text = str(value or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as err:
        raise InvalidInput(
            _("Studiepoeng må være et tall."), errors=[{"field": "credits", "message": _("Ugyldig tall.")}]
        ) from err
    if not Decimal(0) <= number <= Decimal(9999):
        raise InvalidInput(
            _("Studiepoeng må være mellom 0 og 9999."),
            errors=[{"field": "credits", "message": _("Utenfor gyldig område.")}],
        )
    return number


@transaction.atomic
def save_education(user: Any, data: dict[str, Any], pk: int | None = None) -> Education:
    """Add (``pk`` None) or change an education the person entered themselves."""
    person = access.person_of(user)
    level = str(data.get("level") or "")
    if level not in EducationLevel.values:
        raise InvalidInput(
            _("Velg utdanningsnivå."), errors=[{"field": "level", "message": _("Ukjent nivå.")}]
        )
    values = {
        "level": level,
        "field": _clean(data.get("field"), field="field", label=_("Fagområde")),
        "institution": _clean(
            data.get("institution"), field="institution", label=_("Lærested"), required=False
        ),
        "completed_year": _year(data.get("completed_year")),
        "credits": _credits(data.get("credits")),
    }
    visible = bool(data.get("visible_to_employer", True))
    if pk is None:
        education = Education.objects.create(person=person, **values)
        OwnEntry.objects.create(
            person=person, kind=EntryKind.EDUCATION, education=education, visible_to_employer=visible
        )
        kind = EventKind.ENTRY_CREATED
    else:
        entry = own_entry(person, EntryKind.EDUCATION, pk)
        education = entry.education  # type: ignore[assignment]
        for key, value in values.items():
            setattr(education, key, value)
        education.save()
        entry.visible_to_employer = visible
        entry.save()
        kind = EventKind.ENTRY_CHANGED
    _event(
        person, person, kind, _("Utdanning: %(field)s") % {"field": education.field}, education=education.pk
    )
    return education


@transaction.atomic
def save_certification(user: Any, data: dict[str, Any], pk: int | None = None) -> Certification:
    """Add or change a self-reported certification (egenrapportert sertifisering)."""
    person = access.person_of(user)
    issued_on = _date(data.get("issued_on"), field="issued_on", label=_("Utstedt"), required=True)
    expires_on = _date(data.get("expires_on"), field="expires_on", label=_("Utløper"))
    if issued_on and expires_on and expires_on < issued_on:
        raise InvalidInput(
            _("Utløpsdatoen kan ikke være før utstedelsesdatoen."),
            errors=[{"field": "expires_on", "message": _("Før utstedt.")}],
        )
    values = {
        "name": _clean(data.get("name"), field="name", label=_("Sertifisering")),
        "issuer": _clean(data.get("issuer"), field="issuer", label=_("Utsteder"), required=False),
        "issued_on": issued_on,
        "expires_on": expires_on,
    }
    visible = bool(data.get("visible_to_employer", True))
    if pk is None:
        certification = Certification.objects.create(person=person, **values)
        OwnEntry.objects.create(
            person=person,
            kind=EntryKind.CERTIFICATION,
            certification=certification,
            visible_to_employer=visible,
        )
        kind = EventKind.ENTRY_CREATED
    else:
        entry = own_entry(person, EntryKind.CERTIFICATION, pk)
        certification = entry.certification  # type: ignore[assignment]
        for key, value in values.items():
            setattr(certification, key, value)
        certification.save()
        entry.visible_to_employer = visible
        entry.save()
        kind = EventKind.ENTRY_CHANGED
    _event(
        person,
        person,
        kind,
        _("Sertifisering: %(name)s") % {"name": certification.name},
        certification=certification.pk,
    )
    return certification


@transaction.atomic
def save_prior_learning(user: Any, data: dict[str, Any], pk: int | None = None) -> PriorLearning:
    """Add or change prior learning (realkompetanse) the person describes themselves."""
    person = access.person_of(user)
    competence_id = data.get("competence_id") or None
    competence = None
    if competence_id:
        competence = Competence.objects.filter(pk=competence_id).first()
        if competence is None:
            raise InvalidInput(
                _("Kompetansen finnes ikke."), errors=[{"field": "competence_id", "message": _("Ukjent.")}]
            )
    values = {
        "description": _clean(
            data.get("description"), field="description", label=_("Beskrivelse"), max_length=4000
        ),
        "evidence": _clean(
            data.get("evidence"), field="evidence", label=_("Dokumentasjon"), required=False, max_length=4000
        ),
        "competence": competence,
    }
    visible = bool(data.get("visible_to_employer", False))
    if pk is None:
        learning = PriorLearning.objects.create(person=person, recorded_on=timezone.localdate(), **values)
        OwnEntry.objects.create(
            person=person, kind=EntryKind.PRIOR_LEARNING, prior_learning=learning, visible_to_employer=visible
        )
        kind = EventKind.ENTRY_CREATED
    else:
        entry = own_entry(person, EntryKind.PRIOR_LEARNING, pk)
        learning = entry.prior_learning  # type: ignore[assignment]
        for key, value in values.items():
            setattr(learning, key, value)
        learning.save()
        entry.visible_to_employer = visible
        entry.save()
        kind = EventKind.ENTRY_CHANGED
    _event(
        person,
        person,
        kind,
        _("Realkompetanse: %(text)s") % {"text": learning.description[:80]},
        prior_learning=learning.pk,
    )
    return learning


@transaction.atomic
def delete_entry(user: Any, kind: str, pk: int) -> None:
    """Delete a record the person entered, with the documents attached to it."""
    person = access.person_of(user)
    if kind not in EntryKind.values:
        raise NotFound()
    entry = own_entry(person, kind, pk)
    record = entry.record
    title = str(record)
    uploads = list(Upload.objects.filter(person=person, **{f"{kind}_id": pk}))
    names = [u.file.name for u in uploads]
    for upload in uploads:
        upload.delete()
    record.delete()  # the OwnEntry goes with it (CASCADE)
    _delete_files_after_commit(names)
    _event(
        person,
        person,
        EventKind.ENTRY_DELETED,
        _("Slettet «%(title)s»") % {"title": title[:120]},
        record_kind=kind,
        id=pk,
        uploads=[u.pk for u in uploads],
    )


# --- Who else opened the account, exports --------------------------------------------------------


def record_view(user: Any, person: Person) -> None:
    """Log that someone other than the person opened their account (shown on «Hvem ser hva»)."""
    viewer = getattr(user, "person", None)
    if viewer is not None and viewer.pk == person.pk:
        return
    name = viewer.full_name if viewer else getattr(user, "email", "")
    _event(person, viewer, EventKind.VIEWED, _("%(name)s åpnet kontoen") % {"name": name})


def record_export(user: Any, what: str) -> None:
    person = access.person_of(user)
    _event(
        person, person, EventKind.EXPORTED, _("Eksporterte kontoen (%(what)s)") % {"what": what}, format=what
    )
