"""Settings for benchmarks: the embedded settings on a throw-away SQLite file or PostgreSQL database."""

import base64
import os
import secrets
from pathlib import Path

from zhengtu.settings.base import *  # noqa: F403
from zhengtu.settings.keys import read_key

# A benchmark that starts a server beside its own process passes one key to both (sessions must verify).
SECRET_KEY = os.environ.get("ZHENGTU_BENCH_SECRET_KEY") or base64.urlsafe_b64encode(secrets.token_bytes(48)).decode()
# A key file beside the cached bench databases, so a re-run can still read what it encrypted.
ZHENGTU_FIELD_KEY = read_key(
    "ZHENGTU_BENCH_FIELD_KEY",
    Path(os.environ.get("ZHENGTU_BENCH_DIR", "/tmp/zhengtu-bench")) / "field-key",
    create_if_missing=True,
)
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING"},
    # A 500 in a bench run shows its traceback in the server's log.
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR"},
        # What each live page was offered and written (monitoring_live reads it from the server's log).
        "zhengtu.monitoring.live": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

if os.environ.get("ZHENGTU_BENCH_DB") == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("ZHENGTU_BENCH_DB_NAME", "zt_bench"),
            "USER": os.environ.get("ZHENGTU_DB_USER", "postgres"),
            "PASSWORD": os.environ.get("ZHENGTU_DB_PASSWORD", ""),
            "HOST": os.environ.get("ZHENGTU_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("ZHENGTU_DB_PORT", "5433"),
            # The scaled shape keeps connections (settings/scaled.py); a bench may ask for the same.
            "CONN_MAX_AGE": int(os.environ.get("ZHENGTU_BENCH_CONN_MAX_AGE", "0")),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("ZHENGTU_BENCH_SQLITE", "/tmp/zhengtu-bench/bench.sqlite3"),
            # As the embedded shape (settings/embedded.py): writers queue instead of failing with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Batch tuning for experiments: ZHENGTU_MONITORING_BATCH_MAX / ZHENGTU_MONITORING_BATCH_WAIT_MS.
for _rule in ("BATCH_MAX", "BATCH_WAIT_MS"):
    if os.environ.get(f"ZHENGTU_MONITORING_{_rule}"):
        globals()[f"ZHENGTU_MONITORING_{_rule}"] = int(os.environ[f"ZHENGTU_MONITORING_{_rule}"])

# Dashboards: the bench measures them computed (0) and cached (the default).
if os.environ.get("ZHENGTU_BENCH_DASHBOARD_CACHE_SECONDS"):
    ZHENGTU_COMMAND = {
        "DASHBOARD_CACHE_SECONDS": int(os.environ["ZHENGTU_BENCH_DASHBOARD_CACHE_SECONDS"]),
        "SHARED_AGGREGATE_SECONDS": int(os.environ.get("ZHENGTU_BENCH_SHARED_SECONDS", "60")),
    }
# Every simulated device connects from 127.0.0.1: no per-address cap on new connections here.
ZHENGTU_MONITORING_MAX_UNPROVEN_PER_ADDRESS = 100_000
ZHENGTU_MONITORING_MAX_UNPROVEN_CONNECTIONS = 100_000

# A bench that runs `manage.py serve` (web + gateway + job consumer in one process, the embedded
# shape) gives the job consumer a queue file of its own run.
if os.environ.get("ZHENGTU_BENCH_HUEY_FILE"):
    from huey import SqliteHuey

    HUEY = SqliteHuey(name="zhengtu-bench", filename=os.environ["ZHENGTU_BENCH_HUEY_FILE"])
    ZHENGTU_EMBEDDED = True  # `manage.py serve` starts the gateway and the job consumer beside the web server
    # The fault drill counts the job queue's retries and failures (one line per signal).
    if os.environ.get("ZHENGTU_BENCH_JOB_LOG"):
        from huey import signals as _huey_signals

        def _log_job(signal: str, task: object, *args: object, **kwargs: object) -> None:
            with open(os.environ["ZHENGTU_BENCH_JOB_LOG"], "a") as log:
                log.write(f"{signal} {getattr(task, 'name', task)}\n")

        HUEY.signal(_huey_signals.SIGNAL_RETRYING, _huey_signals.SIGNAL_ERROR, _huey_signals.SIGNAL_COMPLETE)(_log_job)

# The fault drill delivers alerts to a webhook of its own.
if os.environ.get("ZHENGTU_BENCH_WEBHOOK_URL"):
    ZHENGTU_MONITORING_ALERT_CHANNELS = ["zhengtu.monitoring.alert_channels.WeComWebhookChannel"]
    ZHENGTU_MONITORING_WECOM_WEBHOOK_URL = os.environ["ZHENGTU_BENCH_WEBHOOK_URL"]

# Heartbeats without the sync lane (zhengtu/core/synclane.py), to compare: ZHENGTU_BENCH_SYNC_LANE=0.
ZHENGTU_SYNC_LANE = os.environ.get("ZHENGTU_BENCH_SYNC_LANE", "1") == "1"
