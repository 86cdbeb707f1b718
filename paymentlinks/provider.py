"""What this app provides to `orders` (orders/payment_links.py): an order's current link, read
from the prefetched rows when a page of orders was read with `prefetch()`."""
from django.db.models import Prefetch

from orders import payment_links
from orders.models import PaymentMethod

from .models import PaymentLink

STATES = {
    PaymentLink.Status.QUEUED: payment_links.CREATING,
    PaymentLink.Status.ACTIVE: payment_links.ACTIVE,
    PaymentLink.Status.FAILED: payment_links.FAILED,
}
PREFETCHED = "current_payment_links"


def for_order(order) -> payment_links.PaymentLink | None:
    if order.payment_method != PaymentMethod.PAYMENT_LINK:
        return None  # no query: only payment link orders get links
    rows = getattr(order, PREFETCHED, None)
    if rows is None:
        rows = list(PaymentLink.objects.filter(order=order).exclude(status=PaymentLink.Status.REPLACED)[:1])
    if not rows:
        return None
    link = rows[0]
    return payment_links.PaymentLink(
        status=STATES[link.status], url=link.checkout_url if link.status == PaymentLink.Status.ACTIVE else "",
        expires_at=link.expires_at, provider="mercadopago",
    )


def prefetch(queryset):
    return queryset.prefetch_related(Prefetch(
        "payment_links", queryset=PaymentLink.objects.exclude(status=PaymentLink.Status.REPLACED),
        to_attr=PREFETCHED,
    ))
