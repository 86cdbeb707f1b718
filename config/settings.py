"""Settings, read from the environment (and an optional `.env` file) with django-environ.

Every variable is documented in `.env.example` and in the README's settings table.
"""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base address used in links sent to customers (timeline pages, tracking links).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
STORE_NAME = env("STORE_NAME", default="Tienda Demo")
STORE_EMAIL = env("STORE_EMAIL", default="orders@example.com")
STORE_LOGO_URL = env("STORE_LOGO_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "anymail",
    "phonenumber_field",
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
    "api",
    "timeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Payment proofs are at most 5 MB; keep a little room for the multipart envelope.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

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

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The storefront API (api app): JSON only, storefront API keys, throttled per key.
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.StorefrontAPIKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsStorefront"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.APIKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Order back office API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.Status",
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

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Notifications (notifications app)
NOTIFICATION_LOG_RETENTION_DAYS = env.int("NOTIFICATION_LOG_RETENTION_DAYS", default=5)
# Transient failures are retried with exponential backoff up to this many attempts in all.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=30)
# Rows still queued this long after creation are re-enqueued by the periodic sweep.
NOTIFICATION_REQUEUE_AFTER_SECONDS = env.int("NOTIFICATION_REQUEUE_AFTER_SECONDS", default=300)
# How long a worker holds a claimed row before another may send it; longer than any backend's timeout.
NOTIFICATION_CLAIM_SECONDS = env.int("NOTIFICATION_CLAIM_SECONDS", default=120)
# A delivery task sending a batch stops after this long and hands the rest to a new task; keep it
# well below Q_CLUSTER's timeout (60 s) and half the claim.
NOTIFICATION_BATCH_SECONDS = env.int("NOTIFICATION_BATCH_SECONDS", default=30)
# How long a process keeps the message templates and milestone switches it read (0: not kept).
NOTIFICATION_CACHE_SECONDS = env.int("NOTIFICATION_CACHE_SECONDS", default=10)
# How long the API keeps an order detail's JSON per order version (0: not kept); see api/representations.py.
API_ORDER_CACHE_SECONDS = env.int("API_ORDER_CACHE_SECONDS", default=60)
SMS_BACKEND = env("SMS_BACKEND", default="notifications.backends.sms.console.SmsBackend")
PUSH_BACKEND = env("PUSH_BACKEND", default="notifications.backends.push.console.PushBackend")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE = env("TWILIO_API_BASE", default="https://api.twilio.com")
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env("VAPID_SUBJECT", default=f"mailto:{STORE_EMAIL}")

# --- SMS credits (billing app): warn staff when the balance falls below this share of the allowance.
SMS_CREDIT_WARNING_RATIO = env.float("SMS_CREDIT_WARNING_RATIO", default=0.2)

# --- Stock (inventory app): the low-stock alert threshold of SKUs created without one.
STOCK_LOW_THRESHOLD = env.int("STOCK_LOW_THRESHOLD", default=5)

# --- Abandoned checkouts (checkouts app): one recovery message this long after the customer's last
# activity; checkouts not recovered are expired this many days after they started.
CHECKOUT_RECOVERY_DELAY_MINUTES = env.int("CHECKOUT_RECOVERY_DELAY_MINUTES", default=120)
CHECKOUT_EXPIRY_DAYS = env.int("CHECKOUT_EXPIRY_DAYS", default=30)

# --- Storefront API and public pages
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="600/min")
PUBLIC_PAGE_RATE_LIMIT = env("PUBLIC_PAGE_RATE_LIMIT", default="120/min")

# --- Outbound webhooks (webhooks app)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
# Attempts in all for a timeout, a connection error, a 429 or a 5xx; other answers are not retried.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
# Seconds before each retry (the last repeats): 1 min, 5 min, 30 min, 2 h, 5 h, 8 h, 8 h, about a day in all.
WEBHOOK_RETRY_DELAYS = [
    int(seconds) for seconds in env.list("WEBHOOK_RETRY_DELAYS", default=[60, 300, 1800, 7200, 18000, 28800, 28800])
]
# An endpoint whose deliveries fail this many times in a row is disabled and staff are told.
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=15)
WEBHOOK_RETENTION_DAYS = env.int("WEBHOOK_RETENTION_DAYS", default=30)
WEBHOOK_REQUEUE_AFTER_SECONDS = env.int("WEBHOOK_REQUEUE_AFTER_SECONDS", default=300)
# How long a worker holds a claimed delivery before another may post it; longer than WEBHOOK_TIMEOUT_SECONDS.
WEBHOOK_CLAIM_SECONDS = env.int("WEBHOOK_CLAIM_SECONDS", default=120)
# http:// and private or loopback addresses (a receiver on this machine): for development only.
WEBHOOK_ALLOW_LOCAL_URLS = env.bool("WEBHOOK_ALLOW_LOCAL_URLS", default=DEBUG)
