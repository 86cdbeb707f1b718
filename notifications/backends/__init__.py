"""Pluggable SMS, web push and WhatsApp backends, loaded by dotted path like Django's EMAIL_BACKEND.

    SMS_BACKEND = "notifications.backends.sms.twilio.SmsBackend"
    PUSH_BACKEND = "notifications.backends.push.webpush.PushBackend"
    WHATSAPP_BACKEND = "notifications.backends.whatsapp.cloud.WhatsAppBackend"

Each provider module defines `SmsBackend`, `PushBackend` or `WhatsAppBackend`; see base.py for the contract.
"""
from django.conf import settings
from django.utils.module_loading import import_string

from .base import (  # noqa: F401 (re-exported)
    BackendError,
    BasePushBackend,
    BaseSmsBackend,
    BaseWhatsAppBackend,
    PermanentError,
    PushMessage,
    SmsMessage,
    SubscriptionGone,
    TransientError,
    WhatsAppMessage,
)


def get_sms_backend(backend: str | None = None, *, fail_silently: bool = False, **kwargs) -> BaseSmsBackend:
    return import_string(backend or settings.SMS_BACKEND)(fail_silently=fail_silently, **kwargs)


def get_push_backend(backend: str | None = None, *, fail_silently: bool = False, **kwargs) -> BasePushBackend:
    return import_string(backend or settings.PUSH_BACKEND)(fail_silently=fail_silently, **kwargs)


def get_whatsapp_backend(backend: str | None = None, *, fail_silently: bool = False, **kwargs) -> BaseWhatsAppBackend:
    return import_string(backend or settings.WHATSAPP_BACKEND)(fail_silently=fail_silently, **kwargs)
