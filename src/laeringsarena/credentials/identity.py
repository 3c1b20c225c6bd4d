"""Issuer identity: did:web identifiers and DID documents of issuing organisations.

An issuer is a municipality, county or the platform (a unit issues in its tenant's name).
``did:web:<host>:credentials:issuers:<slug>`` resolves (did:web method spec) to
``https://<host>/credentials/issuers/<slug>/did.json``, which this platform serves. Every key
the issuer ever had stays in the DID document (``verificationMethod`` and ``assertionMethod``),
so credentials signed before a key rotation keep verifying.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings

from laeringsarena.credentials import multibase
from laeringsarena.credentials.models import IssuerKey
from laeringsarena.organisations.models import Organisation, OrganisationKind

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def issuing_organisation(organisation: Organisation) -> Organisation:
    """The organisation that signs for ``organisation``: its tenant, or itself if it is one."""
    if organisation.kind in (
        OrganisationKind.PLATFORM,
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.COUNTY,
    ):
        return organisation
    return Organisation.objects.get(pk=organisation.tenant_id or organisation.pk)


def did_prefix() -> str:
    host = urlsplit(settings.PUBLIC_URL).netloc
    return "did:web:" + quote(host, safe="")


def did_for(organisation: Organisation) -> str:
    return f"{did_prefix()}:credentials:issuers:{organisation.slug}"


def slug_from_did(did: str) -> str | None:
    """The issuer slug of one of our own DIDs, else None."""
    prefix = did_prefix() + ":credentials:issuers:"
    if did.startswith(prefix):
        slug = did[len(prefix) :].split("#", 1)[0]
        return slug if slug and ":" not in slug else None
    return None


def verification_method_id(key: IssuerKey, organisation: Organisation) -> str:
    return f"{did_for(organisation)}#{key.key_id}"


def did_document(organisation: Organisation) -> dict[str, Any]:
    did = did_for(organisation)
    keys = list(IssuerKey.objects.filter(organisation=organisation).order_by("created_at", "pk"))
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": multibase.public_multikey(bytes(key.public_key)),
        }
        for key in keys
    ]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "alsoKnownAs": [f"{settings.PUBLIC_URL}/credentials/issuers/{organisation.slug}"],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def issuer_profile(organisation: Organisation) -> dict[str, Any]:
    """The Open Badges Profile of the issuer as it appears in credentials."""
    return {
        "id": did_for(organisation),
        "type": ["Profile"],
        "name": organisation.name,
        "url": f"{settings.PUBLIC_URL}/credentials/issuers/{organisation.slug}",
    }
