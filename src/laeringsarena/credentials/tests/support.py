"""Helpers for the credentials tests."""

from __future__ import annotations

from typing import Any

from laeringsarena.credentials import identity
from laeringsarena.credentials.models import IssuedCredential, StatusList


def served_documents(credential: IssuedCredential) -> dict[str, Any]:
    """What the platform serves for a credential: the issuer's DID document and the status list."""
    issuer = credential.achievement.issuer
    status = StatusList.objects.get(pk=credential.status_list_id)
    return {
        identity.did_for(issuer): identity.did_document(issuer),
        credential.document["credentialStatus"]["statusListCredential"]: status.document,
    }
