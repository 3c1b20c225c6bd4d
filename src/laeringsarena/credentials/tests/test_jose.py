"""VC-JOSE: every credential also as application/vc+jwt, verified like the Data Integrity form."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from django.test import Client

from laeringsarena.conftest import World, client_for
from laeringsarena.credentials import identity, services
from laeringsarena.credentials.models import ImportFormat, IssuedCredential
from laeringsarena.credentials.tests.factories import AchievementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(world: World) -> IssuedCredential:
    achievement = AchievementFactory(issuer=world.alpha)
    return services.issue(achievement, world.employee.person)


def _codes(result: Any) -> set[str]:
    return {e["code"] for e in result.errors}


def test_a_credential_is_also_issued_as_a_vc_jwt_that_verifies(credential: IssuedCredential) -> None:
    token = credential.jwt
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["typ"], header["cty"]) == ("EdDSA", "vc+jwt", "vc")
    key = identity.verification_method_id(
        services.active_key(credential.achievement.issuer), credential.achievement.issuer
    )
    assert header["kid"] == key
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert payload == {k: v for k, v in credential.document.items() if k != "proof"}
    result = services.verify(token)
    assert result.verified, result.errors
    assert {c["check"] for c in result.checks} >= {"format", "issuer", "signature", "expiry", "status"}


def test_a_tampered_or_revoked_vc_jwt_fails(credential: IssuedCredential) -> None:
    header, payload, signature = credential.jwt.split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
    changed["name"] = "Noe helt annet"
    forged = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
    assert _codes(services.verify(f"{header}.{forged}.{signature}")) == {"signature"}
    services.revoke(credential, reason="Feil")
    assert _codes(services.verify(credential.jwt)) == {"revoked"}


def test_old_vc_jwts_verify_after_key_rotation(credential: IssuedCredential, world: World) -> None:
    old = credential.jwt
    services.rotate_key(world.alpha)
    assert services.verify(old).verified
    newer = services.issue(credential.achievement, world.colleague.person)
    assert jwt.get_unverified_header(newer.jwt)["kid"] != jwt.get_unverified_header(old)["kid"]
    assert services.verify(newer.jwt).verified


def test_served_as_application_vc_jwt_and_accepted_by_the_verify_api(
    credential: IssuedCredential, world: World
) -> None:
    services.set_public(world.employee.person, credential, True)
    anyone = Client()
    url = f"/credentials/{credential.uid}"
    by_accept = anyone.get(url, HTTP_ACCEPT="application/vc+jwt")
    assert by_accept["Content-Type"] == "application/vc+jwt"
    assert by_accept.content.decode() == credential.jwt
    assert anyone.get(url + "?format=jwt").content.decode() == credential.jwt
    assert anyone.get(url)["Content-Type"].startswith("application/vc+ld+json")
    answer = anyone.post(
        "/api/v1/credentials/verify", credential.jwt, content_type="application/vc+jwt"
    ).json()
    assert answer["verified"] is True
    as_json_string = anyone.post(
        "/api/v1/credentials/verify", json.dumps(credential.jwt), content_type="application/json"
    ).json()
    assert as_json_string["verified"] is True
    assert anyone.post("/api/v1/credentials/verify", "", content_type="application/vc+jwt").status_code == 400


def test_the_verify_page_and_import_take_a_vc_jwt(credential: IssuedCredential, world: World) -> None:
    page = Client().post("/credentials/verify", {"credential": credential.jwt}).content.decode()
    assert "Signaturen (JWT) er gyldig" in page
    client_for(world.colleague).post("/kompetansebevis/importer/", {"credential": credential.jwt})
    imported = world.colleague.person.imported_credentials.get()
    assert imported.format == ImportFormat.OB3 and imported.verified
    assert imported.document == credential.jwt
