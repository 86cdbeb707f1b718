"""An order's payment link, as the app that makes the links provides it.

`orders` names no payment provider. The app that makes the links (`paymentlinks`, Mercado Pago
Checkout Pro) provides, when it is ready, how to read an order's current link and how to prefetch
the links of a page of orders; the order's JSON, the customer's messages and the timeline page
ask through here. Without a provider, or for an order without a link, there is none: the JSON
shows `null` and the messages' `{{ payment_link }}` is empty.

The customer is sent our own address for the link (`customer_url`, served by the timeline app,
which provides its path to `orders.links`), never the provider's: it leads to the order's current
link when it is clicked, so a message sent before the link was made, or a link staff made again
after one expired, still works.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from . import links
from .models import Status

CREATING, ACTIVE, FAILED = "creating", "active", "failed"


@dataclass(frozen=True)
class PaymentLink:
    """The order's current link: `url` is the provider's checkout page ("" until it is made)."""

    status: str  # CREATING, ACTIVE or FAILED
    url: str = ""
    expires_at: datetime | None = None
    provider: str = ""

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """What the customer and staff are told: creating, active, expired or failed."""
        if self.status == ACTIVE and self.expired:
            return "expired"
        return self.status

    @property
    def valid(self) -> bool:
        return self.status == ACTIVE and bool(self.url) and not self.expired


_provider: dict[str, Callable] = {}


def provide(*, for_order: Callable, prefetch: Callable) -> None:
    """Register `for_order(order) -> PaymentLink | None` and `prefetch(queryset) -> queryset`."""
    _provider["for_order"] = for_order
    _provider["prefetch"] = prefetch


def for_order(order) -> PaymentLink | None:
    """The order's current payment link, or None (no provider, or no link made for the order)."""
    provider = _provider.get("for_order")
    return provider(order) if provider else None


def prefetch(queryset):
    """`queryset` with its orders' links read in one more query (a page of the API's list)."""
    provider = _provider.get("prefetch")
    return provider(queryset) if provider else queryset


def payable(order) -> PaymentLink | None:
    """The link the customer can pay with now: valid, and the order still unpaid and not cancelled."""
    if order.is_paid or order.status == Status.CANCELLED:
        return None
    link = for_order(order)
    return link if link is not None and link.valid else None


def customer_url(order) -> str:
    """Our address that leads to the order's current link (what messages carry), or "" without a link."""
    if for_order(order) is None:
        return ""
    path = links.path(links.PAYMENT_PAGE, order.public_token)
    return settings.SITE_URL + path if path else ""

