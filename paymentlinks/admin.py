"""The staff's pages: payment links, the Mercado Pago payments seen (what needs attention first), the
notices received; and the order page's buttons (make a new link, email it again, mark handled).

Everything here is written by the code: the lists are read-only. Without an access token every
list says how to turn payment links on.
"""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy as _

from config.admin import ReadOnlyAdmin
from orders.models import Order

from . import client, links, payments
from .admin_sections import PERMISSION
from .models import MercadoPagoPayment, PaymentCheck, PaymentLink

HANDLE_PERMISSION = "orders.register_payment"
TURN_ON = _(
    "Payment links are off: set MERCADOPAGO_ACCESS_TOKEN and MERCADOPAGO_WEBHOOK_SECRET (see the README, "
    "“Getting paid by payment link”)."
)


def order_link(order):
    if order is None:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[order.pk]), order.number)


class MercadoPagoAdmin(ReadOnlyAdmin):
    def changelist_view(self, request, extra_context=None):
        if not client.configured():
            self.message_user(request, TURN_ON, messages.WARNING)
        return super().changelist_view(request, extra_context)


@admin.register(PaymentLink)
class PaymentLinkAdmin(MercadoPagoAdmin):
    list_display = ["order_display", "status", "expires_at", "created_at", "attempts", "error_display"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["order__number", "preference_id"]
    list_select_related = ["order"]
    fields = [
        "order_display", "status", "checkout_url", "preference_id", "expires_at", "requested_by", "attempts",
        "error_display", "sent_count", "last_sent_at", "created_at", "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("order"), ordering="order__number")
    def order_display(self, link):
        return order_link(link.order)

    @admin.display(description=_("error"))
    def error_display(self, link):
        return link.error_text or "—"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("order/<int:order_id>/new/", wrap(self.new_view), name="paymentlinks_paymentlink_new"),
            path("order/<int:order_id>/send/", wrap(self.send_view), name="paymentlinks_paymentlink_send"),
            *super().get_urls(),
        ]

    def _order(self, request, order_id) -> Order:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return get_object_or_404(Order, pk=order_id)

    def new_view(self, request, order_id):
        """GET: confirm. POST: replace the order's expired or failed link with a new one."""
        order = self._order(request, order_id)
        refusal = links.refusal(order, links.current(order))
        if request.method == "POST" and not refusal:
            try:
                links.new_link(order, by=request.user)
            except links.LinkRefused as refused:
                refusal = str(refused)
            else:
                messages.success(request, gettext(
                    "A new payment link for order %(number)s is being made; it shows on this page in a moment."
                ) % {"number": order.number})
                return HttpResponseRedirect(reverse("admin:orders_order_change", args=[order.pk]))
        return self._confirm(request, order, title=gettext("Make a new payment link"), refusal=refusal,
                             intro=gettext("Mercado Pago makes a new link, valid for the hours the store set. The "
                                           "customer's address for it stays the same."))

    def send_view(self, request, order_id):
        """GET: confirm. POST: email the customer the address of the order's current link."""
        order = self._order(request, order_id)
        refusal = links.send_refusal(order, links.current(order))
        if request.method == "POST" and refusal == str(links.ON_ITS_WAY):
            messages.info(request, refusal)
            return HttpResponseRedirect(reverse("admin:orders_order_change", args=[order.pk]))
        if request.method == "POST" and not refusal:
            try:
                links.send_again(order, by=request.user)
            except links.AlreadyOnItsWay as queued:  # a second click: the first one's email is enough
                messages.info(request, str(queued))
                return HttpResponseRedirect(reverse("admin:orders_order_change", args=[order.pk]))
            except links.LinkRefused as refused:
                refusal = str(refused)
            else:
                messages.success(request, gettext(
                    "The payment link of order %(number)s is being emailed to %(email)s: the notification log "
                    "shows when it has gone."
                ) % {"number": order.number, "email": order.customer_email})
                return HttpResponseRedirect(reverse("admin:orders_order_change", args=[order.pk]))
        return self._confirm(request, order, title=gettext("Email the payment link to the customer"),
                             refusal=refusal,
                             intro=gettext("%(email)s gets the address of the order's payment link, in the order's "
                                           "language.") % {"email": order.customer_email or "—"})

    def _confirm(self, request, order, *, title, refusal, intro):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": title, "subtitle": None, "order": order,
            "order_url": reverse("admin:orders_order_change", args=[order.pk]),
            "refusal": refusal, "intro": intro,
        }
        return TemplateResponse(request, "paymentlinks/admin/confirm.html", context)


class AttentionFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        flagged = payments.needing_attention().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=flagged)
        if self.value() == "no":
            return queryset.exclude(pk__in=flagged)
        return queryset


@admin.register(MercadoPagoPayment)
class MercadoPagoPaymentAdmin(MercadoPagoAdmin):
    list_display = ["payment_id", "order_display", "status", "amount", "currency", "registered_payment", "attention_display",
                    "updated_at"]
    list_filter = [AttentionFilter, "status"]
    search_fields = ["payment_id", "order__number", "external_reference"]
    list_select_related = ["order", "registered_payment__order"]
    fields = [
        "payment_id", "order_display", "status", "status_detail", "amount", "currency", "external_reference",
        "registered_payment", "attention_text", "attention_at", "handled_by", "handled_at", "created_at", "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("order"), ordering="order__number")
    def order_display(self, payment):
        return order_link(payment.order)

    @admin.display(description=_("needs attention"))
    def attention_display(self, payment):
        if not payment.needs_attention:
            return "—"
        return format_html('<strong style="color:#c62828">{}</strong>', payment.attention_text)

    @admin.display(description=_("needs attention"))
    def attention_text(self, payment):
        return payment.attention_text or "—"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/handled/", wrap(self.handled_view), name="paymentlinks_mercadopagopayment_handled"),
            *super().get_urls(),
        ]

    def handled_view(self, request, pk):
        """GET: confirm. POST: the flagged payment was handled by this staff member."""
        if not request.user.has_perm(HANDLE_PERMISSION):
            raise PermissionDenied
        payment = get_object_or_404(MercadoPagoPayment.objects.select_related("order"), pk=pk)
        if payment.order is None:
            raise Http404
        if request.method == "POST":
            payments.mark_handled(payment, by=request.user)
            messages.success(request, gettext("Mercado Pago payment %(id)s marked as handled.") % {
                "id": payment.payment_id,
            })
            return HttpResponseRedirect(reverse("admin:orders_order_change", args=[payment.order_id]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": gettext("Mark as handled"), "subtitle": None, "order": payment.order,
            "order_url": reverse("admin:orders_order_change", args=[payment.order_id]),
            "refusal": None, "intro": payment.attention_text,
        }
        return TemplateResponse(request, "paymentlinks/admin/confirm.html", context)


@admin.register(PaymentCheck)
class PaymentCheckAdmin(MercadoPagoAdmin):
    list_display = ["created_at", "source", "payment_id", "action", "status", "outcome_display", "attempts"]
    list_filter = ["source", "status", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["payment_id", "request_id"]
    fields = [
        "created_at", "source", "payment_id", "order", "reported_by", "action", "request_id", "body", "status",
        "outcome_display", "attempts", "next_attempt_at", "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("outcome"))
    def outcome_display(self, check):
        return check.outcome_text or "—"
