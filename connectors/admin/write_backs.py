"""Tracking write-backs: what was sent to the platforms, each attempt, and *Send again*."""
from django.contrib import admin, messages
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import ReadOnlyAdmin
from outbox.admin import AttemptInline

from ..models import WriteBack, WriteBackAttempt
from ..services import write_back
from .events import COLOURS, order_link


class WriteBackAttemptInline(AttemptInline):
    model = WriteBackAttempt


@admin.register(WriteBack)
class WriteBackAdmin(ReadOnlyAdmin):
    list_display = ["created_display", "order_display", "account", "move", "tracking_code", "status_display",
                    "attempts", "error"]
    list_filter = ["status", "move", "account"]
    search_fields = ["order__number", "tracking_code", "platform_order_id"]
    list_select_related = ["order", "account__storefront"]
    fields = ["account", "order_display", "platform_order_id", "move", "carrier_name", "tracking_code",
              "tracking_url", "status_display", "attempts", "error", "response_status", "response_body",
              "created_at", "last_attempt_at", "delivered_at"]
    readonly_fields = fields
    inlines = [WriteBackAttemptInline]
    actions = ["send_again"]

    def has_resend_permission(self, request):
        return request.user.has_perm("connectors.resend_writeback")

    @admin.display(description=_("created"), ordering="created_at")
    def created_display(self, row):
        return formats.date_format(timezone.localtime(row.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("order"))
    def order_display(self, row):
        return order_link(row.order)

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, row):
        return format_html('<strong style="color:{}">{}</strong>', COLOURS.get(row.status, "inherit"),
                           row.get_status_display())

    @admin.action(description=_("Send again"), permissions=["resend"])
    def send_again(self, request, queryset):
        count = write_back.resend(queryset.values_list("pk", flat=True))
        messages.info(request, ngettext("%(count)s write-back queued again.", "%(count)s write-backs queued again.",
                                        count) % {"count": count})
