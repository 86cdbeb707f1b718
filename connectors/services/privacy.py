"""The platforms' privacy requests (Tiendanube's mandatory LGPD webhooks, Shopify's compliance topics).

- customers/redact: the customer's orders of that store (those the platform lists, and those with
  the customer's email) lose what identifies the customer (`orders.services.redact_customer`:
  name, email, phone, address, city); the platform bodies and details we kept of them are erased.
- customers/data_request: what we hold of the customer is emailed to the store (`STORE_EMAIL`),
  which answers the customer: the platform leaves that to the app. The report is a row of the
  notification log (connectors/messages.py), sent by its worker, once per request.
- store/redact (Shopify: shop/redact), sent after the store uninstalled the app: the connection's
  token and secret and every platform body of the store are erased, the connection turned off.
  The orders stay: they are the store's own records in its own back office.
The request's own body is erased once it is handled (processing.py).
"""
from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications import services as notifications
from orders import services as order_services
from orders.models import Order

from .. import messages
from ..models import OrderLink, PlatformAccount, PlatformEvent


def _body(event: PlatformEvent) -> dict:
    try:
        data = json.loads(event.body or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def customer_orders(account: PlatformAccount, data: dict, ids_key: str) -> list[Order]:
    ids = [str(value) for value in data.get(ids_key) or [] if value not in (None, "")]
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    email = str(customer.get("email") or "").strip()
    orders = {
        link.order.pk: link.order
        for link in OrderLink.objects.filter(account=account, platform_order_id__in=ids, order__isnull=False)
        .select_related("order")
    }
    if email:
        for order in Order.objects.filter(storefront=account.storefront, customer_email__iexact=email):
            orders.setdefault(order.pk, order)
    return sorted(orders.values(), key=lambda order: order.pk)


def handle(event: PlatformEvent) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        data = _body(event)
        account = event.account
        if event.topic == "customers/redact":
            return redact_customer(account, data)
        if event.topic == "customers/data_request":
            return report_customer(account, data, event=event)
        return redact_store(account)


@transaction.atomic
def redact_customer(account: PlatformAccount, data: dict) -> str:
    orders = customer_orders(account, data, "orders_to_redact")
    by = account.storefront.user
    for order in orders:
        if order.customer_name == order_services.REDACTED_NAME and not order.customer_email:
            continue  # erased before
        order_services.redact_customer(order, by=by, note=_("Customer data erased at the platform's request."))
    links = OrderLink.objects.filter(account=account, order__in=orders)
    PlatformEvent.objects.filter(link__in=links).update(body="")
    links.update(applied={})
    return ngettext("Customer data erased from %(count)s order.", "Customer data erased from %(count)s orders.",
                    len(orders)) % {"count": len(orders)}


def report_customer(account: PlatformAccount, data: dict, *, event: PlatformEvent) -> str:
    orders = customer_orders(account, data, "orders_requested")
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    who = customer.get("email") or customer.get("phone") or customer.get("id") or "?"
    lines = [
        _("%(platform)s asked, for the customer %(customer)s, for the data we hold about them. Send it to the "
          "customer.") % {"platform": account.get_platform_display(), "customer": who},
        "",
    ]
    for order in orders:
        lines += [
            _("Order %(number)s, %(date)s, %(total)s") % {
                "number": order.number, "date": formats.date_format(timezone.localtime(order.created_at)),
                "total": order.format_money(order.total),
            },
            f"  {order.customer_name} · {order.customer_email or '—'} · {order.customer_phone or '—'}",
            f"  {order.address or order.pickup_point or '—'} {order.city}".rstrip(),
        ]
    if not orders:
        lines.append(_("We hold no order of this customer."))
    subject = _("Customer data request from %(platform)s") % {"platform": account.get_platform_display()}
    recorded = notifications.record_message(
        messages.CODE, source=messages.source_of(event), subject=str(subject),
        body="\n".join(str(line) for line in lines), language=settings.LANGUAGE_CODE,
    )
    if recorded.row is None:  # the request was worked on before: its report is written already
        return _("The report of this request was written before: see the notification log.")
    if recorded.row.status != notifications.Status.QUEUED:
        return _("The report could not be emailed: STORE_EMAIL is not set. The notification log keeps it.")
    return ngettext("The data of %(count)s order is being emailed to %(email)s (see the notification log).",
                    "The data of %(count)s orders is being emailed to %(email)s (see the notification log).",
                    len(orders)) % {"count": len(orders), "email": settings.STORE_EMAIL}


@transaction.atomic
def redact_store(account: PlatformAccount) -> str:
    account.access_token = ""
    account.webhook_secret = ""
    account.active = False
    account.webhooks = []
    account.problem = _("The store's data was erased at the platform's request (the app was uninstalled).")
    account.save()
    PlatformEvent.objects.filter(account=account).update(body="")
    OrderLink.objects.filter(account=account).update(applied={})
    return _("The store's connection data was erased.")
