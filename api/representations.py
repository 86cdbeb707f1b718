"""The order detail's JSON, kept per order version: storefronts poll it far more often than orders change.

An entry's key is the order's id and `updated_at`, the request's language and a version of
the reference data shown with it. `orders/services.py` is the only writer of an order's lines,
payments, events and custom statuses, and every one of its writes saves the order, so any change
to what the detail shows gives the order a new `updated_at`: a changed order is never answered
from an old entry, in any process. The reference data (carriers, custom status names, who did
each step: staff users and storefronts) moves the version when saved or deleted; processes that
do not share the Django cache (`CACHE_URL`) see that within API_ORDER_CACHE_SECONDS.

A hit costs one small query (the order's id and `updated_at`) instead of five.
"""
from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from orders.models import Order

from . import serializers as s

REFERENCE_VERSION_KEY = "api:order-reference-version"


def _seconds() -> int:
    return getattr(settings, "API_ORDER_CACHE_SECONDS", 0)


def reference_version() -> int:
    return cache.get_or_set(REFERENCE_VERSION_KEY, 1, None)


def forget_reference_data(**kwargs) -> None:
    """A carrier, custom status, user or storefront was saved or deleted: every entry is old."""
    try:
        cache.incr(REFERENCE_VERSION_KEY)
    except ValueError:
        cache.set(REFERENCE_VERSION_KEY, 2, None)


def _key(pk: int, updated_at) -> str:
    return f"api:order:{pk}:{updated_at.isoformat()}:{translation.get_language()}:{reference_version()}"


def order_detail(queryset, **lookups) -> dict | None:
    """OrderDetailOutput of the order matching `lookups` in `queryset` (the detail's), or None."""
    seconds = _seconds()
    if seconds > 0:
        try:
            pk, updated_at = Order.objects.values_list("pk", "updated_at").get(**lookups)
        except Order.DoesNotExist:
            return None
        data = cache.get(_key(pk, updated_at))
        if data is not None:
            return data
        lookups = {"pk": pk}
    try:
        order = queryset.get(**lookups)
    except Order.DoesNotExist:
        return None
    data = s.OrderDetailOutput(order).data
    if seconds > 0:
        # Keyed by the version read with the data, which may be newer than the one looked up.
        cache.set(_key(order.pk, order.updated_at), data, seconds)
    return data
