"""VC-JOSE: a credential secured as a JWS (W3C "Securing Verifiable Credentials using JOSE and COSE").

Besides its Data Integrity proof (``eddsa-rdfc-2022``), every credential we issue also exists as
``application/vc+jwt``: a JWS compact serialisation whose payload is the credential without the
proof, signed with the same Ed25519 issuer key (``alg: EdDSA``); ``kid`` is the key's
verification method in the issuer's DID document, so key rotation works as for Data Integrity
(retired keys stay published). Signing and checking use PyJWT on ``cryptography``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MEDIA_TYPE = "application/vc+jwt"
TYP = "vc+jwt"
_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


class JoseError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def is_compact(value: object) -> bool:
    return isinstance(value, str) and bool(_COMPACT.match(value.strip()))


def secure(credential: dict[str, Any], private: Ed25519PrivateKey, *, kid: str) -> str:
    """The credential (its proof left out) as a vc+jwt signed with ``private``."""
    payload = {key: value for key, value in credential.items() if key != "proof"}
    return jwt.PyJWS().encode(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
        private,
        algorithm="EdDSA",
        headers={"kid": kid, "typ": TYP, "cty": "vc"},
    )


def unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(protected header, credential) of a vc+jwt — NOT yet verified."""
    try:
        header = jwt.get_unverified_header(token.strip())
        payload = json.loads(
            jwt.PyJWS().decode_complete(token.strip(), options={"verify_signature": False})["payload"]
        )
    except (jwt.InvalidTokenError, ValueError) as error:
        raise JoseError("jose-format", str(error)) from error
    if not isinstance(payload, dict):
        raise JoseError("jose-format", "the payload is not a JSON object")
    return header, payload


def check_signature(token: str, public_key: bytes) -> None:
    try:
        jwt.PyJWS().decode(
            token.strip(), key=Ed25519PublicKey.from_public_bytes(public_key), algorithms=["EdDSA"]
        )
    except jwt.InvalidSignatureError as error:
        raise JoseError("signature", str(error)) from error
    except jwt.InvalidTokenError as error:
        raise JoseError("jose-format", str(error)) from error
