"""The catalogue: providers, offerings, sessions, bundles, ratings and the search index store.

Three ways in (MISSION §1): *publish* (an editor writes the offering and simple hosted
content), *integrate* (a provider feed is ingested, keyed by stable ``external_id``) and
*refer* (an external link; clicks are recorded in :class:`ReferralClick`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    KS = "ks", _("KS")
    STATE = "state", _("Statlig")
    UNIVERSITY = "university", _("Universitet eller høgskole")
    VOCATIONAL = "vocational", _("Fagskole")
    PRIVATE = "private", _("Privat")
    EDTECH = "edtech", _("Edtech")
    MUNICIPALITY = "municipality", _("Kommune")


class Provider(models.Model):
    """A provider (tilbyder) with its quality self-declaration (kvalitetserklæring)."""

    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=ProviderKind.choices)
    # The organisation whose provider editors may edit this provider's offerings (e.g. the
    # municipality itself). Without one, only platform administrators may edit.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogue_providers",
    )
    website = models.URLField(_("nettsted"), blank=True)
    # Quality self-declaration.
    declaration_academic_quality = models.TextField(_("faglig kvalitet"), blank=True)
    declaration_pedagogy = models.TextField(_("pedagogikk for nett og skala"), blank=True)
    declaration_learning_experience = models.TextField(_("læringsopplevelse"), blank=True)
    declared_at = models.DateField(_("erklært dato"), null=True, blank=True)
    declared_by = models.CharField(_("erklært av"), max_length=200, blank=True)
    accredited = models.BooleanField(_("akkreditert for studiepoeng"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tilbyder")
        verbose_name_plural = _("tilbydere")

    def __str__(self) -> str:
        return self.name

    @property
    def has_declaration(self) -> bool:
        return bool(
            self.declared_at
            and self.declaration_academic_quality
            and self.declaration_pedagogy
            and self.declaration_learning_experience
        )


class Format(models.TextChoices):
    ELEARNING = "elearning", _("E-læring")
    VIDEO = "video", _("Video")
    PODCAST = "podcast", _("Podkast")
    WEBINAR = "webinar", _("Webinar")
    CLASSROOM = "classroom", _("Klasserom")
    GATHERING = "gathering", _("Samlingsbasert")
    BLENDED = "blended", _("Kombinert")
    GAME = "game", _("Spill/simulering")
    VR = "vr", _("VR")
    MICRO = "micro", _("Mikrolæring")


class Level(models.TextChoices):
    INTRO = "intro", _("Introduksjon")
    BASIC = "basic", _("Grunnleggende")
    INTERMEDIATE = "intermediate", _("Videregående")
    ADVANCED = "advanced", _("Avansert")


class PriceModel(models.TextChoices):
    FREE = "free", _("Gratis")
    SUBSCRIPTION = "subscription", _("Abonnement")
    PAID = "paid", _("Betalt")
    EMPLOYER = "employer", _("Arbeidsgiver betaler")


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publisert")
    RETIRED = "retired", _("Trukket tilbake")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Åpen for alle")
    INTERNAL = "internal", _("Intern i kommunen")
    SHARED = "shared", _("Delt med utvalgte kommuner")
    MUNICIPAL = "municipal", _("Delt med hele kommunesektoren")


class Source(models.TextChoices):
    PUBLISHED = "publish", _("Publisert her")
    FEED = "feed", _("Fra tilbyderens feed")
    REFERRED = "refer", _("Lenke til ekstern side")


LANGUAGES = [
    ("nb", _("Bokmål")),
    ("nn", _("Nynorsk")),
    ("da", _("Dansk")),
    ("en", _("Engelsk")),
    ("se", _("Nordsamisk")),
    ("sv", _("Svensk")),
]


class Offering(models.Model):
    """A learning offering (læringstilbud)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offerings")
    # Stable id in the provider's feed; blank for offerings published here.
    external_id = models.CharField(_("ekstern id"), max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PUBLISHED)
    title = models.CharField(_("tittel"), max_length=300)
    summary = models.TextField(_("sammendrag"), blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    learning_outcomes = models.TextField(_("læringsutbytte"), blank=True)
    keywords = models.CharField(_("stikkord"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    duration_minutes = models.PositiveIntegerField(_("varighet (minutter)"), null=True, blank=True)
    effort_hours = models.DecimalField(
        _("arbeidsmengde (timer)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    language = models.CharField(_("språk"), max_length=8, choices=LANGUAGES, default="nb")
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices, default=Level.BASIC)
    price_model = models.CharField(_("prismodell"), max_length=20, choices=PriceModel.choices)
    price_nok = models.DecimalField(_("pris (kr)"), max_digits=10, decimal_places=2, null=True, blank=True)
    ects_credits = models.DecimalField(
        _("studiepoeng"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    target_positions = models.ManyToManyField(
        "organisations.Position", blank=True, related_name="catalogue_offerings"
    )
    # Competences the offering develops (from the competence frameworks).
    competences = models.ManyToManyField("competence.Competence", blank=True, related_name="offerings")
    licence = models.CharField(_("lisens"), max_length=100, blank=True)
    external_url = models.URLField(_("ekstern lenke"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        _("synlighet"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # The municipality that owns an internal/shared offering (its tree sees it).
    owner = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_offerings",
    )
    shared_with = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="offerings_shared_with"
    )
    # Fingerprint of the feed record last ingested, for idempotent re-ingest.
    content_hash = models.CharField(max_length=64, blank=True)
    # Denormalised rating summary (visible ratings only), maintained by the rating service.
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("læringstilbud")
        verbose_name_plural = _("læringstilbud")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                condition=~Q(external_id=""),
                name="offering_external_id_unique_per_provider",
            ),
        ]
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return self.title

    @property
    def rating_mean(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


class OfferingSession(models.Model):
    """A dated run of an offering (gjennomføring): a webinar time, a gathering, a class."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="sessions")
    external_id = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    online = models.BooleanField(_("på nett"), default=False)
    place = models.CharField(_("sted"), max_length=200, blank=True)
    county = models.CharField(_("fylke"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("plasser"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.offering} {self.starts_at:%Y-%m-%d}"


class ContentKind(models.TextChoices):
    PAGE = "page", _("Side")
    VIDEO = "video", _("Video")
    QUIZ = "quiz", _("Quiz")


class ContentItem(models.Model):
    """Simple hosted content of a published offering: pages, video links and a quiz."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="content")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=ContentKind.choices, default=ContentKind.PAGE)
    title = models.CharField(_("tittel"), max_length=300)
    body = models.TextField(_("tekst"), blank=True)
    video_url = models.URLField(_("videolenke"), blank=True)
    # Quiz: [{"question": str, "options": [str], "answer": int}]
    quiz = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["offering_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Bundle(models.Model):
    """A subscription bundle (abonnementspakke) granting access to a set of offerings."""

    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT)
    description = models.TextField(_("beskrivelse"), blank=True)
    offerings = models.ManyToManyField(Offering, blank=True, related_name="bundles")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BundleGrant(models.Model):
    """A bundle subscribed by an organisation (covers its subtree) or by a person."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="grants")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="bundle_grant_has_holder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bundle} → {self.organisation or self.person}"


class ReferralClick(models.Model):
    """A click on an offering's external link (the "refer" way in)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="referral_clicks")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL)
    clicked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.offering_id} @ {self.clicked_at}"


class ParticipationKind(models.TextChoices):
    OPENED = "opened", _("Åpnet")
    STARTED = "started", _("Startet")
    COMPLETED = "completed", _("Fullført")


class Participation(models.Model):
    """A person's own "I have taken this" record, until the learning app tracks it."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ParticipationKind.choices)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offering", "person"], name="participation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.offering_id}"


class RatingStatus(models.TextChoices):
    VISIBLE = "visible", _("Synlig")
    HELD = "held", _("Holdt tilbake for vurdering")
    HIDDEN = "hidden", _("Skjult av moderator")


class Rating(models.Model):
    """A rating 1–5 with an optional review; one per person per offering, editable."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    # Set when a leader/HR rates on behalf of their organisation (employer rating).
    on_behalf_of = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    stars = models.PositiveSmallIntegerField()
    review = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RatingStatus.choices, default=RatingStatus.VISIBLE)
    suspicious_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "person"], name="rating_one_per_person"),
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.offering_id}"


class RatingFlag(models.Model):
    """Someone reports a review as unfair, fake or offensive."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="flags")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "person"], name="flag_once")]

    def __str__(self) -> str:
        return self.reason


class FeedIngest(models.Model):
    """One run of a provider feed ingest, with its per-record report."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="ingests")
    started_at = models.DateTimeField(auto_now_add=True)
    full = models.BooleanField(default=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    retired = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.provider} {self.started_at}"


class SearchChange(models.Model):
    """Change log of the search index: one row per offering change, in commit order."""

    offering_id = models.IntegerField()
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"change {self.pk}: {self.offering_id}"


class QuizResult(models.Model):
    """A person's latest answers to a hosted quiz (quizresultat), with the score."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=list)  # chosen option per question (None = unanswered)
    score = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    best_score = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="one_quiz_result_per_person")]

    def __str__(self) -> str:
        return f"{self.item} – {self.score}/{self.total}"


class OfferingViewDay(models.Model):
    """How many times an offering's page was opened on a day (a count only, nobody recorded)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offering", "day"], name="one_view_count_per_day")]

    def __str__(self) -> str:
        return f"{self.offering_id} {self.day}: {self.views}"
