"""Models of the lrs app: client credentials, statements and documents of the xAPI LRS.

Statements are stored as the exact JSON text that ``exact`` GETs return, beside denormalised,
indexed columns for the filters (agent IFI, verb, activity, registration, stored, voided).
Related agents and activities (for ``related_agents``/``related_activities``) sit in side tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person


class LrsClient(models.Model):
    """A system allowed to use the LRS of one organisation (LRS-klient, nøkkel og hemmelighet)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lrs_clients", verbose_name=_("organisasjon")
    )
    name = models.CharField(_("navn"), max_length=200)
    key = models.CharField(_("nøkkel"), max_length=64, unique=True)
    # SHA-256 of the secret: secrets are 32 random bytes, so a fast hash is enough.
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    created_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opprettet av"),
    )
    expires_at = models.DateTimeField(_("utløper"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    # Optional scope (avgrensning), e.g. a cmi5 AU's auth token: empty/None means unrestricted.
    # A scoped client writes only statements of its agent/registration/activities and reads only
    # those; ``can_void`` False refuses voiding statements.
    scope_agent_ifi = models.CharField(_("avgrenset til aktør"), max_length=512, blank=True, default="")
    scope_registration = models.UUIDField(_("avgrenset til registrering"), null=True, blank=True)
    scope_activity_prefix = models.CharField(
        _("avgrenset til aktiviteter som begynner med"), max_length=1024, blank=True, default=""
    )
    can_void = models.BooleanField(_("kan ugyldiggjøre utsagn"), default=True)

    class Meta:
        verbose_name = _("LRS-klient")
        verbose_name_plural = _("LRS-klienter")
        ordering = ["organisation_id", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    @property
    def is_scoped(self) -> bool:
        return bool(
            self.scope_agent_ifi or self.scope_registration or self.scope_activity_prefix or not self.can_void
        )


class Statement(models.Model):
    """One xAPI statement (xAPI-utsagn) in an organisation's LRS."""

    # No single-column index: every composite index below starts with the organisation.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    statement_id = models.UUIDField()
    stored = models.DateTimeField()
    timestamp = models.DateTimeField()
    # Canonical inverse functional identifier of the actor ("mbox:mailto:…", "account:home|name", …).
    actor_ifi = models.CharField(max_length=512)
    # IFI of the object when the object is an Agent or an identified Group.
    object_agent_ifi = models.CharField(max_length=512, null=True, blank=True)
    verb_id = models.CharField(max_length=1024)
    # Id of the object when it is an Activity.
    activity_id = models.CharField(max_length=1024, null=True, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    # The statement this one refers to, when its object is a StatementRef (e.g. a voiding statement).
    object_statement = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(default=False)
    payload = models.TextField()  # the stored statement as JSON text

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "statement_id"], name="lrs_statement_unique_id")
        ]
        indexes = [
            models.Index(fields=["organisation", "stored"], name="lrs_st_org_stored"),
            models.Index(fields=["organisation", "actor_ifi", "stored"], name="lrs_st_actor"),
            models.Index(fields=["organisation", "actor_ifi", "verb_id", "stored"], name="lrs_st_actor_verb"),
            models.Index(fields=["organisation", "verb_id", "stored"], name="lrs_st_verb"),
            models.Index(fields=["organisation", "activity_id", "stored"], name="lrs_st_activity"),
            models.Index(fields=["organisation", "registration", "stored"], name="lrs_st_registration"),
            models.Index(
                fields=["organisation", "object_agent_ifi", "stored"], name="lrs_st_object_agent_stored"
            ),
            models.Index(
                fields=["organisation", "object_statement", "stored"], name="lrs_st_object_statement"
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class StatementAgent(models.Model):
    """An agent of a statement other than its actor and object (for ``related_agents``).

    The actor and an Agent/Group object are in ``Statement.actor_ifi``/``object_agent_ifi``;
    rows here are the other agents: authority, instructor, team, context agents and groups,
    group members, sub-statement agents. (Rows stored before 2026-11-22 also repeat the actor.)
    """

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    organisation_id: int
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    ifi = models.CharField(max_length=512)
    # True for the actor, the object, and the members of a group that is either of them.
    main = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["organisation", "ifi", "main"], name="lrs_sa_ifi")]

    def __str__(self) -> str:
        return self.ifi


class StatementActivity(models.Model):
    """An activity of a statement other than its object (for ``related_activities``).

    The object activity is in ``Statement.activity_id``; rows here are the context activities
    and a sub-statement's activities. (Rows stored before 2026-11-22 also repeat the object.)
    """

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    activity_id = models.CharField(max_length=1024)

    class Meta:
        indexes = [models.Index(fields=["organisation", "activity_id"], name="lrs_sact_activity")]

    def __str__(self) -> str:
        return self.activity_id


class Attachment(models.Model):
    """Raw attachment data, shared by every statement that names its SHA-2 hash."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sha2 = models.CharField(max_length=128)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha2"], name="lrs_attachment_unique_hash")
        ]

    def __str__(self) -> str:
        return self.sha2


class Activity(models.Model):
    """The LRS's merged definition of an activity (aktivitet)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    activity_id = models.CharField(max_length=1024)
    definition = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "activity_id"], name="lrs_activity_unique_id")
        ]

    def __str__(self) -> str:
        return self.activity_id


class DocumentKind(models.TextChoices):
    STATE = "state", "State"
    ACTIVITY_PROFILE = "activity_profile", "Activity Profile"
    AGENT_PROFILE = "agent_profile", "Agent Profile"


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document (dokument)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    activity_id = models.CharField(max_length=1024, default="", blank=True)
    agent_ifi = models.CharField(max_length=512, default="", blank=True)
    registration = models.CharField(max_length=36, default="", blank=True)
    document_id = models.CharField(max_length=1024)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    # SHA-256 of (kind, activity, agent, registration) and of that plus the document id: long IRIs
    # do not fit in a database index, their hashes do.
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="lrs_document_unique")]
        indexes = [models.Index(fields=["organisation", "scope", "updated"], name="lrs_doc_scope")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.document_id}"
