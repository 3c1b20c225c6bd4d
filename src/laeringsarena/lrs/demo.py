"""Demo data of the lrs app: one xAPI client per municipality with fixed credentials.

The credentials are documented in docs/lrs.md (demo mode only) so that a course tool or the
conformance suite can be pointed at a demo instance. Outside demo mode nothing is created.
Idempotent and fast (one query per municipality).
"""

from __future__ import annotations

from django.conf import settings

from laeringsarena.lrs import services
from laeringsarena.lrs.models import LrsClient
from laeringsarena.organisations.models import Organisation, OrganisationKind

DEMO_CLIENT_NAME = "Demo: kurs- og e-læringsverktøy"


def demo_key(slug: str) -> str:
    return f"demo-{slug}"


def demo_secret(slug: str) -> str:
    return f"demo-{slug}-xapi-hemmelighet"


def load() -> None:
    if not settings.DEMO_MODE:
        return
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("slug")
    existing = set(LrsClient.objects.values_list("key", flat=True))
    for municipality in municipalities:
        if demo_key(municipality.slug) in existing:
            continue
        services.create_client(
            municipality,
            name=DEMO_CLIENT_NAME,
            key=demo_key(municipality.slug),
            secret=demo_secret(municipality.slug),
        )
