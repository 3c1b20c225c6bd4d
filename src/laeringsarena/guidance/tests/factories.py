"""Small builders for guidance tests: competences, requirements and offerings."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from laeringsarena.catalogue.models import Offering, Provider, ProviderKind, Status, Visibility
from laeringsarena.competence.models import Competence, CompetenceArea, CompetenceRequirement, Framework
from laeringsarena.organisations.models import Organisation, Position


def competence(name: str, code: str | None = None) -> Competence:
    framework, _ = Framework.objects.get_or_create(slug="test", version="1.0", defaults={"name": "Test"})
    area, _ = CompetenceArea.objects.get_or_create(framework=framework, code="A", defaults={"name": "Område"})
    return Competence.objects.create(framework=framework, area=area, code=code or name[:6].upper(), name=name)


def requirement(
    tenant: Organisation, comp: Competence, level: int, position: Position | None = None
) -> CompetenceRequirement:
    return CompetenceRequirement.objects.create(
        tenant=tenant, competence=comp, required_level=level, position=position
    )


def provider(slug: str = "ks") -> Provider:
    found = Provider.objects.filter(slug=slug).first()
    return found or Provider.objects.create(slug=slug, name=slug.upper(), kind=ProviderKind.KS)


def offering(title: str, **fields: Any) -> Offering:
    values: dict[str, Any] = {
        "summary": "",
        "format": "elearning",
        "price_model": "free",
        "status": Status.PUBLISHED,
        "visibility": Visibility.PUBLIC,
        "published_at": timezone.now(),
    }
    competences = fields.pop("competences", [])
    positions = fields.pop("positions", [])
    values.update(fields)
    created = Offering.objects.create(provider=provider(), title=title, **values)
    if competences:
        created.competences.set(competences)
    if positions:
        created.target_positions.set(positions)
    return created
