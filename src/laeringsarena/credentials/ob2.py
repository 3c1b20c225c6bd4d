"""Checks of an Open Badges 2.0 assertion, as far as they can be made here.

OB 2.0 has two verification methods: *hosted* (the assertion must be retrievable at its own
``id`` URL, unchanged) and *signed* (a JWS whose key the issuer publishes). We check the
structure, the recipient (the uploader's e-mail, plain or ``sha256$``-hashed with the salt),
expiry and the ``revoked`` flag offline; for hosted assertions we then fetch the ``id`` URL
(``fetch``; tests pass their own, nothing touches the network in tests) and compare.

A *signed* assertion arrives as its JWS compact serialisation (the payload is the assertion).
We follow the OB 2.0 "Signed Badges" steps: the algorithm must be RS256; the public key is the
``CryptographicKey`` at ``verification.creator`` (or the issuer profile's ``publicKey``), whose
``owner`` must be the issuer profile and which the profile must list when it lists keys; the
signature is checked with PyJWT (on ``cryptography``); then the issuer's ``revocationList`` (when
it has one) must not name the assertion. Badge class and issuer given as URLs are fetched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from laeringsarena.credentials.verification import VerificationResult
from laeringsarena.people.models import Person

Fetch = Callable[[str], dict[str, Any]]

JWS_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


class SignedBadgeError(ValueError):
    """A signed assertion whose signature cannot be accepted (the message says why, for people)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def is_jws(value: object) -> bool:
    return isinstance(value, str) and bool(JWS_COMPACT.match(value.strip()))


def jws_payload(token: str) -> dict[str, Any]:
    """The assertion inside a signed badge, NOT yet verified."""
    try:
        payload = jwt.PyJWS().decode_complete(token.strip(), options={"verify_signature": False})["payload"]
        document = json.loads(payload)
    except (jwt.InvalidTokenError, ValueError) as error:
        raise SignedBadgeError(
            "ob2-jws", _("Den signerte teksten (JWS) kan ikke leses: %(error)s") % {"error": error}
        ) from error
    if not isinstance(document, dict):
        raise SignedBadgeError("ob2-jws", _("Den signerte teksten (JWS) inneholder ikke et bevis."))
    return document


