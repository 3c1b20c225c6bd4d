"""Attachments in multipart/mixed and signed statements (JWS RS256)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from laeringsarena.lrs.tests.factories import XapiClient, statement

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
BOUNDARY = "abcABC0123456789"


@pytest.fixture
def lrs(world: Any) -> XapiClient:
    return XapiClient(world.alpha)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jws(payload: dict[str, Any], alg: str = "RS256") -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signing_input = f"{_b64(json.dumps({'alg': alg}).encode())}.{_b64(json.dumps(payload).encode())}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64(signature)}".encode()


def _multipart(body: Any, parts: list[tuple[str, bytes]], encoding: str = "binary") -> bytes:
    out = f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n{json.dumps(body)}\r\n".encode()
    for content_type, content in parts:
        out += (
            (
                f"--{BOUNDARY}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n"
                f"X-Experience-API-Hash: {hashlib.sha256(content).hexdigest()}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    return out + f"--{BOUNDARY}--\r\n".encode()


def _attachment(content: bytes, usage: str, content_type: str) -> dict[str, Any]:
    return {
        "usageType": usage,
        "display": {"nb": "vedlegg"},
        "contentType": content_type,
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
    }


def _post(lrs: XapiClient, data: bytes) -> Any:
    return lrs.post("statements", data, content_type=f"multipart/mixed; boundary={BOUNDARY}")


def test_an_attachment_is_stored_and_returned_with_attachments_true(lrs):
    content = b"Kursbevis for Kari"
    body = statement(attachments=[_attachment(content, "http://example.org/usage/certificate", "text/plain")])
    response = _post(lrs, _multipart(body, [("text/plain", content)]))
    assert response.status_code == 200, response.content
    [statement_id] = response.json()
    back = lrs.get("statements", {"statementId": statement_id, "attachments": "true"})
    assert back["Content-Type"].startswith("multipart/mixed")
    assert content in back.content


def test_missing_data_wrong_encoding_and_stray_parts_are_rejected(lrs):
    content = b"data"
    body = statement(attachments=[_attachment(content, "http://example.org/u", "text/plain")])
    assert lrs.post("statements", body).status_code == 400  # no raw data sent
    assert _post(lrs, _multipart(body, [("text/plain", content)], encoding="base64")).status_code == 400
    stray = _multipart(statement(), [("text/plain", content)])
    assert _post(lrs, stray).status_code == 400


def test_a_signed_statement_is_accepted_when_the_payload_matches(lrs):
    body = statement()
    token = _jws(body)
    signed = {**body, "attachments": [_attachment(token, SIGNATURE, "application/octet-stream")]}
    assert _post(lrs, _multipart(signed, [("application/octet-stream", token)])).status_code == 200


def test_a_signature_over_another_statement_or_with_a_bad_algorithm_is_rejected(lrs):
    body = statement()
    other = _jws(statement(3))
    signed = {**body, "attachments": [_attachment(other, SIGNATURE, "application/octet-stream")]}
    response = _post(lrs, _multipart(signed, [("application/octet-stream", other)]))
    assert response.status_code == 400 and "attachments[0]" in response.json()["error"]
    weak = _jws(body, alg="HS256")
    signed = {**body, "attachments": [_attachment(weak, SIGNATURE, "application/octet-stream")]}
    assert _post(lrs, _multipart(signed, [("application/octet-stream", weak)])).status_code == 400
