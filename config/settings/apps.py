"""The apps' settings: notifications, SMS credits, stock, checkouts, the storefront API, outbound
webhooks, payment links and connected stores. Read from the environment like the base settings."""
from pathlib import Path

from .base import BASE_DIR, DEBUG, STORE_EMAIL, env

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
# How long the API keeps an order detail's JSON per order version (0: not kept); see orders/api_cache.py.
API_ORDER_CACHE_SECONDS = env.int("API_ORDER_CACHE_SECONDS", default=60)
SMS_BACKEND = env("SMS_BACKEND", default="notifications.backends.sms.console.SmsBackend")
PUSH_BACKEND = env("PUSH_BACKEND", default="notifications.backends.push.console.PushBackend")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE = env("TWILIO_API_BASE", default="https://api.twilio.com")
# WhatsApp through Meta's WhatsApp Cloud API (notifications/backends/whatsapp/cloud.py).
WHATSAPP_BACKEND = env("WHATSAPP_BACKEND", default="notifications.backends.whatsapp.console.WhatsAppBackend")
WHATSAPP_PHONE_NUMBER_ID = env("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_ACCESS_TOKEN = env("WHATSAPP_ACCESS_TOKEN", default="")
WHATSAPP_APP_SECRET = env("WHATSAPP_APP_SECRET", default="")
WHATSAPP_VERIFY_TOKEN = env("WHATSAPP_VERIFY_TOKEN", default="")
WHATSAPP_API_BASE = env("WHATSAPP_API_BASE", default="https://graph.facebook.com")
WHATSAPP_API_VERSION = env("WHATSAPP_API_VERSION", default="v23.0")
WHATSAPP_TIMEOUT_SECONDS = env.float("WHATSAPP_TIMEOUT_SECONDS", default=10)
# Ask Twilio for each SMS's delivery reports (delivered, undelivered, failed), posted to
# SITE_URL + /hooks/twilio/status/: SITE_URL must be the store's public https address.
TWILIO_STATUS_CALLBACKS = env.bool("TWILIO_STATUS_CALLBACKS", default=False)
# Web push keys: from the environment (or .env); unset with DEBUG on, the pair `make run` wrote for the
# local store (`manage.py generate_vapid_keys --local`, into this git-ignored file).
LOCAL_VAPID_KEYS_FILE = BASE_DIR / ".vapid-keys.env"


def _local_vapid_keys(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    pairs = (line.partition("=") for line in lines if not line.lstrip().startswith("#"))
    return {name.strip(): value.strip() for name, sep, value in pairs if sep}


VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
if DEBUG and not (VAPID_PUBLIC_KEY or VAPID_PRIVATE_KEY):
    _local = _local_vapid_keys(LOCAL_VAPID_KEYS_FILE)
    VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY = _local.get("VAPID_PUBLIC_KEY", ""), _local.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env("VAPID_SUBJECT", default=f"mailto:{STORE_EMAIL}")
# Web push endpoints must be https on port 443 of a browser's push service (Google, Mozilla, Apple,
# Microsoft); true lets any address, port and http through (a push service stub, in tests only).
WEBPUSH_ALLOW_LOCAL_ENDPOINTS = env.bool("WEBPUSH_ALLOW_LOCAL_ENDPOINTS", default=False)

# --- SMS credits (billing app): warn staff when the balance falls below this share of the allowance.
SMS_CREDIT_WARNING_RATIO = env.float("SMS_CREDIT_WARNING_RATIO", default=0.2)

# --- Stock (inventory app): the low-stock alert threshold of SKUs created without one.
STOCK_LOW_THRESHOLD = env.int("STOCK_LOW_THRESHOLD", default=5)

# --- Abandoned checkouts (checkouts app): one recovery message this long after the customer's last
# activity; checkouts not recovered are expired this many days after they started.
CHECKOUT_RECOVERY_DELAY_MINUTES = env.int("CHECKOUT_RECOVERY_DELAY_MINUTES", default=120)
CHECKOUT_EXPIRY_DAYS = env.int("CHECKOUT_EXPIRY_DAYS", default=30)

# --- Unpaid orders (orders app): a transfer or payment link order still unpaid this many hours
# after it was placed gets one payment reminder (0: none); this many days after, if set, the
# system cancels it (empty: never). STORE_TRANSFER_DETAILS: how to pay by transfer (bank,
# account, alias...), the {{ transfer_details }} of transfer orders' messages; "\n" breaks lines.
UNPAID_REMINDER_HOURS = env.int("UNPAID_REMINDER_HOURS", default=24)
UNPAID_CANCEL_DAYS = int(env("UNPAID_CANCEL_DAYS", default="") or 0) or None
STORE_TRANSFER_DETAILS = env.str("STORE_TRANSFER_DETAILS", default="", multiline=True)

# --- Storefront API and public pages
# The model of the storefronts' API keys, named so the API toolkit (api/) imports no app of ours.
API_KEY_MODEL = "storefronts.StorefrontAPIKey"
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="600/min")
PUBLIC_PAGE_RATE_LIMIT = env("PUBLIC_PAGE_RATE_LIMIT", default="120/min")
# A request holding an Idempotency-Key for longer than this is taken for dead (its worker was killed)
# and a retry with the key runs it. Keep it above the longest a request can run: gunicorn's timeout
# (GUNICORN_TIMEOUT, 30 s) plus a margin.
IDEMPOTENCY_IN_FLIGHT_SECONDS = env.int(
    "IDEMPOTENCY_IN_FLIGHT_SECONDS", default=env.int("GUNICORN_TIMEOUT", default=30) + 30
)

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
# http://, any port and private or loopback addresses (a receiver on this machine): for development only.
WEBHOOK_ALLOW_LOCAL_URLS = env.bool("WEBHOOK_ALLOW_LOCAL_URLS", default=DEBUG)

# --- Payment links (paymentlinks app): Mercado Pago Checkout Pro links, confirmed by signed notifications.
# Without an access token the feature is off: no link is made and the admin says how to turn it on.
MERCADOPAGO_ACCESS_TOKEN = env("MERCADOPAGO_ACCESS_TOKEN", default="")
# The application's webhook secret ("Your integrations" > the application > Webhooks): signs each notification.
MERCADOPAGO_WEBHOOK_SECRET = env("MERCADOPAGO_WEBHOOK_SECRET", default="")
# The API's base address; tests and staging point it at a local stub.
MERCADOPAGO_API_BASE = env("MERCADOPAGO_API_BASE", default="https://api.mercadopago.com")
MERCADOPAGO_TIMEOUT_SECONDS = env.float("MERCADOPAGO_TIMEOUT_SECONDS", default=10)
# A link (or a payment to read) is retried after each of these delays while Mercado Pago is down
# (timeouts, connection errors, 429, 5xx), up to MERCADOPAGO_MAX_ATTEMPTS attempts in all.
MERCADOPAGO_MAX_ATTEMPTS = env.int("MERCADOPAGO_MAX_ATTEMPTS", default=8)
MERCADOPAGO_RETRY_DELAYS = [
    int(seconds) for seconds in env.list("MERCADOPAGO_RETRY_DELAYS", default=[60, 300, 1800, 7200, 18000, 28800, 28800])
]
MERCADOPAGO_REQUEUE_AFTER_SECONDS = env.int("MERCADOPAGO_REQUEUE_AFTER_SECONDS", default=300)
# How long a worker holds a link or a payment it is working on; longer than MERCADOPAGO_TIMEOUT_SECONDS.
MERCADOPAGO_CLAIM_SECONDS = env.int("MERCADOPAGO_CLAIM_SECONDS", default=120)
# The received notifications (and the storefronts' payment checks) are purged after this many days.
MERCADOPAGO_NOTIFICATION_RETENTION_DAYS = env.int("MERCADOPAGO_NOTIFICATION_RETENTION_DAYS", default=90)
# A payment link can be paid for this many hours after it is made; staff make a new one after that.
PAYMENT_LINK_EXPIRY_HOURS = env.int("PAYMENT_LINK_EXPIRY_HOURS", default=72)

# --- Connected stores (connectors app): Tiendanube / Nuvemshop and Shopify. The base addresses are
# settings so tests and staging can point them at a local stub.
TIENDANUBE_API_BASE = env("TIENDANUBE_API_BASE", default="https://api.tiendanube.com/2025-03")
TIENDANUBE_AUTHORIZE_URL = env(
    "TIENDANUBE_AUTHORIZE_URL", default="https://www.tiendanube.com/apps/{client_id}/authorize"
)
TIENDANUBE_TOKEN_URL = env("TIENDANUBE_TOKEN_URL", default="https://www.tiendanube.com/apps/authorize/token")
# The store's Tiendanube app (its partner portal): the OAuth install, and the key its webhooks are signed with.
TIENDANUBE_CLIENT_ID = env("TIENDANUBE_CLIENT_ID", default="")
TIENDANUBE_CLIENT_SECRET = env("TIENDANUBE_CLIENT_SECRET", default="")
SHOPIFY_GRAPHQL_URL = env("SHOPIFY_GRAPHQL_URL", default="https://{shop}/admin/api/2026-10/graphql.json")
# Where a Shopify Dev Dashboard app gets its access tokens (the client credentials grant).
SHOPIFY_TOKEN_URL = env("SHOPIFY_TOKEN_URL", default="https://{shop}/admin/oauth/access_token")
PLATFORM_TIMEOUT_SECONDS = env.float("PLATFORM_TIMEOUT_SECONDS", default=10)
# Received platform webhooks, worked on by the worker (an outbox kind).
PLATFORM_EVENT_CLAIM_SECONDS = env.int("PLATFORM_EVENT_CLAIM_SECONDS", default=120)
PLATFORM_EVENT_MAX_ATTEMPTS = env.int("PLATFORM_EVENT_MAX_ATTEMPTS", default=8)
PLATFORM_EVENT_RETRY_DELAYS = [
    int(seconds) for seconds in env.list("PLATFORM_EVENT_RETRY_DELAYS", default=[60, 300, 1800, 7200, 18000, 28800])
]
PLATFORM_EVENT_REQUEUE_AFTER_SECONDS = env.int("PLATFORM_EVENT_REQUEUE_AFTER_SECONDS", default=300)
PLATFORM_EVENT_RETENTION_DAYS = env.int("PLATFORM_EVENT_RETENTION_DAYS", default=30)
# Tracking written back to the platform when staff ship (an outbox kind).
PLATFORM_WRITEBACK_CLAIM_SECONDS = env.int("PLATFORM_WRITEBACK_CLAIM_SECONDS", default=120)
PLATFORM_WRITEBACK_MAX_ATTEMPTS = env.int("PLATFORM_WRITEBACK_MAX_ATTEMPTS", default=8)
PLATFORM_WRITEBACK_RETRY_DELAYS = [
    int(seconds)
    for seconds in env.list("PLATFORM_WRITEBACK_RETRY_DELAYS", default=[60, 300, 1800, 7200, 18000, 28800, 28800])
]
PLATFORM_WRITEBACK_REQUEUE_AFTER_SECONDS = env.int("PLATFORM_WRITEBACK_REQUEUE_AFTER_SECONDS", default=300)
PLATFORM_WRITEBACK_RETENTION_DAYS = env.int("PLATFORM_WRITEBACK_RETENTION_DAYS", default=30)
# Fernet keys (comma-separated, the first encrypts) for the platform tokens and secrets stored in the
# database; empty: a key derived from SECRET_KEY (then changing SECRET_KEY loses them).
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="")
