"""Models of the guidance app (veiledning): what the person tells us and what they did with it.

The recommender itself stores nothing but these: the person's own settings (which personal
signals may be used, preferred formats and language), a career wish, an optional calendar of
busy times, dismissals, and which offerings were shown (for aggregated uptake).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SignalCategory(models.TextChoices):
    """Personal signal categories the person may switch off (personlige signaler)."""

    PLAN = "plan", _("Utviklingsplanen min")
    CAREER = "career", _("Karriereønsket mitt")
    COLLEAGUES = "colleagues", _("Hva kolleger i samme stilling har tatt og vurdert")
    PREFERENCES = "preferences", _("Språk og format jeg foretrekker")
    CALENDAR = "calendar", _("Ledig tid fra kalenderen min")


class GuidanceSettings(models.Model):
    """A person's choices for recommendations (innstillinger for anbefalinger)."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="guidance_settings")
    disabled_signals = models.JSONField(default=list, blank=True)  # SignalCategory values switched off
    preferred_formats = models.JSONField(default=list, blank=True)  # catalogue Format values
    # Blank: the person's preferred language (Person.preferred_language).
    preferred_language = models.CharField(_("foretrukket språk"), max_length=8, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"guidance settings {self.person_id}"


class CareerWish(models.Model):
    """Where the person wants to go (karriereønske): a position, or a step on a career ladder."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="career_wish")
    target_position = models.ForeignKey(
        "organisations.Position",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("stilling jeg ønsker meg"),
    )
    ladder_step = models.ForeignKey(
        "plans.LadderStep",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trinn i fagstigen"),
    )
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target_position__isnull=False) | Q(ladder_step__isnull=False),
                name="career_wish_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"career wish {self.person_id}"


class BusyCalendar(models.Model):
    """Busy times the person provided as iCalendar (RFC 5545), kept as given and as parsed intervals."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="busy_calendar")
    ics = models.TextField()  # the calendar exactly as uploaded or pasted
    filename = models.CharField(max_length=200, blank=True)
    # [[start ISO 8601, end ISO 8601], …] in UTC, merged and sorted; recurring events expanded.
    busy = models.JSONField(default=list)
    covers_from = models.DateField(null=True, blank=True)
    covers_to = models.DateField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar {self.person_id}"


class DismissReason(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Ikke relevant")
    ALREADY_KNOWN = "already_known", _("Kan dette allerede")
    NOT_NOW = "not_now", _("Ikke nå")


class Dismissal(models.Model):
    """A recommendation the person waved away (avvist anbefaling). Never shown to leaders."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey("catalogue.Offering", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=DismissReason.choices)
    until = models.DateTimeField(null=True, blank=True)  # "not now": snoozed until then
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "offering"], name="dismissal_once")]

    def __str__(self) -> str:
        return f"{self.person_id} ✕ {self.offering_id} ({self.reason})"


class Impression(models.Model):
    """An offering was recommended to a person (for aggregated uptake only)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey("catalogue.Offering", on_delete=models.CASCADE, related_name="+")
    signal = models.CharField(max_length=40)  # the main signal behind it, e.g. "gap", "certification"
    first_shown_at = models.DateTimeField()
    last_shown_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "offering"], name="impression_once")]
        indexes = [models.Index(fields=["first_shown_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.offering_id}"
