"""The staff's order screens: the list, the order page with its move buttons, the printable sheet.

Status and payment status change only through orders/services.py: the order page shows them
read-only and offers a button per move (see orders/admin_views.py).
"""
import re

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as delete_selected_confirmed
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from . import admin_views, page_sections, services
from .forms import BulkCustomStatusForm
from .models import (
    CUSTOM_STATUS_TYPE_ORDER,
    CustomStatus,
    FulfillmentMethod,
    Order,
    OrderCustomStatus,
    OrderEvent,
    OrderLine,
    Payment,
    Status,
)
from .services import CustomStatusNotFound, TransitionNotAllowed


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
        return admin_views.money(line.order, line.unit_price)

    @admin.display(description=_("line total"))
    def line_total_display(self, line):
        return admin_views.money(line.order, line.line_total)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order")


class PaymentInline(ReadOnlyInline):
    model = Payment
    verbose_name_plural = _("Payments")
    fields = ["created_at", "amount_display", "reference", "proof_link", "recorded_by_label"]
    readonly_fields = fields

    @admin.display(description=_("amount"))
    def amount_display(self, payment):
        return admin_views.money(payment.order, payment.amount)

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
        return admin_views.person_label(payment.recorded_by)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order", "recorded_by__storefront")


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    verbose_name_plural = _("Timeline")
    fields = ["created_at", "kind", "actor_display", "change_display", "note"]
    readonly_fields = fields

    @admin.display(description=_("by"))
    def actor_display(self, event):
        return admin_views.person_label(event.actor)

    @admin.display(description=_("status"))
    def change_display(self, event):
        if event.kind == OrderEvent.Kind.CUSTOM_STATUS:
            return admin_views.custom_status_change(event, admin_views.custom_status_names(self._request))
        if event.from_status and event.to_status:
            return f"{admin_views.status_label(event.from_status)} → {admin_views.status_label(event.to_status)}"
        return admin_views.status_label(event.to_status)

    def get_queryset(self, request):
        self._request = request  # inline instances are made per request
        return super().get_queryset(request).select_related("actor__storefront")


# A cancelled order gave its units back to the stock: it owes nothing, staff have nothing to act on.
STILL_OVERSOLD = ~Q(oversold_skus=[]) & ~Q(status=Status.CANCELLED)


class OversoldFilter(admin.SimpleListFilter):
    """Orders that took a tracked SKU below zero (the inventory app writes `oversold_skus`)."""

    title = _("oversold")
    parameter_name = "oversold"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(STILL_OVERSOLD)
        if self.value() == "no":
            return queryset.exclude(STILL_OVERSOLD)
        return queryset


