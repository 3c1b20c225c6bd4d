"""Competence frameworks (kompetanserammeverk): areas → competences, with proficiency levels.

A framework is versioned: a new version is a new row with the same ``slug``. A framework
without an owner is shared by every municipality on the instance (e.g. DigComp 2.2); one
with an owner belongs to that municipality.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """A competence framework (kompetanserammeverk) in one version."""

    slug = models.SlugField(_("kortnavn"), max_length=80)
    version = models.CharField(_("versjon"), max_length=20, default="1.0")
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    language = models.CharField(_("språk"), max_length=8, default="nb")
    source = models.CharField(_("kilde"), max_length=300, blank=True)
    # Null: shared by all tenants. Otherwise the municipality/county that owns it.
    owner = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="competence_frameworks",
    )
    is_active = models.BooleanField(_("i bruk"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug", "version"], name="framework_version_unique"),
            models.UniqueConstraint(
                fields=["slug", "version"],
                condition=models.Q(owner__isnull=True),
                name="shared_framework_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class CompetenceArea(models.Model):
    """An area (kompetanseområde) grouping competences, e.g. DigComp 1 «Information and data literacy»."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competence(models.Model):
    """One competence (kompetanse), e.g. DigComp 1.1 or «Legemiddelhåndtering»."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competences")
    area = models.ForeignKey(CompetenceArea, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "area__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="competence_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProficiencyLevel(models.Model):
    """A proficiency level (ferdighetsnivå) of a framework; ``value`` 1 is the lowest."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("nivå"))
    name = models.CharField(_("navn"), max_length=120)
    description = models.TextField(_("beskrivelse"), blank=True)
    group = models.CharField(_("gruppe"), max_length=120, blank=True)

    class Meta:
        ordering = ["framework", "value"]
        constraints = [models.UniqueConstraint(fields=["framework", "value"], name="level_value_unique")]

    def __str__(self) -> str:
        return f"{self.value} {self.name}"


# --- Requirements (kompetansekrav) ------------------------------------------------------------


class CompetenceRequirement(models.Model):
    """A required level of a competence for a position and/or organisation subtree (kompetansekrav).

    ``organisation`` null with a ``tenant``: the whole municipality. ``position`` null: every
    position in the organisation subtree.
    """

    tenant = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="competence_requirements"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.ForeignKey("organisations.Position", null=True, blank=True, on_delete=models.CASCADE)
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="requirements")
    required_level = models.PositiveSmallIntegerField(_("krevd nivå"))
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    class Meta:
        ordering = ["competence__code"]

    def __str__(self) -> str:
        return f"{self.competence_id} ≥ {self.required_level}"


class CertificationRequirement(models.Model):
    """A mandatory certification with a validity period, e.g. HLR every 12 months."""

    tenant = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="certification_requirements"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.ForeignKey("organisations.Position", null=True, blank=True, on_delete=models.CASCADE)
    name = models.CharField(_("sertifisering"), max_length=200)
    competence = models.ForeignKey(Competence, null=True, blank=True, on_delete=models.SET_NULL)
    validity_months = models.PositiveSmallIntegerField(_("gyldighet i måneder"), null=True, blank=True)

    class Meta:
        ordering = ["name"]

    # --- Profile (kompetanseprofil) -----------------------------------------------------------------

    def __str__(self) -> str:
        return self.name


class EducationLevel(models.TextChoices):
    UPPER_SECONDARY = "upper_secondary", _("Videregående skole")
    TRADE_CERTIFICATE = "trade_certificate", _("Fagbrev / svennebrev")
    VOCATIONAL = "vocational", _("Fagskole")
    BACHELOR = "bachelor", _("Bachelorgrad")
    MASTER = "master", _("Mastergrad")
    DOCTORATE = "doctorate", _("Doktorgrad")
    OTHER = "other", _("Annen utdanning")


