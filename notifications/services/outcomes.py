"""How a claimed row ends: its final status (through the outbox engine), a refund for a failed
paid message (SMS, WhatsApp), the fallback channel, or a retry after the backoff."""
from __future__ import annotations

from django.conf import settings
from django.utils import translation

from ..models import Channel, Notification
from ..outbox import NOTIFICATIONS
from ..reasons import Reason
from .common import Status
from .recording import _fallback


# The channels paid with credits (channels.py charges them): a message on them that failed is refunded.
PAID_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})


def _refund(notification: Notification) -> None:
    """Give a paid message's credits back, once (nothing for a channel not paid, or no charge left);
    the ledger says why in the store's language."""
    if notification.channel not in PAID_CHANNELS:
        return
    from billing import services as billing

    with translation.override(settings.LANGUAGE_CODE):
        reason = notification.reason
    billing.refund_notification(notification_id=notification.pk, reason=reason[:200])


def _finish(notification: Notification, status: str, reason: str = "", detail: str = "", **fields) -> str:
    """The final status, with the reason's code and detail and the message as rendered
    (NOTIFICATIONS.carried_fields)."""
    return NOTIFICATIONS.finish(notification, status, reason_code=reason, reason_detail=detail, **fields)


def _skip(notification: Notification, reason: str, detail: str = "") -> str:
    """Skipped before it was paid on this attempt: a paid message charged on an earlier attempt
    (then retried) gets its credits back. The charge happens on an attempt only after every check
    that skips, so a first attempt has none (and the account is not locked for nothing)."""
    status = _finish(notification, Status.SKIPPED, reason, detail)
    if notification.attempts > 1:
        _refund(notification)
    return status


def _fail(notification: Notification, reason: str, detail: str = "", **fields) -> str:
    _finish(notification, Status.FAILED, reason, detail, **fields)
    _refund(notification)
    _fallback(notification)
    return Status.FAILED


def _retry_or_fail(notification: Notification, reason: str, error: str) -> str:
    """Retry after the backoff (the reason and the error logged meanwhile), or fail once the attempts are spent."""
    if not NOTIFICATIONS.retry_later(notification, error, code=reason):
        return _fail(notification, Reason.GAVE_UP, error)
    return Status.QUEUED
