"""Email tracking: the provider's delivered, bounced, complained and rejected reports (anymail),
applied as delivery reports (receipts.py)."""
from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Channel, Notification, ReceiptEvent
from ..reasons import Reason
from .common import Status
from .receipts import apply_receipt


def apply_tracking_event(event, esp_name: str = "") -> bool:
    """Apply an ESP's report on the email's row, once per event. Returns True when a row changed.

    delivered -> delivered; bounced -> undelivered (the email left, the recipient's server sent it
    back); rejected -> failed (the provider would not send it); complained -> the row's
    complained_at, and delivered (a complaint is about an email that arrived).
    """
    from anymail.signals import EventType

    states = {
        EventType.DELIVERED: (Status.DELIVERED, ""),
        EventType.BOUNCED: (Status.UNDELIVERED, Reason.BOUNCED),
        EventType.REJECTED: (Status.FAILED, Reason.REJECTED),
        EventType.COMPLAINED: (Status.DELIVERED, ""),
    }
    if event.event_type not in states or not event.message_id:
        return False
    key = event.event_id or hashlib.sha256(
        f"{esp_name}|{event.event_type}|{event.message_id}|{event.timestamp}|{event.recipient}".encode()
    ).hexdigest()
    key = f"{esp_name}:{key}"
    when = event.timestamp or timezone.now()
    state, reason = states[event.event_type]
    if event.event_type == EventType.COMPLAINED:
        return _complained(str(event.message_id)[:200], key, when)
    detail = (event.description or event.mta_response or event.reject_reason or "") if reason else ""
    return apply_receipt(
        channel=Channel.EMAIL, provider_message_id=str(event.message_id), state=state, at=when,
        reason_code=reason, detail=detail, event_key=key,
    )


def _complained(message_id: str, key: str, when) -> bool:
    """The recipient marked the email as spam: noted on the row (once), which also counts as delivered."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReceiptEvent.objects.create(
                    event_key=f"{Channel.EMAIL}:{key}"[:255], channel=Channel.EMAIL, event_type="complained",
                    message_id=message_id, reported_at=when,
                )
        except IntegrityError:
            return False
        noted = Notification.objects.filter(
            channel=Channel.EMAIL, provider_message_id=message_id, complained_at__isnull=True,
        ).update(complained_at=when, updated_at=timezone.now())
        delivered = apply_receipt(
            channel=Channel.EMAIL, provider_message_id=message_id, state=Status.DELIVERED, at=when,
            event_key=f"{key}:delivered",
        )
    return bool(noted) or delivered
