"""Factories and small builders for the learning account's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.core.files.base import ContentFile

from laeringsarena.competence.models import Certification, CertificationRequirement
from laeringsarena.learning_account import services
from laeringsarena.learning_account.models import DocumentKind, Upload
from laeringsarena.organisations.models import Organisation
from laeringsarena.testing import factories as f

# The smallest file each accepted type can start with.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXT = "Attest for Åse Ødegård: besøksvenn i seks år.\n".encode()


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    person = factory.SubFactory(f.PersonFactory)
    name = "Førstehjelp og HLR"
    issuer = "Alfa kommune"
    issued_on = factory.LazyFunction(lambda: dt.date(2024, 1, 10))
    expires_on = None


class CertificationRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationRequirement

    name = "Førstehjelp og HLR"
    validity_months = 12


def past_employment(person: Any, unit: Organisation, start: dt.date, end: dt.date) -> Any:
    """An ended employment (the person worked here before)."""
    return f.EmploymentFactory(person=person, unit=unit, start_date=start, end_date=end)


def upload(
    user: Any,
    *,
    title: str = "Kursbevis",
    kind: str = DocumentKind.COURSE_CERTIFICATE,
    content: bytes = PDF,
    name: str = "kursbevis.pdf",
    visible: bool = False,
    **links: int,
) -> Upload:
    return services.add_upload(
        user,
        services.UploadData(kind=kind, title=title, visible_to_employer=visible, **links),
        ContentFile(content, name=name),
    )
