"""Settings, read from environment variables so a deployment never edits code.

HUIYING_DATA_DIR   where the SQLite database, secret key and uploads live (default ./huiying-data)
DATABASE_URL       e.g. postgres://user@host:5432/db — PostgreSQL instead of SQLite
HUIYING_SECRET_KEY secret key (default: generated once and kept in the data dir)
HUIYING_DEBUG      "1" for debug pages
HUIYING_ALLOWED_HOSTS comma-separated host names (default localhost,127.0.0.1)
HUIYING_TIME_ZONE  default Asia/Shanghai
"""
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("HUIYING_DATA_DIR", Path.cwd() / "huiying-data")).resolve()


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("HUIYING_SECRET_KEY"):
        return key
    # Generated once per data directory so sessions survive a restart without any config.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("HUIYING_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HUIYING_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "huiying.core",
    "huiying.network",
    "huiying.concerns",
    "huiying.records",
    "huiying.stats",
    "huiying.demo",
    "huiying.rota",
    "huiying.cadres",
    "huiying.supervision",
    "huiying.training",
    "huiying.board",
    "huiying.selfservice",
    "huiying.notify",
    "huiying.printing",
    "huiying.dashboard",
    "huiying.reports",
    "huiying.registers",
    "huiying.web",
    "huiying.api",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    # Outermost, so pages and the static files whitenoise streams go out compressed: clerks
    # are on weak mobile data. CSRF tokens are masked per response (BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "huiying.urls"
WSGI_APPLICATION = "huiying.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "huiying.web.context.nav",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "huiying.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
                # lock at BEGIN so two workflow steps never deadlock upgrading a read lock.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("HUIYING_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Uploads (photos of signed agreements, scanned documents): size and type limits.
HUIYING_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
HUIYING_ATTACHMENT_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even when serving from finders
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# Serve assets straight from the apps and packages: no collectstatic step, no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"huiying": {"handlers": ["console"], "level": os.environ.get("HUIYING_LOG_LEVEL", "INFO")}},
}

# --- huiying's own settings (see huiying/core/conf.py for how they are read) ---
# Per-track limits in working days (PRODUCT.md §5). 0 = the same working day.
HUIYING_TRACK_LIMITS = {
    "policy": 0,
    "dispute": 10,
    "time_limited": 15,
    "agency": 20,
    "beyond_authority": 5,
    "confidential": 15,
}
# Once a higher-level visit is booked for a beyond-authority item, how long to resolve it after.
HUIYING_RESOLVE_AFTER_APPOINTMENT_DAYS = 10
# A concern is transferred at most this many times; after that it must be escalated or closed.
HUIYING_MAX_TRANSFERS = 3
# A due date may be extended at most this many times, each by at most this many working days.
HUIYING_MAX_EXTENSIONS = 2
HUIYING_MAX_EXTENSION_DAYS = 20
# How often the background worker runs the deadline tick, in seconds.
HUIYING_TICK_INTERVAL = int(os.environ.get("HUIYING_TICK_INTERVAL", "900"))

# --- API (huiying/api): REST under /api/v1/, Open311 GeoReport v2 under /open311/v2/, webhooks ---
INSTALLED_APPS += ["drf_spectacular_sidecar"]  # Swagger UI served from here: no CDN
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its challenge makes a request without credentials a 401.
        "huiying.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_SCHEMA_CLASS": "huiying.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "huiying.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "huiying API",
    "DESCRIPTION": "The Villager Concern Response Network (村民关切回应站): everything the web app does, over HTTP. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OutcomeEnum": "huiying.concerns.models.Outcome",
        "OtherOutcomeEnum": "huiying.api.serializers.actions.OTHER_OUTCOME_CHOICES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Open311 GeoReport v2: who registers the concerns that clients send (a username; empty: a
# per-county system account, created on first use), and the discovery document's contact.
HUIYING_OPEN311_USER = os.environ.get("HUIYING_OPEN311_USER", "")
HUIYING_OPEN311_CONTACT = os.environ.get("HUIYING_OPEN311_CONTACT", "")
# Webhooks: attempts per delivery before it is marked failed, and the HTTP timeout (seconds).
HUIYING_WEBHOOK_MAX_ATTEMPTS = 8
HUIYING_WEBHOOK_TIMEOUT = 10


