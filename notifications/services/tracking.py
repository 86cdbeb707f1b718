"""Email tracking: the provider's delivered, bounced, complained and rejected reports (anymail)."""
from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Channel, EmailTrackingEvent, Notification
from ..reasons import Reason
from .common import Status
from .recording import _fallback


def apply_tracking_event(event, esp_name: str = "") -> bool:
    """Record an ESP's delivered / bounced / complained report on the email's row, once per event.

    Returns True when a row was updated.
    """
    from anymail.signals import EventType

    handled = {EventType.DELIVERED, EventType.BOUNCED, EventType.COMPLAINED, EventType.REJECTED}
    if event.event_type not in handled or not event.message_id:
        return False
    key = event.event_id or hashlib.sha256(
        f"{esp_name}|{event.event_type}|{event.message_id}|{event.timestamp}|{event.recipient}".encode()
    ).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                EmailTrackingEvent.objects.create(
                    event_key=f"{esp_name}:{key}"[:255], event_type=event.event_type,
                    message_id=str(event.message_id)[:200],
                )
        except IntegrityError:
            return False  # the provider posted this event before
        notification = (
            # order is nullable (a checkout's row): lock the notification row only, not the outer join.
            Notification.objects.select_for_update(of=("self",)).select_related("order")
            .filter(channel=Channel.EMAIL, provider_message_id=str(event.message_id)).first()
        )
        if notification is None:
            return False
        when = event.timestamp or timezone.now()
        detail = event.description or event.mta_response or event.reject_reason or ""
        DeliveryStatus = Notification.DeliveryStatus
        if event.event_type == EventType.DELIVERED:
            if notification.delivery_status:
                return False  # a bounce or complaint already said more
            notification.delivery_status = DeliveryStatus.DELIVERED
        elif event.event_type == EventType.COMPLAINED:
            notification.delivery_status = DeliveryStatus.COMPLAINED
        else:
            bounced = event.event_type == EventType.BOUNCED
            notification.delivery_status = DeliveryStatus.BOUNCED if bounced else DeliveryStatus.REJECTED
            notification.status = Status.FAILED
            notification.reason_code = Reason.BOUNCED if bounced else Reason.REJECTED
            notification.reason_detail = detail[:1000]
        notification.delivery_status_at = when
        notification.save(update_fields=["delivery_status", "delivery_status_at", "status", "reason_code", "reason_detail", "updated_at"])
        if notification.status == Status.FAILED:
            _fallback(notification)
    return True
