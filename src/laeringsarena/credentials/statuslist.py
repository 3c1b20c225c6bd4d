"""W3C Bitstring Status List v1.0: the encoded list and its credential.

Bit ``i`` is bit ``7 - i % 8`` of byte ``i // 8`` (index 0 is the left-most bit). The list is
GZIP-compressed and written as base64url multibase (``u…``).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from typing import Any

from laeringsarena.credentials import multibase


def encode(indexes: Iterable[int], size: int) -> str:
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return multibase.encode(gzip.compress(bytes(bits), mtime=0), "u")


def decode(encoded: str) -> bytes:
    return gzip.decompress(multibase.decode(encoded))


def is_set(bits: bytes, index: int) -> bool:
    if index // 8 >= len(bits):
        raise IndexError("status index outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_entry(list_url: str, index: int, purpose: str = "revocation") -> dict[str, Any]:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    list_url: str, issuer: str, encoded: str, valid_from: str, purpose: str = "revocation"
) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
        },
    }
