"""The order admin: the list (columns, search, filters, bulk actions) and the order page (fields,
read-only tables, move buttons, custom statuses), with its extra pages wired in get_urls."""
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ORDER_VAR
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy as _

from .. import page_sections, services
from ..display import money
from config.admin import CappedCountAdmin, CappedCountChangeList

from ..models import FulfillmentMethod, Order, Status
from .actions import BulkActions
from .custom_statuses import CustomStatusViews, custom_status_rows
from .display import paid_amount, refunded_amount
from .filters import OversoldFilter
from .inlines import OrderEventInline, OrderLineInline, PaymentInline, RefundInline
from . import search
from .moves import MoveViews, order_buttons
from .refunds import RefundViews
from .sheet import SheetViews


class OrderChangeList(CappedCountChangeList):
    def get_queryset(self, request, *args, **kwargs):
        # The custom statuses of a whole page come in one more query, whatever its size.
        return super().get_queryset(request, *args, **kwargs).with_custom_statuses()

    def get_results(self, request):
        # The list shows neither the carrier nor the storefront (the order page does: get_queryset).
        self.queryset = self.queryset.select_related(None)
        super().get_results(request)

    def get_ordering(self, request, queryset):
        """Sorted by a column, ties go newest or oldest first as the column goes (the admin's own
        tie-break is always -pk), so one (column, created_at, id) index serves both directions."""
        ordering = super().get_ordering(request, queryset)
        if ORDER_VAR not in self.params or not ordering or not isinstance(ordering[0], str):
            return ordering
        chosen = [field for field in ordering if field not in ("pk", "-pk", "id", "-id")]
        sign = "-" if ordering[0].startswith("-") else ""
        ties = [f"{sign}{name}" for name in ("created_at", "id") if not {name, f"-{name}"} & set(chosen)]
        return [*chosen, *ties]


