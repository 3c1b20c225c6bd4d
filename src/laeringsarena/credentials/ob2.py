"""Checks of an Open Badges 2.0 assertion, as far as they can be made here.

OB 2.0 has two verification methods: *hosted* (the assertion must be retrievable at its own
``id`` URL, unchanged) and *signed* (a JWS whose key the issuer publishes). We check the
structure, the recipient (the uploader's e-mail, plain or ``sha256$``-hashed with the salt),
expiry and the ``revoked`` flag offline; for hosted assertions we then fetch the ``id`` URL
(``fetch``; tests pass their own, nothing touches the network in tests) and compare. Signed
(JWS) assertions are stored with "signature not checked": RS256 keys of OB 2.0 issuers are not
resolved yet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from laeringsarena.credentials.verification import VerificationResult
from laeringsarena.people.models import Person

Fetch = Callable[[str], dict[str, Any]]


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
    document: dict[str, Any], person: Person, *, fetch: Fetch | None = None, now: dt.datetime | None = None
) -> tuple[VerificationResult, str, str]:
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
    else:
        result.fail(
            "signature", "not-checked", _("Signerte Open Badges 2.0-bevis (JWS) kan ikke kontrolleres ennå.")
        )
    result.verified = not result.errors
    return result, name, issuer_name
