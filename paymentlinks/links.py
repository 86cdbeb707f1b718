"""Payment links: asked for in the order's transaction, made by the worker at Mercado Pago.

1. `request_link(order)` writes a queued `PaymentLink` (the receiver of `order_placed` does, for a
   payment link order while an access token is set; staff do with *Make a new link*) and enqueues
   the task once the transaction commits: Mercado Pago is never called inside a request.
2. The worker calls `make(link_id)`: it claims the row (LINKS.claim: a task run twice makes one
   link), creates the Checkout Pro preference with the order's lines and shipping, its currency,
   the customer's email, `external_reference` = the order number, back URLs to the customer's
   timeline page and an expiry PAYMENT_LINK_EXPIRY_HOURS ahead, and keeps its `init_point`.
   Mercado Pago down: retried on MERCADOPAGO_RETRY_DELAYS; refused, or out of attempts: `failed`,
   and staff are told (they make a new link from the order page).
3. A made link moves the order's `updated_at` (orders.services.mark_changed): the API's JSON and
   `updated_since` syncs show it.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications import services as notifications
from orders import payment_links, services as order_services
from orders.models import Order, PaymentMethod, Status

from . import alerts, client, messages
from .models import PaymentLink
from .outbox import LINKS
from .reasons import REASONS, Reason

logger = logging.getLogger(__name__)

LinkStatus = PaymentLink.Status

SHIPPING = pgettext_lazy("payment link item", "Shipping")

FAILED_SUBJECT = _("The payment link of order %(number)s could not be made")
FAILED_BODY = _(
    "Mercado Pago did not make the payment link of order %(number)s: %(error)s\n\n"
    "Once the cause is fixed, make a new link from the order's page:\n%(url)s\n"
)


class LinkRefused(Exception):
    """Staff may not make (or send) a link for this order now; `str()` says why."""


def current(order: Order) -> PaymentLink | None:
    """The order's link that is not replaced (at most one)."""
    return PaymentLink.objects.filter(order=order).exclude(status=LinkStatus.REPLACED).first()


# --- asking for a link -----------------------------------------------------------------------


def wanted(order: Order) -> bool:
    return order.payment_method == PaymentMethod.PAYMENT_LINK and client.configured()


def _insert(order: Order, *, by) -> PaymentLink | None:
    """A new queued link, enqueued on commit; None if the order already has a current one."""
    try:
        with transaction.atomic():
            link = PaymentLink.objects.create(order=order, requested_by=by, next_attempt_at=timezone.now())
    except IntegrityError:
        return None
    LINKS.enqueue_after_commit([link.pk])
    return link


def request_link(order: Order, *, by=None) -> PaymentLink:
    """A queued link for `order` (the current one if it already has one), made once the transaction commits."""
    return _insert(order, by=by) or current(order)


def refusal(order: Order, link: PaymentLink | None) -> str | None:
    """Why staff may not make a new link for `order` now (its current link is `link`), or None."""
    if not client.configured():
        return str(_("Payment links are off: set MERCADOPAGO_ACCESS_TOKEN (see the README)."))
    if order.payment_method != PaymentMethod.PAYMENT_LINK:
        return str(_("Only payment link orders get a payment link."))
    if order.is_paid:
        return str(_("This order is already paid."))
    if order.status == Status.CANCELLED:
        return str(_("Cancelled orders get no payment link."))
    if link is not None and link.status == LinkStatus.QUEUED:
        return str(_("A link is being made for this order right now."))
    if link is not None and link.status == LinkStatus.ACTIVE and (link.expires_at is None or link.expires_at > timezone.now()):
        return str(_("The current link can still be paid: send it again instead."))
    return None


@transaction.atomic
def new_link(order: Order, *, by) -> PaymentLink:
    """Replace the order's expired or failed link (or give it its first one) with a new one."""
    link = PaymentLink.objects.select_for_update().filter(order=order).exclude(status=LinkStatus.REPLACED).first()
    reason = refusal(order, link)
    if reason:
        raise LinkRefused(reason)
    if link is not None:
        PaymentLink.objects.filter(pk=link.pk).update(status=LinkStatus.REPLACED, updated_at=timezone.now())
    made = _insert(order, by=by)
    if made is None:  # another one was asked for at the same moment
        raise LinkRefused(str(_("A link is being made for this order right now.")))
    order_services.mark_changed(order)
    return made


# --- making it (the worker) ------------------------------------------------------------------


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="milliseconds")


