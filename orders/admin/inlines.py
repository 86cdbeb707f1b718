"""The order page's read-only tables: its products, its payments, its refunds and its timeline."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..display import money, person_label
from ..models import Order, OrderEvent, OrderLine, Payment, Refund
from .display import custom_status_change, custom_status_names, status_label


class ReadOnlyInline(admin.TabularInline):
    """A read-only table on the order page, visible to whoever may see the order."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        opts = Order._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    verbose_name_plural = _("Products")
    fields = ["sku", "name", "quantity", "unit_price_display", "line_total_display"]
    readonly_fields = fields

    @admin.display(description=_("unit price"))
    def unit_price_display(self, line):
        return money(line.order, line.unit_price)

    @admin.display(description=_("line total"))
    def line_total_display(self, line):
        return money(line.order, line.line_total)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order")


class PaymentInline(ReadOnlyInline):
    model = Payment
    verbose_name_plural = _("Payments")
    fields = ["created_at", "amount_display", "reference", "proof_link", "recorded_by_label"]
    readonly_fields = fields

    @admin.display(description=_("amount"))
    def amount_display(self, payment):
        return money(payment.order, payment.amount)

    @admin.display(description=_("proof of payment"))
    def proof_link(self, payment):
        if not payment.proof:
            return "—"
        url = reverse("admin:orders_order_payment_proof", args=[payment.order_id, payment.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, payment.proof_download_name
        )

    @admin.display(description=_("recorded by"))
    def recorded_by_label(self, payment):
        return person_label(payment.recorded_by)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order", "recorded_by__storefront")


class RefundInline(ReadOnlyInline):
    model = Refund
    verbose_name_plural = _("Refunds")
    fields = ["created_at", "amount_display", "reference", "note", "recorded_by_label"]
    readonly_fields = fields

    @admin.display(description=_("amount"))
    def amount_display(self, refund):
        return money(refund.order, refund.amount)

    @admin.display(description=_("recorded by"))
    def recorded_by_label(self, refund):
        return person_label(refund.recorded_by)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order", "recorded_by__storefront")


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    verbose_name_plural = _("Timeline")
    fields = ["created_at", "kind", "actor_display", "change_display", "note"]
    readonly_fields = fields

    @admin.display(description=_("by"))
    def actor_display(self, event):
        return person_label(event.actor)

    @admin.display(description=_("status"))
    def change_display(self, event):
        if event.kind == OrderEvent.Kind.CUSTOM_STATUS:
            return custom_status_change(event, custom_status_names(self._request))
        if event.from_status and event.to_status:
            return f"{status_label(event.from_status)} → {status_label(event.to_status)}"
        return status_label(event.to_status)

    def get_queryset(self, request):
        self._request = request  # inline instances are made per request
        return super().get_queryset(request).select_related("actor__storefront")
