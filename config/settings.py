"""Realign settings: one module, every deployment difference is an environment variable.

With no variables at all the settings are production's: ``DEBUG`` off, HTTPS-only cookies
and HSTS, and the app refuses to start without a real ``SECRET_KEY``. Development mode is
asked for (``DEBUG=1``): ``make run`` and the test settings (tests/settings.py) do it.
"""

import re
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.log import DEFAULT_LOGGING

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Fail safe: a deployment that forgets the variable gets production, never the debug pages.
DEBUG = env_bool("DEBUG", default=False)
# Production is decided once, from the environment; tests may turn DEBUG off without
# becoming "production" (pytest-django always runs with DEBUG off).
PRODUCTION = not DEBUG

SECRET_KEY = env_str("SECRET_KEY", default="")
if DEBUG and not SECRET_KEY:
    # No key is known to anyone: a random one for this process (its sessions end with it).
    SECRET_KEY = secrets.token_urlsafe(50)
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "clients",
    "assessments",
    "programs",
    "portal",
    "reminders",
    "api",
    "django_ox",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go out gzipped (static files are compressed ahead by WhiteNoise, which answers
    # before this). BREACH, which guesses a secret in a compressed page from its length: the
    # CSRF token is masked anew on every response, Django pads each gzip stream with 0-100
    # random bytes (Heal-the-BREACH), and the session cookie is SameSite=Lax, so another
    # site cannot make the browser fetch pages by the thousand with its own input in them.
    "django.middleware.gzip.GZipMiddleware",
    # After static files, around everything else: no response with client data is stored.
    "config.no_store.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session limits, then two-factor enforcement, before any view.
    "core.sessions.SessionTimeoutMiddleware",
    "core.two_factor.TwoFactorMiddleware",
    # Deny by default: every view needs a signed-in user unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "core.backends.RealignBackend",
]

# Login throttling (django-axes, database handler): 5 failures per username and address,
# then a 15-minute cool-off; no permanent lockout; a success resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A name counts in any letter case, as it signs in (core/backends.py).
AXES_USERNAME_CALLABLE = "core.backends.typed_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # its messages carry usernames, and client usernames are emails
# The address comes from config/client_address.py: REMOTE_ADDR, or with PROXY_COUNT trusted
# proxies in front (README, Deploy), the entry they appended to X-Forwarded-For.
PROXY_COUNT = env_int("PROXY_COUNT", default=0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT must be 0 or the number of proxies in front.")
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"

# Sessions: 30 minutes idle, 12 hours at most (ASVS 7.3.1/7.3.2; HIPAA automatic logoff).
SESSION_IDLE_SECONDS = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Database sessions with the user's id in a column, so one user's sessions are found (and
# deleted on erasure) without decoding every row.
SESSION_ENGINE = "core.session_store"

OTP_TOTP_ISSUER = "Realign"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.membership",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL (psycopg 3) when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent use: WAL lets readers work during a write; IMMEDIATE takes the write lock
    # at BEGIN so two read-then-write transactions queue instead of failing with
    # "database is locked"; the timeout is how long a writer waits for that lock.
    # synchronous=FULL syncs the WAL at every commit: with NORMAL a power loss may undo the
    # last acknowledged writes, and these are health records (its cost: `make bench`).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
        ),
    }
    # Connections are kept open (CONN_MAX_AGE) on SQLite too: opening one costs about 1 ms
    # (the PRAGMAs above, reading the schema), closing the last one checkpoints the WAL, and
    # an open connection keeps its page cache warm: 2 to 5 ms a page (bench/EXPLAIN.md, §9).

# PostgreSQL: values sent apart from the SQL (server-side binding) let psycopg prepare a
# statement that runs again on the connection, so PostgreSQL plans it once: an assessment
# joins its nine section tables, and planning that join took 2.7 ms of its 3 (EXPLAIN.md 9).
# Off (PG_PREPARED_STATEMENTS=0) behind a pooler that cannot keep prepared statements
# across transactions (PgBouncer in transaction mode before 1.21).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "PG_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "clients.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Posture photos are health data: kept apart from MEDIA_ROOT and the static files, never
# under a public URL, and served only by the assessments app through the client's door
# (assessments/access.py) with no-store. Any storage backend of Django's storage API works
# here, e.g. django-storages' S3Storage for several app servers (README, Posture photos).
PHOTO_ROOT = Path(env_str("PHOTO_ROOT", default=str(BASE_DIR / "private" / "photos")))
STORAGES["photos"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PHOTO_ROOT)},
}

