"""People and their employments.

A :class:`Person` is the owner of a learning account and survives changes of employer. An
:class:`Employment` (ansettelsesforhold) ties a person to a unit in one municipality with a
position and a percentage for a period. One person may hold several employments at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laeringsarena.organisations.models import Organisation, Position


class Person(models.Model):
    """A human being, independent of any employer."""

    given_name = models.CharField(_("fornavn"), max_length=120)
    family_name = models.CharField(_("etternavn"), max_length=120)
    email = models.EmailField(_("e-post"), unique=True, null=True, blank=True)
    phone = models.CharField(_("telefon"), max_length=32, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("fødselsår"), null=True, blank=True)
    preferred_language = models.CharField(_("foretrukket språk"), max_length=8, default="nb")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def active(self, on: dt.date | None = None) -> EmploymentQuerySet:
        """Employments in force on the given day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Employment(models.Model):
    """Person × municipality × unit × position × percentage × period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    # The tenant (municipality/county) that employs. Denormalised from the unit for scoping.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employments_as_employer"
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="employments")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="employments")
    percentage = models.DecimalField(_("stillingsprosent"), max_digits=5, decimal_places=2)
    start_date = models.DateField(_("startdato"))
    end_date = models.DateField(_("sluttdato"), null=True, blank=True)
    # Stable id from the HR system (ansattnummer + arbeidsforholdsnummer); used by the import.
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_id", "unit_id", "person__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="employment_external_id_unique_in_tenant",
            ),
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100),
                name="employment_percentage_range",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.position.name}, {self.unit} ({self.percentage:g} %)"

    def is_active(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
