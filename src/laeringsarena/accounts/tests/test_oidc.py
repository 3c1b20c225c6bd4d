"""OpenID Connect login against a stand-in identity provider (no network).

The provider's token, JWKS and userinfo endpoints are answered by requests-mock with a real
RS256-signed ID token, so mozilla-django-oidc does its full verification.
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests_mock
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings

from laeringsarena.accounts.models import User

IDP = "https://idp.example.test"
OIDC_SETTINGS = {
    "OIDC_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "laeringsarena",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{IDP}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{IDP}/token",
    "OIDC_OP_USER_ENDPOINT": f"{IDP}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{IDP}/jwks",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "AUTHENTICATION_BACKENDS": [
        "django.contrib.auth.backends.ModelBackend",
        "laeringsarena.accounts.oidc.PersonOIDCBackend",
    ],
}


@pytest.fixture
def idp_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _login_through_provider(client: Client, key, claims: dict, tamper: bool = False):
    start = client.get("/oidc/login/")
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    assert start["Location"].startswith(f"{IDP}/authorize")
    assert query["client_id"] == ["laeringsarena"] and "openid" in query["scope"][0]
    state, nonce = query["state"][0], query["nonce"][0]

    now = int(time.time())
    id_claims = {"iss": IDP, "aud": "laeringsarena", "iat": now, "exp": now + 300, "nonce": nonce, **claims}
    id_token = jwt.encode(id_claims, key, algorithm="RS256", headers={"kid": "k1"})
    if tamper:
        id_token = id_token[:-4] + ("AAAA" if not id_token.endswith("AAAA") else "BBBB")
    public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    public_jwk.update({"kid": "k1", "alg": "RS256", "use": "sig"})
    with requests_mock.Mocker() as idp:
        idp.post(f"{IDP}/token", json={"id_token": id_token, "access_token": "at", "token_type": "Bearer"})
        idp.get(f"{IDP}/jwks", json={"keys": [public_jwk]})
        idp.get(f"{IDP}/userinfo", json=claims)
        return client.get("/oidc/callback/", {"code": "the-code", "state": state})


@override_settings(**OIDC_SETTINGS)
def test_a_known_person_logs_in_with_oidc_and_is_linked_by_subject(world, idp_key):
    client = Client()
    claims = {"sub": "feide-123", "email": "ansatt@alfa.test", "email_verified": True}

    response = _login_through_provider(client, idp_key, claims)

    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    user = User.objects.get(email="ansatt@alfa.test")
    assert user.oidc_subject == "feide-123"
    assert int(client.session["_auth_user_id"]) == user.pk


@override_settings(**OIDC_SETTINGS)
def test_first_oidc_login_creates_an_account_for_an_imported_person(world, idp_key):
    from laeringsarena.testing import factories as f

    person = f.EmploymentFactory(unit=world.alpha_home, person__email="ny@alfa.test").person
    client = Client()

    _login_through_provider(client, idp_key, {"sub": "feide-999", "email": "ny@alfa.test"})

    user = User.objects.get(email="ny@alfa.test")
    assert user.person == person and not user.has_usable_password()


@override_settings(**OIDC_SETTINGS)
def test_unknown_people_are_not_let_in(world, idp_key):
    client = Client()
    response = _login_through_provider(client, idp_key, {"sub": "x", "email": "stranger@example.test"})

    assert "oidc=failed" in response["Location"]
    assert not User.objects.filter(email="stranger@example.test").exists()
    assert "_auth_user_id" not in client.session


@override_settings(**OIDC_SETTINGS)
def test_a_token_with_a_bad_signature_is_rejected(world, idp_key):
    client = Client()
    response = _login_through_provider(
        client, idp_key, {"sub": "feide-123", "email": "ansatt@alfa.test"}, tamper=True
    )
    assert response.status_code == 400  # Django's answer to a SuspiciousOperation
    assert "_auth_user_id" not in client.session


def test_oidc_is_not_found_when_not_configured(db):
    assert Client().get("/oidc/login/").status_code == 404
