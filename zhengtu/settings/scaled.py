"""The scaled shape: PostgreSQL, Redis, several web, gateway and job processes.

Every secret comes from the environment (see docs/operations.md); nothing is generated here.
"""

import os

from huey import RedisHuey

from .base import *  # noqa: F403
from .base import KEY_DIR
from .keys import read_key, read_optional_key

SECRET_KEY = read_key("ZHENGTU_SECRET_KEY", KEY_DIR / "django-secret", create_if_missing=False)
ZHENGTU_FIELD_KEY = read_key("ZHENGTU_FIELD_KEY", KEY_DIR / "field-key", create_if_missing=False)
# Optional: without it the audit chain key is derived from the field key (zhengtu/audit/keying.py).
ZHENGTU_AUDIT_KEY = read_optional_key("ZHENGTU_AUDIT_KEY", KEY_DIR / "audit-key")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("ZHENGTU_DB_NAME", "zhengtu"),
        "USER": os.environ.get("ZHENGTU_DB_USER", "zhengtu"),
        "PASSWORD": os.environ.get("ZHENGTU_DB_PASSWORD", ""),
        "HOST": os.environ.get("ZHENGTU_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("ZHENGTU_DB_PORT", "5432"),
        "CONN_MAX_AGE": 60,
    }
}

REDIS_URL = os.environ.get("ZHENGTU_REDIS_URL", "redis://127.0.0.1:6379/0")
HUEY = RedisHuey(name="zhengtu", url=REDIS_URL)

SESSION_COOKIE_SECURE = os.environ.get("ZHENGTU_HTTPS", "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