class OrderChangeList(ChangeList):
    def get_queryset(self, request, *args, **kwargs):
        # The custom statuses of a whole page come in one more query, whatever its size.
        return super().get_queryset(request, *args, **kwargs).with_custom_statuses()


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "number", "created_display", "customer_name", "city", "total_display", "payment_method",
        "payment_status", "status", "custom_statuses_display", "next_step",
        "oversold_display",
    ]
    list_filter = [
        "status", "payment_status", "payment_method", "fulfillment_method",
        ("created_at", admin.DateFieldListFilter), "storefront", "carrier", OversoldFilter,
    ]
    search_fields = ["number", "customer_name", "customer_email", "customer_phone", "tracking_code", "external_id"]
    search_help_text = _("Order number, customer name, email or phone, or tracking code.")
    # The date filter covers dates; a date hierarchy would add two queries (and a DISTINCT over
    # every order) to each page load.
    show_full_result_count = False
    list_per_page = 50
    actions = ["accept_selected", "start_preparation_selected", "set_custom_status_selected"]
    inlines = [OrderLineInline, PaymentInline, OrderEventInline]
    # Staff may correct how to reach the customer (name, email, phone, language, city, address,
    # pickup point); everything else comes from the storefront or changes through a move.
    readonly_fields = [
        "number", "created_at", "updated_at", "status", "payment_status", "next_step", "storefront",
        "external_id", "customer_page", "fulfillment_method", "carrier", "tracking_code", "carrier_tracking_link",
        "customer_tracking_link", "tracking_clicks", "tracking_first_clicked_at", "tracking_last_clicked_at",
        "payment_method", "lines_total_display", "shipping_cost_display", "total_display", "paid_display",
        "due_display",
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

    @admin.display(description=_("date"), ordering="created_at")
    def created_display(self, order):
        return date_format(localtime(order.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, order):
        return admin_views.money(order, order.total)

    @admin.display(description=_("next step"))
    def next_step(self, order):
        action = services.next_action(order)
        return action.label if action else "—"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        extra = Q()
        digits = re.sub(r"[\s\-().+]", "", term)
        if len(digits) >= 6 and digits.isdigit():
            # Phones are stored as +5491155551234; staff type "11 5555-1234".
            extra |= Q(customer_phone__contains=digits)
        compact = re.sub(r"[\s\-]", "", term).upper()
        if compact and compact != term.upper():
            # Tracking codes are stored without spaces or dashes, order numbers with one dash.
            extra |= Q(tracking_code=compact)
        if len(compact) == 8 and compact.isalnum():
            extra |= Q(number=f"{compact[:4]}-{compact[4:]}")
        if extra:
            results = results | queryset.filter(extra)
        return results, may_have_duplicates

    # --- bulk actions ------------------------------------------------------------------------

    def has_accept_permission(self, request):
        return request.user.has_perm("orders.accept_order")

    def has_prepare_permission(self, request):
        return request.user.has_perm("orders.prepare_order")

    def _bulk_move(self, request, queryset, move_name, report_moved) -> None:
        """Make the move on each selected order; report what moved and, order by order, what was
        refused and why. `report_moved(count)` gives the success message's text."""
        moved, refused = [], []
        for order in queryset.order_by("created_at", "id"):
            try:
                getattr(services, move_name)(order, by=request.user)
            except TransitionNotAllowed as error:
                refused.append((order.number, str(error)))
            except ValidationError as error:
                refused.append((order.number, " ".join(error.messages)))
            else:
                moved.append(order.number)
        if moved:
            self.message_user(
                request, report_moved(len(moved)) % {"count": len(moved), "numbers": ", ".join(moved)},
                messages.SUCCESS,
            )
        for number, reason in refused:
            self.message_user(request, f"{number}: {reason}", messages.WARNING)

    @admin.action(description=_("Accept the selected orders"), permissions=["accept"])
    def accept_selected(self, request, queryset):
        self._bulk_move(request, queryset, "accept", lambda count: ngettext(
            "%(count)d order accepted: %(numbers)s.", "%(count)d orders accepted: %(numbers)s.", count,
        ))

    def has_set_custom_status_permission(self, request):
        return request.user.has_perm(admin_views.CUSTOM_STATUS_PERMISSION)

    @admin.action(description=_("Set a custom status"), permissions=["set_custom_status"])
    def set_custom_status_selected(self, request, queryset):
        """An intermediate page chooses the status; then each order gets it, and each refusal is reported."""
        statuses = sorted(
            CustomStatus.objects.filter(active=True),
            key=lambda status: (CUSTOM_STATUS_TYPE_ORDER[status.type], status.position, status.pk),
        )
        form = BulkCustomStatusForm(request.POST if "apply" in request.POST else None, statuses=statuses)
        if "apply" in request.POST and form.is_valid():
            self._bulk_set_custom_status(
                request, queryset, form.cleaned_data["status"], form.cleaned_data["notify_customer"]
            )
            return None
        orders = list(queryset.order_by("created_at", "id"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Set a custom status"),
            "subtitle": None,
            "form": form,
            "orders": orders,
            "action": "set_custom_status_selected",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/orders/order/set_custom_status.html", context)

    def _bulk_set_custom_status(self, request, queryset, status: CustomStatus, notify_customer: bool) -> None:
        had_it = set(
            OrderCustomStatus.objects.filter(order__in=queryset, status=status).values_list("order_id", flat=True)
        )
        changed, unchanged, refused = [], [], []
        for order in queryset.order_by("created_at", "id"):
            if order.pk in had_it:
                unchanged.append(order.number)
                continue
            try:
                services.set_custom_status(
                    order, by=request.user, status_type=status.type, code=status.code,
                    notify_customer=notify_customer,
                )
            except (TransitionNotAllowed, CustomStatusNotFound) as error:
                refused.append((order.number, str(error)))
            else:
                changed.append(order.number)
        values = {"status": status.label, "numbers": ", ".join(changed), "count": len(changed)}
        if changed:
            self.message_user(request, ngettext(
                "%(count)d order now has the status “%(status)s”: %(numbers)s.",
                "%(count)d orders now have the status “%(status)s”: %(numbers)s.",
                len(changed),
            ) % values, messages.SUCCESS)
        if unchanged:
            self.message_user(request, ngettext(
                "%(numbers)s already had the status “%(status)s”.",
                "%(numbers)s already had the status “%(status)s”.",
                len(unchanged),
            ) % {**values, "numbers": ", ".join(unchanged)}, messages.INFO)
        for number, reason in refused:
            self.message_user(request, f"{number}: {reason}", messages.WARNING)

    @admin.action(description=_("Start preparing the selected orders"), permissions=["prepare"])
    def start_preparation_selected(self, request, queryset):
        self._bulk_move(request, queryset, "start_preparation", lambda count: ngettext(
            "%(count)d order in preparation: %(numbers)s.", "%(count)d orders in preparation: %(numbers)s.", count,
        ))

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
                "customer_name", "customer_email", "customer_phone", "language", "customer_page",
            ]}),
            (_("Delivery") if obj is None or obj.fulfillment_method == FulfillmentMethod.CARRIER else _("Pickup"),
             {"fields": delivery}),
        ]
        if obj is None or obj.fulfillment_method == FulfillmentMethod.CARRIER or obj.tracking_code:
            fieldsets.append((_("Shipment and tracking"), {"fields": [
                ("carrier", "tracking_code"), "carrier_tracking_link", "customer_tracking_link",
                ("tracking_clicks", "tracking_first_clicked_at", "tracking_last_clicked_at"),
            ]}))
        fieldsets.append((_("Payment and totals"), {"fields": [
            "payment_method", ("lines_total_display", "shipping_cost_display", "total_display"),
            ("paid_display", "due_display"),
        ]}))
        return fieldsets

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
        return admin_views.money(order, order.lines_total)

    @admin.display(description=_("shipping"))
    def shipping_cost_display(self, order):
        return admin_views.money(order, order.shipping_cost)

    @admin.display(description=_("paid"))
    def paid_display(self, order):
        return admin_views.money(order, admin_views.paid_amount(order))

    @admin.display(description=_("due"))
    def due_display(self, order):
        return admin_views.money(order, max(order.total - admin_views.paid_amount(order), 0))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if order is not None:
            extra_context["order_buttons"] = admin_views.order_buttons(request, order)
            extra_context["custom_status_rows"] = admin_views.custom_status_rows(request, order)
            extra_context["sheet_url"] = reverse("admin:orders_order_sheet", args=[order.pk])
            extra_context["page_sections"] = page_sections.render(request, order)
            action = services.next_action(order)
            extra_context["next_step"] = action.label if action else None
        return super().change_view(request, object_id, form_url, extra_context)

    # --- extra pages under the order's admin address --------------------------------------------

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
            path("<path:object_id>/sheet/", wrap(self.sheet_view), name="orders_order_sheet"),
            path(
                "<path:object_id>/payments/<int:payment_id>/proof/",
                wrap(self.payment_proof_view),
                name="orders_order_payment_proof",
            ),
            *super().get_urls(),
        ]

    def move_view(self, request, object_id, move_name):
        return admin_views.move_view(self, request, object_id, move_name)

    def payment_view(self, request, object_id):
        return admin_views.payment_view(self, request, object_id)

    def custom_status_view(self, request, object_id, status_type):
        return admin_views.custom_status_view(self, request, object_id, status_type)

    def sheet_view(self, request, object_id):
        return admin_views.sheet_view(self, request, object_id)

    def payment_proof_view(self, request, object_id, payment_id):
        """Proofs are served to staff who may see the order, never from a public address."""
        order = self.get_object(request, unquote(object_id))
        if order is None:
            raise Http404
        if not self.has_view_or_change_permission(request, order):
            raise PermissionDenied
        payment = order.payments.filter(pk=payment_id).first()
        if payment is None or not payment.proof:
            raise Http404(gettext("This payment has no proof attached."))
        try:
            stored = payment.proof.open("rb")
        except FileNotFoundError:
            raise Http404(gettext("This payment has no proof attached.")) from None
        return FileResponse(stored, filename=payment.proof_download_name)


