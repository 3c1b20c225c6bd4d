"""The quality system: deviation reports (avvik), what is learnt from them, and procedures.

Deviations are confidential by design: who may see one is decided in :mod:`.access`, every
read is written to :class:`DeviationRead`, and every step of the handling to
:class:`DeviationEvent`. An anonymous report stores no trace of its reporter.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from laeringsarena.organisations.models import Organisation, Position
from laeringsarena.people.models import Person


class DeviationCategory(models.Model):
    """An avvikskategori, configurable per municipality, with its default handler."""

    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="deviation_categories")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("navn"), max_length=120)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    # HMS deviations are shown (in aggregate only) to union representatives and safety delegates.
    is_hms = models.BooleanField(_("HMS-kategori"), default=False)
    # The person who handles deviations in this category besides the unit's leaders (e.g. the
    # pharmacist for medication, the data protection officer for privacy). Optional.
    default_handler = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline_days = models.PositiveSmallIntegerField(_("frist (dager)"), default=14)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["tenant_id", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "slug"], name="deviation_category_unique")]
        verbose_name = _("avvikskategori")

    def __str__(self) -> str:
        return self.name


class Severity(models.TextChoices):
    LOW = "low", _("Lav")
    MEDIUM = "medium", _("Middels")
    HIGH = "high", _("Høy")
    CRITICAL = "critical", _("Kritisk")


class State(models.TextChoices):
    RECEIVED = "received", _("Mottatt")
    UNDER_TREATMENT = "under_treatment", _("Under behandling")
    MEASURES_DECIDED = "measures_decided", _("Tiltak besluttet")
    CLOSED = "closed", _("Lukket")
    REJECTED = "rejected", _("Avvist")


OPEN_STATES = (State.RECEIVED, State.UNDER_TREATMENT, State.MEASURES_DECIDED)


class Deviation(models.Model):
    """An avviksmelding: something that broke a requirement, procedure or expectation."""

    tenant = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deviations")
    category = models.ForeignKey(DeviationCategory, on_delete=models.PROTECT, related_name="deviations")
    severity = models.CharField(_("alvorlighet"), max_length=10, choices=Severity.choices)
    what_happened = models.TextField(_("hva skjedde"))
    occurred_at = models.DateTimeField(_("når"))
    immediate_action = models.TextField(_("strakstiltak"), blank=True)
    suggestion = models.TextField(_("forslag til forbedring"), blank=True)
    # Null for anonymous reports: then nothing anywhere points to the reporter.
    reporter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_deviations"
    )
    anonymous = models.BooleanField(_("anonym"), default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True)
    deadline = models.DateField(_("frist"), null=True, blank=True)
    forwarded_to = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="forwarded_deviations"
    )
    # The deadline the last escalation was for; the escalation command runs once per deadline.
    escalated_for = models.DateField(null=True, blank=True)
    # How far up the chain the missed deadline ``escalated_for`` has gone (1 = the superior,
    # 2 = the next level, …), when that last step was taken, and the highest node reached (its
    # leaders join the handler chain and keep access).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_on = models.DateField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="escalated_deviations"
    )
    measures = models.TextField(_("tiltak"), blank=True)
    feedback = models.TextField(_("tilbakemelding til melder"), blank=True)
    rejection_reason = models.TextField(_("begrunnelse for avvisning"), blank=True)
    procedure = models.ForeignKey(
        "Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="deviations"
    )
    related = models.ManyToManyField("self", blank=True)
    # For anonymous reports the time of reporting is kept to the day only (see services).
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "created_at"]),
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["category", "created_at"]),
        ]
        verbose_name = _("avvik")

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} ({self.get_state_display()})"

    @property
    def responsible_unit(self) -> Organisation:
        return self.forwarded_to or self.unit

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def summary(self) -> str:
        text = " ".join(self.what_happened.split())
        return text if len(text) <= 80 else text[:79] + "…"


class DeviationEvent(models.Model):
    """One step in the handling (behandlingslogg). ``actor`` is null for anonymous reporting."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Meldt")
        TRANSITION = "transition", _("Ny status")
        FORWARDED = "forwarded", _("Videresendt")
        ESCALATED = "escalated", _("Eskalert")
        DEADLINE = "deadline", _("Ny frist")
        LEARNING = "learning", _("Læringstiltak")
        COMMENT = "comment", _("Kommentar")

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class DeviationAttachment(models.Model):
    """A vedlegg to a deviation, usually a photo from the phone camera.

    The file lives in ``default_storage`` under a random name and is served only through a view
    that checks access and writes the audit log. Images are re-encoded without metadata (EXIF,
    GPS, camera) before they are stored; for anonymous reports the original file name is
    replaced and the time kept to the day, so nothing points to the reporter.
    """

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=300)
    name = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # Null for anonymous reports.
    added_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class DeviationRead(models.Model):
    """Audit log: who read which deviation, when, and through what (web page, API, export)."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    what = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    # --- From deviation to learning ----------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.what} {self.at:%Y-%m-%d %H:%M}"


class LearningAssignment(models.Model):
    """A refresher (oppfriskning) assigned because of a deviation or a cluster of them.

    The refresher is an offering from the catalogue or, for anything else, a title and a link
    (learning paths do not exist yet); the target is a person, a unit or a position (within the
    unit, if both are given).
    """

    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    deviations = models.ManyToManyField(Deviation, related_name="learning_assignments")
    offering = models.ForeignKey(
        "catalogue.Offering", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("tittel"), max_length=300)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("frist"), null=True, blank=True)
    assigned_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """A deviation (or cluster) put on the agenda of a team or leader meeting."""

    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    deviations = models.ManyToManyField(Deviation, related_name="agenda_items")
    meeting_date = models.DateField(_("møtedato"))
    discussion_guide = models.TextField(_("samtaleguide"))
    conclusion = models.TextField(_("konklusjon"), blank=True)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_date", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.meeting_date}"


class ImprovementCase(models.Model):
    """A forbedringssak following plan–do–check–act, evaluated by the deviation rate before and after."""

    class Phase(models.TextChoices):
        PLAN = "plan", _("Planlegge")
        DO = "do", _("Utføre")
        CHECK = "check", _("Kontrollere")
        ACT = "act", _("Standardisere")
        DONE = "done", _("Avsluttet")

    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # Empty for a case opened for a unit without a deviation behind it (e.g. from a debrief).
    category = models.ForeignKey(
        DeviationCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deviations = models.ManyToManyField(Deviation, blank=True, related_name="improvement_cases")
    title = models.CharField(_("tittel"), max_length=200)
    goal = models.TextField(_("mål"))
    measures = models.TextField(_("tiltak"))
    responsible = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.PLAN)
    started_on = models.DateField(_("startdato"))
    evaluation = models.TextField(_("evaluering"), blank=True)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    # --- Procedures (dokumentstyring) ----------------------------------------------------------------

    def __str__(self) -> str:
        return self.title


class Folder(models.Model):
    """A folder in a municipality's document tree."""

    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    PROCEDURE = "procedure", _("Prosedyre")
    ROUTINE = "routine", _("Rutinebeskrivelse")
    GUIDELINE = "guideline", _("Retningslinje")


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    FOR_APPROVAL = "for_approval", _("Til godkjenning")
    PUBLISHED = "published", _("Publisert")
    FOR_REVISION = "for_revision", _("Til revisjon")
    ARCHIVED = "archived", _("Arkivert")


