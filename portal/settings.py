"""Bozor settings: one module, read from environment variables, safe defaults for a laptop."""

from datetime import timedelta
from pathlib import Path
from typing import Literal

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from portal.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("BOZOR_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", True)
# The development key only works with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "axes",
    "sellers",
    "catalog",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestIdMiddleware",
    "portal.middleware.RejectNulQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside authentication (and DRF's token check): it reads the user on the way out.
    "portal.middleware.PrivateAnswersMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF reads forms), after the language is chosen.
    "portal.middleware.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.HtmxLoginRedirectMiddleware",
    # axes must be last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sellers.context_processors.current_seller",
            ],
        },
    },
]

# Form widgets render through TEMPLATES, so templates/django/forms/widgets/ can restyle them (the
# file input's button in the UI's language).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# The seller dashboard's tiles that need catalog and market data: functions `f(*, seller) -> dict`
# in the apps above sellers (sellers.dashboard calls them; sellers may not import those apps).
DASHBOARD_KPI_PROVIDERS = ["insights.dashboard.seller_kpis", "catalog.dashboard.readiness_kpis"]

# Database: SQLite under var/ unless DATABASE_URL is set (PostgreSQL through psycopg 3).
DATABASE_URL = envstr("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool(
        "DATABASE_POOL", True
    ):
        from psycopg_pool import ConnectionPool

        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            # A connection is checked as it leaves the pool, so one that a database restart
            # broke is replaced instead of failing the request that gets it.
            "check": ConnectionPool.check_connection,
            "min_size": envint("DATABASE_POOL_MIN", 1),
            "max_size": envint("DATABASE_POOL_MAX", 10),
            "timeout": envint("DATABASE_POOL_TIMEOUT", 10),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "bozor.sqlite3"),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

AUTH_USER_MODEL = "sellers.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "sellers:login"
LOGIN_REDIRECT_URL = "sellers:dashboard"
LOGOUT_REDIRECT_URL = "landing"

