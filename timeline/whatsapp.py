"""The timeline page's "Get updates on WhatsApp": the customer's opt-in (and opt-out), recorded on
the order with where and when (orders.services.set_whatsapp_opt_in).

A plain form POST with Django's CSRF token (the page renders it): a cross-site form cannot opt a
customer in or out. Offered only while the store sends WhatsApp and the order has a number it
can reach; the answer is recorded only then too.
"""
from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from notifications.services import offers_whatsapp
from orders import services as order_services
from orders.models import Order, Status, WhatsAppOptInSource

from .ratelimit import rate_limited


def whatsapp_context(order: Order, is_open: bool) -> dict:
    """What the page needs to show the WhatsApp card."""
    offer = is_open and offers_whatsapp(order)
    return {
        "offer_whatsapp": offer,
        "whatsapp_opted_in": order.whatsapp_opt_in,
        "whatsapp_url": reverse("timeline:whatsapp", args=[order.public_token]) if offer else "",
    }


@require_POST
@rate_limited("push")
def whatsapp_opt_in(request, token):
    from .views import _find_order, _private, not_found

    order = _find_order(token, Order.objects.all())
    if order is None:
        return not_found(request)
    answer = request.POST.get("whatsapp")
    open_order = order.status not in (Status.FINALIZED, Status.CANCELLED)
    if answer in ("on", "off") and (answer == "off" or (open_order and offers_whatsapp(order))):
        order_services.set_whatsapp_opt_in(order, opt_in=answer == "on", source=WhatsAppOptInSource.TIMELINE)
    page = reverse("timeline:order", args=[order.public_token])
    return _private(HttpResponseRedirect(f"{page}#whatsapp", status=303), html=False)
