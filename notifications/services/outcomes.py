"""How a claimed row ends: its final status (through the outbox engine), a refund for a failed
SMS, the fallback channel, or a retry after the backoff."""
from __future__ import annotations

from ..models import Channel, Notification
from ..outbox import NOTIFICATIONS
from .common import GAVE_UP, Status, _text
from .recording import _fallback


def _refund_sms(notification: Notification, reason: str) -> None:
    from billing import services as billing

    billing.refund_sms(notification_id=notification.pk, reason=reason[:200])


def _finish(notification: Notification, status: str, *, reason: str = "", **fields) -> str:
    """The final status, with the message as rendered (NOTIFICATIONS.carried_fields)."""
    return NOTIFICATIONS.finish(notification, status, reason=reason, **fields)


def _fail(notification: Notification, reason: str) -> str:
    _finish(notification, Status.FAILED, reason=reason)
    if notification.channel == Channel.SMS:
        _refund_sms(notification, reason)
    _fallback(notification)
    return Status.FAILED


def _retry_or_fail(notification: Notification, error: str) -> str:
    if not NOTIFICATIONS.retry_later(notification, error):
        return _fail(notification, _text(GAVE_UP, attempts=notification.attempts, error=error))
    return Status.QUEUED