@admin.register(CustomStatus)
class CustomStatusAdmin(admin.ModelAdmin):
    """Staff name, reorder, add and deactivate custom statuses; one that orders used is never deleted."""

    list_display = [
        "label_display", "type", "code", "position", "include_in_analytics", "active", "orders_now",
    ]
    list_display_links = ["label_display"]
    list_editable = ["position", "include_in_analytics", "active"]
    list_filter = ["type", "active", "include_in_analytics"]
    search_fields = ["code", "name_en", "name_es", "name_pt_br"]
    ordering = ["type", "position", "id"]
    fields = [
        "type", "code", "name_es", "name_pt_br", "name_en", "position", "include_in_analytics", "active", "usage",
    ]
    actions = ["delete_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(orders_now=Count("order_statuses"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_used():
            # Integrations and the orders' timelines refer to it by type and code.
            return ["type", "code", "usage"]
        return ["usage"]

    @admin.display(description=_("name"), ordering="name_es")
    def label_display(self, status):
        return status.label

    @admin.display(description=_("orders with it now"), ordering="orders_now")
    def orders_now(self, status):
        return status.orders_now

    @admin.display(description=_("use"))
    def usage(self, status):
        if status.pk is None or not status.is_used():
            return gettext("No order has used this status yet: it can still be deleted.")
        return self.used_sentence(status)

    @staticmethod
    def used_sentence(status) -> str:
        count = status.order_statuses.count()
        return ngettext(
            "“%(name)s” is the current status of %(count)d order and is kept in order timelines: it cannot be "
            "deleted. Deactivate it to stop its use.",
            "“%(name)s” is the current status of %(count)d orders and is kept in order timelines: it cannot be "
            "deleted. Deactivate it to stop its use.",
            count,
        ) % {"name": status.label, "count": count}

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_used():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Delete the selected custom statuses"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        used = [status for status in queryset if status.is_used()]
        if used:
            for status in used:
                self.message_user(request, self.used_sentence(status), messages.ERROR)
            return None
        return delete_selected_confirmed(self, request, queryset)
