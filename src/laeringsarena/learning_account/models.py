"""The person's own learning account (læringskonto).

Most of what the account shows lives in other apps (completions in ``learning``,
certifications, education and prior learning in ``competence``, credentials in
``credentials``). This app stores only what is the person's own:

- :class:`Upload`: diplomas, course certificates and evidence the person uploaded;
- :class:`OwnEntry`: the marker that a competence record was entered by the person
  (egenregistrert), so the person may change and delete it;
- :class:`DeletionRequest`: what a human in HR must act on after a deletion request;
- :class:`AccountEvent`: the account's audit trail (uploads, changes, exports, deletions,
  and who else opened the account).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    DIPLOMA = "diploma", _("Vitnemål eller diplom")
    COURSE_CERTIFICATE = "course_certificate", _("Kursbevis")
    CERTIFICATION = "certification", _("Sertifikat eller autorisasjon")
    PRIOR_LEARNING = "prior_learning", _("Dokumentasjon av realkompetanse")
    OTHER = "other", _("Annet")


def upload_path(instance: Upload, filename: str) -> str:
    """Files are stored under a random name; the original name is kept in the row only."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"learning_account/{instance.person_id}/{uuid.uuid4().hex}{suffix}"


class Upload(models.Model):
    """A document uploaded by the person (opplastet dokument): diploma, course certificate, evidence."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="account_uploads")
    kind = models.CharField(_("type"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("tittel"), max_length=200)
    issuer = models.CharField(_("utsteder"), max_length=200, blank=True)
    issued_on = models.DateField(_("utstedt"), null=True, blank=True)
    file = models.FileField(_("fil"), upload_to=upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Evidence for one of the person's records (optional).
    certification = models.ForeignKey(
        "competence.Certification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    education = models.ForeignKey(
        "competence.Education", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prior_learning = models.ForeignKey(
        "competence.PriorLearning", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visible_to_employer = models.BooleanField(_("synlig for arbeidsgiver"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class EntryKind(models.TextChoices):
    EDUCATION = "education", _("Utdanning")
    CERTIFICATION = "certification", _("Sertifisering")
    PRIOR_LEARNING = "prior_learning", _("Realkompetanse")


class OwnEntry(models.Model):
    """A competence record the person entered (egenregistrert): theirs to change and delete."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="account_entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    education = models.OneToOneField(
        "competence.Education", null=True, blank=True, on_delete=models.CASCADE, related_name="own_entry"
    )
    certification = models.OneToOneField(
        "competence.Certification", null=True, blank=True, on_delete=models.CASCADE, related_name="own_entry"
    )
    prior_learning = models.OneToOneField(
        "competence.PriorLearning",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_entry",
    )
    visible_to_employer = models.BooleanField(_("synlig for arbeidsgiver"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="education", education__isnull=False, certification__isnull=True)
                    & Q(prior_learning__isnull=True)
                )
                | (
                    Q(kind="certification", certification__isnull=False, education__isnull=True)
                    & Q(prior_learning__isnull=True)
                )
                | (
                    Q(kind="prior_learning", prior_learning__isnull=False, education__isnull=True)
                    & Q(certification__isnull=True)
                ),
                name="own_entry_exactly_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.kind}"

    @property
    def record(self) -> Any:
        return self.education or self.certification or self.prior_learning


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Til behandling")
    DONE = "done", _("Behandlet")


class DeletionRequest(models.Model):
    """A deletion request (sletteforespørsel) for the HR of one employer, where a human must act.

    ``items`` lists the records held by the employer that are not obviously under a retention
    duty (each ``{"kind", "id", "title", "reason"}``); HR decides, deletes or keeps with a reason,
    and closes the request with a note the person can read.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="deletion_requests")
    # The employer that must act; null: records outside any employer (the platform operator acts).
    tenant = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    items = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("svar"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.tenant_id} ({self.status})"


class EventKind(models.TextChoices):
    UPLOADED = "uploaded", _("Dokument lastet opp")
    UPLOAD_CHANGED = "upload_changed", _("Dokument endret")
    UPLOAD_DELETED = "upload_deleted", _("Dokument slettet")
    ENTRY_CREATED = "entry_created", _("Registrering lagt til")
    ENTRY_CHANGED = "entry_changed", _("Registrering endret")
    ENTRY_DELETED = "entry_deleted", _("Registrering slettet")
    EXPORTED = "exported", _("Eksportert")
    DELETION = "deletion", _("Sletting bestilt")
    REQUEST_HANDLED = "request_handled", _("Sletteforespørsel behandlet")
    VIEWED = "viewed", _("Kontoen ble åpnet av en annen")


class AccountEvent(models.Model):
    """One entry in the account's audit trail (logg). Kept when the records themselves go."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="account_events")
    actor = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind}"
