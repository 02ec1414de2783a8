"""Settings of the xiaoneng platform, read from environment variables.

One module for every mode. ``XN_ENV`` picks the defaults:

* ``demo`` (default): SQLite in ``var/``, tasks in-process, 2FA optional, plain HTTP on
  127.0.0.1. What ``make run`` starts.
* ``test``: as demo, tasks run eagerly, fast password hashing.
* ``production``: every insecure value is refused at start-up (see ``_refuse_insecure``
  at the end); ``manage.py check --deploy`` is clean.

Every variable is listed with its meaning in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XN_VAR_DIR", BASE_DIR / "var"))

# Under pytest the default is "test", so a bare `pytest` never touches the demo database.
XN_ENV = os.environ.get("XN_ENV") or ("test" if "pytest" in sys.modules else "demo")
if XN_ENV not in {"demo", "test", "production"}:
    raise ImproperlyConfigured(f"XN_ENV must be demo, test or production, not {XN_ENV!r}")
PRODUCTION = XN_ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _demo_secret_key() -> str:
    """A random key kept in var/ so that demo sessions survive a restart."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


if os.environ.get("SECRET_KEY"):
    SECRET_KEY = os.environ["SECRET_KEY"]
elif XN_ENV == "test":
    SECRET_KEY = "test-only-key-" + "x" * 40  # noqa: S105 (never used outside the test suite)
else:
    SECRET_KEY = "" if PRODUCTION else _demo_secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    # the platform's own apps, in the order of ARCHITECTURE.md's arrows
    "core",
    "org",
    "accounts",
    "supervisors",
    "inspections",
    "cases",
    "evaluations",
    "accountability",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AccountSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RequestContextMiddleware",
    # axes must be last: it turns a lockout signalled by the backend into a response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xiaoneng.urls"
WSGI_APPLICATION = "xiaoneng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.platform",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL and IMMEDIATE transactions let the in-process task threads write beside
        # the request threads without "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif os.environ.get("XN_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["XN_TEST_DB_NAME"]}
