"""Login accounts, role assignments and API tokens.

A :class:`User` is how someone logs in (local password or OpenID Connect); it points to the
:class:`~laeringsarena.people.models.Person` it belongs to. Roles are granted on an
organisation and cover its whole subtree.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login account. The e-mail address is the username."""

    email = models.EmailField(_("e-post"), unique=True)
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    # OpenID Connect subject identifier (e.g. Feide's sub), set on first OIDC login.
    oidc_subject = models.CharField(max_length=255, blank=True, db_index=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id and self.person else self.email


class Role(models.TextChoices):
    """Roles a person can hold, each scoped to an organisation subtree."""

    EMPLOYEE = "employee", _("Ansatt")
    LEADER = "leader", _("Leder")
    HR = "hr", _("HR / kompetanserådgiver")
    UNION_REPRESENTATIVE = "union_representative", _("Tillitsvalgt")
    SAFETY_DELEGATE = "safety_delegate", _("Verneombud")
    QUALITY_COORDINATOR = "quality_coordinator", _("Kvalitetskontakt")
    PROVIDER_EDITOR = "provider_editor", _("Redaktør hos tilbyder")
    PLATFORM_ADMIN = "platform_admin", _("Plattformadministrator")


class RoleAssignment(models.Model):
    """A role held by a person over an organisation and everything below it.

    The employee role is not stored here: it follows from an active employment.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="role_assignments")
    start_date = models.DateField(_("fra"), default=timezone.localdate)
    end_date = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "organisation"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()} – {self.organisation}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A bearer token for integrations. Only a SHA-256 hash of the token is stored."""

    PREFIX = "la_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("navn"), max_length=100, default="API")
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a person can tell their tokens apart.
    key_prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str = "API") -> tuple[ApiToken, str]:
        """Create a token and return it with the raw secret (shown once, never stored)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_hash_token(raw), key_prefix=raw[:10])
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        token = (
            cls.objects.usable()
            .select_related("user", "user__person")
            .filter(key_hash=_hash_token(raw))
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        # Avoid a write per request: record use at most once a minute.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
