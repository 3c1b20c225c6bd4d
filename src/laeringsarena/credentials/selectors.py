"""Reads of the credentials app (used by the learning account pages too)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from laeringsarena.credentials.models import ImportedCredential, IssuedCredential, Share
from laeringsarena.people.models import Person


def credentials_for(person: Person) -> list[IssuedCredential]:
    """The person's credentials (each with ``.document``, ``.status``, ``.achievement``), newest first."""
    return list(
        IssuedCredential.objects.filter(person=person).select_related("achievement", "achievement__issuer")
    )


def shares_for(person: Person) -> list[Share]:
    """The person's share links (who has a link — ``recipient`` — and until when), newest first."""
    return list(Share.objects.filter(person=person).prefetch_related("credentials__achievement"))


def active_shares_for(person: Person) -> QuerySet[Share]:
    return Share.objects.filter(person=person, revoked_at__isnull=True, expires_at__gt=timezone.now())


def imports_for(person: Person) -> list[ImportedCredential]:
    return list(ImportedCredential.objects.filter(person=person))


def publicly_visible(credential: IssuedCredential) -> bool:
    """May anyone with the URL see the credential's JSON? Public, or in an active share."""
    if credential.public:
        return True
    return credential.shares.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).exists()
