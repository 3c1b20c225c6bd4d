"""The write path of the credentials app: keys, achievements, issuing, revocation, sharing, import.

Every function owns its transaction and, where a user acts, its permission check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsarena.accounts import permissions
from laeringsarena.accounts.permissions import Permission
from laeringsarena.core.errors import InvalidInput, NotFound, PermissionDenied
from laeringsarena.credentials import dataintegrity, identity, jose, keys, statuslist
from laeringsarena.credentials.models import (
    Achievement,
    AchievementType,
    ImportedCredential,
    ImportFormat,
    IssuedCredential,
    IssuerKey,
    Share,
    StatusList,
)
from laeringsarena.credentials.verification import Resolver, VerificationResult, verify_credential
from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from laeringsarena.accounts.models import User

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_CONTEXT = ["https://www.w3.org/ns/credentials/v2", OB_CONTEXT]
# Status list indexes are spread over the list (a bijection, since the size is a power of two),
# so that neighbouring indexes do not reveal the order of issuing.
_SPREAD = 48_271


def verify(document: Any, *, resolver: Resolver | None = None) -> VerificationResult:
    """Verify any credential (ours or another issuer's): signature, issuer, validity, status."""
    return verify_credential(document, resolver=resolver)


# Keys ---------------------------------------------------------------------------------------


def _key_aad(organisation: Organisation, key_id: str) -> str:
    return f"{organisation.pk}:{key_id}"


def _new_key(organisation: Organisation, number: int, now: dt.datetime) -> IssuerKey:
    seed, public = keys.generate()
    key_id = f"key-{number}"
    return IssuerKey.objects.create(
        organisation=organisation,
        key_id=key_id,
        public_key=public,
        encrypted_private_key=keys.encrypt(seed, _key_aad(organisation, key_id)),
        created_at=now,
    )


def active_key(organisation: Organisation) -> IssuerKey:
    """The issuer's signing key, created on first use."""
    key = IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).first()
    if key is None:
        with transaction.atomic():
            key = _new_key(
                organisation, IssuerKey.objects.filter(organisation=organisation).count() + 1, timezone.now()
            )
    return key


def rotate_key(
    organisation: Organisation, *, user: User | AnonymousUser | None = None, now: dt.datetime | None = None
) -> IssuerKey:
    """Retire the signing key and make a new one. The old public key stays in the DID document."""
    organisation = identity.issuing_organisation(organisation)
    if user is not None:
        permissions.require(user, Permission.CREDENTIALS_ISSUE, organisation)
    now = now or timezone.now()
    with transaction.atomic():
        count = IssuerKey.objects.select_for_update().filter(organisation=organisation).count()
        IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).update(retired_at=now)
        return _new_key(organisation, count + 1, now)


