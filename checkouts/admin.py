"""The staff's checkout screens: the read-only list (the storefront owns the data) and the weekly
recovery rate."""
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from config.admin import ReadOnlyAdmin
from orders.display import money
from storefronts.models import Storefront

from . import services
from .models import Checkout

RATE_WEEKS = (4, 12, 26, 52)


def _datetime(value) -> str:
    return date_format(localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


# Read-only: the storefront reports checkouts and orders recover them.
@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdmin):
    list_display = [
        "external_id", "started_display", "customer_name", "customer_email", "total_display", "status",
        "reminded_display", "recovered_by", "storefront",
    ]
    list_filter = ["status", "storefront", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["external_id", "customer_email", "customer_name"]
    search_help_text = _("Checkout id, customer email or name.")
    list_select_related = ["storefront", "order"]
    show_full_result_count = False
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["external_id", "storefront", "status", "recovered_by"]}),
        (_("Customer"), {"fields": ["customer_name", "customer_email", "customer_phone", "language"]}),
        (_("Cart"), {"fields": ["lines_display", "total_display", "resume_link"]}),
        (_("Dates"), {"fields": ["created_at", "last_activity_at", "reminded_at", "recovered_at", "updated_at"]}),
    ]

    @admin.display(description=_("started at"), ordering="created_at")
    def started_display(self, checkout):
        return _datetime(checkout.created_at)

    @admin.display(description=_("reminded at"), ordering="reminded_at")
    def reminded_display(self, checkout):
        return _datetime(checkout.reminded_at)

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, checkout):
        return money(checkout, checkout.total) if checkout.total is not None else "—"

    @admin.display(description=_("recovered by order"))
    def recovered_by(self, checkout):
        if not checkout.order_id:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[checkout.order_id]), checkout.order.number
        )

    @admin.display(description=_("resume link"))
    def resume_link(self, checkout):
        return format_html('<a href="{0}" target="_blank" rel="noopener noreferrer">{0}</a>', checkout.resume_url)

    @admin.display(description=_("products"))
    def lines_display(self, checkout):
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (line.get("sku", ""), line.get("name", ""), line.get("quantity", ""),
                 money(checkout, line.get("unit_price")))
                for line in checkout.lines or []
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("SKU"), _("product"), _("quantity"), _("unit price"), rows,
        )

    # --- recovery rate -----------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("recovery-rate/", self.admin_site.admin_view(self.recovery_rate_view),
                 name="%s_%s_recovery_rate" % info),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        rate_url = reverse("admin:checkouts_checkout_recovery_rate")
        return super().changelist_view(request, {"recovery_rate_url": rate_url, **(extra_context or {})})

    def recovery_rate_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            weeks = int(request.GET.get("weeks", 12))
        except ValueError:
            weeks = 12
        weeks = weeks if weeks in RATE_WEEKS else 12
        storefronts = list(Storefront.objects.order_by("name").only("id", "name"))
        storefront = next((sf for sf in storefronts if str(sf.pk) == request.GET.get("storefront")), None)
        rows = services.recovery_rate_by_week(weeks=weeks, storefront_id=storefront.pk if storefront else None)
        totals = services.WeekRate(
            week=None,
            started=sum(row.started for row in rows),
            reminded=sum(row.reminded for row in rows),
            recovered=sum(row.recovered for row in rows),
            recovered_after_reminder=sum(row.recovered_after_reminder for row in rows),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Recovery rate per week"),
            "rows": rows,
            "totals": totals,
            "weeks": weeks,
            "week_choices": RATE_WEEKS,
            "storefronts": storefronts,
            "storefront": storefront,
            "delay_minutes": settings.CHECKOUT_RECOVERY_DELAY_MINUTES,
            "changelist_url": reverse("admin:checkouts_checkout_changelist"),
        }
        return TemplateResponse(request, "admin/checkouts/checkout/recovery_rate.html", context)
