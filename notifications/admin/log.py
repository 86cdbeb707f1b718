"""The notification log: every message written to the outbox, read-only, with the resend action."""
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import CappedCountAdmin, ReadOnlyAdmin

from .. import services
from ..kinds import kind_of
from ..models import Notification


@admin.register(Notification)
class NotificationAdmin(CappedCountAdmin, ReadOnlyAdmin):
    # The date filter covers dates: no date hierarchy, which reads every row's date on each page;
    # one count, capped at 10,000 (CappedCountAdmin), not a second one of the whole log.
    list_display = [
        "created_at", "order_link", "what", "channel", "recipient_short", "status_label", "reason_short",
        "attempts", "sent_at", "delivery_status",
    ]
    list_filter = [
        "status", "reason_code", "milestone", "channel", ("created_at", admin.DateFieldListFilter), "delivery_status",
        "rule",
    ]
    search_fields = ["order__number", "checkout__external_id", "recipient"]
    list_select_related = ["order", "checkout", "rule"]
    list_per_page = 50
    actions = ["resend"]
    fields = [
        "order_link", "what", "channel", "fallback_for", "recipient", "status", "reason_text", "attempts",
        "next_attempt_at", "provider_message_id", "language", "subject", "body", "created_at", "sent_at",
        "delivery_status", "delivery_status_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("order or checkout"), ordering="order__number")
    def order_link(self, obj):
        return kind_of(obj).admin_about(obj)

    @admin.display(description=_("milestone or rule"), ordering="milestone")
    def what(self, obj):
        return kind_of(obj).admin_label(obj)

    @admin.display(description=_("recipient"), ordering="recipient")
    def recipient_short(self, obj):
        return obj.recipient if len(obj.recipient) <= 40 else obj.recipient[:38] + "…"

    # The reason is stored as a code (with a detail) and told in the reader's language.
    @admin.display(description=_("reason"), ordering="reason_code")
    def reason_short(self, obj):
        reason = obj.reason
        return reason if len(reason) <= 80 else reason[:78] + "…"

    @admin.display(description=_("reason"))
    def reason_text(self, obj):
        return obj.reason

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        colours = {"sent": "#2e7d32", "failed": "#c62828", "skipped": "#757575", "queued": "#1565c0"}
        return format_html('<strong style="color:{}">{}</strong>', colours.get(obj.status, "inherit"),
                           obj.get_status_display())

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.resend_notification")

    @admin.action(description=_("Resend the selected failed notifications (SMS cost credits again)"),
                  permissions=["resend"])
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=Notification.Status.FAILED).values_list("pk", flat=True))
        count = services.resend(failed)
        ignored = queryset.count() - count
        if count:
            self.message_user(request, ngettext(
                "%(count)d notification queued again.", "%(count)d notifications queued again.", count
            ) % {"count": count}, messages.SUCCESS)
        if ignored:
            self.message_user(request, ngettext(
                "%(count)d selected notification was not failed and was left alone.",
                "%(count)d selected notifications were not failed and were left alone.", ignored,
            ) % {"count": ignored}, messages.WARNING)
