"""Signed statements (xAPI "Signed Statements"): JWS compact serialisation, RS256/384/512.

The JWS payload must be the statement itself (without the signature attachment and the
properties the LRS sets). When the JWS header carries an ``x5c`` certificate chain, the
signature is verified against the first certificate's public key.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from laeringsarena.lrs.validation import comparable, fail

if TYPE_CHECKING:
    from laeringsarena.lrs.services import RawAttachment

ALGORITHMS: dict[str, type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}


def _b64(segment: str, path: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise fail(path, "the signature is not a JWS (bad base64url)") from None


def _comparable(statement: dict[str, Any]) -> Any:
    return comparable(statement)


def verify_signed_statement(
    statement: dict[str, Any], item: dict[str, Any], attachments: dict[str, RawAttachment], path: str
) -> None:
    """Raise a 400 unless the signature attachment is a valid JWS over this very statement."""
    if item.get("contentType") != "application/octet-stream":
        raise fail(f"{path}.contentType", "a signature attachment must be application/octet-stream")
    raw = attachments.get(item["sha2"])
    if raw is None:
        raise fail(f"{path}.sha2", "the signature's JWS was not sent")
    try:
        token = raw.content.decode("ascii").strip()
    except UnicodeDecodeError:
        raise fail(path, "the signature is not a JWS") from None
    parts = token.split(".")
    if len(parts) != 3:
        raise fail(path, "the signature is not a JWS in compact serialisation")
    try:
        header = json.loads(_b64(parts[0], path))
        payload = json.loads(_b64(parts[1], path))
    except ValueError:
        raise fail(path, "the JWS header or payload is not JSON") from None
    if not isinstance(header, dict) or header.get("alg") not in ALGORITHMS:
        raise fail(path, "the JWS algorithm must be RS256, RS384 or RS512")
    if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
        raise fail(path, "the JWS payload does not match the statement")
    if "id" in payload and "id" in statement and str(payload["id"]).lower() != str(statement["id"]).lower():
        raise fail(path, "the JWS payload does not match the statement id")
    chain = header.get("x5c")
    if chain:
        try:
            certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
        except (ValueError, TypeError, binascii.Error):
            raise fail(path, "the JWS x5c certificate cannot be read") from None
        key = certificate.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise fail(path, "the JWS x5c certificate must hold an RSA key")
        try:
            key.verify(
                _b64(parts[2], path),
                f"{parts[0]}.{parts[1]}".encode("ascii"),
                padding.PKCS1v15(),
                ALGORITHMS[header["alg"]](),
            )
        except InvalidSignature:
            raise fail(path, "the JWS signature does not verify against its x5c certificate") from None
