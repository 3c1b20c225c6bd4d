"""Issuing, verifying, revoking, expiry, key rotation, access, sharing and import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from laeringsarena.conftest import bearer, client_for
from laeringsarena.credentials import dataintegrity, identity, multibase, services
from laeringsarena.credentials.models import ImportFormat, IssuerKey
from laeringsarena.credentials.tests.factories import AchievementFactory
from laeringsarena.testing import factories as f

VECTORS = Path(__file__).with_name("vectors") / "vc-di-eddsa"


@pytest.fixture
def achievement(world):
    return AchievementFactory(issuer=world.alpha_home, valid_days=365)  # a unit: signed in its tenant's name


@pytest.fixture
def credential(achievement, world):
    return services.issue(achievement, world.employee.person)


def _errors(result):
    return {e["code"] for e in result.errors}


def test_issued_credential_is_an_open_badge_that_verifies(credential, world):
    document = credential.document
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert document["issuer"]["id"] == identity.did_for(world.alpha)
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"
    result = services.verify(document)
    assert result.verified, result.errors
    assert {c["check"] for c in result.checks} == {"format", "issuer", "signature", "expiry", "status"}


def test_tampered_credential_fails_the_signature_check(credential):
    tampered = json.loads(json.dumps(credential.document))
    tampered["credentialSubject"]["achievement"]["name"] = "Noe annet"
    result = services.verify(tampered)
    assert not result.verified
    assert _errors(result) == {"signature"}


def test_revoked_credential_fails_the_status_check(credential):
    services.revoke(credential, reason="feil")
    result = services.verify(credential.document)
    assert not result.verified
    assert _errors(result) == {"revoked"}
    credential.refresh_from_db()
    assert credential.status == "revoked"


def test_expired_certification_fails_the_expiry_check(achievement, world):
    old = services.issue(achievement, world.employee.person, now=timezone.now() - dt.timedelta(days=400))
    assert old.status == "expired"
    result = services.verify(old.document)
    assert _errors(result) == {"expired"}
    assert "gikk ut" in result.errors[0]["message"]


def test_key_rotation_keeps_old_credentials_verifiable(credential, achievement, world):
    services.rotate_key(world.alpha)
    newer = services.issue(achievement, world.colleague.person)
    assert newer.document["proof"]["verificationMethod"].endswith("#key-2")
    assert services.verify(credential.document).verified
    assert services.verify(newer.document).verified
    document = identity.did_document(world.alpha)
    assert [m["id"].rsplit("#")[1] for m in document["verificationMethod"]] == ["key-1", "key-2"]
    assert IssuerKey.objects.filter(organisation=world.alpha, retired_at__isnull=True).count() == 1


def test_private_keys_are_encrypted_at_rest(credential, world):
    key = IssuerKey.objects.get(organisation=world.alpha)
    blob = bytes(key.encrypted_private_key)
    assert len(blob) == 12 + 32 + 16  # nonce, seed, tag
    other = f.MunicipalityFactory(slug="gamma")
    with pytest.raises(Exception):  # noqa: B017 - bound to the organisation: any failure
        services.keys.decrypt(blob, f"{other.pk}:{key.key_id}")


def test_signature_by_someone_else_is_not_the_issuers(credential):
    forged = {k: v for k, v in credential.document.items() if k != "proof"}
    signed = dataintegrity.sign(
        forged,
        Ed25519PrivateKey.generate(),
        verification_method=credential.document["proof"]["verificationMethod"],
        created=timezone.now(),
    )
    assert _errors(services.verify(signed)) == {"signature"}


def test_external_did_key_credential_verifies_without_network():
    keys = json.loads((VECTORS / "keyPair.json").read_text())
    vector = json.loads((VECTORS / "signedDataInt.json").read_text())
    vector["issuer"] = vector["proof"]["verificationMethod"].split("#")[0]  # a did:key issuer
    private = Ed25519PrivateKey.from_private_bytes(multibase.seed_from_multikey(keys["privateKeyMultibase"]))
    signed = dataintegrity.sign(
        vector, private, verification_method=vector["proof"]["verificationMethod"], created=timezone.now()
    )
    result = services.verify(signed)
    assert result.verified, result.errors


def test_external_did_web_issuer_is_resolved_through_the_fetcher():
    keys = json.loads((VECTORS / "keyPair.json").read_text())
    did = "did:web:skole.example:badges"
    method = f"{did}#k1"
    private = Ed25519PrivateKey.from_private_bytes(multibase.seed_from_multikey(keys["privateKeyMultibase"]))
    unsigned = json.loads((VECTORS / "unsigned.json").read_text()) | {"issuer": did}
    signed = dataintegrity.sign(unsigned, private, verification_method=method, created=timezone.now())
    served = {
        "https://skole.example/badges/did.json": {
            "id": did,
            "verificationMethod": [
                {
                    "id": method,
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": keys["publicKeyMultibase"],
                }
            ],
            "assertionMethod": [method],
        }
    }
    resolver = services.Resolver(fetch=lambda url: served[url])
    assert services.verify(signed, resolver=resolver).verified


def test_completion_of_a_granting_path_issues_once(world):
    achievement = AchievementFactory(issuer=world.alpha, path_slug="legemidler")
    AchievementFactory(issuer=world.beta, path_slug="legemidler")  # the same slug elsewhere: not granted
    path = SimpleNamespace(tenant_id=world.alpha.pk, slug="legemidler")
    completion = SimpleNamespace(
        pk=7, path_id=1, path=path, offering_id=None, person=world.employee.person,
        person_id=world.employee.person.pk, completed_at=timezone.now(),
    )  # fmt: skip
    first = services.on_completion(completion)
    again = services.on_completion(completion)
    assert [c.achievement for c in first] == [achievement]
    assert again == []


# Access ---------------------------------------------------------------------------------------


def test_only_the_holder_sees_their_credentials_in_the_api(credential, world, client):
    mine = client.get("/api/v1/me/credentials", **bearer(world.employee)).json()
    assert [c["id"] for c in mine] == [credential.document["id"]]
    assert client.get("/api/v1/me/credentials", **bearer(world.leader)).json() == []
    assert client.get("/api/v1/me/credentials").status_code == 401


def test_unshared_credential_json_is_not_found_and_public_one_is_served(credential, world, client):
    url = f"/credentials/{credential.uid}"
    assert client.get(url).status_code == 404
    assert client_for(world.leader).get(url).status_code == 404
    assert client_for(world.employee).get(url).status_code == 200
    services.set_public(world.employee.person, credential, True)
    assert client.get(url).json() == credential.document


def test_shared_link_shows_verification_until_stopped(credential, world, client):
    share = services.create_share(
        world.employee.person,
        [credential],
        recipient="Ny jobb",
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    page = client.get(f"/delt/{share.token}/")
    assert page.status_code == 200
    assert "Ekte og gyldig" in page.content.decode()
    assert client.get(f"/credentials/{credential.uid}").status_code == 200  # shared → public JSON
    presentation = client.get(f"/delt/{share.token}/presentasjon.json").json()
    assert presentation["type"] == ["VerifiablePresentation"]
    assert presentation["verifiableCredential"] == [credential.document]
    services.revoke_share(world.employee.person, share)
    assert client.get(f"/delt/{share.token}/").status_code == 404
    assert client.get(f"/credentials/{credential.uid}").status_code == 404


def test_a_person_cannot_share_someone_elses_credential(credential, world):
    from laeringsarena.core.errors import NotFound

    with pytest.raises(NotFound):
        services.create_share(
            world.colleague.person, [credential], expires_at=timezone.now() + dt.timedelta(days=1)
        )


def test_verify_api_answers_for_anyone(credential, client):
    body = client.post(
        "/api/v1/credentials/verify", credential.document, content_type="application/json"
    ).json()
    assert body["verified"] is True and body["errors"] == []
    bad = client.post("/api/v1/credentials/verify", b"{nope", content_type="application/json")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"


def test_verify_page_explains_the_result(credential, client):
    tampered = json.loads(json.dumps(credential.document)) | {"name": "Forfalsket"}
    page = client.post("/credentials/verify", {"credential": json.dumps(tampered)}).content.decode()
    assert "Kan ikke bekreftes" in page
    assert "innholdet er endret" in page


def test_provider_issues_and_revokes_through_the_api(world, client):
    provider = f.UserFactory(person=f.PersonFactory(email="redaktor@kurs.test"))
    f.RoleFactory(person=provider.person, role="provider_editor", organisation=world.alpha)
    headers = bearer(provider)
    created = client.post(
        "/api/v1/credentials/achievements",
        {
            "slug": "forflytning",
            "name": "Forflytning",
            "description": "Skånsom forflytning.",
            "criteria": "Praksis.",
        },
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    issued = client.post(
        "/api/v1/credentials",
        {"achievement_id": created.json()["id"], "person_id": world.employee.person.pk},
        content_type="application/json",
        **headers,
    )
    assert issued.status_code == 201
    assert services.verify(issued.json()["document"]).verified
    revoked = client.post(
        f"/api/v1/credentials/{issued.json()['id']}/revocation",
        {"reason": "feil"},
        content_type="application/json",
        **headers,
    )
    assert revoked.json()["status"] == "revoked"
    # Another municipality's employee cannot issue.
    denied = client.post(
        "/api/v1/credentials",
        {"achievement_id": created.json()["id"], "person_id": world.employee.person.pk},
        content_type="application/json",
        **bearer(world.beta_leader),
    )
    assert denied.status_code == 403


def test_did_document_and_status_list_are_served(credential, world, client):
    did = client.get("/credentials/issuers/alfa/did.json")
    assert did.json()["id"] == identity.did_for(world.alpha)
    status_url = credential.document["credentialStatus"]["statusListCredential"]
    status = client.get(status_url.split("8000", 1)[1]).json()
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert services.verify(status).verified


def test_course_certificate_pdf_for_the_holder_only(credential, world):
    url = f"/kompetansebevis/{credential.uid}/kursbevis.pdf"
    response = client_for(world.employee).get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for(world.colleague).get(url).status_code == 404


def test_course_certificate_pdf_for_a_name_outside_latin_1(achievement, world):
    from laeringsarena.core.pdf import font_files
    from laeringsarena.credentials import pdf

    person = world.employee.person
    person.given_name, person.family_name = "Ana", "Petrović"
    person.save()
    document = pdf.course_certificate(services.issue(achievement, person))
    assert document.startswith(b"%PDF")
    if font_files() is not None:
        assert b"DejaVu" in document  # the Unicode font is embedded


# Import ---------------------------------------------------------------------------------------


def test_import_of_an_ob3_credential_stores_the_verification(credential, world):
    imported = services.import_credential(world.colleague.person, credential.document)
    assert imported.format == ImportFormat.OB3 and imported.verified


def test_import_of_a_hosted_ob2_assertion(world):
    email = world.employee.person.email
    import hashlib

    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://badges.example/assertions/1",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "x",
            "identity": "sha256$" + hashlib.sha256((email + "x").encode()).hexdigest(),
        },
        "badge": {"type": "BadgeClass", "name": "Førstehjelp", "issuer": {"name": "Røde Kors"}},
        "verification": {"type": "hosted"},
        "issuedOn": "2024-03-01T00:00:00Z",
    }
    resolver = services.Resolver(fetch=lambda url: assertion)
    imported = services.import_credential(world.employee.person, assertion, resolver=resolver)
    assert imported.format == ImportFormat.OB2
    assert imported.verified, imported.verification
    stranger = services.import_credential(world.colleague.person, assertion, resolver=resolver)
    assert not stranger.verified
    assert {e["code"] for e in stranger.verification["errors"]} == {"recipient-mismatch"}
