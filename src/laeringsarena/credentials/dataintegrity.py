"""The Data Integrity ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa §3.3) over Ed25519.

create_proof / verify_proof follow the spec's algorithms: the document without ``proof`` and the
proof options (with the document's ``@context``, without ``proofValue``) are each canonicalised
with RDFC-1.0, hashed with SHA-256, and ``hash(proofConfig) || hash(document)`` is signed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from laeringsarena.credentials import multibase
from laeringsarena.credentials.jsonld import canonicalize

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    """The proof is malformed or does not verify; ``code`` is stable, the message explains."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class HashData:
    canonical_document: str
    canonical_proof_config: str

    @property
    def document_hash(self) -> bytes:
        return hashlib.sha256(self.canonical_document.encode()).digest()

    @property
    def proof_config_hash(self) -> bytes:
        return hashlib.sha256(self.canonical_proof_config.encode()).digest()

    @property
    def combined(self) -> bytes:
        return self.proof_config_hash + self.document_hash


def timestamp(moment: dt.datetime) -> str:
    """An XML Schema dateTime in UTC without fractions, as the examples in the specs write it."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def proof_config(document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config["@context"] = document.get("@context")
    return config


def hash_data(document: dict[str, Any], options: dict[str, Any]) -> HashData:
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    return HashData(canonicalize(unsecured), canonicalize(proof_config(unsecured, options)))


def create_proof(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: dt.datetime,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """The proof object for ``document`` (add it as ``document["proof"]``)."""
    options: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(hash_data(document, options).combined)
    return {**options, "proofValue": multibase.encode(signature)}


def sign(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: dt.datetime,
) -> dict[str, Any]:
    """A copy of ``document`` secured with an ``eddsa-rdfc-2022`` proof."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof = create_proof(unsecured, private_key, verification_method=verification_method, created=created)
    return {**unsecured, "proof": proof}


def single_proof(document: dict[str, Any]) -> dict[str, Any]:
    proof = document.get("proof")
    if isinstance(proof, list):
        ours = [p for p in proof if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
        if len(ours) != 1:
            raise ProofError("proof-missing", "expected exactly one eddsa-rdfc-2022 proof")
        proof = ours[0]
    if not isinstance(proof, dict):
        raise ProofError("proof-missing", "the document has no proof")
    return proof


def check_proof_shape(proof: dict[str, Any]) -> None:
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            "proof-unsupported",
            f"unsupported proof {proof.get('type')}/{proof.get('cryptosuite')}; "
            f"supported: {PROOF_TYPE}/{CRYPTOSUITE}",
        )
    for key in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(key), str):
            raise ProofError("proof-malformed", f"the proof has no {key}")
    if not proof["proofValue"].startswith("z"):
        raise ProofError("proof-malformed", "proofValue is not base58btc multibase")


def verify_proof(
    document: dict[str, Any], public_key: bytes, *, proof_purpose: str = "assertionMethod"
) -> None:
    """Raise ProofError unless ``document``'s proof is a valid signature by ``public_key``."""
    proof = single_proof(document)
    check_proof_shape(proof)
    if proof["proofPurpose"] != proof_purpose:
        raise ProofError(
            "proof-purpose", f"proof purpose is {proof['proofPurpose']}, expected {proof_purpose}"
        )
    if "@context" in proof and proof["@context"] != document.get("@context"):
        raise ProofError("proof-malformed", "the proof's @context differs from the document's")
    try:
        signature = multibase.decode(proof["proofValue"])
    except multibase.MultibaseError as error:
        raise ProofError("proof-malformed", str(error)) from error
    options = {key: value for key, value in proof.items() if key not in ("proofValue", "@context")}
    try:
        data = hash_data(document, options)
    except Exception as error:  # JSON-LD errors of every kind: the document cannot be canonicalised
        raise ProofError("canonicalization", f"the document cannot be canonicalised: {error}") from error
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data.combined)
    except (InvalidSignature, ValueError) as error:
        raise ProofError("signature", "the signature does not match the content") from error
