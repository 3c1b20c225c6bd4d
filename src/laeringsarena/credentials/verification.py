"""Verify an Open Badges 3.0 / W3C VC credential: format, issuer, signature, validity, status.

Each check ends up as ``{"check", "ok", "message"}`` with a plain Norwegian message; failures are
also listed in ``errors`` as ``{"check", "code", "message"}``. Keys are resolved from did:key,
from our own did:web documents (straight from the database) and, in production, from other
did:web issuers over HTTPS (``Resolver.fetch``; tests replace it, so no test touches the
network). JSON-LD contexts are always the vendored ones (jsonld.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from laeringsarena.credentials import dataintegrity, jose, multibase, statuslist
from laeringsarena.credentials.dataintegrity import ProofError

Fetch = Callable[[str], dict[str, Any]]

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"


@dataclass
class VerificationResult:
    verified: bool = False
    checks: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    issuer_name: str = ""
    issuer_id: str = ""
    name: str = ""

    def ok(self, check: str, message: str) -> None:
        self.checks.append({"check": check, "ok": True, "message": message})

    def fail(self, check: str, code: str, message: str) -> None:
        self.checks.append({"check": check, "ok": False, "message": message})
        self.errors.append({"check": check, "code": code, "message": message})

    def as_dict(self) -> dict[str, Any]:
        return {"verified": self.verified, "checks": self.checks, "errors": self.errors}


class ResolutionError(Exception):
    pass


def _https_fetch(url: str) -> dict[str, Any]:  # pragma: no cover - network, replaced in tests
    import requests

    response = requests.get(url, timeout=5, headers={"Accept": "application/json, application/did+json"})
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def did_web_url(did: str) -> str:
    """did:web → the HTTPS URL of its DID document (did:web method spec §3.2)."""
    parts = did.split(":")[2:]
    host = unquote(parts[0])
    path = "/".join(parts[1:]) if len(parts) > 1 else ".well-known"
    return f"https://{host}/{path}/did.json"


class Resolver:
    """Finds controller documents and status list credentials. Our own come from the database."""

    def __init__(self, fetch: Fetch | None = None) -> None:
        self.fetch = fetch or _https_fetch

    def controller_document(self, controller: str) -> dict[str, Any]:
        if controller.startswith("did:key:"):
            return did_key_document(controller)
        from laeringsarena.credentials import identity
        from laeringsarena.organisations.models import Organisation

        slug = identity.slug_from_did(controller)
        if slug is not None:
            organisation = Organisation.objects.filter(
                slug=slug, kind__in=["platform", "municipality", "county"]
            ).first()
            if organisation is None:
                raise ResolutionError(_("Utstederen finnes ikke på denne plattformen."))
            return identity.did_document(organisation)
        try:
            if controller.startswith("did:web:"):
                return self.fetch(did_web_url(controller))
            if controller.startswith("https://"):
                return self.fetch(controller)
        except Exception as error:
            raise ResolutionError(
                _("Klarte ikke å hente utstederens nøkler: %(error)s") % {"error": error}
            ) from error
        raise ResolutionError(_("Utstederens identifikator (%(id)s) støttes ikke.") % {"id": controller})

    def status_list(self, url: str) -> dict[str, Any]:
        from laeringsarena.credentials.models import StatusList

        prefix = f"{settings.PUBLIC_URL}/credentials/status/"
        if url.startswith(prefix):
            pk = url[len(prefix) :]
            status = StatusList.objects.filter(pk=int(pk) if pk.isdigit() else 0).first()
            if status is None or status.document is None:
                raise ResolutionError(_("Statuslisten finnes ikke."))
            document: dict[str, Any] = status.document
            return document
        try:
            return self.fetch(url)
        except Exception as error:
            raise ResolutionError(
                _("Klarte ikke å hente statuslisten: %(error)s") % {"error": error}
            ) from error


def did_key_document(did: str) -> dict[str, Any]:
    fingerprint = did.split(":", 2)[2].split("#", 1)[0]
    multibase.public_key_from_multikey(fingerprint)  # Ed25519 only
    method = {
        "id": f"{did}#{fingerprint}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": fingerprint,
    }
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
        "authentication": [method["id"]],
    }


def _issuer(document: dict[str, Any]) -> tuple[str, str]:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        return str(issuer.get("id", "")), str(issuer.get("name", ""))
    return (str(issuer), "") if isinstance(issuer, str) else ("", "")


def _public_key(
    document: dict[str, Any], issuer_id: str, resolver: Resolver, purpose: str
) -> tuple[bytes, dict[str, Any]]:
    proof = dataintegrity.single_proof(document)
    dataintegrity.check_proof_shape(proof)
    return _method_key(str(proof["verificationMethod"]), issuer_id, resolver, purpose)


def _method_key(
    method_id: str, issuer_id: str, resolver: Resolver, purpose: str
) -> tuple[bytes, dict[str, Any]]:
    """The Ed25519 key of a verification method the issuer publishes for ``purpose``."""
    controller_id = method_id.split("#", 1)[0]
    if controller_id != issuer_id:
        raise ProofError(
            "issuer-mismatch", _("Signaturen er laget med en nøkkel som ikke tilhører utstederen.")
        )
    try:
        controller = resolver.controller_document(controller_id)
    except ResolutionError as error:
        raise ProofError("issuer-unresolved", str(error)) from error
    if controller.get("id") != controller_id:
        raise ProofError("issuer-unresolved", _("Utstederens nøkkeldokument har feil identifikator."))
    methods = {m.get("id"): m for m in controller.get("verificationMethod", []) if isinstance(m, dict)}
    method = methods.get(method_id)
    relationship = [m if isinstance(m, str) else m.get("id") for m in controller.get(purpose, [])]
    if method is None or method_id not in relationship:
        raise ProofError("key-unknown", _("Nøkkelen som signerte er ikke publisert av utstederen."))
    if method.get("revoked"):
        raise ProofError("key-revoked", _("Nøkkelen som signerte er trukket tilbake av utstederen."))
    try:
        return multibase.public_key_from_multikey(str(method.get("publicKeyMultibase", ""))), method
    except multibase.MultibaseError as error:
        raise ProofError("key-unsupported", _("Utstederens nøkkel er ikke en Ed25519-nøkkel.")) from error


def _date(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


def verify_signature_only(document: dict[str, Any], resolver: Resolver | None = None) -> str:
    """Check a document's proof against its issuer's published key; returns the issuer id."""
    issuer_id, _name = _issuer(document)
    public_key, _method = _public_key(document, issuer_id, resolver or Resolver(), "assertionMethod")
    dataintegrity.verify_proof(document, public_key)
    return issuer_id


def verify_credential(
    document: Any, *, resolver: Resolver | None = None, now: dt.datetime | None = None
) -> VerificationResult:
    resolver = resolver or Resolver()
    now = now or timezone.now()
    if jose.is_compact(document):
        return _verify_jose(str(document), resolver, now)
    result = VerificationResult()
    if not isinstance(document, dict):
        result.fail(
            "format", "not-an-object", _("Dette er ikke et kompetansebevis (JSON-objekt) vi kan lese.")
        )
        return result
    if not _check_format(document, result):
        return result
    issuer_id, issuer_name = _issuer(document)
    public_key: bytes | None = None
    try:
        public_key, _method = _public_key(document, issuer_id, resolver, "assertionMethod")
    except ProofError as error:
        result.fail("issuer", error.code, str(error))
    else:
        _issuer_ok(issuer_id, issuer_name, result)

    if public_key is not None:
        try:
            dataintegrity.verify_proof(document, public_key)
        except ProofError as error:
            if error.code == "signature":
                message = _("Signaturen stemmer ikke: innholdet er endret etter at beviset ble utstedt.")
            else:
                message = _("Signaturen kunne ikke kontrolleres: %(error)s") % {"error": error}
            result.fail("signature", error.code, message)
        else:
            result.ok("signature", _("Signaturen er gyldig: innholdet er uendret siden utstedelsen."))
    else:
        result.fail(
            "signature", "not-checked", _("Signaturen kunne ikke kontrolleres uten utstederens nøkkel.")
        )

    _check_validity(document, now, result)
    _check_status(document, issuer_id, resolver, now, result)
    result.verified = not result.errors
    return result


def _check_format(document: dict[str, Any], result: VerificationResult) -> bool:
    contexts = document.get("@context")
    types = document.get("type") or []
    types = [types] if isinstance(types, str) else types
    if not isinstance(contexts, list) or not contexts or contexts[0] not in (VC_V2, VC_V1):
        result.fail("format", "context", _("Beviset mangler W3C Verifiable Credentials-konteksten."))
        return False
    if "VerifiableCredential" not in types:
        result.fail("format", "type", _("Dokumentet er ikke et Verifiable Credential."))
        return False
    result.name = str(document.get("name") or _achievement_name(document))
    is_badge = "OpenBadgeCredential" in types or "AchievementCredential" in types
    result.ok(
        "format",
        _("Et Open Badges 3.0-kompetansebevis.") if is_badge else _("Et W3C Verifiable Credential."),
    )
    issuer_id, issuer_name = _issuer(document)
    result.issuer_id, result.issuer_name = issuer_id, issuer_name or issuer_id
    return True


def _issuer_ok(issuer_id: str, issuer_name: str, result: VerificationResult) -> None:
    from laeringsarena.credentials import identity

    if identity.slug_from_did(issuer_id):
        result.ok(
            "issuer", _("Utstedt av %(name)s, en kjent utsteder på Læringsarena.") % {"name": issuer_name}
        )
    else:
        result.ok(
            "issuer",
            _("Utstedt av %(name)s; nøkkelen er publisert av utstederen (%(id)s).")
            % {"name": issuer_name or issuer_id, "id": issuer_id},
        )


def _verify_jose(token: str, resolver: Resolver, now: dt.datetime) -> VerificationResult:
    """A credential secured with VC-JOSE (vc+jwt): the same checks as for Data Integrity."""
    result = VerificationResult()
    try:
        header, document = jose.unverified(token)
    except jose.JoseError as error:
        result.fail(
            "format", error.code, _("Den signerte teksten (JWT) kan ikke leses: %(error)s") % {"error": error}
        )
        return result
    if header.get("alg") != "EdDSA":
        result.fail(
            "format",
            "jose-algorithm",
            _("Signaturalgoritmen %(alg)s støttes ikke (bare EdDSA/Ed25519).") % {"alg": header.get("alg")},
        )
        return result
    if not _check_format(document, result):
        return result
    issuer_id, issuer_name = _issuer(document)
    kid = str(header.get("kid") or "")
    if kid.startswith("#"):
        kid = issuer_id + kid
    public_key: bytes | None = None
    try:
        if not kid:
            raise ProofError("key-unknown", _("Beviset sier ikke hvilken nøkkel som signerte det (kid)."))
        if kid.split("#", 1)[0] != issuer_id:
            raise ProofError(
                "issuer-mismatch", _("Signaturen er laget med en nøkkel som ikke tilhører utstederen.")
            )
        public_key, _method = _method_key(kid, issuer_id, resolver, "assertionMethod")
    except ProofError as error:
        result.fail("issuer", error.code, str(error))
    else:
        _issuer_ok(issuer_id, issuer_name, result)
    if public_key is not None:
        try:
            jose.check_signature(token, public_key)
        except jose.JoseError as error:
            result.fail(
                "signature",
                error.code,
                _("Signaturen stemmer ikke: innholdet er endret etter at beviset ble utstedt.")
                if error.code == "signature"
                else _("Signaturen kunne ikke kontrolleres: %(error)s") % {"error": error},
            )
        else:
            result.ok("signature", _("Signaturen (JWT) er gyldig: innholdet er uendret siden utstedelsen."))
    else:
        result.fail(
            "signature", "not-checked", _("Signaturen kunne ikke kontrolleres uten utstederens nøkkel.")
        )
    _check_validity(document, now, result)
    _check_status(document, issuer_id, resolver, now, result)
    result.verified = not result.errors
    return result


def _achievement_name(document: dict[str, Any]) -> str:
    subject = document.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
        return str(subject["achievement"].get("name", ""))
    return ""


def _check_validity(document: dict[str, Any], now: dt.datetime, result: VerificationResult) -> None:
    valid_from = _date(document.get("validFrom") or document.get("issuanceDate"))
    valid_until = _date(document.get("validUntil") or document.get("expirationDate"))
    if valid_from and valid_from > now:
        result.fail(
            "expiry", "not-yet-valid", _("Beviset gjelder først fra %(date)s.") % {"date": valid_from.date()}
        )
    elif valid_until and valid_until <= now:
        result.fail("expiry", "expired", _("Beviset gikk ut %(date)s.") % {"date": valid_until.date()})
    elif valid_until:
        result.ok("expiry", _("Beviset er gyldig til %(date)s.") % {"date": valid_until.date()})
    else:
        result.ok("expiry", _("Beviset har ingen utløpsdato."))


def _check_status(
    document: dict[str, Any], issuer_id: str, resolver: Resolver, now: dt.datetime, result: VerificationResult
) -> None:
    entries = document.get("credentialStatus")
    if entries is None:
        result.ok("status", _("Utstederen har ingen tilbakekallingsliste for dette beviset."))
        return
    entries = entries if isinstance(entries, list) else [entries]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            result.fail(
                "status",
                "status-unsupported",
                _("Ukjent type statusoppføring; status kan ikke kontrolleres."),
            )
            return
        purpose = entry.get("statusPurpose")
        try:
            index = int(entry.get("statusListIndex", ""))
            url = str(entry["statusListCredential"])
            status_credential = resolver.status_list(url)
            list_issuer = verify_signature_only(status_credential, resolver)
            if list_issuer != issuer_id:
                raise ResolutionError(_("Statuslisten er ikke utstedt av samme utsteder."))
            subject = status_credential.get("credentialSubject", {})
            if subject.get("statusPurpose") != purpose:
                raise ResolutionError(_("Statuslisten har et annet formål."))
            list_until = _date(status_credential.get("validUntil"))
            if list_until and list_until <= now:
                raise ResolutionError(_("Statuslisten er utløpt."))
            revoked = statuslist.is_set(statuslist.decode(str(subject.get("encodedList", ""))), index)
        except (ResolutionError, ProofError, ValueError, KeyError, IndexError, OSError) as error:
            result.fail(
                "status",
                "status-unavailable",
                _("Status kunne ikke kontrolleres: %(error)s") % {"error": error},
            )
            return
        if revoked and purpose == "revocation":
            result.fail(
                "status", "revoked", _("Utstederen har trukket tilbake (kalt tilbake) dette beviset.")
            )
            return
        if revoked and purpose == "suspension":
            result.fail("status", "suspended", _("Utstederen har midlertidig suspendert dette beviset."))
            return
    result.ok("status", _("Beviset er ikke trukket tilbake (kontrollert mot utstederens statusliste)."))
