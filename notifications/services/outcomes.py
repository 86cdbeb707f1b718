"""How a claimed row ends: its final status (through the outbox engine), a refund for a failed
SMS or WhatsApp message, the fallback channel, or a retry after the backoff."""
from __future__ import annotations

from django.conf import settings
from django.utils import translation

from ..models import Channel, Notification
from ..outbox import NOTIFICATIONS
from ..reasons import Reason
from .common import Status
from .recording import _fallback


# The channels paid with credits: a failed message gets them back.
PAID_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})


def _refund_sms(notification: Notification) -> None:
    """Give the message's credits back (an SMS's or a WhatsApp message's); the ledger says why in the
    store's language."""
    from billing import services as billing

    with translation.override(settings.LANGUAGE_CODE):
        reason = notification.reason
    billing.refund_sms(notification_id=notification.pk, reason=reason[:200])


def _finish(notification: Notification, status: str, reason: str = "", detail: str = "", **fields) -> str:
    """The final status, with the reason's code and detail and the message as rendered
    (NOTIFICATIONS.carried_fields)."""
    return NOTIFICATIONS.finish(notification, status, reason_code=reason, reason_detail=detail, **fields)


def _fail(notification: Notification, reason: str, detail: str = "", **fields) -> str:
    _finish(notification, Status.FAILED, reason, detail, **fields)
    if notification.channel in PAID_CHANNELS:
        _refund_sms(notification)
    _fallback(notification)
    return Status.FAILED


def _retry_or_fail(notification: Notification, reason: str, error: str) -> str:
    """Retry after the backoff (the reason and the error logged meanwhile), or fail once the attempts are spent."""
    if not NOTIFICATIONS.retry_later(notification, error, code=reason):
        return _fail(notification, Reason.GAVE_UP, error)
    return Status.QUEUED
