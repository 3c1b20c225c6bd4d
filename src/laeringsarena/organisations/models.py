"""The organisation tree: platform → municipality/county (tenant) → sector → unit (any depth).

Subtree queries use a materialised path (``/1/4/17/``) so that "everything under this unit"
is one indexed ``startswith`` on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    PLATFORM = "platform", _("Plattform")
    MUNICIPALITY = "municipality", _("Kommune")
    COUNTY = "county", _("Fylkeskommune")
    SECTOR = "sector", _("Sektor")
    UNIT = "unit", _("Enhet")


TENANT_KINDS = {OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY}

# Which kinds may sit directly below which.
ALLOWED_CHILDREN: dict[str, set[str]] = {
    OrganisationKind.PLATFORM: {OrganisationKind.MUNICIPALITY, OrganisationKind.COUNTY},
    OrganisationKind.MUNICIPALITY: {OrganisationKind.SECTOR, OrganisationKind.UNIT},
    OrganisationKind.COUNTY: {OrganisationKind.SECTOR, OrganisationKind.UNIT},
    OrganisationKind.SECTOR: {OrganisationKind.UNIT},
    OrganisationKind.UNIT: {OrganisationKind.UNIT},
}


class Organisation(models.Model):
    """A node in the tree. Municipalities and counties are tenants (kommune / fylkeskommune)."""

    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kortnavn"), max_length=80)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The tenant this node belongs to (itself for a municipality; null for the platform).
    tenant = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # Organisation number (organisasjonsnummer) in Brønnøysundregistrene, if known.
    org_number = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="organisation_slug_unique_in_tenant"),
            # Tenant slugs appear in URLs (/kommune/fjordvik/) and must be globally unique.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(kind__in=["municipality", "county", "platform"]),
                name="tenant_slug_unique",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "kind"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if self.parent is not None:
            if self.kind in TENANT_KINDS:
                self.tenant_id = None  # set to self below, after we have a primary key
            else:
                self.tenant_id = self.parent.tenant_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        parent_path = self.parent.path if self.parent is not None else "/"
        path = f"{parent_path}{self.pk}/"
        depth = path.count("/") - 2
        updates: dict[str, object] = {}
        if self.path != path:
            updates["path"] = path
        if self.depth != depth:
            updates["depth"] = depth
        if self.kind in TENANT_KINDS and self.tenant_id != self.pk:
            updates["tenant_id"] = self.pk
        if updates:
            old_path = self.path
            Organisation.objects.filter(pk=self.pk).update(**updates)
            for key, value in updates.items():
                setattr(self, key, value)
            if old_path and "path" in updates:
                # The node moved: rewrite the paths of everything below it.
                for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.save()

    def clean(self) -> None:
        if self.parent is None:
            if self.kind != OrganisationKind.PLATFORM:
                raise ValidationError(_("Bare plattformen kan stå øverst i treet."))
        elif self.kind not in ALLOWED_CHILDREN.get(self.parent.kind, set()):
            raise ValidationError(
                _("En organisasjon av typen «%(kind)s» kan ikke ligge under en av typen «%(parent)s».")
                % {"kind": self.get_kind_display(), "parent": self.parent.get_kind_display()}
            )

    @property
    def is_tenant(self) -> bool:
        return self.kind in TENANT_KINDS

    def subtree(self) -> models.QuerySet[Organisation]:
        """This organisation and everything below it."""
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[Organisation]:
        """Everything above this organisation, top first (not including itself)."""
        ids = [int(part) for part in self.path.strip("/").split("/") if part][:-1]
        return Organisation.objects.filter(pk__in=ids).order_by("depth")

    def is_within(self, other: Organisation) -> bool:
        return self.path.startswith(other.path)


class Position(models.Model):
    """A position (stilling) with a STYRK-08 style occupation code."""

    code = models.CharField(_("stillingskode"), max_length=16, unique=True)
    name = models.CharField(_("stillingsnavn"), max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
