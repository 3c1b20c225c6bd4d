"""Verifiable competence certificates (digitale kompetansebevis): Open Badges 3.0 credentials.

An :class:`IssuerKey` is an Ed25519 key pair of an issuing organisation (utsteder); the
private key is stored encrypted (see ``keys.py``). An :class:`Achievement` (prestasjon) says
what was learned; an :class:`IssuedCredential` (utstedt kompetansebevis) is one signed
``OpenBadgeCredential`` for one person, with its place in the issuer's :class:`StatusList`
(Bitstring Status List) for revocation. A :class:`Share` (deling) is a link to chosen
credentials; an :class:`ImportedCredential` (importert kompetansebevis) is a credential from
elsewhere, stored with its verification result.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IssuerKey(models.Model):
    """An Ed25519 key pair of an issuing organisation (utstedernøkkel). Retired keys stay published."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="credential_keys"
    )
    key_id = models.CharField(max_length=40)  # fragment of the verification method: "key-1", …
    public_key = models.BinaryField()
    encrypted_private_key = models.BinaryField()  # AES-GCM, see keys.py
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)  # no longer signs; still verifies

    class Meta:
        ordering = ["organisation", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key_id"], name="issuer_key_id_unique"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(retired_at__isnull=True),
                name="issuer_one_active_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}#{self.key_id}"


class AchievementType(models.TextChoices):
    """Open Badges 3.0 achievementType values we use."""

    COURSE = "Course", _("Kurs")
    CERTIFICATE = "Certificate", _("Sertifikat")
    CERTIFICATION = "Certification", _("Sertifisering")
    COMPETENCY = "Competency", _("Kompetanse")
    BADGE = "Badge", _("Merke")


class Achievement(models.Model):
    """What was learned and how it is earned (prestasjon), issued by one organisation."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="credential_achievements"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"))
    criteria = models.TextField(_("kriterier"))
    achievement_type = models.CharField(
        _("type"), max_length=20, choices=AchievementType.choices, default=AchievementType.COURSE
    )
    competences = models.ManyToManyField("competence.Competence", blank=True, related_name="+")
    level = models.PositiveSmallIntegerField(_("nivå"), null=True, blank=True)
    # A certification that expires: the credential is valid this many days.
    valid_days = models.PositiveIntegerField(_("gyldig (dager)"), null=True, blank=True)
    # Granted automatically on completing this learning path (slug in the issuer's tenant) …
    path_slug = models.SlugField(max_length=80, blank=True)
    # … or this catalogue offering.
    offering = models.ForeignKey(
        "catalogue.Offering", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issuer", "name"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "slug"], name="achievement_slug_unique_per_issuer")
        ]

    def __str__(self) -> str:
        return self.name


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("Tilbakekalling")


class StatusList(models.Model):
    """A Bitstring Status List of an issuer (statusliste); bit n = credential with index n."""

    SIZE = 131_072  # the spec's minimum (16 KB), for group privacy

    issuer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="credential_status_lists"
    )
    purpose = models.CharField(max_length=20, choices=StatusPurpose.choices, default=StatusPurpose.REVOCATION)
    next_index = models.PositiveIntegerField(default=0)
    # The signed BitstringStatusListCredential; re-signed whenever a bit changes.
    document = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["issuer", "pk"]

    def __str__(self) -> str:
        return f"{self.issuer_id}/{self.pk}"


class CredentialStatus(models.TextChoices):
    VALID = "valid", _("Gyldig")
    REVOKED = "revoked", _("Tilbakekalt")
    EXPIRED = "expired", _("Utløpt")


class IssuedCredential(models.Model):
    """One signed OpenBadgeCredential for one person (utstedt kompetansebevis)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="credentials")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="credentials")
    document = models.JSONField()
    # The same credential secured with VC-JOSE (application/vc+jwt), signed with the same key.
    jwt = models.TextField(blank=True, default="")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="credentials")
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=300, blank=True)
    # The holder lets anyone with the credential's URL see its JSON.
    public = models.BooleanField(default=False)
    # What caused it: "completion:<id>", "api:<user id>", "demo".
    source = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credential_status_index_unique"
            )
        ]
        indexes = [models.Index(fields=["person", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.achievement} → {self.person_id}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return CredentialStatus.REVOKED
        if self.valid_until and self.valid_until <= timezone.now():
            return CredentialStatus.EXPIRED
        return CredentialStatus.VALID

    def get_status_display(self) -> str:
        return str(CredentialStatus(self.status).label)


class Share(models.Model):
    """A link that shows chosen credentials to whoever has it (deling), until it expires."""

    token = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="credential_shares")
    credentials = models.ManyToManyField(IssuedCredential, related_name="shares")
    recipient = models.CharField(_("mottaker"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("utløper"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.recipient or self.token[:6]}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ImportFormat(models.TextChoices):
    OB2 = "ob2", _("Open Badges 2.0")
    OB3 = "ob3", _("Open Badges 3.0")


class ImportedCredential(models.Model):
    """A credential from elsewhere that a person uploaded (importert kompetansebevis)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="imported_credentials")
    format = models.CharField(max_length=4, choices=ImportFormat.choices)
    name = models.CharField(max_length=300)
    issuer_name = models.CharField(max_length=300, blank=True)
    document = models.JSONField()
    verified = models.BooleanField(default=False)
    verification = models.JSONField(default=dict)  # {"verified", "checks", "errors"}
    uploaded_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name