class Education(models.Model):
    """Formal education or a trade certificate (fagbrev) of a person."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="educations")
    level = models.CharField(_("nivå"), max_length=30, choices=EducationLevel.choices)
    field = models.CharField(_("fagområde"), max_length=200)
    institution = models.CharField(_("lærested"), max_length=200, blank=True)
    completed_year = models.PositiveSmallIntegerField(_("fullført år"), null=True, blank=True)
    credits = models.DecimalField(_("studiepoeng"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["-completed_year", "field"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.field}"


class Certification(models.Model):
    """A certification a person holds, with issue and expiry dates."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(_("sertifisering"), max_length=200)
    issuer = models.CharField(_("utsteder"), max_length=200, blank=True)
    issued_on = models.DateField(_("utstedt"))
    expires_on = models.DateField(_("utløper"), null=True, blank=True)
    requirement = models.ForeignKey(
        CertificationRequirement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certifications",
    )

    class Meta:
        ordering = ["name", "-issued_on"]

    def __str__(self) -> str:
        return self.name


class PriorLearning(models.Model):
    """Prior learning (realkompetanse) with evidence, optionally tied to a competence."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="prior_learning")
    description = models.TextField(_("beskrivelse"))
    evidence = models.TextField(_("dokumentasjon"), blank=True)
    competence = models.ForeignKey(Competence, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_on = models.DateField(_("registrert"))

    class Meta:
        ordering = ["-recorded_on"]

    def __str__(self) -> str:
        return self.description[:60]


class Source(models.TextChoices):
    SELF = "self", _("Egenvurdering")
    LEADER = "leader", _("Ledervurdering")
    COURSE = "course", _("Fullført kurs")
    CREDENTIAL = "credential", _("Kompetansebevis")


class Assessment(models.Model):
    """One assessment of a person's level in a competence; the history is kept."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="assessments")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="assessments")
    level = models.PositiveSmallIntegerField(_("nivå"))
    source = models.CharField(_("kilde"), max_length=20, choices=Source.choices)
    assessed_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_on = models.DateField(_("dato"))
    campaign = models.ForeignKey(
        "Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["person", "competence"])]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.competence_id}: {self.level} ({self.source})"


class CompetenceLevel(models.Model):
    """The current level of a person in a competence (denormalised from :class:`Assessment`).

    ``level`` is the level used for gaps: the latest leader, course or credential assessment,
    or the latest self-assessment when there is nothing else. ``self_level`` is the latest
    self-assessment.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="competence_levels")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    assessed_on = models.DateField()
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "competence"], name="competence_level_unique"),
        ]
        indexes = [models.Index(fields=["competence", "level"])]

    # --- Mapping campaigns (kompetansekartlegging) --------------------------------------------------

    def __str__(self) -> str:
        return f"{self.person_id}/{self.competence_id}: {self.level}"


class CampaignStatus(models.TextChoices):
    SELF_ASSESSMENT = "self", _("Egenvurdering pågår")
    LEADER_ASSESSMENT = "leader", _("Ledervurdering pågår")
    CLOSED = "closed", _("Avsluttet")


class Campaign(models.Model):
    """A competence mapping campaign for a unit, sector or municipality."""

    tenant = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="competence_campaigns"
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="campaigns")
    competences = models.ManyToManyField(Competence, related_name="campaigns")
    name = models.CharField(_("navn"), max_length=200)
    status = models.CharField(
        max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.SELF_ASSESSMENT
    )
    self_deadline = models.DateField(_("frist egenvurdering"))
    leader_deadline = models.DateField(_("frist ledervurdering"))
    created_by = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """A person in a campaign, with the unit they were mapped in."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    self_done_at = models.DateTimeField(null=True, blank=True)
    leader_done_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="participant_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.person_id}"


# --- Pulse survey of learning conditions (the Danish 8-situation instrument) --------------------


class PulseSurvey(models.Model):
    """A short survey of experienced learning (oplevet læring) and learning climate.

    Answers are stored without the person (``PulseResponse``); who has answered is kept apart
    (``PulseParticipation``) only to stop double answers. Results are aggregates only.
    """

    tenant = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("tittel"), max_length=200)
    opens_on = models.DateField(_("åpner"))
    closes_on = models.DateField(_("stenger"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on"]

    def __str__(self) -> str:
        return self.title


class PulseResponse(models.Model):
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    situations = models.JSONField(default=dict)  # item key → learned something (bool)
    climate = models.JSONField(default=dict)  # item key → 1 (low) … 3 (high)
    score = models.PositiveSmallIntegerField()  # number of situations with learning, 0–8

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.score}"


class PulseParticipation(models.Model):
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="pulse_participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.person_id}"