def preference(order: Order, *, now, expires_at) -> dict:
    """The Checkout Pro preference of `order`: what the customer pays, and where they come back to."""
    items = [
        {
            "id": line.sku or f"line-{line.pk}",
            "title": line.name[:256],
            "quantity": line.quantity,
            "unit_price": float(line.unit_price),
            "currency_id": order.currency,
        }
        for line in order.lines.all() if line.unit_price > 0
    ]
    if order.shipping_cost > 0:
        with translation.override(order.language):
            title = str(SHIPPING)
        items.append({
            "id": "shipping", "title": title, "quantity": 1, "unit_price": float(order.shipping_cost),
            "currency_id": order.currency,
        })
    body = {
        "items": items,
        "payer": {"name": order.customer_name},
        "external_reference": order.number,
        "expires": True,
        "expiration_date_from": _iso(now),
        "expiration_date_to": _iso(expires_at),
        "metadata": {"order_number": order.number},
    }
    if order.customer_email:
        body["payer"]["email"] = order.customer_email
    timeline = order.get_timeline_url()
    if timeline:
        body["back_urls"] = {"success": timeline, "pending": timeline, "failure": timeline}
        body["auto_return"] = "approved"
    return body


def make(link_id: int) -> str | None:
    """Make one queued link at Mercado Pago. Returns the status it reached, or None if there was nothing to do."""
    if not LINKS.claim(link_id):
        return None
    link = PaymentLink.objects.select_related("order").filter(pk=link_id).first()
    if link is None:
        return None
    order = link.order
    if LINKS.attempts_lost(link):
        # Earlier attempts never reported back (a worker died): the last claim was no attempt.
        return _fail(link, Reason.GAVE_UP, REASONS.gave_up_detail(link.error_code, link.error),
                     attempts=link.attempts - 1)
    if not client.configured():
        return _fail(link, Reason.TURNED_OFF, tell=False)
    if order.is_paid or order.status == Status.CANCELLED:
        return _fail(link, Reason.ORDER_CLOSED, tell=False)
    now = timezone.now()
    expires_at = now + timedelta(hours=settings.PAYMENT_LINK_EXPIRY_HOURS)
    try:
        answer = client.create_preference(preference(order, now=now, expires_at=expires_at))
    except client.Unavailable as error:
        if LINKS.retry_later(link, str(error), code=Reason.UNAVAILABLE):
            return LinkStatus.QUEUED
        return _fail(link, Reason.GAVE_UP, REASONS.gave_up_detail(Reason.UNAVAILABLE, str(error)))
    except client.ApiError as error:
        return _fail(link, Reason.REFUSED, str(error))
    checkout = answer.get("init_point")
    if not isinstance(checkout, str) or urlsplit(checkout).scheme != "https" or len(checkout) > 500:
        return _fail(link, Reason.NO_CHECKOUT)
    link.preference_id = str(answer.get("id") or "")[:100]
    link.checkout_url = checkout
    link.expires_at = expires_at
    with transaction.atomic():
        LINKS.finish(link, LinkStatus.ACTIVE)
        order_services.mark_changed(order)
    logger.info("Payment link of order %s made: preference %s", order.number, link.preference_id)
    return LinkStatus.ACTIVE


def _fail(link: PaymentLink, code: str, detail: str = "", *, tell: bool = True, **fields) -> str:
    with transaction.atomic():
        LINKS.finish(link, LinkStatus.FAILED, error_code=code, error=detail[:2000], **fields)
        for name, value in fields.items():
            setattr(link, name, value)
        order_services.mark_changed(link.order)
        with translation.override(settings.LANGUAGE_CODE):  # the staff's email, in the store's language
            error = link.error_text
        if tell:
            alerts.tell_staff(FAILED_SUBJECT, FAILED_BODY, number=link.order.number, error=error,
                              url=alerts.order_admin_url(link.order))
    logger.warning("Payment link of order %s failed: %s", link.order.number, error)
    return LinkStatus.FAILED


# --- sending it again ------------------------------------------------------------------------

class AlreadyOnItsWay(LinkRefused):
    """An email with the link is queued for the customer already: nothing more is sent."""


ON_ITS_WAY = _("An email with the link is on its way to the customer: once it has gone, you can send it again.")


def send_refusal(order: Order, link: PaymentLink | None) -> str | None:
    """Why staff may not email the link to the customer now, or None."""
    if link is None or payment_links.payable(order) is None:
        return str(_("There is no link the customer can pay with now."))
    if not order.customer_email:
        return str(_("The customer has no email address: copy the link and send it another way."))
    if notifications.on_its_way(messages.CODE, order=order) is not None:
        return str(ON_ITS_WAY)
    return None


def send_again(order: Order, *, by) -> PaymentLink:
    """Email the customer our address for the order's current link, through the notification log:
    one row per click, sent by the worker once this transaction commits (retried while the email
    provider is down), in the order's language. A click while one is still queued sends nothing more
    (AlreadyOnItsWay); once it has gone, staff may send it again."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)  # two clicks at once: one after the other
        link = current(order)
        reason = send_refusal(order, link)
        if reason:
            raise AlreadyOnItsWay(reason) if reason == str(ON_ITS_WAY) else LinkRefused(reason)
        recorded = notifications.record_message(messages.CODE, order=order, again=True)
        if recorded.row is None:
            raise AlreadyOnItsWay(str(ON_ITS_WAY))
        PaymentLink.objects.filter(pk=link.pk).update(last_sent_at=timezone.now(), sent_count=F("sent_count") + 1)
    logger.info("Payment link of order %s queued to be emailed again by %s", order.number, by)
    return link
