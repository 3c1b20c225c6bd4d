"""eddsa-rdfc-2022 against the W3C vc-di-eddsa test vectors (tests/vectors/vc-di-eddsa)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from laeringsarena.credentials import dataintegrity, multibase
from laeringsarena.credentials.dataintegrity import ProofError
from laeringsarena.credentials.jsonld import canonicalize, rdfc_escape

VECTORS = Path(__file__).with_name("vectors") / "vc-di-eddsa"


def _json(name: str) -> dict:
    return json.loads((VECTORS / name).read_text())


def _text(name: str) -> str:
    return (VECTORS / name).read_text()


def test_canonical_document_matches_the_vector():
    assert canonicalize(_json("unsigned.json")) == _text("canonDocDataInt.txt")


def test_canonical_proof_configuration_matches_the_vector():
    assert canonicalize(_json("proofConfigDataInt.json")) == _text("proofCanonDataInt.txt")


def test_hashes_and_signature_match_the_vector():
    config = _json("proofConfigDataInt.json")
    options = {k: v for k, v in config.items() if k != "@context"}
    data = dataintegrity.hash_data(_json("unsigned.json"), options)
    assert data.document_hash.hex() == _text("docHashDataInt.txt").strip()
    assert data.proof_config_hash.hex() == _text("proofHashDataInt.txt").strip()
    seed = multibase.seed_from_multikey(_json("keyPair.json")["privateKeyMultibase"])
    signature = Ed25519PrivateKey.from_private_bytes(seed).sign(data.combined)
    assert signature.hex() == _text("sigHexDataInt.txt").strip()


def test_signing_reproduces_the_signed_vector_and_it_verifies():
    keys = _json("keyPair.json")
    private = Ed25519PrivateKey.from_private_bytes(multibase.seed_from_multikey(keys["privateKeyMultibase"]))
    config = _json("proofConfigDataInt.json")
    signed = dataintegrity.sign(
        _json("unsigned.json"),
        private,
        verification_method=config["verificationMethod"],
        created=dt.datetime(2023, 2, 24, 23, 36, 38, tzinfo=dt.UTC),
    )
    assert signed == _json("signedDataInt.json")
    dataintegrity.verify_proof(signed, multibase.public_key_from_multikey(keys["publicKeyMultibase"]))


def test_a_changed_vector_does_not_verify():
    signed = _json("signedDataInt.json")
    signed["credentialSubject"]["alumniOf"] = "The School of Forgery"
    public = multibase.public_key_from_multikey(_json("keyPair.json")["publicKeyMultibase"])
    with pytest.raises(ProofError) as error:
        dataintegrity.verify_proof(signed, public)
    assert error.value.code == "signature"


def test_public_multikey_of_the_vector_key():
    seed = multibase.seed_from_multikey(_json("keyPair.json")["privateKeyMultibase"])
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    assert multibase.public_multikey(public) == _json("keyPair.json")["publicKeyMultibase"]


def test_rdfc_literal_escaping():
    """RDFC-1.0 canonical N-Quads: ECHAR for \\b \\t \\n \\f \\r \\" \\\\, UCHAR for other controls."""
    assert rdfc_escape('a"b\\c\nd\re\tf\bg\fh') == 'a\\"b\\\\c\\nd\\re\\tf\\bg\\fh'
    assert rdfc_escape("x\x00y\x1fz\x7f") == "x\\u0000y\\u001Fz\\u007F"
    assert rdfc_escape("blåbær ✓") == "blåbær ✓"
    document = {
        "@context": {"@vocab": "https://example.org/"},
        "@id": "https://example.org/a",
        "note": "tab\there",
    }
    assert '"tab\\there"' in canonicalize(document)
