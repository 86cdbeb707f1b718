"""The *Payment link* section of the staff's order page (provided to orders.page_sections).

It shows a payment link order's current link (or that the feature is off, and how to turn it on),
the buttons to make a new one or email it again (each disabled with the reason), and every Mercado
Pago payment seen for the order, with what needs staff (a refund, a chargeback, a payment that
could not be registered) flagged in red.
"""
from django.template.loader import render_to_string
from django.urls import reverse

from orders import payment_links
from orders.models import PaymentMethod

from . import client, links
from .models import MercadoPagoPayment

PERMISSION = "paymentlinks.make_payment_link"


def order_section(request, order) -> str:
    seen = list(MercadoPagoPayment.objects.filter(order=order).select_related("registered_payment"))
    if order.payment_method != PaymentMethod.PAYMENT_LINK and not seen:
        return ""
    link = links.current(order) if order.payment_method == PaymentMethod.PAYMENT_LINK else None
    may = request.user.has_perm(PERMISSION)
    context = {
        "order": order,
        "is_link_order": order.payment_method == PaymentMethod.PAYMENT_LINK,
        "configured": client.configured(),
        "link": link,
        "state": payment_links.for_order(order).state if link is not None else "",
        "customer_url": payment_links.customer_url(order),
        "may_act": may,
        "new_refusal": links.refusal(order, link),
        "new_url": reverse("admin:paymentlinks_paymentlink_new", args=[order.pk]),
        "send_refusal": links.send_refusal(order, link),
        "send_url": reverse("admin:paymentlinks_paymentlink_send", args=[order.pk]),
        "payments": seen,
    }
    return render_to_string("paymentlinks/admin/order_section.html", context, request=request)
