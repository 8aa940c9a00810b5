"""The scaled shape: PostgreSQL, Redis, several web, gateway and job processes.

Every secret comes from the environment (see docs/operations.md); nothing is generated here.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from huey import RedisHuey

from .base import *  # noqa: F403
from .base import KEY_DIR
from .keys import read_key, read_optional_key

# DEBUG shows settings, SQL and tracebacks to anyone who triggers an error: never in a real installation.
if os.environ.get("ZHENGTU_DEBUG", "") not in ("", "0"):
    raise ImproperlyConfigured(
        "ZHENGTU_DEBUG is set, but the scaled settings never run with DEBUG: unset it "
        "(debug on a copy with zhengtu.settings.embedded instead)."
    )
DEBUG = False

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

# --- Monitoring on Redis (zhengtu/monitoring/streams.py, docs/operations.md "Scaled shape: monitoring") ---
# Gateways append to REDIS_SHARDS streams; writer N of INGEST_WRITERS (`run_ingest --writer N`) reads
# the shards s % INGEST_WRITERS == N; a stopped writer's shards pass to the live ones and come back when it
# returns. More writers = one more process with a larger ZHENGTU_INGEST_WRITERS (the others need no restart).
ZHENGTU_MONITORING_INGEST_TRANSPORT = "redis"
ZHENGTU_MONITORING_REDIS_URL = os.environ.get("ZHENGTU_MONITORING_REDIS_URL", REDIS_URL)
ZHENGTU_MONITORING_REDIS_SHARDS = int(os.environ.get("ZHENGTU_INGEST_SHARDS", "8"))
ZHENGTU_MONITORING_INGEST_WRITERS = int(os.environ.get("ZHENGTU_INGEST_WRITERS", "1"))
ZHENGTU_MONITORING_REDIS_STREAM_MAXLEN = int(os.environ.get("ZHENGTU_INGEST_STREAM_MAXLEN", "1000000"))

# --- HTTPS (docs/operations.md, "Securing an installation") ----------------------------------
# On by default; ZHENGTU_HTTPS=0 only for a closed test network.
HTTPS = os.environ.get("ZHENGTU_HTTPS", "1") == "1"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("ZHENGTU_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("ZHENGTU_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("ZHENGTU_HSTS_PRELOAD", "1") == "1"
# Trust the TLS-terminating proxy's "this came over HTTPS" header only when told its name, e.g.
# ZHENGTU_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (the proxy must overwrite it on every request).
if os.environ.get("ZHENGTU_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["ZHENGTU_PROXY_SSL_HEADER"], "https")
