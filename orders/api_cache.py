"""The order detail's JSON, kept per order version: storefronts poll it far more often than orders change.

An entry's key is the order's id and `updated_at`, the request's language, a version of the
reference data shown with it, and the output's shape. `orders/services/` is the only writer of
an order's lines, payments, events and custom statuses, and every one of its writes saves the
order, so any change to what the detail shows gives the order a new `updated_at`: a changed order
is never answered from an old entry, in any process. The reference data (carriers, custom status
names, who did each step: staff users and storefronts) moves the version when saved or deleted,
at once and again when the change commits (an entry built from the old rows meanwhile is left
behind); processes that do not share the Django cache (`CACHE_URL`) see that within
API_ORDER_CACHE_SECONDS. The shape is a digest of orders/representation.py's source and SITE_URL, so a
deploy that changes the output never reads the old one's entries from a shared cache.

A hit costs one small query (the order's id and `updated_at`) instead of the six that build it.
"""
from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from . import representation as s
from .models import Order

REFERENCE_VERSION_KEY = "api:order-reference-version"


@lru_cache(maxsize=1)
def _shape() -> str:
    digest = hashlib.sha256(Path(s.__file__).read_bytes())
    digest.update(settings.SITE_URL.encode())
    return digest.hexdigest()[:12]


def reference_version() -> int:
    # A version key the cache lost starts again from the clock, never from a number used before.
    return cache.get_or_set(REFERENCE_VERSION_KEY, time.time_ns, None)


def _move_reference_version() -> None:
    try:
        cache.incr(REFERENCE_VERSION_KEY)
    except ValueError:
        cache.set(REFERENCE_VERSION_KEY, time.time_ns(), None)


# Saves that touch only these fields change nothing the detail shows (a login saves `last_login`).
_UNSHOWN_FIELDS = frozenset({"last_login"})


def forget_reference_data(*, update_fields=None, **kwargs) -> None:
    """A carrier, custom status, user or storefront was saved or deleted: every entry is old.
    Connected in orders/apps.py."""
    if update_fields and _UNSHOWN_FIELDS.issuperset(update_fields):
        return
    _move_reference_version()
    transaction.on_commit(_move_reference_version)


def _key(pk: int, updated_at, version: int) -> str:
    return f"api:order:{_shape()}:{pk}:{updated_at.isoformat()}:{translation.get_language()}:{version}"


def order_detail(queryset, **lookups) -> dict | None:
    """OrderDetailOutput of the order matching `lookups` in `queryset` (the detail's), or None."""
    seconds = settings.API_ORDER_CACHE_SECONDS
    if seconds <= 0:
        order = _get(queryset, **lookups)
        return s.OrderDetailOutput(order).data if order is not None else None
    version = reference_version()  # read before the rows it stands for
    head = _get(Order.objects.values_list("pk", "updated_at"), **lookups)
    if head is None:
        return None
    data = cache.get(_key(*head, version))
    if data is None:
        order = _get(queryset, pk=head[0])
        if order is None:  # deleted since
            return None
        data = s.OrderDetailOutput(order).data
        # Keyed by the order's version read with the data, which may be newer than the one looked up.
        cache.set(_key(order.pk, order.updated_at, version), data, seconds)
    return data


def _get(queryset, **lookups):
    try:  # get(), not first(): the lookups name one order, and no ORDER BY is compiled or run
        return queryset.get(**lookups)
    except Order.DoesNotExist:
        return None
