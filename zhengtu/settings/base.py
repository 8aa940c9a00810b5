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
    "zhengtu.learning",
    "zhengtu.demo",
    "zhengtu.faces",
    "zhengtu.selfservice",
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
    "huey.contrib.djhuey",
    *ZHENGTU_DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
ZHENGTU_REQUIRE_TWO_FACTOR = True
OTP_TOTP_ISSUER = "正途 Zhengtu"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS: list[Path] = []  # each app keeps its own catalogue in <app>/locale/
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
}
ZHENGTU_API_TOKEN_DAYS = int(os.environ.get("ZHENGTU_API_TOKEN_DAYS", "7"))

# Audit entries are kept at least this long; the purge command refuses anything shorter
# than the legal minimum of six months.
ZHENGTU_AUDIT_RETENTION_DAYS = int(os.environ.get("ZHENGTU_AUDIT_RETENTION_DAYS", "730"))
ZHENGTU_AUDIT_MINIMUM_RETENTION_DAYS = 183

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
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
