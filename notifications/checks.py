"""System checks of the notifications app (run by every manage.py command)."""
import sqlite3

import warnings

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import connections

# The outbox writes a milestone's rows with INSERT ... ON CONFLICT DO NOTHING RETURNING.
SQLITE_RETURNING = (3, 35, 0)


@register()
def check_sqlite_supports_returning(app_configs=None, **kwargs):
    errors = []
    for alias in connections:
        if connections[alias].vendor == "sqlite" and sqlite3.sqlite_version_info < SQLITE_RETURNING:
            errors.append(Error(
                f"SQLite {sqlite3.sqlite_version} is too old for the notification outbox: it needs "
                f"{'.'.join(map(str, SQLITE_RETURNING))} or newer (INSERT ... RETURNING).",
                hint="Use a Python built with a newer SQLite, or PostgreSQL (DATABASE_URL).",
                id="notifications.E001",
            ))
    return errors


@register()
def check_email_tracking_webhook(app_configs=None, **kwargs):
    """In production, the configured provider's tracking webhook must authenticate its caller."""
    from .views import tracking_configuration_error, tracking_esp, webhook_secret

    esp = tracking_esp()
    if esp is None or settings.DEBUG:
        return []
    if not webhook_secret():
        return [Error(
            f"Email tracking is on ({settings.EMAIL_BACKEND}) but ANYMAIL_WEBHOOK_SECRET is not set: "
            f"the /notifications/anymail/{esp}/tracking/ webhook refuses every call.",
            hint='Set ANYMAIL_WEBHOOK_SECRET to a random "user:password" and give the provider the URL '
                 f"https://user:password@<your host>/notifications/anymail/{esp}/tracking/.",
            id="notifications.E002",
        )]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        problem = tracking_configuration_error(esp)
    if problem is not None:
        return [Error(
            f"The {esp} tracking webhook cannot check its caller: {problem}",
            hint="Set the provider's webhook signing key in ANYMAIL (see django-anymail's page for the provider).",
            id="notifications.E003",
        )]
    return []


@register()
def check_twilio_status_callbacks(app_configs=None, **kwargs):
    """Twilio's delivery reports need a public https address to post to, and the token they are signed with."""
    if not settings.TWILIO_STATUS_CALLBACKS or settings.DEBUG:
        return []
    from .backends.sms.twilio import status_callback_url

    if not settings.TWILIO_AUTH_TOKEN:
        return [Error(
            "TWILIO_STATUS_CALLBACKS is on but TWILIO_AUTH_TOKEN is not set: /hooks/twilio/status/ refuses every post.",
            hint="Set TWILIO_AUTH_TOKEN (Twilio signs its posts with it), or turn TWILIO_STATUS_CALLBACKS off.",
            id="notifications.E004",
        )]
    if not settings.SITE_URL.startswith("https://"):
        return [Error(
            f"TWILIO_STATUS_CALLBACKS is on but Twilio would post to {status_callback_url()}, not a public https address.",
            hint="Set SITE_URL to the store's public https address, as Twilio reaches it.",
            id="notifications.E005",
        )]
    return []


CLOUD_BACKEND = "notifications.backends.whatsapp.cloud.WhatsAppBackend"


@register()
def check_whatsapp_cloud_settings(app_configs=None, **kwargs):
    """Meta's Cloud API backend needs its number and token to send, and the app secret and verify
    token for the status webhook (without them every report is refused)."""
    if settings.WHATSAPP_BACKEND != CLOUD_BACKEND:
        return []
    problems = []
    missing = [name for name in ("WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_ACCESS_TOKEN") if not getattr(settings, name)]
    if missing:
        problems.append(Error(
            f"WHATSAPP_BACKEND is Meta's Cloud API but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            "not set: no WhatsApp message can be sent.",
            hint="README, Sending WhatsApp messages: the phone number id and a system user's token.",
            id="notifications.E006",
        ))
    missing = [name for name in ("WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN") if not getattr(settings, name)]
    if missing:
        problems.append(Warning(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: /hooks/whatsapp/ refuses "
            "Meta's subscription check or its status reports, so delivered, read and failed are never recorded.",
            hint="Set the Meta app's secret and the verify token typed in the app's webhook configuration.",
            id="notifications.W001",
        ))
    return problems