# Brute-force protection: lock a (account, client address) pair, so one attacker cannot lock
# everyone out of an account; the proxy count says how many X-Forwarded-For hops to trust
# (0: reached directly, the header is ignored). portal.client_ip reads it from the right, so
# a forged header cannot reset the count (django-ipware is not installed, axes would
# otherwise use REMOTE_ADDR only, i.e. the proxy's address for everyone).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_IPWARE_PROXY_COUNT = envint("AXES_PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "sellers/locked_out.html"
# Failures count per (lower-cased e-mail, address): axes would otherwise read the e-mail from
# USERNAME_FIELD ("email") while the login form and the API pass it as `username`.
AXES_USERNAME_CALLABLE = "sellers.forms.login_username"
# JSON for the API, the lockout template for pages.
AXES_LOCKOUT_CALLABLE = "sellers.lockout.lockout_response"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ru", _("Russian")),
    ("uz", _("Uzbek")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tashkent"
USE_I18N = True
USE_TZ = True
# Our corrections to Django's date and number formats (portal/formats/<language>/formats.py).
# USE_THOUSAND_SEPARATOR stays off: ids in URLs and forms must not be grouped, so templates group
# figures explicitly (floatformat:"0g").
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: anything above 2.5 MB goes to a temporary file, never to memory. The per-kind
# limits (documents, catalog files) are enforced by upload handlers while streaming.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = None
FILE_UPLOAD_PERMISSIONS = 0o640
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
CATALOG_UPLOAD_MAX_BYTES = envint("CATALOG_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
CATALOG_MAX_ROWS = envint("CATALOG_MAX_ROWS", 1_000_000)
CATALOG_MAX_COLUMNS = envint("CATALOG_MAX_COLUMNS", 200)
# Import jobs: a lease on the job row (renewed by the running worker) makes a second delivery
# of the task exit; a job started more often than this is failed with a message.
CATALOG_IMPORT_LEASE_SECONDS = envint("CATALOG_IMPORT_LEASE_SECONDS", 120)
CATALOG_IMPORT_MAX_ATTEMPTS = envint("CATALOG_IMPORT_MAX_ATTEMPTS", 5)
# Rows validated in Python while PostgreSQL applies the previous chunk: memory is bounded by it.
CATALOG_IMPORT_CHUNK_ROWS = envint("CATALOG_IMPORT_CHUNK_ROWS", 10_000)
# An XLSX file is a zip: a workbook past these limits (a zip bomb) is refused before it inflates.
CATALOG_XLSX_MAX_ENTRIES = envint("CATALOG_XLSX_MAX_ENTRIES", 2000)
CATALOG_XLSX_MAX_UNCOMPRESSED = envint("CATALOG_XLSX_MAX_UNCOMPRESSED", 600 * 1024 * 1024)
CATALOG_XLSX_MAX_RATIO = envint("CATALOG_XLSX_MAX_RATIO", 250)
# Each part a workbook is read from, by its declared and its real size: the shared strings
# (the worker holds them all in memory), the styles with the other parts parsed whole (Excel
# allows 64,000 cell formats, about 6 MB), and each sheet.
CATALOG_XLSX_MAX_SHARED_STRINGS_BYTES = envint(
    "CATALOG_XLSX_MAX_SHARED_STRINGS_BYTES", 100 * 1024 * 1024
)
CATALOG_XLSX_MAX_STYLES_BYTES = envint("CATALOG_XLSX_MAX_STYLES_BYTES", 16 * 1024 * 1024)
CATALOG_XLSX_MAX_SHEET_BYTES = envint("CATALOG_XLSX_MAX_SHEET_BYTES", 512 * 1024 * 1024)

# E-mail: the console by default; EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# with EMAIL_HOST and EMAIL_PORT in production; EMAIL_BACKEND=
# django.core.mail.backends.filebased.EmailBackend writes each mail to a file under
# EMAIL_FILE_PATH, where demos and tests read the links.
_EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_EMAIL_OPTIONS: dict[str, object] = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {"host": envstr("EMAIL_HOST", "localhost"), "port": envint("EMAIL_PORT", 25)}
elif _EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    _EMAIL_OPTIONS = {"file_path": envstr("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Bozor <noreply@bozor.localhost>")

# Accounts. The mailed link that confirms an address works this long, and once.
EMAIL_VERIFICATION_MAX_AGE_HOURS = envint("EMAIL_VERIFICATION_MAX_AGE_HOURS", 72)
# Mails anyone can make the portal send (sign-up, password reset, invitations, confirmation
# links), counted in the shared cache: per client address (sign-up, reset) or inviting user
# per hour, per recipient per hour whatever the kind, and a cooldown before the same kind of
# mail goes to the same recipient again. A load test raises them through the environment.
MAIL_LIMIT_SIGNUP_PER_HOUR = envint("MAIL_LIMIT_SIGNUP_PER_HOUR", 20)
MAIL_LIMIT_PASSWORD_RESET_PER_HOUR = envint("MAIL_LIMIT_PASSWORD_RESET_PER_HOUR", 20)
MAIL_LIMIT_INVITATIONS_PER_HOUR = envint("MAIL_LIMIT_INVITATIONS_PER_HOUR", 30)
MAIL_LIMIT_VERIFICATION_PER_HOUR = envint("MAIL_LIMIT_VERIFICATION_PER_HOUR", 10)
MAIL_LIMIT_PER_RECIPIENT_PER_HOUR = envint("MAIL_LIMIT_PER_RECIPIENT_PER_HOUR", 5)
MAIL_COOLDOWN_SECONDS = envint("MAIL_COOLDOWN_SECONDS", 120)
# API tokens (django-rest-knox): only a hash is stored; each token lives this long after its
# last use (0: forever), and a user keeps at most this many (the oldest go first).
API_TOKEN_TTL_HOURS = envint("API_TOKEN_TTL_HOURS", 720)
API_TOKENS_PER_USER = envint("API_TOKENS_PER_USER", 20)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS) if API_TOKEN_TTL_HOURS > 0 else None,
    "AUTO_REFRESH": True,
    "AUTH_HEADER_PREFIX": "Token",
}

# Security. Production (DEBUG=0) gets HTTPS-only cookies and HSTS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE: Literal["Lax"] = "Lax"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = envbool("LANGUAGE_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Where product photos (image_urls) may be loaded from: origins such as
# "https://img.example.com", comma-separated; never a wildcard. Default: the demo data's host.
CATALOG_IMAGE_HOSTS = envlist("CATALOG_IMAGE_HOSTS", "https://img.bozor.localhost")
for _image_host in CATALOG_IMAGE_HOSTS:
    if "*" in _image_host or not _image_host.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"CATALOG_IMAGE_HOSTS must list http(s) origins without wildcards, not {_image_host!r}"
        )
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *CATALOG_IMAGE_HOSTS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Celery: Redis in production; with no CELERY_BROKER_URL tasks run eagerly in-process, so the
# embedded default needs no broker server.
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND", CELERY_BROKER_URL) or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 1800)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 1740)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# An upload must answer within seconds when Redis is down: short connect timeouts and no
# publish retries; the job stays queued and the periodic sweep sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-import-jobs": {"task": "catalog.tasks.import_jobs_sweep", "schedule": 60.0},
    # Expiry reminders for accepted documents (60, 30 and 7 days before): each is sent once,
    # so running hourly only shortens the wait after a day the beat was down.
    "send-document-expiry-reminders": {
        "task": "sellers.tasks.document_reminders_send",
        "schedule": 3600.0,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sellers.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": envstr("API_THROTTLE_ANON", "60/min"),
        "user": envstr("API_THROTTLE_USER", "600/min"),
        "auth": envstr("API_THROTTLE_AUTH", "10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bozor API",
    "DESCRIPTION": "Seller onboarding, catalog import and market insights.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share field names across apps get stable component names.
    "ENUM_NAME_OVERRIDES": {
        "SellerStatusEnum": "sellers.models.SellerStatus",
        "ReadinessStateEnum": ["ready", "needs_fixes"],
        "BrandStateEnum": "sellers.models.BrandState",
    },
}

# Admin exports need the model's view permission, like its list page (the default lets any
# staff user export any model).
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Throttling and mail-limit counters must be shared by every process: a per-process memory
# cache lets N workers give N times each limit. So the cache is Redis whenever CACHE_URL or the
# Celery broker names one; memory only for the embedded laptop default. On the broker's own
# database, cache.clear() empties the queues too: give CACHE_URL another database to avoid it.
CACHE_URL = envstr("CACHE_URL", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "bozor",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.middleware.RequestIdLogFilter"},
        "client_error_traceback": {"()": "portal.middleware.ClientErrorTracebackFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "client_error_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
