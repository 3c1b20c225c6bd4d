"""OpenID Connect login (Feide, ID-porten, Entra ID) through mozilla-django-oidc.

A login is accepted only for a person the platform already knows (imported from the HR
system): the verified e-mail claim is matched to a person, and the account is linked to the
subject identifier on first login so that later logins match on ``sub``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from laeringsarena.accounts.models import User
from laeringsarena.people.models import Person


class PersonOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        subject = claims.get("sub")
        if subject:
            by_subject = User.objects.filter(oidc_subject=subject)
            if by_subject.exists():
                return by_subject
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return User.objects.none()
        return User.objects.filter(email=email)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # An unverified address could be anyone's; providers that send the flag must set it.
        if claims.get("email_verified") is False:
            return False
        return bool(claims.get("sub")) and bool(claims.get("email"))

    def create_user(self, claims: dict[str, Any]) -> User | None:
        email = claims["email"].strip().lower()
        person = Person.objects.filter(email=email).first()
        if person is None:
            # Unknown people do not get an account; HR must import them first.
            return None
        user = User.objects.create_user(email=email, password=None, person=person)
        user.oidc_subject = claims["sub"]
        user.save(update_fields=["oidc_subject"])
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        if not user.oidc_subject:
            user.oidc_subject = claims["sub"]
            user.save(update_fields=["oidc_subject"])
        if user.person_id is None:
            person = Person.objects.filter(email=user.email).first()
            if person is not None:
                user.person = person
                user.save(update_fields=["person"])
        return user