def _resolve(value: Any, fetch: Fetch) -> dict[str, Any]:
    """An OB 2.0 node given inline or by its URL."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        found = fetch(value)
        if isinstance(found, dict):
            return found
    return {}


def _listed(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [str(item.get("id") if isinstance(item, dict) else item) for item in items]


def check_signed(token: str, document: dict[str, Any], fetch: Fetch) -> str:
    """Verify a signed badge's JWS and revocation list; returns the key URL that signed it.

    Raises :class:`SignedBadgeError` (code + plain-language message) when it does not hold.
    """
    try:
        header = jwt.get_unverified_header(token.strip())
    except jwt.InvalidTokenError as error:
        raise SignedBadgeError("ob2-jws", str(error)) from error
    if header.get("alg") != "RS256":
        raise SignedBadgeError(
            "ob2-algorithm",
            _("Signaturalgoritmen %(alg)s er ikke tillatt for Open Badges 2.0 (bare RS256).")
            % {"alg": header.get("alg")},
        )
    try:
        badge = _resolve(document.get("badge"), fetch)
        issuer = _resolve(badge.get("issuer"), fetch)
    except Exception as error:
        raise SignedBadgeError(
            "issuer-unavailable", _("Utstederens profil kunne ikke hentes: %(error)s") % {"error": error}
        ) from error
    raw_verification = document.get("verification")
    verification: dict[str, Any] = raw_verification if isinstance(raw_verification, dict) else {}
    issuer_keys = _listed(issuer.get("publicKey"))
    creator = str(verification.get("creator") or "") or (issuer_keys[0] if len(issuer_keys) == 1 else "")
    if not creator:
        raise SignedBadgeError("key-missing", _("Beviset sier ikke hvilken nøkkel som signerte det."))
    try:
        key = _resolve(creator, fetch)
    except Exception as error:
        raise SignedBadgeError(
            "key-unavailable", _("Utstederens nøkkel kunne ikke hentes: %(error)s") % {"error": error}
        ) from error
    owner = str(key.get("owner", ""))
    if issuer.get("id") and owner and owner != issuer.get("id"):
        raise SignedBadgeError("key-owner", _("Nøkkelen tilhører ikke utstederen av beviset."))
    if issuer_keys and creator not in issuer_keys:
        raise SignedBadgeError("key-owner", _("Utstederens profil oppgir ikke denne nøkkelen."))
    try:
        public_key = load_pem_public_key(str(key.get("publicKeyPem", "")).encode())
    except ValueError as error:
        raise SignedBadgeError("key-invalid", _("Utstederens nøkkel kan ikke leses.")) from error
    if not isinstance(public_key, RSAPublicKey):
        raise SignedBadgeError("key-invalid", _("Utstederens nøkkel er ikke en RSA-nøkkel."))
    try:
        jwt.PyJWS().decode(token.strip(), key=public_key, algorithms=["RS256"])
    except jwt.InvalidSignatureError as error:
        raise SignedBadgeError(
            "invalid-signature",
            _("Signaturen stemmer ikke: beviset er endret eller ikke signert av utstederen."),
        ) from error
    except jwt.InvalidTokenError as error:
        raise SignedBadgeError("ob2-jws", str(error)) from error
    revocation_url = issuer.get("revocationList")
    if revocation_url:
        try:
            revocations = _resolve(revocation_url, fetch)
        except Exception as error:
            raise SignedBadgeError(
                "status-unavailable",
                _("Utstederens liste over tilbaketrukne bevis kunne ikke hentes: %(error)s")
                % {"error": error},
            ) from error
        if str(document.get("id")) in _listed(revocations.get("revokedAssertions")):
            raise SignedBadgeError("revoked", _("Utstederen har trukket tilbake beviset."))
    return creator


def _recipient_matches(recipient: dict[str, Any], email: str) -> bool:
    identity = str(recipient.get("identity", ""))
    if recipient.get("type", "email") != "email":
        return False
    if not recipient.get("hashed"):
        return identity.lower() == email.lower()
    algorithm, _sep, digest = identity.partition("$")
    if algorithm not in ("sha256", "md5"):
        return False
    salted = (email + str(recipient.get("salt", ""))).encode()
    if algorithm == "sha256":
        expected = hashlib.sha256(salted).hexdigest()
    else:
        expected = hashlib.md5(salted, usedforsecurity=False).hexdigest()
    return digest.lower() == expected


def verify_assertion(
    document: dict[str, Any],
    person: Person,
    *,
    fetch: Fetch | None = None,
    now: dt.datetime | None = None,
    jws: str | None = None,
) -> tuple[VerificationResult, str, str]:
    """Check an assertion; ``jws`` is the signed form it came in (a signed badge), if any."""
    now = now or timezone.now()
    result = VerificationResult()
    badge = document.get("badge")
    badge = badge if isinstance(badge, dict) else {}
    issuer = badge.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {}
    name = str(badge.get("name") or _("Open Badge"))
    issuer_name = str(issuer.get("name", ""))
    result.name, result.issuer_name = name, issuer_name
    missing = [key for key in ("id", "recipient", "badge", "verification", "issuedOn") if key not in document]
    if missing or document.get("type") != "Assertion":
        result.fail(
            "format",
            "ob2-structure",
            _("Ikke et gyldig Open Badges 2.0-bevis (mangler %(fields)s).")
            % {"fields": ", ".join(missing) or "type"},
        )
    else:
        result.ok("format", _("Et Open Badges 2.0-bevis."))
    recipient = document.get("recipient")
    if isinstance(recipient, dict) and person.email and _recipient_matches(recipient, person.email):
        result.ok("recipient", _("Beviset er utstedt til din e-postadresse."))
    else:
        result.fail("recipient", "recipient-mismatch", _("Beviset er ikke utstedt til din e-postadresse."))
    expires = parse_datetime(str(document.get("expires", ""))) if document.get("expires") else None
    if expires and timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    if expires and expires <= now:
        result.fail("expiry", "expired", _("Beviset gikk ut %(date)s.") % {"date": expires.date()})
    else:
        result.ok("expiry", _("Beviset er ikke utløpt."))
    if document.get("revoked"):
        result.fail("status", "revoked", _("Utstederen har trukket tilbake beviset."))
    verification = document.get("verification")
    kind = verification.get("type") if isinstance(verification, dict) else None
    if kind in ("hosted", "HostedBadge"):
        if fetch is None:
            result.fail(
                "signature", "not-checked", _("Beviset er «hosted»: utstederens kopi kunne ikke hentes nå.")
            )
        else:
            try:
                hosted = fetch(str(document["id"]))
            except Exception as error:  # noqa: BLE001 - any failure to fetch is reported, not raised
                result.fail(
                    "signature",
                    "hosted-unavailable",
                    _("Utstederens kopi kunne ikke hentes: %(error)s") % {"error": error},
                )
            else:
                if hosted.get("revoked"):
                    result.fail("status", "revoked", _("Utstederen har trukket tilbake beviset."))
                elif hosted.get("id") == document.get("id") and hosted.get("recipient") == document.get(
                    "recipient"
                ):
                    result.ok("signature", _("Beviset stemmer med utstederens kopi."))
                else:
                    result.fail(
                        "signature", "hosted-mismatch", _("Beviset stemmer ikke med utstederens kopi.")
                    )
    elif jws is None:
        result.fail(
            "signature",
            "not-checked",
            _("Beviset er signert, men bare innholdet er lastet opp: last opp den signerte teksten (JWS)."),
        )
    elif fetch is None:
        result.fail("signature", "not-checked", _("Utstederens nøkkel kunne ikke hentes nå."))
    else:
        try:
            check_signed(jws, document, fetch)
        except SignedBadgeError as error:
            area = "status" if error.code in ("revoked", "status-unavailable") else "signature"
            result.fail(area, error.code, str(error))
        else:
            result.ok("signature", _("Signaturen stemmer: beviset er signert med utstederens nøkkel."))
            if isinstance(document.get("badge"), str) or isinstance(
                (document.get("badge") or {}).get("issuer"), str
            ):
                badge = _resolve(document.get("badge"), fetch)
                issuer_node = _resolve(badge.get("issuer"), fetch)
                result.name = name = str(badge.get("name") or name)
                result.issuer_name = issuer_name = str(issuer_node.get("name") or issuer_name)
    result.verified = not result.errors
    return result, name, issuer_name