# Read replicas (deploy at scale): DATABASE_REPLICA_URLS=url1,url2 ; reads of reports
# go there through core.db.ReplicaRouter.
_replicas = env_list("DATABASE_REPLICA_URLS", "")
for _index, _url in enumerate(_replicas):
    DATABASES[f"replica{_index}"] = dj_database_url.parse(_url, conn_max_age=60)
    DATABASES[f"replica{_index}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.db.ReplicaRouter"] if _replicas else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts and login security (RULES.md §9) -----------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"classes": 4}},
    {"NAME": "accounts.validators.NotReusedValidator"},
]
XN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("XN_PASSWORD_MAX_AGE_DAYS", "90"))
# Two factors for office and unit roles. Production always; the demo may relax it.
XN_REQUIRE_2FA = env_bool("XN_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("XN_OTP_ISSUER", "效能监督平台")

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("XN_AXES_ENABLED", True)

# Log out after 30 idle minutes: the session expires 30 minutes after the last request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("XN_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- HTTPS and headers ----------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("XN_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("XN_HSTS_SECONDS", str(60 * 60 * 24 * 365 if PRODUCTION else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("XN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- i18n: Chinese first ---------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
XN_STORAGE = os.environ.get("XN_STORAGE", "local")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if XN_ENV != "test"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if XN_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("XN_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("XN_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("XN_S3_ACCESS_KEY", ""),
            "secret_key": os.environ.get("XN_S3_SECRET_KEY", ""),
            "region_name": os.environ.get("XN_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = XN_ENV == "test"
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Upload limits per kind of file, in bytes (core.uploads checks type and size).
XN_UPLOAD_LIMITS = {
    "image": int(os.environ.get("XN_UPLOAD_MAX_IMAGE", str(15 * 1024 * 1024))),
    "video": int(os.environ.get("XN_UPLOAD_MAX_VIDEO", str(200 * 1024 * 1024))),
    "audio": int(os.environ.get("XN_UPLOAD_MAX_AUDIO", str(50 * 1024 * 1024))),
    "document": int(os.environ.get("XN_UPLOAD_MAX_DOCUMENT", str(20 * 1024 * 1024))),
    "spreadsheet": int(os.environ.get("XN_UPLOAD_MAX_SPREADSHEET", str(10 * 1024 * 1024))),
}

# --- personal data --------------------------------------------------------------------
# Key(s) for encrypting ID numbers at rest: comma-separated Fernet keys, newest first.
# The demo derives one from SECRET_KEY; production must set its own.
XN_FIELD_KEYS = env_list("XN_FIELD_KEYS", "")

# --- background tasks -------------------------------------------------------------------
# inprocess: a thread pool inside the web process (the embedded default, no broker);
# celery: Celery workers over Redis (production); eager: run at commit (tests).
XN_TASKS = os.environ.get("XN_TASKS", {"production": "celery", "test": "eager"}.get(XN_ENV, "inprocess"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work; the in-process scheduler reads the same table (core.inprocess).
XN_PERIODIC_TASKS: dict[str, dict] = {
    "core-deliver-pending-notifications": {"task": "core.tasks.deliver_pending", "minutes": 5},
    "core-purge-expired-jobs": {"task": "core.tasks.purge_old_jobs", "minutes": 24 * 60},
}

# --- outward channels of notifications -------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xiaoneng@localhost")
XN_SMS_GATEWAY = os.environ.get("XN_SMS_GATEWAY", "core.notify.LogSmsGateway")

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api_permissions.GatePermission"],
    "DEFAULT_PAGINATION_CLASS": "core.api_permissions.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1200/min", "public_submit": "10/hour", "tracking": "20/hour"},
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "效能监督平台 API",
    "DESCRIPTION": "xiaoneng: the efficiency office's platform. Machine clients authenticate "
    "with 'Authorization: Bearer <token>' (a scoped, expiring API token).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # choice sets with the same field name in two modules get names of their own
    "ENUM_NAME_OVERRIDES": {
        "CaseVerdictEnum": "cases.choices.Verdict",
        "FindingVerdictEnum": "inspections.choices.Verdict",
    },
}

# --- logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

if XN_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

SILENCED_SYSTEM_CHECKS: list[str] = []


def _refuse_insecure() -> None:
    """Production refuses to start with a setting that would make it unsafe."""
    problems = []
    if DEBUG:
        problems.append("DJANGO_DEBUG must be off")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the site's host names (no '*')")
    if not SESSION_COOKIE_SECURE:
        problems.append("XN_SECURE_COOKIES must stay on")
    if not SECURE_SSL_REDIRECT:
        problems.append("XN_SSL_REDIRECT must stay on")
    if SECURE_HSTS_SECONDS < 60 * 60 * 24 * 180:
        problems.append("XN_HSTS_SECONDS must be at least 180 days")
    if not XN_REQUIRE_2FA:
        problems.append("XN_REQUIRE_2FA must stay on (RULES.md §9)")
    if not XN_FIELD_KEYS:
        problems.append("XN_FIELD_KEYS must hold a Fernet key for personal data at rest")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env_bool("XN_ALLOW_SQLITE", False):
        problems.append("DATABASE_URL must point to PostgreSQL")
    if XN_TASKS != "celery":
        problems.append("XN_TASKS must be celery")
    if problems:
        raise ImproperlyConfigured("生产模式拒绝启动 / refusing to start in production: " + "; ".join(problems))


if PRODUCTION:
    _refuse_insecure()

# Names used by templates for the platform and the office that runs it.
XN_SITE_NAME = os.environ.get("XN_SITE_NAME", "效能监督平台")
XN_OFFICE_NAME = os.environ.get("XN_OFFICE_NAME", "市效能建设领导小组办公室")
