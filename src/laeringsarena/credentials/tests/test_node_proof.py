"""Independent proof: Digital Bazaar's reference libraries (Node) verify our credentials.

Runs ``node verify.mjs`` (credentials/verifier, installed by scripts/setup.d/credentials-node.sh)
without network. A missing node or node_modules fails the test under CI=true (root conftest).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from laeringsarena.credentials import services
from laeringsarena.credentials.tests.factories import AchievementFactory
from laeringsarena.credentials.tests.support import served_documents

VERIFIER = Path(__file__).resolve().parents[1] / "verifier"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not found – install Node.js (CI installs it)")
    if not (VERIFIER / "node_modules" / "@digitalbazaar" / "vc").exists():
        pytest.skip("verifier/node_modules missing – run scripts/setup.d/credentials-node.sh")
    return node


def node_verify(tmp_path: Path, credential: dict[str, Any], documents: dict[str, Any]) -> dict[str, Any]:
    credential_file, documents_file = tmp_path / "credential.json", tmp_path / "documents.json"
    credential_file.write_text(json.dumps(credential))
    documents_file.write_text(json.dumps(documents))
    done = subprocess.run(
        [_node(), "verify.mjs", str(credential_file), str(documents_file)],
        cwd=VERIFIER,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    assert (done.returncode == 0) == result["verified"]
    return result


@pytest.fixture
def issued(world):
    achievement = AchievementFactory(issuer=world.alpha, level=2, valid_days=730)
    return services.issue(achievement, world.employee.person)


def test_reference_libraries_verify_our_credential(issued, tmp_path):
    result = node_verify(tmp_path, issued.document, served_documents(issued))
    assert result == {"verified": True, "signature": True, "status": "valid", "error": ""}


def test_reference_libraries_reject_a_tampered_credential(issued, tmp_path):
    tampered = json.loads(json.dumps(issued.document))
    tampered["credentialSubject"]["achievement"]["name"] = "Spesialsykepleier"
    result = node_verify(tmp_path, tampered, served_documents(issued))
    assert result["verified"] is False
    assert result["signature"] is False


def test_reference_libraries_see_a_revoked_credential(issued, tmp_path):
    services.revoke(issued, reason="Utstedt ved en feil")
    issued.refresh_from_db()
    result = node_verify(tmp_path, issued.document, served_documents(issued))
    assert result["verified"] is False
    assert result["signature"] is True
    assert result["status"] == "revoked"


def test_reference_libraries_verify_after_key_rotation(issued, world, tmp_path):
    services.rotate_key(world.alpha)
    newer = services.issue(issued.achievement, world.colleague.person)
    assert newer.document["proof"]["verificationMethod"].endswith("#key-2")
    documents = served_documents(newer)
    assert node_verify(tmp_path, issued.document, documents)["verified"] is True
    assert node_verify(tmp_path, newer.document, documents)["verified"] is True
