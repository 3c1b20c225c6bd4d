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
