"""Small builders for catalogue tests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from laeringsarena.catalogue.models import Offering, Provider, ProviderKind, Status, Visibility
from laeringsarena.organisations.models import Organisation


def provider(slug: str = "ks", organisation: Organisation | None = None, **fields: Any) -> Provider:
    defaults: dict[str, Any] = {
        "name": slug.upper(),
        "kind": ProviderKind.MUNICIPALITY if organisation else ProviderKind.KS,
    }
    defaults.update(fields)
    return Provider.objects.create(slug=slug, organisation=organisation, **defaults)


def offering(provider: Provider, title: str, **fields: Any) -> Offering:
    values: dict[str, Any] = {
        "summary": "",
        "format": "elearning",
        "price_model": "free",
        "status": Status.PUBLISHED,
        "visibility": Visibility.PUBLIC,
        "published_at": timezone.now(),
    }
    values.update(fields)
    return Offering.objects.create(provider=provider, title=title, **values)