# The pose model behind landmark suggestions, prepared by `manage.py fetch_pose_model` (part
# of `make install`); without it suggestions are off and everything else works.
POSE_MODEL_DIR = Path(env_str("POSE_MODEL_DIR", default=str(BASE_DIR / "var" / "pose-model")))

# Django's task framework: email and other slow work run as tasks, kept in the app's own
# database by django-ox and run by its worker (`manage.py ox_worker`, started by `make run`;
# README, Background work). A task that fails is tried again with a growing wait, up to
# MAX_ATTEMPTS times in all; the worker's scheduler starts the daily reminders.
TASKS = {
    "default": {
        "BACKEND": "django_ox.backend.OxBackend",
        "OPTIONS": {
            "MAX_ATTEMPTS": 5,
            "SCHEDULES": {
                "daily-reminders": {"task": "reminders.tasks.daily", "cron": "0 7 * * *"},
            },
        },
    }
}

# The REST API (api/, README: API): tokens or the session, practice members only, JSON
# errors by field, pages like the client list's, a rate per token (a practice default).
# Requests a personal API token may make (a practice default), as DRF writes a rate.
API_TOKEN_RATE = env_str("API_TOKEN_RATE", default="600/min")
if not re.fullmatch(r"[1-9]\d*/(s|sec|m|min|h|hour|d|day)", API_TOKEN_RATE):
    raise ImproperlyConfigured("API_TOKEN_RATE is a number of requests per s, min, hour or day.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PracticeMember"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_THROTTLE_CLASSES": ["api.authentication.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_TOKEN_RATE},
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.handle",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Realign API",
    "DESCRIPTION": "Clients, assessments, findings and programs of Realign, version 1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the case format's body regions, wherever a field offers them.
    "ENUM_NAME_OVERRIDES": {"BodyRegionEnum": "api.sections.REGIONS"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email (Django 6.1 MAILERS): printed to the console in development, SMTP in production.
# (Not a setting named EMAIL_TIMEOUT: Django refuses its old EMAIL_* settings beside MAILERS.)
_email_timeout = env_int("EMAIL_TIMEOUT", default=10)  # seconds; practical default (README)
if _email_timeout <= 0:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be a number of seconds above 0.")
if env_str("EMAIL_HOST", default="") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", default="localhost"),
                "port": env_int("EMAIL_PORT", default=587),
                "username": env_str("EMAIL_HOST_USER", default=""),
                "password": env_str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                # A server that accepts and never answers must not hold a worker past this.
                "timeout": _email_timeout,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Realign <noreply@localhost>")

# The address emailed and shown links start with, e.g. https://realign.example.com: links
# never take their host from the request in production (clients/site.py has the fallback).
SITE_URL = env_str("SITE_URL", default="").rstrip("/")
_site = urlsplit(SITE_URL)
if SITE_URL and (
    _site.scheme not in ("http", "https") or not _site.hostname or _site.path or _site.query
):
    raise ImproperlyConfigured(
        "SITE_URL must be a scheme and host only, like https://realign.example.com."
    )

# Headers on every response. No inline script anywhere: pages load their JS from static.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see README, Deploy).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix pins the cookie to this host, HTTPS and path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Share, invitation and reset links carry their token in the path, which Django's request,
# CSRF and runserver records print: those records are masked where they are made, so every
# handler (and a test's log capture) sees "[token]" (config/log_masking.py).
_MASKED_LOGGERS = ("django.request", "django.security.csrf", "realign.access")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "config.log_masking.MaskTokens"}},
    "formatters": {
        "plain": {"format": "{levelname} {name} {message}", "style": "{"},
        "django.server": DEFAULT_LOGGING["formatters"]["django.server"],
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_tokens"],
        },
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        **{name: {"filters": ["mask_tokens"]} for name in _MASKED_LOGGERS},
        # Django's own runserver logger, as Django sets it up, plus the mask.
        "django.server": {
            **DEFAULT_LOGGING["loggers"]["django.server"],
            "filters": ["mask_tokens"],
        },
    },
}

# Realign's own settings.
REALIGN_DEMO_PASSWORD = "realign-demo-2026"
CLIENT_LIST_PAGE_SIZE = 25
PLAN_PAGE_SIZE = env_str("PLAN_PAGE_SIZE", default="A4")  # "A4" or "Letter"
if PLAN_PAGE_SIZE not in ("A4", "Letter"):
    raise ImproperlyConfigured("PLAN_PAGE_SIZE must be A4 or Letter.")
SHARE_LINK_DAYS = env_int("SHARE_LINK_DAYS", default=30)  # how long a plan link works
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # reset and invitation links: 3 days, used once