# --- huiying.rota ------------------------------------------------------------
# (settings of huiying.rota go here)


# --- huiying.cadres ----------------------------------------------------------
# (settings of huiying.cadres go here)


# --- huiying.supervision -----------------------------------------------------
# The three rates (docs/statistics.md). Points of each rating (out of the "satisfied" maximum)
# and the weight of one villager's and one supervisor's rating in the satisfaction rate.
HUIYING_SATISFACTION_POINTS = {"satisfied": 2, "basic": 1, "dissatisfied": 0}
HUIYING_SATISFACTION_WEIGHT_VILLAGER = int(os.environ.get("HUIYING_SATISFACTION_WEIGHT_VILLAGER", "1"))
HUIYING_SATISFACTION_WEIGHT_SUPERVISOR = int(os.environ.get("HUIYING_SATISFACTION_WEIGHT_SUPERVISOR", "2"))
# Below these a unit shows "too few to rate" (样本不足) instead of a percentage: rated concerns
# for the satisfaction rate, concerns counted for the response and resolution rates.
HUIYING_RATES_MIN_RATED = int(os.environ.get("HUIYING_RATES_MIN_RATED", "5"))
HUIYING_RATES_MIN_CONCERNS = int(os.environ.get("HUIYING_RATES_MIN_CONCERNS", "5"))
# The API's enum of supervisors' kinds, apart from the attachments' "kind" (which keeps its name).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["KindEnum"] = "huiying.concerns.models.AttachmentKind"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["SupervisorKindEnum"] = "huiying.supervision.models.Kind"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ReviewDecisionEnum"] = "huiying.supervision.models.Decision"


# --- huiying.training --------------------------------------------------------
# (settings of huiying.training go here)


# --- huiying.board -----------------------------------------------------------
# A posting (公示) lasts this many days unless staff choose otherwise, and at most the maximum.
HUIYING_BOARD_DEFAULT_PERIOD_DAYS = int(os.environ.get("HUIYING_BOARD_DEFAULT_PERIOD_DAYS", "7"))
HUIYING_BOARD_MAX_PERIOD_DAYS = int(os.environ.get("HUIYING_BOARD_MAX_PERIOD_DAYS", "60"))


# --- huiying.selfservice -----------------------------------------------------
# Abuse protection of the public forms (huiying/selfservice/abuse.py). The counters need a
# cache every worker process shares: by default a file-based cache in the data directory
# (one host, no extra service, nothing in the database); with several hosts set
# HUIYING_ABUSE_CACHE=redis://host:6379/0. The default cache stays as it was.
CACHES = globals().get("CACHES") or {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("HUIYING_ABUSE_CACHE", "").startswith(("redis://", "rediss://")):
    CACHES["abuse"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["HUIYING_ABUSE_CACHE"]}
else:
    CACHES["abuse"] = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                       "LOCATION": os.environ.get("HUIYING_ABUSE_CACHE") or str(DATA_DIR / "cache" / "abuse"),
                       "OPTIONS": {"MAX_ENTRIES": 100000}}


def _abuse_limits(text: str) -> dict:
    """"submit=5/600,track=20/600" → {"submit": (5, 600), ...} over the defaults."""
    out = {"default": (20, 600), "submit": (5, 600), "track": (20, 600), "rate": (10, 600), "box": (5, 600),
           # wrong codes per reference number, whoever tries: guessing one concern's code
           "track-ref": (10, 3600)}
    for part in filter(None, (p.strip() for p in text.split(","))):
        scope, _, rule = part.partition("=")
        n, _, window = rule.partition("/")
        out[scope.strip()] = (int(n), int(window or 600))
    return out


