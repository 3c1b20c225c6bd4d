"""Django settings in three layers: defaults, environment (``LAERINGSARENA_*``), computed.

Nothing here opens a connection or reads a file other than the generated secret key in
development/demo mode.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PREFIX = "LAERINGSARENA_"


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(PREFIX + name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Layer 1: defaults -------------------------------------------------------------------

# Where the embedded database, uploaded media and the generated secret key live.
VAR_DIR = Path(env("VAR_DIR") or Path.cwd() / "var").resolve()

DEBUG = env_bool("DEBUG", False)
# Demo mode: the demo command may create accounts whose password is "demo".
DEMO_MODE = env_bool("DEMO", False)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if not (DEBUG or DEMO_MODE or os.environ.get("DJANGO_TESTING")):
        # Refuse to start a production instance with a guessable key.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "Set LAERINGSARENA_SECRET_KEY (or LAERINGSARENA_DEMO=true for a local demo)."
        )
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
# The address people and other systems reach this instance at: xAPI agent home pages, credential
# issuer ids (did:web), verification links and QR codes are built from it.
PUBLIC_URL = (env("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
# Quality: days an escalated deviation may stay open before it goes one level further up.
QUALITY_ESCALATION_DAYS = int(env("QUALITY_ESCALATION_DAYS") or 7)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mozilla_django_oidc",
    "django_tasks",
    "django_tasks_db",
    "laeringsarena.core",
    "laeringsarena.organisations",
    "laeringsarena.people",
    "laeringsarena.accounts",
    "laeringsarena.demo",
    "laeringsarena.catalogue",
    "laeringsarena.competence",
    "laeringsarena.plans",
    "laeringsarena.quality",
    "laeringsarena.community",
    "laeringsarena.lrs",
    "laeringsarena.learning",
    "laeringsarena.cmi5",
    "laeringsarena.credentials",
    "laeringsarena.learning_account",
    "laeringsarena.guidance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "laeringsarena.core.middleware.ProblemDetailsMiddleware",
]

ROOT_URLCONF = "laeringsarena.urls"
WSGI_APPLICATION = "laeringsarena.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "laeringsarena.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norsk bokmål")),
    ("nn", _("Norsk nynorsk")),
    ("da", _("Dansk")),
    ("en", _("Engelsk")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Layer 2: environment ----------------------------------------------------------------

DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'laeringsarena.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web workers read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Læringsarena <ikke-svar@laeringsarena.local>")

# HTTPS: set LAERINGSARENA_HTTPS=true behind TLS; cookies become secure and HSTS is sent.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(12 * 3600)) or 12 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000") or 0)

# OpenID Connect (Feide, ID-porten, Entra ID …) through mozilla-django-oidc. Off unless
# the client id and the provider's endpoints are configured.
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "") or ""
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT", "") or ""
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT", "") or ""
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT", "") or ""
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT", "") or ""
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", "RS256") or "RS256"
OIDC_RP_SCOPES = env("OIDC_SCOPES", "openid email profile") or "openid email profile"
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", "Feide") or "Feide"
# Create a user on first OIDC login only when the e-mail matches a known person.
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/logg-inn/?oidc=failed"
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT)

AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("laeringsarena.accounts.oidc.PersonOIDCBackend")

# Background work: the django-tasks API (Django 6's `django.tasks`, backported), stored in the
# database and run by `laeringsarena worker`, so no extra server is needed on SQLite or PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
        or "django_tasks_db.DatabaseBackend"
    }
}

LOG_LEVEL = env("LOG_LEVEL", "INFO") or "INFO"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# API: page size for list endpoints.
API_PAGE_SIZE = int(env("API_PAGE_SIZE", "50") or 50)

# --- Layer 3: computed -------------------------------------------------------------------

if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