def _sign(organisation: Organisation, document: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    return _sign_both(organisation, document, now)[0]


def _sign_both(
    organisation: Organisation, document: dict[str, Any], now: dt.datetime
) -> tuple[dict[str, Any], str]:
    """The document with its Data Integrity proof, and the same document as a VC-JOSE vc+jwt."""
    key = active_key(organisation)
    private = keys.decrypt(key.encrypted_private_key, _key_aad(organisation, key.key_id))
    method = identity.verification_method_id(key, organisation)
    signed = dataintegrity.sign(document, private, verification_method=method, created=now)
    return signed, jose.secure(document, private, kid=method)


def jwt_of(credential: IssuedCredential) -> str:
    """The credential as application/vc+jwt (made now with the issuer's key for older credentials)."""
    if not credential.jwt:
        issuer = identity.issuing_organisation(credential.achievement.issuer)
        key = active_key(issuer)
        private = keys.decrypt(key.encrypted_private_key, _key_aad(issuer, key.key_id))
        credential.jwt = jose.secure(
            credential.document, private, kid=identity.verification_method_id(key, issuer)
        )
        IssuedCredential.objects.filter(pk=credential.pk).update(jwt=credential.jwt)
    return credential.jwt


# Status lists -------------------------------------------------------------------------------


def status_list_url(status: StatusList) -> str:
    return f"{settings.PUBLIC_URL}/credentials/status/{status.pk}"


def _sign_status_list(status: StatusList, now: dt.datetime) -> None:
    revoked = IssuedCredential.objects.filter(status_list=status, revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    document = statuslist.status_list_credential(
        status_list_url(status),
        identity.did_for(status.issuer),
        statuslist.encode(revoked, StatusList.SIZE),
        dataintegrity.timestamp(now),
        status.purpose,
    )
    status.document = _sign(status.issuer, document, now)
    status.save(update_fields=["document", "updated_at"])


def _allocate_index(issuer: Organisation, now: dt.datetime) -> tuple[StatusList, int]:
    status = (
        StatusList.objects.select_for_update()
        .filter(issuer=issuer, next_index__lt=StatusList.SIZE)
        .order_by("pk")
        .first()
    )
    if status is None:
        status = StatusList.objects.create(issuer=issuer)
        _sign_status_list(status, now)
    number = status.next_index
    status.next_index += 1
    status.save(update_fields=["next_index"])
    return status, (number * _SPREAD + status.pk) % StatusList.SIZE


# Achievements -------------------------------------------------------------------------------


def create_achievement(
    issuer: Organisation,
    *,
    user: User | AnonymousUser | None = None,
    slug: str,
    name: str,
    description: str,
    criteria: str,
    achievement_type: str = AchievementType.COURSE,
    competence_ids: Iterable[int] = (),
    level: int | None = None,
    valid_days: int | None = None,
    path_slug: str = "",
    offering_id: int | None = None,
) -> Achievement:
    issuer = identity.issuing_organisation(issuer)
    if user is not None:
        permissions.require(user, Permission.CREDENTIALS_ISSUE, issuer)
    errors = []
    if achievement_type not in AchievementType.values:
        errors.append({"field": "achievement_type", "reason": _("Ukjent type.")})
    if not name.strip() or not description.strip() or not criteria.strip():
        errors.append({"field": "name", "reason": _("Navn, beskrivelse og kriterier må fylles ut.")})
    if Achievement.objects.filter(issuer=issuer, slug=slug).exists():
        errors.append({"field": "slug", "reason": _("Kortnavnet er i bruk.")})
    if errors:
        raise InvalidInput(_("Prestasjonen kan ikke lagres."), errors=errors)
    with transaction.atomic():
        achievement = Achievement.objects.create(
            issuer=issuer,
            slug=slug,
            name=name.strip(),
            description=description.strip(),
            criteria=criteria.strip(),
            achievement_type=achievement_type,
            level=level,
            valid_days=valid_days,
            path_slug=path_slug,
            offering_id=offering_id,
        )
        if competence_ids:
            achievement.competences.set(list(competence_ids))
    return achievement


def achievement_url(achievement: Achievement) -> str:
    return f"{settings.PUBLIC_URL}/credentials/achievements/{achievement.uid}"


def achievement_json(achievement: Achievement) -> dict[str, Any]:
    """The Open Badges 3.0 Achievement."""
    url = achievement_url(achievement)
    data: dict[str, Any] = {
        "id": url,
        "type": ["Achievement"],
        "achievementType": achievement.achievement_type,
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
        "creator": identity.issuer_profile(identity.issuing_organisation(achievement.issuer)),
        "inLanguage": "nb",
    }
    competences = list(achievement.competences.select_related("framework"))
    if competences:
        data["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": competence.name,
                "targetCode": competence.code,
                "targetDescription": competence.description or competence.name,
                "targetFramework": str(competence.framework),
                "targetType": "CFItem",
            }
            for competence in competences
        ]
    if achievement.level:
        data["resultDescription"] = [
            {
                "id": f"{url}#level",
                "type": ["ResultDescription"],
                "name": "Ferdighetsnivå",
                "resultType": "RubricCriterionLevel",
                "allowedValue": [str(achievement.level)],
                "requiredLevel": f"{url}#level-{achievement.level}",
                "rubricCriterionLevel": [
                    {
                        "id": f"{url}#level-{achievement.level}",
                        "type": ["RubricCriterionLevel"],
                        "name": f"Nivå {achievement.level}",
                        "level": str(achievement.level),
                    }
                ],
            }
        ]
    return data


# Issuing ------------------------------------------------------------------------------------


def credential_url(uid: Any) -> str:
    return f"{settings.PUBLIC_URL}/credentials/{uid}"


def _subject(achievement: Achievement, person: Person, salt: str) -> dict[str, Any]:
    identifiers: list[dict[str, Any]] = [
        {"type": "IdentityObject", "identityHash": person.full_name, "identityType": "name", "hashed": False}
    ]
    if person.email:
        digest = hashlib.sha256((person.email.lower() + salt).encode()).hexdigest()
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityHash": f"sha256${digest}",
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        )
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": achievement_json(achievement),
    }
    if achievement.level:
        url = achievement_url(achievement)
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": f"{url}#level",
                "achievedLevel": f"{url}#level-{achievement.level}",
            }
        ]
    return subject


