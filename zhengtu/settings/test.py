"""Settings for the test suite: SQLite by default, PostgreSQL when ZHENGTU_TEST_DB=postgresql.

Keys are random per test process: tests never depend on a stored secret.
"""

import base64
import os
import secrets
import tempfile
from pathlib import Path

from huey import MemoryHuey

from .base import *  # noqa: F403

SECRET_KEY = base64.urlsafe_b64encode(secrets.token_bytes(48)).decode()
ZHENGTU_FIELD_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()

if os.environ.get("ZHENGTU_TEST_DB") == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("ZHENGTU_DB_NAME", "zhengtu"),
            "USER": os.environ.get("ZHENGTU_DB_USER", "zhengtu"),
            "PASSWORD": os.environ.get("ZHENGTU_DB_PASSWORD", ""),
            "HOST": os.environ.get("ZHENGTU_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("ZHENGTU_DB_PORT", "5432"),
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zhengtu-test-media-"))
ZHENGTU_PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="zhengtu-test-private-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = MemoryHuey(name="zhengtu-test", immediate=True)
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
