"""Platform orders and the events that brought them: read-only, with what happened to each and,
for what needs the staff, why (an order no rule maps, a refused token) and a way to try again."""
import json

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import ReadOnlyAdmin

from ..models import OrderLink, PlatformEvent
from ..services import processing

COLOURS = {"done": "#2e7d32", "delivered": "#2e7d32", "held": "#c62828", "failed": "#c62828", "queued": "#1565c0"}


def order_link(order):
    if order is None:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[order.pk]), order.number)


class NeedsAttention(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(problem="")
        if self.value() == "no":
            return queryset.filter(problem="")
        return queryset


@admin.register(OrderLink)
class OrderLinkAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "account", "order_number", "problem_display", "platform_updated_at", "created_at"]
    list_filter = [NeedsAttention, "account"]
    search_fields = ["platform_order_id", "platform_number", "order__number"]
    list_select_related = ["account__storefront", "order"]
    fields = ["account", "platform_order_id", "platform_number", "order_number", "problem", "platform_updated_at",
              "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("order"))
    def order_number(self, link):
        return order_link(link.order)

    @admin.display(description=_("why it is not recorded"))
    def problem_display(self, link):
        return format_html('<span style="color:var(--error-fg)">⚠ {}</span>', link.problem) if link.problem else "—"


@admin.register(PlatformEvent)
class PlatformEventAdmin(ReadOnlyAdmin):
    list_display = ["created_display", "account", "topic", "resource_id", "status_display", "message_short",
                    "order_display"]
    list_filter = ["status", "topic", "account"]
    search_fields = ["resource_id", "event_id", "link__platform_number", "link__order__number"]
    list_select_related = ["account__storefront", "link__order"]
    fields = ["account", "topic", "resource_id", "event_id", "status_display", "message", "order_display",
              "attempts", "created_at", "processed_at", "body_display"]
    readonly_fields = fields
    actions = ["try_again", "mark_handled"]
    show_full_result_count = False

    def has_retry_permission(self, request):
        return request.user.has_perm("connectors.change_platformevent")

    @admin.display(description=_("received"), ordering="created_at")
    def created_display(self, event):
        return formats.date_format(timezone.localtime(event.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, event):
        return format_html('<strong style="color:{}">{}</strong>', COLOURS.get(event.status, "inherit"),
                           event.get_status_display())

    @admin.display(description=_("outcome"))
    def message_short(self, event):
        return event.message if len(event.message) <= 160 else event.message[:158] + "…"

    @admin.display(description=_("order"))
    def order_display(self, event):
        return order_link(event.link.order if event.link_id else None)

    @admin.display(description=_("body"))
    def body_display(self, event):
        if not event.body:
            return "—"
        try:
            text = json.dumps(json.loads(event.body), indent=2, ensure_ascii=False)
        except ValueError:
            text = event.body
        return format_html('<pre style="white-space:pre-wrap;max-height:30em;overflow:auto">{}</pre>', text)

    @admin.action(description=_("Try again"), permissions=["retry"])
    def try_again(self, request, queryset):
        ids = list(queryset.filter(status__in=[PlatformEvent.Status.HELD, PlatformEvent.Status.FAILED])
                   .values_list("pk", flat=True))
        count = processing.retry(ids)
        messages.info(request, ngettext("%(count)s event is processed again.", "%(count)s events are processed again.",
                                        count) % {"count": count})

    @admin.action(description=_("Mark as handled"), permissions=["retry"])
    def mark_handled(self, request, queryset):
        count = processing.dismiss(queryset.values_list("pk", flat=True))
        messages.info(request, ngettext("%(count)s event marked as handled.", "%(count)s events marked as handled.",
                                        count) % {"count": count})
        if not count:
            messages.warning(request, gettext("Only events that need you can be marked as handled."))
