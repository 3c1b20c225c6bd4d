"""Who may open the credentials app's views and API operations (see core/tests/test_access.py).

Verification, issuer keys (DID documents), status lists, achievements and active share links
are public: verifiers outside the platform must reach them. A credential's JSON is public only
where the holder made it public or shares it; the holder's own pages are for the holder (every
logged-in demo login is a person). Issuing and revoking need credentials.issue on the issuer:
HR and the provider editor in Fjordvik, and the platform administrator.
"""

from __future__ import annotations

from laeringsarena.accounts.models import User
from laeringsarena.credentials.models import IssuedCredential, Share, StatusList
from laeringsarena.testing.access import (
    ALLOW,
    DENY,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    Expectation,
    Expectations,
    everyone,
    logged_in,
    only,
)

ISSUERS = {"hr", "leverandor", "admin"}


def _not_found_for_issuers(role: str) -> str:
    """A made-up achievement/person: issuers get 404, others 403, anonymous 401."""
    if role == "anonymous":
        return LOGIN
    return NOT_FOUND if role in ISSUERS else DENY


def _own_only(owner: str) -> Expectation:
    def expect(role: str) -> str:
        if role == "anonymous":
            return LOGIN
        return ALLOW if role == owner else NOT_FOUND

    return expect


def _owner_sees(owner: str) -> Expectation:
    return lambda role: ALLOW if role == owner else NOT_FOUND


def _post_only(role: str) -> str:
    return LOGIN if role == "anonymous" else NOT_ALLOWED


WEB: dict[str, Expectations] = {
    "credentials:verify": {None: everyone},
    "credentials:did_document": {"fjordvik_issuer": everyone, "nordoy_issuer": everyone},
    "credentials:issuer": {"fjordvik_issuer": everyone},
    "credentials:status_list": {"fjordvik_status": everyone},
    "credentials:achievement": {"fjordvik_achievement": everyone},
    "credentials:credential": {
        "fjordvik_credential_public": everyone,
        "fjordvik_credential_private": _owner_sees("ansatt"),
    },
    "credentials:shared": {"fjordvik_share": everyone},
    "credentials:shared_presentation": {"fjordvik_share": everyone},
    "credentials:mine": {None: logged_in},
    "credentials:shares": {None: logged_in},
    "credentials:import": {None: logged_in},
    "credentials:certificate_pdf": {"fjordvik_credential_private": _own_only("ansatt")},
    # POST only.
    "credentials:toggle_public": {"fjordvik_credential_private": _post_only},
    "credentials:stop_share": {"fjordvik_share": _post_only},
}

API: dict[str, Expectations] = {
    "GET /api/v1/me/credentials": {None: logged_in},
    "POST /api/v1/credentials/verify": {None: everyone},
    "GET /api/v1/credentials/achievements": {None: only(ISSUERS)},
    "POST /api/v1/credentials/achievements": {None: only(ISSUERS)},
    "POST /api/v1/credentials": {None: _not_found_for_issuers},
    "POST /api/v1/credentials/{credential_id}/revocation": {"fjordvik_credential_revoked": only(ISSUERS)},
}

BODIES: dict[str, tuple[str, bytes, str]] = {
    "POST /api/v1/credentials/achievements": (
        "application/json",
        b'{"slug": "tilgangstest", "name": "Tilgangstest", "description": "Test.", "criteria": "Test."}',
        "",
    ),
    "POST /api/v1/credentials": (
        "application/json",
        b'{"achievement_id": "00000000-0000-0000-0000-000000000000", "person_id": 0}',
        "",
    ),
    "POST /api/v1/credentials/{credential_id}/revocation": ("application/json", b'{"reason": "test"}', ""),
}


def targets() -> dict[str, dict[str, object]]:
    employee = User.objects.get(email="ansatt@fjordvik.demo").person
    public = IssuedCredential.objects.get(person=employee, public=True)
    private = IssuedCredential.objects.filter(person=employee, public=False, shares__isnull=True).first()
    revoked = IssuedCredential.objects.get(
        revoked_at__isnull=False, person__user__email="ansatt2@fjordvik.demo"
    )
    assert private is not None
    share = Share.objects.get(person=employee)
    return {
        "fjordvik_issuer": {"slug": "fjordvik"},
        "nordoy_issuer": {"slug": "nordoy"},
        "fjordvik_status": {
            "pk": StatusList.objects.filter(issuer__slug="fjordvik").values_list("pk", flat=True)[0]
        },
        "fjordvik_achievement": {"uid": public.achievement.uid},
        "fjordvik_credential_public": {"uid": public.uid},
        "fjordvik_credential_private": {"uid": private.uid},
        "fjordvik_credential_revoked": {"credential_id": revoked.uid},
        "fjordvik_share": {"token": share.token, "pk": share.pk},
    }
