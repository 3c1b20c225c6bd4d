"""Multibase (base58btc, ``z…``; base64url, ``u…``) and Multikey encoding of Ed25519 keys.

Per the Controlled Identifiers spec (Multikey): an Ed25519 public key is the multicodec
prefix ``0xed 0x01`` followed by the 32 key bytes; a secret key is ``0x80 0x26`` followed by
the 32 seed bytes; both encoded as base58btc multibase (prefix ``z``).
"""

from __future__ import annotations

import base64

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: index for index, char in enumerate(ALPHABET)}
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"


class MultibaseError(ValueError):
    pass


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = ALPHABET[remainder] + encoded
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + encoded


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _INDEX:
            raise MultibaseError(f"not base58btc: {char!r}")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode(data: bytes, base: str = "z") -> str:
    if base == "z":
        return "z" + b58encode(data)
    if base == "u":
        return "u" + base64.urlsafe_b64encode(data).decode().rstrip("=")
    raise MultibaseError(f"unsupported multibase prefix {base!r}")


def decode(text: str) -> bytes:
    if not text:
        raise MultibaseError("empty multibase value")
    if text[0] == "z":
        return b58decode(text[1:])
    if text[0] == "u":
        body = text[1:]
        try:
            return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except ValueError as error:
            raise MultibaseError("not base64url") from error
    raise MultibaseError(f"unsupported multibase prefix {text[0]!r}")


def public_multikey(public_key: bytes) -> str:
    return encode(ED25519_PUB + public_key)


def secret_multikey(seed: bytes) -> str:
    return encode(ED25519_PRIV + seed)


def public_key_from_multikey(value: str) -> bytes:
    raw = decode(value)
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise MultibaseError("not an Ed25519 public Multikey")
    return raw[2:]


def seed_from_multikey(value: str) -> bytes:
    raw = decode(value)
    if not raw.startswith(ED25519_PRIV) or len(raw) != 34:
        raise MultibaseError("not an Ed25519 secret Multikey")
    return raw[2:]
