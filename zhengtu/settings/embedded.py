"""The embedded shape: SQLite, one process serving web, device gateway and background jobs."""

from huey import SqliteHuey

from .base import *  # noqa: F403
from .base import KEY_DIR, VAR_DIR
from .keys import read_key

VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = read_key("ZHENGTU_SECRET_KEY", KEY_DIR / "django-secret", create_if_missing=True, length=48)
ZHENGTU_FIELD_KEY = read_key("ZHENGTU_FIELD_KEY", KEY_DIR / "field-key", create_if_missing=True)
ZHENGTU_AUDIT_KEY = read_key("ZHENGTU_AUDIT_KEY", KEY_DIR / "audit-key", create_if_missing=True)

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "zhengtu.sqlite3",
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        },
    }
}

HUEY = SqliteHuey(name="zhengtu", filename=str(VAR_DIR / "jobs.sqlite3"))

ZHENGTU_EMBEDDED = True
