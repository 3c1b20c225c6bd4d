"""Learning paths (læringsstier), enrolment, hosted modules, completions and notices.

A :class:`LearningPath` belongs to one municipality (the tenant) and is an ordered list of
:class:`Step` of mixed kinds. A person follows a path through an :class:`Enrolment`; what they
have finished is recorded as :class:`Completion` rows — one per finished step of an enrolment
and one for the finished path — derived from xAPI statements in one place
(:mod:`laeringsarena.learning.completions`), registered by hand (attendance, klarsignal) or
imported from an external provider's CSV.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PathStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publisert")
    ARCHIVED = "archived", _("Arkivert")


class LearningPath(models.Model):
    """A learning path (læringssti) of a municipality, e.g. «Introduksjon for nyansatte»."""

    tenant = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="learning_paths"
    )
    # Null: the whole municipality manages it (HR); otherwise the unit whose leaders manage it.
    unit = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    slug = models.SlugField(_("kortnavn"), max_length=80)
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PathStatus.choices, default=PathStatus.DRAFT
    )
    # The path owner/leader (kursansvarlig): grades free-text answers, registers attendance.
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grants_certification = models.ForeignKey(
        "competence.CertificationRequirement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_paths",
        verbose_name=_("gir sertifisering"),
    )
    competences = models.ManyToManyField("competence.Competence", blank=True, related_name="learning_paths")
    # Recertification: enrol holders again this many days before the certificate expires.
    recertify_days_before = models.PositiveSmallIntegerField(_("resertifisering dager før utløp"), default=60)
    # Days a learner gets to finish when enrolled without an explicit due date.
    default_due_days = models.PositiveSmallIntegerField(_("frist i dager"), null=True, blank=True)
    activity_id = models.CharField(_("aktivitets-IRI"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("læringssti")
        verbose_name_plural = _("læringsstier")
        constraints = [models.UniqueConstraint(fields=["tenant", "slug"], name="learning_path_slug_unique")]

    def __str__(self) -> str:
        return self.title


class StepKind(models.TextChoices):
    OFFERING = "offering", _("Kurs i katalogen")
    MODULE = "module", _("E-læringsmodul")
    GATHERING = "gathering", _("Samling")
    WEBINAR = "webinar", _("Webinar")
    GROUP_WORK = "group_work", _("Gruppearbeid")
    PRACTICAL = "practical", _("Praktisk oppgave med klarsignal")
    REFLECTION = "reflection", _("Refleksjon")
    CMI5 = "cmi5", _("cmi5-kurs")


# Kinds a path manager registers by hand (attendance, participation).
MANUAL_KINDS = {StepKind.GATHERING, StepKind.WEBINAR, StepKind.GROUP_WORK}


class Module(models.Model):
    """A hosted module (e-læringsmodul): pages, video links and a quiz, played here."""

    tenant = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    # Null: the municipality's learning managers (HR) edit it; otherwise the unit's leaders.
    unit = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("tittel"), max_length=200)
    # Share of the quiz points needed to pass (0–1).
    pass_mark = models.FloatField(_("krav for bestått"), default=0.8)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class PageKind(models.TextChoices):
    PAGE = "page", _("Side")
    VIDEO = "video", _("Video")
    QUIZ = "quiz", _("Quiz")


class ModulePage(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="pages")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=PageKind.choices, default=PageKind.PAGE)
    title = models.CharField(_("tittel"), max_length=200)
    body = models.TextField(_("tekst"), blank=True)
    video_url = models.URLField(_("videolenke"), blank=True)
    video_caption = models.CharField(_("beskrivelse av videoen"), max_length=300, blank=True)

    class Meta:
        ordering = ["module_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Ett riktig svar")
    MULTIPLE = "multiple", _("Flere riktige svar")
    TRUE_FALSE = "true_false", _("Riktig eller galt")
    ORDERING = "ordering", _("Sett i rekkefølge")
    FREE_TEXT = "free_text", _("Fritekst (vurderes manuelt)")


class Question(models.Model):
    """A quiz question. ``options`` are the choices (or the items to order, in the right order);
    ``correct`` is the list of correct option indexes (single/multiple), ``[true]``/``[false]``
    (true/false), unused for ordering (the options' order is the answer) and free text."""

    page = models.ForeignKey(ModulePage, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("spørsmål"))
    options = models.JSONField(default=list, blank=True)
    correct = models.JSONField(default=list, blank=True)
    points = models.PositiveSmallIntegerField(default=1)
    guidance = models.TextField(_("vurderingsveiledning"), blank=True)

    class Meta:
        ordering = ["page_id", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Step(models.Model):
    """One step of a path (steg). ``activity_id`` is the xAPI activity IRI: a statement with verb
    completed/passed/satisfied on it by the learner completes the step (also from outside tools
    and cmi5, whose step stores the course activity id here)."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=12, choices=StepKind.choices)
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse / instruksjon"), blank=True)
    activity_id = models.CharField(_("aktivitets-IRI"), max_length=500)
    offering = models.ForeignKey(
        "catalogue.Offering", null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_steps"
    )
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="steps")
    # Practical task: the named supervisor who gives the klarsignal (if empty, the learner names one).
    supervisor = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Gathering/webinar: when and where (cohorts may have their own times, see CohortSession).
    starts_at = models.DateTimeField(_("starter"), null=True, blank=True)
    place = models.CharField(_("sted"), max_length=200, blank=True)
    url = models.URLField(_("lenke"), max_length=500, blank=True)
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    # Step gating: the steps after this one stay closed until it is approved (completed).
    gated = models.BooleanField(_("må godkjennes før neste steg åpner"), default=False)
    optional = models.BooleanField(_("valgfritt"), default=False)
    # Stepwise certification: finishing this step records an intermediate certificate.
    certificate_name = models.CharField(_("delsertifikat"), max_length=200, blank=True)

    class Meta:
        ordering = ["path_id", "order", "pk"]
        indexes = [models.Index(fields=["activity_id"])]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Cohort(models.Model):
    """A batch (kull) following a path together, with its own schedule — e.g. a night-shift cohort."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("navn"), max_length=200)
    unit = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField(_("starter"))
    due_on = models.DateField(_("frist"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class CohortSession(models.Model):
    """A scheduled time of a gathering/webinar step for one cohort (e.g. 14:30 between shifts)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="cohort_sessions")
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    place = models.CharField(_("sted"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.cohort} {self.starts_at:%Y-%m-%d %H:%M}"


class EnrolmentSource(models.TextChoices):
    PERSON = "person", _("Påmeldt enkeltvis")
    SELF = "self", _("Meldte seg på selv")
    UNIT = "unit", _("Hele enheten")
    POSITION = "position", _("Stillingen")
    COHORT = "cohort", _("Kull")
    REQUIREMENT = "requirement", _("Sertifiseringskrav")
    RECERTIFICATION = "recertification", _("Resertifisering")


class Enrolment(models.Model):
    """A person following a path (påmelding / tildeling), possibly mandatory with a due date."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="learning_enrolments")
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="enrolments")
    source = models.CharField(_("kilde"), max_length=20, choices=EnrolmentSource.choices)
    mandatory = models.BooleanField(_("obligatorisk"), default=False)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    unit = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.ForeignKey(
        "organisations.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requirement = models.ForeignKey(
        "competence.CertificationRequirement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolled_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The certificate that met the requirement without the path (e.g. imported from another
    # provider): the enrolment is then closed as fulfilled, with no path completion recorded.
    fulfilled_by = models.ForeignKey(
        "competence.Certification",
        verbose_name=_("oppfylt med sertifikat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolled_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "path"],
                condition=Q(completed_at__isnull=True, withdrawn_at__isnull=True),
                name="enrolment_one_open_per_path",
            )
        ]
        indexes = [models.Index(fields=["person", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.path_id}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.withdrawn_at is None


class CompletionSource(models.TextChoices):
    STATEMENT = "statement", _("xAPI-utsagn")
    ATTENDANCE = "attendance", _("Registrert oppmøte")
    SIGN_OFF = "sign_off", _("Klarsignal")
    REFLECTION = "reflection", _("Levert refleksjon")
    MANUAL = "manual", _("Registrert manuelt")
    IMPORT = "import", _("Importert fra ekstern tilbyder")
    PATH = "path", _("Alle steg fullført")


class Completion(models.Model):
    """A finished step, path or catalogue offering (fullføring).

    Step completions belong to an enrolment (a recertification starts with none). The path
    completion has ``path`` set and ``step`` empty. Offering completions (e.g. imported from an
    external provider) have ``offering`` set and may have neither.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="learning_completions")
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.CASCADE, related_name="completions"
    )
    path = models.ForeignKey(
        LearningPath, null=True, blank=True, on_delete=models.CASCADE, related_name="completions"
    )
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.CASCADE, related_name="completions"
    )
    offering = models.ForeignKey(
        "catalogue.Offering",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_completions",
    )
    completed_at = models.DateTimeField()
    source = models.CharField(max_length=12, choices=CompletionSource.choices)
    score = models.FloatField(null=True, blank=True)  # scaled 0–1
    success = models.BooleanField(null=True, blank=True)
    statement_id = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider = models.CharField(_("tilbyder"), max_length=200, blank=True)
    title = models.CharField(
        _("tittel"), max_length=300, blank=True
    )  # imported completions without an offering
    note = models.TextField(_("merknad"), blank=True)  # a reflection's text, a supervisor's comment
    # Imported completions: the identity of the row at the provider (see ``imports``); a second
    # import of the same row finds this one instead of creating another.
    external_ref = models.CharField(max_length=300, blank=True)
    certification = models.ForeignKey(
        "competence.Certification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "step"], condition=Q(step__isnull=False), name="completion_step_once"
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(step__isnull=True, path__isnull=False),
                name="completion_path_once",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "completed_at"]),
            models.Index(fields=["person", "external_ref"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.step_id or self.path_id or self.offering_id or self.title}"


class CompletionImport(models.Model):
    """One import of an external provider's completions/certificates (import av fullføringer)."""

    tenant = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    imported_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField()
    filename = models.CharField(max_length=300, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    certifications = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.imported_at:%Y-%m-%d %H:%M}"


class SignOffState(models.TextChoices):
    REQUESTED = "requested", _("Venter på klarsignal")
    APPROVED = "approved", _("Klarsignal gitt")
    NOT_YET = "not_yet", _("Ikke klar ennå")


class SignOff(models.Model):
    """A learner asks a named supervisor for the klarsignal on a practical task."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="sign_offs")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="sign_offs")
    supervisor = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="learning_sign_offs"
    )
    state = models.CharField(max_length=12, choices=SignOffState.choices, default=SignOffState.REQUESTED)
    learner_note = models.TextField(_("beskrivelse fra deg"), blank=True)
    supervisor_note = models.TextField(_("kommentar fra veileder"), blank=True)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.step_id}/{self.enrolment_id}: {self.state}"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Påbegynt")
    AWAITING_GRADING = "awaiting", _("Venter på vurdering")
    PASSED = "passed", _("Bestått")
    FAILED = "failed", _("Ikke bestått")
    COMPLETED = "completed", _("Fullført")  # a module without a quiz


class Attempt(models.Model):
    """One run through a hosted module; ``registration`` is the xAPI registration of the run."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="attempts")
    registration = models.UUIDField()
    state = models.CharField(max_length=12, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    pages_seen = models.JSONField(default=list)  # page ids
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.step_id}/{self.enrolment_id}: {self.state}"

    @property
    def scaled(self) -> float | None:
        if self.score_raw is None or not self.score_max:
            return None
        return round(self.score_raw / self.score_max, 4)


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    response = models.JSONField(default=list)  # option indexes, [bool], an order of indexes, or [text]
    points = models.FloatField(null=True, blank=True)  # null: awaiting manual grading
    graded_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(_("tilbakemelding"), blank=True)

    class Meta:
        ordering = ["question__page__order", "question__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"


class NoticeKind(models.TextChoices):
    DUE = "due", _("Frist nærmer seg")
    OVERDUE = "overdue", _("Frist passert")
    EXPIRY = "expiry", _("Sertifikat utløper")
    ENROLLED = "enrolled", _("Ny læringssti")
    SIGN_OFF = "sign_off", _("Klarsignal")
    GRADED = "graded", _("Vurdert")
    DIGEST = "digest", _("Ukesoppsummering")


class Notice(models.Model):
    """An in-app notice on Min læring (and, when ``emailed_at`` is set, an e-mail that was sent).
    ``key`` makes each reminder happen once (e.g. ``due:17:7`` = enrolment 17, 7 days before)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="learning_notices")
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="notice_key_once")]

    def __str__(self) -> str:
        return self.title