def _issue(
    achievement: Achievement,
    person: Person,
    *,
    source: str,
    now: dt.datetime,
    valid_until: dt.datetime | None,
) -> IssuedCredential:
    issuer = identity.issuing_organisation(achievement.issuer)
    with transaction.atomic():
        status, index = _allocate_index(issuer, now)
        credential = IssuedCredential(
            achievement=achievement,
            person=person,
            status_list=status,
            status_index=index,
            issued_at=now,
            valid_until=valid_until,
            source=source,
            document={},
        )
        document: dict[str, Any] = {
            "@context": CREDENTIAL_CONTEXT,
            "id": credential_url(credential.uid),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": achievement.name,
            "description": achievement.description,
            "issuer": identity.issuer_profile(issuer),
            "validFrom": dataintegrity.timestamp(now),
            "credentialSubject": _subject(achievement, person, secrets.token_hex(8)),
            "credentialStatus": statuslist.status_entry(status_list_url(status), index),
        }
        if valid_until:
            document["validUntil"] = dataintegrity.timestamp(valid_until)
        credential.document, credential.jwt = _sign_both(issuer, document, now)
        credential.save()
    return credential


def issue(
    achievement: Achievement,
    person: Person,
    *,
    user: User | AnonymousUser | None = None,
    source: str = "",
    now: dt.datetime | None = None,
    valid_until: dt.datetime | None = None,
) -> IssuedCredential:
    """Issue (utstede) a signed OpenBadgeCredential for ``person``.

    With ``user`` (an API caller), the user must hold CREDENTIALS_ISSUE on the issuer.
    """
    if user is not None:
        permissions.require(user, Permission.CREDENTIALS_ISSUE, achievement.issuer)
        source = source or f"api:{user.pk}"
    now = (now or timezone.now()).replace(microsecond=0)
    if valid_until is None and achievement.valid_days:
        valid_until = now + dt.timedelta(days=achievement.valid_days)
    if valid_until is not None and valid_until <= now:
        raise InvalidInput(_("Utløpsdatoen må ligge etter utstedelsen."))
    return _issue(achievement, person, source=source, now=now, valid_until=valid_until)


