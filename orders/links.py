"""The customer's public addresses for an order, provided by the app that serves them.

`orders` sits below the public timeline and must not name its URLs. The timeline app provides the
paths when it is ready (`timeline.apps`); an order asks for them through `Order.get_timeline_url`
and `Order.get_tracking_redirect_url`. Without a provider, an order has no public address and the
messages leave the link out.
"""
from collections.abc import Callable

ORDER_PAGE = "order-page"
TRACKING_REDIRECT = "tracking-redirect"
# Leads the customer to the order's current payment link (orders/payment_links.py).
PAYMENT_PAGE = "payment-page"

_providers: dict[str, Callable[[str], str]] = {}


def provide(link: str, path_for_token: Callable[[str], str]) -> None:
    """Register how to build `link`'s path from an order's public token."""
    _providers[link] = path_for_token


def path(link: str, token: str) -> str:
    """The path of `link` for `token`, or "" when no installed app serves it."""
    provider = _providers.get(link)
    return provider(token) if provider else ""
