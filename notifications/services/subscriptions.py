"""Web push subscriptions: a browser opts in or out, on the order's timeline page, of being told
about the order. The timeline checks the subscription (timeline/push.py); this stores it."""
from __future__ import annotations

from django.db import IntegrityError

from ..models import PushSubscription

MAX_PUSH_DEVICES_PER_ORDER = 10


class TooManyPushDevices(Exception):
    """The order already has MAX_PUSH_DEVICES_PER_ORDER browsers subscribed."""


def subscribe_push(order, *, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> bool:
    """Store a browser's push subscription for the order, or renew its keys (idempotent).

    Returns whether the subscription is new. A new browser beyond MAX_PUSH_DEVICES_PER_ORDER
    raises TooManyPushDevices; one already subscribed may always renew. The subscription is
    checked by the caller (timeline/push.py): an https endpoint of a push service and valid keys.
    """
    existing = PushSubscription.objects.filter(order=order, endpoint=endpoint)
    if not existing.exists() and PushSubscription.objects.filter(order=order).count() >= MAX_PUSH_DEVICES_PER_ORDER:
        raise TooManyPushDevices()
    values = {"p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]}
    try:
        _, created = PushSubscription.objects.update_or_create(order=order, endpoint=endpoint, defaults=values)
    except IntegrityError:  # the same browser asked twice at once: the other request stored it
        existing.update(**values)
        created = False
    return created


def unsubscribe_push(order, *, endpoint: str) -> None:
    """Forget a browser's push subscription for the order (idempotent)."""
    PushSubscription.objects.filter(order=order, endpoint=endpoint).delete()
