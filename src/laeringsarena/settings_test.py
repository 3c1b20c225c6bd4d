"""Settings for the test suite: the normal settings with fast hashing and plain static files.

The database comes from ``LAERINGSARENA_DATABASE_URL`` like in production, so the same suite
runs on SQLite (default) and PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("LAERINGSARENA_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("LAERINGSARENA_VAR_DIR", tempfile.mkdtemp(prefix="laeringsarena-test-"))
os.environ.setdefault("LAERINGSARENA_DEMO", "true")

from laeringsarena.settings import *  # noqa: F403
from laeringsarena.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once in tests; test_tasks.py exercises the database queue and worker for real.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LANGUAGE_CODE = "nb"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is missing
