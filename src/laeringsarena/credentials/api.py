"""API of the credentials app (mounted at /api/v1/ with full paths)."""

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.api_support import PROBLEM_RESPONSES
from laeringsarena.core.errors import InvalidInput, NotFound
from laeringsarena.credentials import selectors, services
from laeringsarena.credentials.models import Achievement, IssuedCredential
from laeringsarena.people.models import Person

router = Router(tags=["credentials"])


class VerificationOut(Schema):
    verified: bool
    checks: list[dict[str, Any]]
    errors: list[dict[str, Any]]


class AchievementIn(Schema):
    slug: str = Field(pattern=r"^[a-z0-9-]{1,80}$")
    name: str = Field(max_length=200)
    description: str = Field(max_length=5000)
    criteria: str = Field(max_length=5000)
    achievement_type: str = Field(
        "Course", description="Course, Certificate, Certification, Competency or Badge"
    )
    competence_ids: list[int] = []
    level: int | None = Field(None, ge=1, le=10)
    valid_days: int | None = Field(None, ge=1, description="Certifications that expire: days of validity")
    path_slug: str = Field("", description="Issue automatically when this learning path is completed")
    offering_id: int | None = Field(None, description="Issue automatically when this offering is completed")


class AchievementOut(Schema):
    id: str
    slug: str
    name: str
    issuer: str
    achievement: dict[str, Any]


class IssueIn(Schema):
    achievement_id: str = Field(description="The achievement's id (UUID)")
    person_id: int
    valid_until: dt.datetime | None = None


class IssuedOut(Schema):
    id: str
    status: str
    document: dict[str, Any]


class RevokeIn(Schema):
    reason: str = Field("", max_length=300)


def _achievement_out(achievement: Achievement) -> dict[str, Any]:
    return {
        "id": str(achievement.uid),
        "slug": achievement.slug,
        "name": achievement.name,
        "issuer": achievement.issuer.name,
        "achievement": services.achievement_json(achievement),
    }


def _issued_out(credential: IssuedCredential) -> dict[str, Any]:
    return {"id": str(credential.uid), "status": credential.status, "document": credential.document}


@router.get("/me/credentials", response={200: list[dict[str, Any]], **PROBLEM_RESPONSES})
def my_credentials(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's credentials as the signed JSON documents (OpenBadgeCredential, VC 2.0)."""
    person = services.require_holder(request.user)
    return [credential.document for credential in selectors.credentials_for(person)]


@router.post(
    "/credentials/verify",
    response={200: VerificationOut, **PROBLEM_RESPONSES},
    auth=None,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "application/vc+jwt": {"schema": {"type": "string"}},
            },
            "required": True,
        }
    },
)
def verify(request: HttpRequest) -> dict[str, Any]:
    """Verify a credential (ours or another issuer's OB 3.0): signature, status, expiry, issuer.

    Open to anyone; the request body is the credential itself — JSON with a Data Integrity
    proof, or a VC-JOSE credential as ``application/vc+jwt`` (or a JSON string holding it). A
    credential that does not verify is still a 200 answer, with ``verified: false`` and the
    failed checks in ``errors``.
    """
    if request.content_type in ("application/vc+jwt", "application/jwt", "text/plain"):
        document: Any = (request.body or b"").decode("utf-8", errors="replace").strip()
        if not document:
            raise InvalidInput(_("Forespørselen er tom."))
        return services.verify(document).as_dict()
    try:
        document = json.loads(request.body or b"")
    except ValueError as error:
        raise InvalidInput(_("Forespørselen er ikke gyldig JSON.")) from error
    return services.verify(document).as_dict()


@router.post("/credentials/achievements", response={201: AchievementOut, **PROBLEM_RESPONSES})
def create_achievement(request: HttpRequest, payload: AchievementIn) -> Status:
    """Create an achievement of the caller's organisation (needs credentials.issue)."""
    permissions.require(request.user, Permission.CREDENTIALS_ISSUE)
    organisation = (
        permissions.organisations(request.user, Permission.CREDENTIALS_ISSUE).order_by("depth").first()
    )
    if organisation is None:
        raise NotFound()
    achievement = services.create_achievement(organisation, user=request.user, **payload.dict())
    return Status(201, _achievement_out(achievement))


@router.get("/credentials/achievements", response={200: list[AchievementOut], **PROBLEM_RESPONSES})
def list_achievements(request: HttpRequest) -> list[dict[str, Any]]:
    """Achievements the caller may issue."""
    permissions.require(request.user, Permission.CREDENTIALS_ISSUE)
    issuers = permissions.organisations(request.user, Permission.CREDENTIALS_ISSUE)
    return [
        _achievement_out(a) for a in Achievement.objects.filter(issuer__in=issuers).select_related("issuer")
    ]


@router.post("/credentials", response={201: IssuedOut, **PROBLEM_RESPONSES})
def issue(request: HttpRequest, payload: IssueIn) -> Status:
    """Issue a credential for a person (a provider or HR with credentials.issue on the issuer)."""
    permissions.require(request.user, Permission.CREDENTIALS_ISSUE)
    issuers = permissions.organisations(request.user, Permission.CREDENTIALS_ISSUE)
    achievement = Achievement.objects.filter(uid=_uuid(payload.achievement_id), issuer__in=issuers).first()
    person = Person.objects.filter(pk=payload.person_id).first()
    if achievement is None or person is None:
        raise NotFound()
    credential = services.issue(achievement, person, user=request.user, valid_until=payload.valid_until)
    return Status(201, _issued_out(credential))


@router.post("/credentials/{credential_id}/revocation", response={200: IssuedOut, **PROBLEM_RESPONSES})
def revoke(request: HttpRequest, credential_id: str, payload: RevokeIn) -> dict[str, Any]:
    """Revoke a credential: its bit is set in the issuer's Bitstring Status List."""
    permissions.require(request.user, Permission.CREDENTIALS_ISSUE)
    issuers = permissions.organisations(request.user, Permission.CREDENTIALS_ISSUE)
    credential = IssuedCredential.objects.filter(
        uid=_uuid(credential_id), achievement__issuer__in=issuers
    ).first()
    if credential is None:
        raise NotFound()
    return _issued_out(services.revoke(credential, user=request.user, reason=payload.reason))


def _uuid(value: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError as error:
        raise NotFound() from error
