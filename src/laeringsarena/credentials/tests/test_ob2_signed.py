"""Signed Open Badges 2.0 assertions (JWS, RS256): verified for real when a person imports one."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import jwt
import pytest
import requests_mock
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from laeringsarena.conftest import World, client_for
from laeringsarena.credentials import services
from laeringsarena.credentials.models import ImportedCredential, ImportFormat

pytestmark = pytest.mark.django_db

ISSUER = "https://badges.example/issuers/rodekors"
KEY = "https://badges.example/issuers/rodekors/keys/1"
BADGE = "https://badges.example/badgeclasses/forstehjelp"
REVOCATIONS = "https://badges.example/issuers/rodekors/revocations"
ASSERTION_ID = "https://badges.example/assertions/77"


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(private: rsa.RSAPrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class Issuer:
    """A small OB 2.0 issuer on the web: profile, key, badge class and revocation list."""

    def __init__(self) -> None:
        self.private = _rsa()
        self.revoked: list[Any] = []
        self.key_owner = ISSUER

    def documents(self) -> dict[str, dict[str, Any]]:
        context = "https://w3id.org/openbadges/v2"
        return {
            ISSUER: {
                "@context": context, "type": "Issuer", "id": ISSUER, "name": "Røde Kors Førstehjelp",
                "url": "https://badges.example", "publicKey": KEY, "revocationList": REVOCATIONS,
            },
            KEY: {"@context": context, "type": "CryptographicKey", "id": KEY, "owner": self.key_owner,
                  "publicKeyPem": _pem(self.private)},
            BADGE: {"@context": context, "type": "BadgeClass", "id": BADGE,
                    "name": "Førstehjelp på arbeidsplassen", "issuer": ISSUER,
                    "criteria": {"narrative": "Fullført 6 timers kurs."}},
            REVOCATIONS: {"@context": context, "type": "RevocationList", "id": REVOCATIONS, "issuer": ISSUER,
                          "revokedAssertions": self.revoked},
        }  # fmt: skip

    def fetch(self, url: str) -> dict[str, Any]:
        found = self.documents().get(url)
        if found is None:
            raise OSError(f"404 {url}")
        return found

    def sign(self, email: str, *, algorithm: str = "RS256", key: Any = None, **changes: Any) -> str:
        assertion = {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Assertion",
            "id": ASSERTION_ID,
            "recipient": {
                "type": "email", "hashed": True, "salt": "s4lt",
                "identity": "sha256$" + hashlib.sha256((email + "s4lt").encode()).hexdigest(),
            },
            "badge": BADGE,
            "verification": {"type": "SignedBadge", "creator": KEY},
            "issuedOn": "2025-03-01T10:00:00Z",
            **changes,
        }  # fmt: skip
        return jwt.PyJWS().encode(
            json.dumps(assertion).encode(), key if key is not None else self.private, algorithm=algorithm
        )


def _codes(imported: ImportedCredential) -> set[str]:
    return {e["code"] for e in imported.verification["errors"]}


def test_a_signed_badge_is_verified_with_the_issuers_published_key(world: World) -> None:
    issuer = Issuer()
    person = world.employee.person
    token = issuer.sign(person.email)
    imported = services.import_credential(person, token, resolver=services.Resolver(fetch=issuer.fetch))
    assert imported.format == ImportFormat.OB2
    assert imported.verified, imported.verification
    assert imported.document == token  # the JWS is the credential; kept as it came
    assert (imported.name, imported.issuer_name) == ("Førstehjelp på arbeidsplassen", "Røde Kors Førstehjelp")
    assert any("Signaturen stemmer" in c["message"] for c in imported.verification["checks"])


def test_a_tampered_signed_badge_fails(world: World) -> None:
    issuer = Issuer()
    person = world.employee.person
    header, _payload, signature = issuer.sign(person.email).split(".")
    other_payload = issuer.sign(person.email, issuedOn="2020-01-01T00:00:00Z").split(".")[1]
    tampered = ".".join([header, other_payload, signature])
    imported = services.import_credential(person, tampered, resolver=services.Resolver(fetch=issuer.fetch))
    assert not imported.verified
    assert _codes(imported) == {"invalid-signature"}


def test_a_badge_signed_with_another_key_or_revoked_or_hs256_fails(world: World) -> None:
    issuer = Issuer()
    person = world.employee.person
    resolver = services.Resolver(fetch=issuer.fetch)
    forged = issuer.sign(person.email, key=_rsa())
    assert _codes(services.import_credential(person, forged, resolver=resolver)) == {"invalid-signature"}
    issuer.revoked = [{"id": ASSERTION_ID, "revocationReason": "Feil mottaker"}]
    revoked = services.import_credential(person, issuer.sign(person.email), resolver=resolver)
    assert _codes(revoked) == {"revoked"}
    issuer.revoked = []
    issuer.key_owner = "https://elsewhere.example/issuer"
    assert _codes(services.import_credential(person, issuer.sign(person.email), resolver=resolver)) == {
        "key-owner"
    }
    issuer.key_owner = ISSUER
    hs = issuer.sign(person.email, algorithm="HS256", key="a-shared-secret-of-at-least-32-bytes!!")
    assert _codes(services.import_credential(person, hs, resolver=resolver)) == {"ob2-algorithm"}


def test_someone_elses_signed_badge_is_stored_but_not_confirmed(world: World) -> None:
    issuer = Issuer()
    token = issuer.sign(world.colleague.person.email)
    imported = services.import_credential(
        world.employee.person, token, resolver=services.Resolver(fetch=issuer.fetch)
    )
    assert not imported.verified
    assert _codes(imported) == {"recipient-mismatch"}


def test_the_import_page_takes_a_pasted_jws_and_fetches_the_issuer_over_https(world: World) -> None:
    issuer = Issuer()
    token = issuer.sign(world.employee.person.email)
    client = client_for(world.employee)
    with requests_mock.Mocker() as web:
        for url, document in issuer.documents().items():
            web.get(url, json=document)
        response = client.post("/kompetansebevis/importer/", {"credential": token + "\n"}, follow=True)
    page = response.content.decode()
    assert "Beviset er kontrollert og lagret." in page
    assert "Førstehjelp på arbeidsplassen" in page
    assert ImportedCredential.objects.get(person=world.employee.person).verified