class Document(models.Model):
    """A procedure, routine description or guideline; its text lives in versions."""

    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.PROCEDURE)
    title = models.CharField(_("tittel"), max_length=200)
    owner = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=20, choices=DocumentState.choices, default=DocumentState.DRAFT)
    review_interval_months = models.PositiveSmallIntegerField(_("revisjonsintervall (måneder)"), default=24)
    next_review = models.DateField(null=True, blank=True)
    # The review date the owner was last reminded of (reminders are sent once per date): a
    # notice some weeks ahead, and a reminder when the date has come.
    review_notice_sent_for = models.DateField(null=True, blank=True)
    review_reminded_for = models.DateField(null=True, blank=True)
    # Required reading (lest og forstått) for these positions and/or units (and their subtrees).
    required_positions = models.ManyToManyField(Position, blank=True, related_name="+")
    required_units = models.ManyToManyField(Organisation, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def published_version(self) -> DocumentVersion | None:
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class DocumentVersion(models.Model):
    """One version of a document; published versions are kept when a new one replaces them."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(_("tekst"))
    change_note = models.CharField(_("endringsnotat"), max_length=300, blank=True)
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentAttachment(models.Model):
    """A vedlegg to one version of a document (a form, a checklist, a flow chart).

    Attachments belong to a version: starting a revision carries them over to the new version
    (sharing the stored file), and a published version's attachments never change. Files live in
    ``default_storage`` and are served through a view that checks access to the document.
    """

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=300)
    name = models.CharField(_("filnavn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    added_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ReadConfirmation(models.Model):
    """«Lest og forstått»: a person confirmed having read a published version."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="confirmations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "person"], name="read_confirmation_unique")]

    def __str__(self) -> str:
        return f"{self.person} – {self.version}"


class ProcedureChangeRequest(models.Model):
    """An endringsforslag: someone asks for a procedure to be changed (or a new one written).

    It goes to the document's owner or, without a document or owner, to the municipality's
    quality managers, who accept it (optionally starting a revision) or decline it with a reason.
    ``source`` says where it came from, e.g. ``debrief:12``.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Åpent")
        ACCEPTED = "accepted", _("Tatt til følge")
        DECLINED = "declined", _("Avslått")

    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="change_requests"
    )
    text = models.TextField(_("forslag"))
    source = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(_("begrunnelse"), blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["tenant", "status"])]
        verbose_name = _("endringsforslag")

    def __str__(self) -> str:
        return self.text[:60]