@admin.register(Order)
class OrderAdmin(BulkActions, MoveViews, RefundViews, CustomStatusViews, SheetViews, CappedCountAdmin):
    """Orders are read and moved here, never added or deleted. The bulk actions and the pages under
    an order's address are methods mixed in from actions.py, moves.py, refunds.py, custom_statuses.py
    and sheet.py."""

    # Eleven columns fit 1366 px beside the filters: the city under the customer, the payment status
    # under its method.
    list_display = [
        "number", "created_display", "customer_display", "total_display", "payment_display", "status",
        "custom_statuses_display", "next_step", "oversold_display",
    ]
    list_filter = [
        "status", "payment_status", "payment_method", "fulfillment_method",
        ("created_at", admin.DateFieldListFilter), "storefront", "carrier", OversoldFilter,
    ]
    search_fields = ["number", "customer_name", "customer_email", "customer_phone", "tracking_code", "external_id"]
    search_help_text = _("Order number, customer name, email or phone, or tracking code.")
    list_defer = ["customer_phone", "address", "pickup_point"]
    # The date filter covers dates; a date hierarchy would add two queries (and a DISTINCT over
    # every order) to each page load. The count stops at 10,000 (CappedCountAdmin: "10,000+").
    list_per_page = 50
    actions = ["accept_selected", "start_preparation_selected", "set_custom_status_selected"]
    inlines = [OrderLineInline, PaymentInline, RefundInline, OrderEventInline]
    # Staff may correct how to reach the customer (name, email, phone, language, city, address,
    # pickup point); everything else comes from the storefront or changes through a move.
    readonly_fields = [
        "number", "created_at", "updated_at", "status", "payment_status", "next_step", "storefront",
        "external_id", "customer_page", "fulfillment_method", "carrier", "tracking_code", "carrier_tracking_link",
        "customer_tracking_link", "tracking_clicks", "tracking_first_clicked_at", "tracking_last_clicked_at",
        "payment_method", "lines_total_display", "shipping_cost_display", "total_display", "paid_display",
        "due_display", "refunded_display", "whatsapp_consent",
    ]

    # --- list --------------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("carrier", "storefront")

    def get_changelist(self, request, **kwargs):
        return OrderChangeList

    @admin.display(description=_("custom statuses"))
    def custom_statuses_display(self, order):
        current = order.current_custom_statuses
        if not current:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}: {}", ((status.get_type_display(), status.label) for status in current.values())
        )

    @admin.display(description=_("oversold"))
    def oversold_display(self, order):
        if not order.oversold_skus or order.status == Status.CANCELLED:
            return ""
        return format_html(
            '<span title="{}">⚠ {}</span>', gettext("Sold without stock: check these SKUs before preparing."),
            ", ".join(order.oversold_skus),
        )

    @admin.display(description=_("Customer"), ordering="customer_name")
    def customer_display(self, order):
        return format_html('{}<br><span class="quiet">{}</span>', order.customer_name, order.city)

    @admin.display(description=_("Payment"), ordering="payment_status")
    def payment_display(self, order):
        return format_html(
            '{}<br><span class="quiet">{}</span>', order.get_payment_method_display(), order.get_payment_status_display()
        )

    @admin.display(description=_("date"), ordering="created_at")
    def created_display(self, order):
        return date_format(localtime(order.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, order):
        return money(order, order.total)

    @admin.display(description=_("next step"))
    def next_step(self, order):
        action = services.next_action(order)
        if action is None:
            return "—"
        if action.code == "await_payment":
            # How long the customer has been asked to pay (and whether the one reminder went out).
            since = date_format(localtime(order.created_at), "SHORT_DATETIME_FORMAT")
            text = gettext("Waiting for payment since %(date)s") % {"date": since}
            if order.payment_reminded_at:
                text += " · " + gettext("reminded")
            return text
        return str(action.label)  # text once (the admin compares a lazy one with each empty value first)

    def get_search_results(self, request, queryset, search_term):
        # Not the admin's own (icontains over every field, which no index serves): see search.py.
        found = search.matching(search_term)
        return (queryset if found is None else queryset.filter(found)), False

    # --- order page --------------------------------------------------------------------------

    def view_on_site(self, order):
        # "View on site" opens the customer's own order page.
        return order.get_timeline_url()

    def has_add_permission(self, request):
        # Orders come from the storefronts (orders.services.place_order), never typed in here.
        return False

    def has_delete_permission(self, request, obj=None):
        # Orders are records: cancel them instead.
        return False

    def get_inline_instances(self, request, obj=None):
        # The refunds table only on an order that has some.
        instances = super().get_inline_instances(request, obj)
        if obj is None or not obj.has_refunds:
            instances = [inline for inline in instances if not isinstance(inline, RefundInline)]
        return instances

    def get_fieldsets(self, request, obj=None):
        delivery = ["fulfillment_method", "city"]
        if obj is None or obj.fulfillment_method != FulfillmentMethod.PICKUP:
            delivery.append("address")
        if obj is None or obj.fulfillment_method != FulfillmentMethod.CARRIER:
            delivery.append("pickup_point")
        fieldsets = [
            (None, {"fields": [
                ("number", "created_at"), ("status", "payment_status"), "next_step", ("storefront", "external_id"),
            ]}),
            (_("Customer"), {"fields": [
                "customer_name", "customer_email", "customer_phone", "language", "whatsapp_consent", "customer_page",
            ]}),
            (_("Delivery") if obj is None or obj.fulfillment_method == FulfillmentMethod.CARRIER else _("Pickup"),
             {"fields": delivery}),
        ]
        if obj is None or obj.fulfillment_method == FulfillmentMethod.CARRIER or obj.tracking_code:
            fieldsets.append((_("Shipment and tracking"), {"fields": [
                ("carrier", "tracking_code"), "carrier_tracking_link", "customer_tracking_link",
                ("tracking_clicks", "tracking_first_clicked_at", "tracking_last_clicked_at"),
            ]}))
        money_in = ("paid_display", "due_display", "refunded_display") if obj and obj.has_refunds else (
            "paid_display", "due_display"
        )
        fieldsets.append((_("Payment and totals"), {"fields": [
            "payment_method", ("lines_total_display", "shipping_cost_display", "total_display"), money_in,
        ]}))
        return fieldsets

    @admin.display(description=_("WhatsApp updates"))
    def whatsapp_consent(self, order):
        """Whether the customer opted in to WhatsApp, where and when they answered."""
        if not order.whatsapp_opt_in_source:
            return _("No answer: no WhatsApp messages")
        words = _("Opted in") if order.whatsapp_opt_in else _("Opted out")
        when = date_format(localtime(order.whatsapp_opt_in_at), "DATETIME_FORMAT")
        return f"{words} · {order.get_whatsapp_opt_in_source_display()} · {when}"

    @admin.display(description=_("customer's order page"))
    def customer_page(self, order):
        url = order.get_timeline_url()
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description=_("carrier's tracking page"))
    def carrier_tracking_link(self, order):
        url = order.tracking_url
        if not url:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, url)

    @admin.display(description=_("tracking link sent to the customer"))
    def customer_tracking_link(self, order):
        url = order.get_tracking_redirect_url()
        if not url:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description=_("products"))
    def lines_total_display(self, order):
        return money(order, order.lines_total)

    @admin.display(description=_("shipping"))
    def shipping_cost_display(self, order):
        return money(order, order.shipping_cost)

    @admin.display(description=_("paid"))
    def paid_display(self, order):
        return money(order, paid_amount(order))

    @admin.display(description=_("due"))
    def due_display(self, order):
        return money(order, max(order.total - paid_amount(order), 0))

    @admin.display(description=_("refunded"))
    def refunded_display(self, order):
        return money(order, refunded_amount(order))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if order is not None:
            extra_context["order_buttons"] = order_buttons(request, order)
            extra_context["custom_status_rows"] = custom_status_rows(request, order)
            extra_context["sheet_url"] = reverse("admin:orders_order_sheet", args=[order.pk])
            extra_context["page_sections"] = page_sections.render(request, order)
            action = services.next_action(order)
            extra_context["next_step"] = action.label if action else None
        return super().change_view(request, object_id, form_url, extra_context)

    # --- extra pages under the order's admin address (the views of the mixins) ------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/move/<slug:move_name>/", wrap(self.move_view), name="orders_order_move"),
            # Before "<path:object_id>/payment/", which would swallow ".../custom-status/payment/".
            path(
                "<path:object_id>/custom-status/<slug:status_type>/",
                wrap(self.custom_status_view),
                name="orders_order_custom_status",
            ),
            path("<path:object_id>/payment/", wrap(self.payment_view), name="orders_order_payment"),
            path("<path:object_id>/refund/", wrap(self.refund_view), name="orders_order_refund"),
            path("<path:object_id>/sheet/", wrap(self.sheet_view), name="orders_order_sheet"),
            path(
                "<path:object_id>/payments/<int:payment_id>/proof/",
                wrap(self.payment_proof_view),
                name="orders_order_payment_proof",
            ),
            *super().get_urls(),
        ]