def revoke(
    credential: IssuedCredential,
    *,
    user: User | AnonymousUser | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> IssuedCredential:
    """Revoke (tilbakekalle): set the credential's bit and re-sign the status list."""
    if user is not None:
        permissions.require(user, Permission.CREDENTIALS_ISSUE, credential.achievement.issuer)
    now = now or timezone.now()
    with transaction.atomic():
        credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
        if credential.revoked_at is None:
            credential.revoked_at = now
            credential.revocation_reason = reason[:300]
            credential.save(update_fields=["revoked_at", "revocation_reason"])
            status = StatusList.objects.select_for_update().get(pk=credential.status_list_id)
            _sign_status_list(status, now)
    return credential


def on_completion(completion: Any) -> list[IssuedCredential]:
    """Issue the credentials that a completed learning path or offering grants (idempotent)."""
    achievements = Achievement.objects.none()
    if getattr(completion, "path_id", None):
        path = completion.path
        achievements = Achievement.objects.filter(issuer_id=path.tenant_id, path_slug=path.slug)
    elif getattr(completion, "offering_id", None):
        achievements = Achievement.objects.filter(offering_id=completion.offering_id)
    issued = []
    source = f"completion:{completion.pk}"
    for achievement in achievements.select_related("issuer"):
        if IssuedCredential.objects.filter(
            achievement=achievement, person_id=completion.person_id, source=source
        ).exists():
            continue
        issued.append(issue(achievement, completion.person, source=source, now=completion.completed_at))
    return issued


# The holder's choices -----------------------------------------------------------------------


def _own(person: Person, credential: IssuedCredential) -> None:
    if credential.person_id != person.pk:
        raise NotFound()


def set_public(person: Person, credential: IssuedCredential, public: bool) -> None:
    _own(person, credential)
    credential.public = public
    credential.save(update_fields=["public"])


def create_share(
    person: Person,
    credentials: Iterable[IssuedCredential],
    *,
    recipient: str = "",
    expires_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Share:
    """A share link (delingslenke) to chosen credentials, valid until ``expires_at``."""
    now = now or timezone.now()
    chosen = list(credentials)
    if not chosen:
        raise InvalidInput(_("Velg minst ett kompetansebevis å dele."))
    for credential in chosen:
        _own(person, credential)
    if expires_at <= now:
        raise InvalidInput(_("Utløpstidspunktet må ligge fram i tid."))
    if expires_at > now + dt.timedelta(days=366):
        raise InvalidInput(_("En deling kan vare i høyst ett år."))
    with transaction.atomic():
        share = Share.objects.create(
            person=person,
            token=secrets.token_urlsafe(24),
            recipient=recipient.strip()[:200],
            expires_at=expires_at,
        )
        share.credentials.set(chosen)
    return share


def revoke_share(person: Person, share: Share, *, now: dt.datetime | None = None) -> None:
    if share.person_id != person.pk:
        raise NotFound()
    if share.revoked_at is None:
        share.revoked_at = now or timezone.now()
        share.save(update_fields=["revoked_at"])


def record_share_view(share: Share) -> None:
    Share.objects.filter(pk=share.pk).update(view_count=share.view_count + 1, last_viewed_at=timezone.now())


def presentation(share: Share) -> dict[str, Any]:
    """The share as an (unsigned) W3C Verifiable Presentation of the signed credentials."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"{settings.PUBLIC_URL}/delt/{share.token}/",
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [c.document for c in share.credentials.order_by("issued_at", "pk")],
    }


# Import ------------------------------------------------------------------------------------


def import_credential(
    person: Person, document: Any, *, resolver: Resolver | None = None
) -> ImportedCredential:
    """Store an external Open Badges 2.0 or 3.0 credential with its verification result."""
    from laeringsarena.credentials import ob2

    if jose.is_compact(document) and _is_vc_jwt(str(document)):
        result = verify(document, resolver=resolver)
        return ImportedCredential.objects.create(
            person=person,
            format=ImportFormat.OB3,
            name=(result.name or _("Kompetansebevis"))[:300],
            issuer_name=result.issuer_name[:300],
            document=str(document).strip(),
            verified=result.verified,
            verification=result.as_dict(),
        )
    if ob2.is_jws(document):
        # A signed Open Badges 2.0 assertion: the JWS is the credential; its payload the assertion.
        try:
            assertion = ob2.jws_payload(document)
        except ob2.SignedBadgeError as error:
            raise InvalidInput(str(error)) from error
        resolver = resolver or Resolver()
        result, name, issuer_name = ob2.verify_assertion(
            assertion, person, fetch=resolver.fetch, jws=document.strip()
        )
        return ImportedCredential.objects.create(
            person=person,
            format=ImportFormat.OB2,
            name=name[:300],
            issuer_name=issuer_name[:300],
            document=document.strip(),
            verified=result.verified,
            verification=result.as_dict(),
        )
    if not isinstance(document, dict):
        raise InvalidInput(_("Filen er ikke et JSON-objekt."))
    if (
        "@context" in document
        and isinstance(document.get("@context"), list)
        and "VerifiableCredential" in (document.get("type") or [])
    ):
        result = verify(document, resolver=resolver)
        fmt = ImportFormat.OB3
        name = result.name or _("Kompetansebevis")
        issuer_name = result.issuer_name
    elif document.get("type") == "Assertion" or "badge" in document:
        result, name, issuer_name = ob2.verify_assertion(
            document, person, fetch=resolver.fetch if resolver else None
        )
        fmt = ImportFormat.OB2
    else:
        raise InvalidInput(_("Dette ser ikke ut som et Open Badges 2.0- eller 3.0-bevis."))
    return ImportedCredential.objects.create(
        person=person,
        format=fmt,
        name=name[:300],
        issuer_name=issuer_name[:300],
        document=document,
        verified=result.verified,
        verification=result.as_dict(),
    )


def _is_vc_jwt(token: str) -> bool:
    """A VC-JOSE credential rather than a signed Open Badges 2.0 assertion."""
    try:
        header, payload = jose.unverified(token)
    except jose.JoseError:
        return False
    types = payload.get("type") or []
    return header.get("typ") in (jose.TYP, "vc+ld+jwt") or "VerifiableCredential" in (
        types if isinstance(types, list) else [types]
    )


def delete_import(person: Person, imported: ImportedCredential) -> None:
    if imported.person_id != person.pk:
        raise NotFound()
    imported.delete()


def require_holder(user: User | AnonymousUser | None) -> Person:
    """The logged-in person (only people hold credentials)."""
    permissions.require_login(user)
    person = getattr(user, "person", None)
    if person is None:
        raise PermissionDenied(_("Bare personer kan ha kompetansebevis."))
    return person
