"""The project's own settings: Django, security, the database, static files, email, the task queue,
logging and the cache. Read from the environment (and an optional `.env` file) with django-environ."""
from pathlib import Path

import re
from datetime import timedelta

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# Public, so only for development: with DEBUG off it is refused like a missing key.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = env("SECRET_KEY", default="") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
                  or SECRET_KEY.startswith("django-insecure-")):
    # Raised here rather than reported by a system check: gunicorn and qcluster never run the system
    # checks, so a check would stop `manage.py check` but still let the server start and sign sessions,
    # password resets and task packages with a key anyone can read. Every entry point loads the settings.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is false: at least 50 random characters, not the development key "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))' makes one)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Behind a reverse proxy. The number of proxies we run in front of the app that append to
# X-Forwarded-For (config/proxies.py); 0: the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- HTTPS. With DEBUG off every default is the secure one; each can be set from the environment.
# SECURE_PROXY_SSL_HEADER: "HTTP_X_FORWARDED_PROTO,https" trusts the proxy's X-Forwarded-Proto (set it
# only where the proxy always sets that header); by default it is trusted when TRUSTED_PROXY_COUNT > 0.
_proxy_ssl_header = env.list(
    "SECURE_PROXY_SSL_HEADER", default=["HTTP_X_FORWARDED_PROTO", "https"] if TRUSTED_PROXY_COUNT else []
)
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER is a header and a value, e.g. HTTP_X_FORWARDED_PROTO,https")
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health check over plain http: answer them, don't redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preloading is a promise to browsers that is slow to take back: opt in (https://hstspreload.org).
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)

# Absolute base address used in links sent to customers (timeline pages, tracking links).
# Unset: the address `make run` serves (it passes RUN_SITE_URL, from its HOST and PORT).
SITE_URL = (env("SITE_URL", default="") or env("RUN_SITE_URL", default="http://127.0.0.1:8000")).rstrip("/")
STORE_NAME = env("STORE_NAME", default="Tienda Demo")
STORE_EMAIL = env("STORE_EMAIL", default="orders@example.com")
STORE_PHONE = env("STORE_PHONE", default="")  # shown to customers beside STORE_EMAIL, e.g. "+54 11 5555-0000"
STORE_LOGO_URL = env("STORE_LOGO_URL", default="")

INSTALLED_APPS = [
    "config.apps.BackOfficeAdminConfig",  # django.contrib.admin, with the back office's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Trigram search indexes (OpClass in index expressions); harmless on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "anymail",
    "phonenumber_field",
    "axes",
    # Project-wide system checks (config/checks.py).
    "config.apps.ProjectConfig",
    # Our apps. Leaves first: outbox, carriers, billing and storefronts import nothing of ours.
    "outbox",
    "carriers",
    "billing",
    "storefronts",
    "orders",
    "analytics",
    "inventory",
    "checkouts",
    "notifications",
    "webhooks",
    "paymentlinks",
    "connectors",
    "api",
    "timeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with far-future cache headers, before anything else spends time on them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "api.middleware.APIErrorsMiddleware",  # JSON errors under /api/ (413, 411, 404...)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its lockout page.
    "axes.middleware.AxesMiddleware",
]

# --- Admin login throttling (django-axes): AXES_FAILURE_LIMIT failed logins of one username from one
# address lock that pair out for AXES_COOLOFF_TIME ("1h", "30m"; a bare number is hours); the right
# password is refused meanwhile. Superusers see and clear lockouts under *Axes* in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner on every manage.py command
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_address"


def _duration(value: str) -> timedelta:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(h|hours?|m|min|minutes?)?\s*", value, re.IGNORECASE)
    if not match:
        raise ImproperlyConfigured(f"AXES_COOLOFF_TIME is a number of hours or minutes, e.g. 1h or 30m: {value!r}")
    number, unit = float(match.group(1)), (match.group(2) or "h").lower()
    return timedelta(minutes=number) if unit.startswith("m") else timedelta(hours=number)


AXES_COOLOFF_TIME = _duration(env("AXES_COOLOFF_TIME", default="1h"))

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default so the app runs with nothing else installed;
# PostgreSQL (postgres://user@host:5432/name) is the production database.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when the web server and the worker write together.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env("LANGUAGE_CODE", default="es")
LANGUAGES = [
    ("es", _("Spanish")),
    ("pt-br", _("Portuguese (Brazil)")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="America/Argentina/Buenos_Aires")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `manage.py collectstatic` (`make static`) gathers the files here; WhiteNoise serves them.
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production: gzip/brotli copies and content-hashed names (served with a ten-year max-age, so a
    # new release's files get new names); it needs collectstatic's manifest. In development: plain files.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# The largest request body read into memory (bytes): an API body over it answers 413. Uploaded
# files (payment proofs, up to 5 MB) do not count: they are streamed to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2621440)

PHONENUMBER_DEFAULT_REGION = env("PHONENUMBER_DEFAULT_REGION", default="AR")
PHONENUMBER_DB_FORMAT = "E164"

# --- Email (django-anymail). The console backend prints emails in development;
# any anymail ESP backend (e.g. anymail.backends.mailgun.EmailBackend) in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=STORE_EMAIL)
ANYMAIL = env.json("ANYMAIL", default={})
if env("ANYMAIL_WEBHOOK_SECRET", default=""):
    ANYMAIL["WEBHOOK_SECRET"] = env("ANYMAIL_WEBHOOK_SECRET")

# --- Task queue (django-q2). The ORM broker needs no extra server; set Q_REDIS_URL to use Redis.
Q_CLUSTER = {
    "name": "orders",
    "workers": env.int("Q_WORKERS", default=2),
    # timeout must stay below retry, or a slow task is started again while it runs.
    "timeout": 60,
    "retry": 90,
    # django-q2 retries forever by default; every task is idempotent, but bound it anyway.
    "max_attempts": 3,
    "ack_failures": True,
    "save_limit": 1000,
    "catch_up": False,
    "label": "Task queue",
}
Q_REDIS_URL = env("Q_REDIS_URL", default="")
if Q_REDIS_URL:
    Q_CLUSTER["redis"] = Q_REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = env.float("Q_POLL", default=0.2)
# With the database broker on the default database, an outbox kind that allows it (the notifications)
# writes its delivery task in the transaction that writes its rows: one commit, no window between
# them. With any other broker the task is enqueued after the commit. On any other broker, keep it
# off: a task enqueued in a transaction that then rolls back would still run (outbox/checks.py warns).
OUTBOX_ENQUEUE_IN_TRANSACTION = env.bool("OUTBOX_ENQUEUE_IN_TRANSACTION", default=Q_CLUSTER.get("orm") == "default")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The storefront API (the api toolkit; each app's endpoints in its api.py): JSON only, storefront API keys, throttled per key.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.StorefrontAPIKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsStorefront"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.APIKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Order back office API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.Status",
        "LanguageEnum": "orders.models.Language",
        # The customer language an order or a checkout may be sent in (pt-BR is accepted too).
        "CustomerInputLanguageEnum": ["es", "pt-br", "en", "pt-BR"],
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Rate limits, API throttles and the task worker's status reports live here: with several
# processes use a shared cache (redis://127.0.0.1:6379/1). config/checks.py warns in production otherwise.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
