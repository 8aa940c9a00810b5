"""Settings shared by every shape of deployment.

Legal limits, deadlines and levels live in ZHENGTU_RULES below (defaults taken from the
Community Corrections Law and its 2020 Measures); a province overrides them in its own
settings module or through the environment, never by editing domain code.
"""

from __future__ import annotations

import os
from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

# Lets generic Django classes be subscripted at run time (ModelForm[Supervisee], QuerySet[...]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ZHENGTU_VAR_DIR", BASE_DIR / "var"))
KEY_DIR = Path(os.environ.get("ZHENGTU_KEY_DIR", VAR_DIR / "keys"))

DEBUG = os.environ.get("ZHENGTU_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ZHENGTU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ZHENGTU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

ZHENGTU_DOMAIN_APPS = [
    "zhengtu.orgs",
    "zhengtu.accounts",
    "zhengtu.audit",
    "zhengtu.supervisees",
    "zhengtu.privacy",
    "zhengtu.workdays",
    "zhengtu.documents",
    "zhengtu.workspace",
    "zhengtu.api",
    "zhengtu.supervision",
    "zhengtu.assessment",
    "zhengtu.monitoring",
    "zhengtu.services",
    "zhengtu.projects",
    "zhengtu.inspections",
    "zhengtu.association",
    "zhengtu.juvenile",
    "zhengtu.volunteers",
    "zhengtu.command",
    "zhengtu.investigations",
    "zhengtu.exchange",
    "zhengtu.learning",
    "zhengtu.demo",
    "zhengtu.faces",
    "zhengtu.selfservice",
    "zhengtu.reintegration",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, never a CDN
    "huey.contrib.djhuey",
    *ZHENGTU_DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhengtu.core.security.SecurityHeadersMiddleware",  # CSP with nonces, no-store on personal data
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zhengtu.accounts.middleware.IdleTimeoutMiddleware",
    "zhengtu.accounts.middleware.RequireVerifiedStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhengtu.urls"
ASGI_APPLICATION = "zhengtu.asgi.application"
WSGI_APPLICATION = "zhengtu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhengtu.workspace.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Password policy (docs/operations.md#password-policy): at least 10 characters, not all digits,
# not too close to the user's own attributes, not in the common-password list.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failures (django-axes): 5 failures for one username from one address
# lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHENGTU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ZHENGTU_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhengtu.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "zhengtu.audit.services.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ZHENGTU_IDLE_TIMEOUT_MINUTES = int(os.environ.get("ZHENGTU_IDLE_TIMEOUT_MINUTES", "30"))
# A live map stream re-checks its session (logout, idle, deactivation, new role) this often.
ZHENGTU_LIVE_SESSION_RECHECK_SECONDS = 15
ZHENGTU_REQUIRE_TWO_FACTOR = True
OTP_TOTP_ISSUER = "正途 Zhengtu"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Apps keep their catalogue in <app>/locale/; zhengtu.core is no installed app, so its own is named here.
LOCALE_PATHS: list[Path] = [BASE_DIR / "zhengtu" / "core" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "zhengtu" / "static"]
MEDIA_ROOT = Path(os.environ.get("ZHENGTU_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files are personal data: never served as static files, only through scoped views.
MEDIA_URL = "/media-not-served/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Bodies above this are refused (413) before Django reads them (zhengtu/core/bodylimit.py); paths that
# need more get an allowance in ZHENGTU_REQUEST_BODY_LIMITS ({path prefix: bytes}) or allow_larger_bodies().
ZHENGTU_REQUEST_BODY_MAX_BYTES = int(os.environ.get("ZHENGTU_REQUEST_BODY_MAX_BYTES", str(25 * 1024 * 1024)))
ZHENGTU_REQUEST_BODY_LIMITS: dict[str, int] = {}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhengtu.api.authentication.BearerTokenAuthentication",
        "zhengtu.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "zhengtu.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhengtu API",
    "DESCRIPTION": "正途 community corrections platform — REST API v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"SupervisionLevelEnum": "zhengtu.supervisees.models.SupervisionLevel"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Content-Security-Policy (zhengtu/core/security.py). Map tiles are images from the tile hosts of
# zhengtu/monitoring/rules.py TILE_SOURCES; an installation with its own tile server names it here.
ZHENGTU_CSP_IMG_SOURCES = os.environ.get(
    "ZHENGTU_CSP_IMG_SOURCES", "https://tile.openstreetmap.org https://*.tianditu.gov.cn https://*.is.autonavi.com"
).split()
ZHENGTU_CSP_REPORT_ONLY = os.environ.get("ZHENGTU_CSP_REPORT_ONLY", "") == "1"

ZHENGTU_API_TOKEN_DAYS = int(os.environ.get("ZHENGTU_API_TOKEN_DAYS", "7"))

# Audit entries are kept at least this long; the purge command refuses anything shorter
# than the legal minimum of six months.
ZHENGTU_AUDIT_RETENTION_DAYS = int(os.environ.get("ZHENGTU_AUDIT_RETENTION_DAYS", "730"))
ZHENGTU_AUDIT_MINIMUM_RETENTION_DAYS = 183

# Audit chain key and head checkpoints (zhengtu/audit/keying.py). The key lives outside the
# database (environment or var/keys/audit-key, set per shape); empty means "derived from the
# field key". Signed checkpoints of the chain head are appended to this file, which belongs on
# storage the database's users cannot rewrite (another disk, a WORM share); "" switches them off.
ZHENGTU_AUDIT_KEY = ""
ZHENGTU_AUDIT_CHECKPOINT_FILE = os.environ.get(
    "ZHENGTU_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit" / "checkpoints.log")
)
ZHENGTU_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("ZHENGTU_AUDIT_CHECKPOINT_MINUTES", "10"))
# Also send each checkpoint to the bureau administrators as a notification (a second copy outside the
# database's control is only as good as its reader; off by default).
ZHENGTU_AUDIT_CHECKPOINT_NOTIFY = os.environ.get("ZHENGTU_AUDIT_CHECKPOINT_NOTIFY", "") == "1"
# Anonymous failures (bogus tokens, unknown usernames): per source and window, the first few are
# recorded one by one, the rest counted and summarised (zhengtu/audit/anonymous.py).
ZHENGTU_AUDIT_ANONYMOUS_LIMITS = {"window_minutes": 10, "per_source": 5, "per_window": 50, "sources": 100}
# Per-account lockout across addresses (zhengtu/accounts/lockout.py) and the token endpoint's rate.
ZHENGTU_ACCOUNT_LOCKOUT = {"failures": 20, "window_minutes": 60, "lock_minutes": 30}
ZHENGTU_API_TOKEN_RATE = {"window_minutes": 10, "per_address": 30, "per_account": 10}

# True in the embedded shape: `manage.py serve` then also runs the job consumer and every
# app's `embedded_companions` (device gateway, ...) in the same process.
ZHENGTU_EMBEDDED = False

# Legal and organisational defaults. Each is a setting (see PRODUCT.md "Domain facts").
ZHENGTU_RULES: dict[str, object] = {
    "reporting_deadline_days": 10,
    "deciding_organ_notice_days": 5,
    "document_delivery_days": 10,
    "term_ending_reminder_days": 30,
}

# Faces and the supervisee's app (zhengtu/faces, zhengtu/selfservice). Face photos, voice notes and the
# photos of app check-ins are sensitive personal data (PIPL art. 28): they live here, outside MEDIA_ROOT,
# and are served only by scoped, audited views (zhengtu.core.private_files).
ZHENGTU_PRIVATE_ROOT = Path(os.environ.get("ZHENGTU_PRIVATE_ROOT", VAR_DIR / "private"))
# Name of the app's service-worker caches: change it when the app's shell (CSS, scripts) changes.
ZHENGTU_APP_VERSION = "2026-12-1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (403) is one warning line, not a traceback (zhengtu/core/logfilters.py).
    "filters": {"forbidden_one_line": {"()": "zhengtu.core.logfilters.ForbiddenWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["forbidden_one_line"]}
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs seven progress lines per PDF at INFO: 14,000 lines for a year's assessment reports.
        "weasyprint.progress": {"level": "WARNING"},
    },
}


# --- From the environment: proxy trust and the device gateway ---------------------------------
# The web side trusts X-Real-IP only behind a proxy that overwrites it (docs/operations.md).
ZHENGTU_TRUST_X_REAL_IP = os.environ.get("ZHENGTU_TRUST_X_REAL_IP", "") == "1"
# The gateway's bind address (ZHENGTU_GATEWAY_BIND, or its older name ZHENGTU_GATEWAY_HOST), its ports
# (ZHENGTU_GATEWAY_<JT808|GT06|WATCH|OSMAND>_PORT one by one, or ZHENGTU_GATEWAY_PORTS="jt808=5015,gt06=5023";
# unlisted protocols keep the defaults of zhengtu/monitoring/rules.py) and the proxies whose connections
# it may trust; each is set only when its variable is.
if os.environ.get("ZHENGTU_GATEWAY_BIND") or os.environ.get("ZHENGTU_GATEWAY_HOST"):
    ZHENGTU_MONITORING_LISTEN_HOST = os.environ.get("ZHENGTU_GATEWAY_BIND") or os.environ["ZHENGTU_GATEWAY_HOST"]
_GATEWAY_PORTS = {
    name: int(port)
    for name in ("jt808", "gt06", "watch", "osmand")
    if (port := os.environ.get(f"ZHENGTU_GATEWAY_{name.upper()}_PORT", ""))
}
_GATEWAY_PORTS.update(
    {
        name.strip(): int(port)
        for name, _sep, port in (pair.partition("=") for pair in os.environ.get("ZHENGTU_GATEWAY_PORTS", "").split(","))
        if name.strip()
    }
)
if _GATEWAY_PORTS:
    from zhengtu.monitoring.rules import DEFAULTS as _MONITORING_DEFAULTS

    ZHENGTU_MONITORING_PORTS = {**_MONITORING_DEFAULTS["PORTS"], **_GATEWAY_PORTS}
if os.environ.get("ZHENGTU_GATEWAY_TRUSTED_PROXIES"):
    ZHENGTU_MONITORING_TRUSTED_PROXIES = os.environ["ZHENGTU_GATEWAY_TRUSTED_PROXIES"].split(",")

# Background jobs that make a file (reports, archive bundles): the file names people, so it is kept this many
# days for its owner to download, then deleted (workspace.background.discard_old_results, nightly).
ZHENGTU_JOB_RESULT_DAYS = int(os.environ.get("ZHENGTU_JOB_RESULT_DAYS", "7"))
