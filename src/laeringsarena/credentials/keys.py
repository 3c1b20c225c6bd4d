"""Issuer key pairs: generation and encryption at rest.

Private keys are stored in the database encrypted with AES-256-GCM under a key derived from
``settings.SECRET_KEY`` with HKDF-SHA256 (info ``laeringsarena credentials issuer keys``); the
organisation and key id are bound as associated data, so a ciphertext copied to another
organisation's row does not decrypt. A database dump alone therefore does not let anyone sign.
Consequence: changing SECRET_KEY makes the stored private keys unusable — rotate the issuer
keys (``services.rotate_key``) before changing it, or keep the old SECRET_KEY. Old credentials
stay verifiable either way, because verification only needs the published public keys.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _wrapping_key() -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"laeringsarena",
        info=b"laeringsarena credentials issuer keys",
    ).derive(settings.SECRET_KEY.encode())


def generate() -> tuple[bytes, bytes]:
    """A new key pair as (32-byte seed, 32-byte public key)."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return seed, public_bytes(private)


def public_bytes(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def encrypt(seed: bytes, associated: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_wrapping_key()).encrypt(nonce, seed, associated.encode())


def decrypt(blob: bytes, associated: str) -> Ed25519PrivateKey:
    blob = bytes(blob)
    seed = AESGCM(_wrapping_key()).decrypt(blob[:12], blob[12:], associated.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)