HUIYING_ABUSE_LIMITS = _abuse_limits(os.environ.get("HUIYING_ABUSE_LIMITS", ""))
# Behind a reverse proxy, the request header that carries the client's address
# (e.g. HTTP_X_REAL_IP); empty: REMOTE_ADDR.
HUIYING_ABUSE_CLIENT_HEADER = os.environ.get("HUIYING_ABUSE_CLIENT_HEADER", "")
# The pepper of the client hash is replaced this often (seconds); windows must be shorter.
HUIYING_ABUSE_PEPPER_SECONDS = 86400
HUIYING_ABUSE_MAX_BODY = 16 * 1024  # bytes of a public form's POST body
HUIYING_ABUSE_MIN_SECONDS = 2  # a person needs at least this long to fill in a form
HUIYING_ABUSE_CHALLENGE_MAX_AGE = 2 * 3600  # seconds a form's question stays valid
# The suggestion box strips the sender's address, user agent and cookies from the request
# before anything (sessions, CSRF failures, error reports, logging) can see them.
MIDDLEWARE.insert(0, "huiying.selfservice.middleware.AnonymousSenderMiddleware")
# The suggestion box's topic is a concern's function: one enum in the OpenAPI document.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["FunctionEnum"] = "huiying.concerns.models.Function"
# Tracking codes: HMAC of the concern under this key (default: derived from SECRET_KEY).
HUIYING_TRACKING_KEY = os.environ.get("HUIYING_TRACKING_KEY", "")


# --- huiying.notify ----------------------------------------------------------
# Text messages to villagers (huiying/notify/backends.py): console, file, http (an SMS
# gateway), memory, or a dotted path. The default writes them to a file in the data dir.
HUIYING_NOTIFY_BACKEND = os.environ.get("HUIYING_NOTIFY_BACKEND", "file")
HUIYING_NOTIFY_FILE = os.environ.get("HUIYING_NOTIFY_FILE", str(DATA_DIR / "notifications.jsonl"))
HUIYING_SMS_URL = os.environ.get("HUIYING_SMS_URL", "")
HUIYING_SMS_TOKEN = os.environ.get("HUIYING_SMS_TOKEN", "")
HUIYING_SMS_TIMEOUT = 10
# Attempts per message before it is marked failed (30 s, 2 min, 8 min, … apart).
HUIYING_NOTIFY_MAX_ATTEMPTS = 6
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "NotificationKindEnum": "huiying.notify.models.Kind",
    "AttachmentKindEnum": "huiying.concerns.models.AttachmentKind",
    "NotificationStatusEnum": "huiying.notify.models.Status",
})


# --- huiying.printing --------------------------------------------------------
# The site's public address (https://huiying.example.gov.cn), the base of the absolute URLs
# printed as QR codes on contact cards. Empty: web downloads use the request's host, and
# `huiying print` asks for --base-url (or falls back to http://127.0.0.1:8000, warning).
HUIYING_PUBLIC_URL = os.environ.get("HUIYING_PUBLIC_URL", "").rstrip("/")


# --- huiying.dashboard -------------------------------------------------------
# Rankings: a sub-unit with fewer concerns than this in the period is listed apart, not ranked.
HUIYING_DASHBOARD_RANK_MIN_CONCERNS = int(os.environ.get("HUIYING_DASHBOARD_RANK_MIN_CONCERNS", "10"))


# --- huiying.reports ---------------------------------------------------------
# A register of at most this many concerns is written in the request and downloaded at
# once; a larger one runs in the background with a progress page.
HUIYING_EXPORT_STREAM_MAX_ROWS = int(os.environ.get("HUIYING_EXPORT_STREAM_MAX_ROWS", "2000"))
# Finished export files are removed after this many hours (the job stays, marked expired).
HUIYING_EXPORT_KEEP_HOURS = int(os.environ.get("HUIYING_EXPORT_KEEP_HOURS", "24"))
# Several serializers have a "status" field with their own choices: each is named, or the
# schema warns (and --fail-on-warn fails). Training's is named here because the clash is ours.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ExportStatusEnum"] = "huiying.reports.models.ExportStatus"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["TrainingStatusEnum"] = "huiying.training.models.Status"


# --- huiying.registers -------------------------------------------------------
# The largest paper register accepted in one upload (rows; bytes).
HUIYING_REGISTER_MAX_ROWS = int(os.environ.get("HUIYING_REGISTER_MAX_ROWS", "5000"))
HUIYING_REGISTER_MAX_BYTES = int(os.environ.get("HUIYING_REGISTER_MAX_BYTES", str(5 * 1024 * 1024)))
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["RegisterUploadStatusEnum"] = "huiying.registers.models.UploadStatus"

