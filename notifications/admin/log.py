"""The notification log: every message written to the outbox, read-only, with resending (resend.py)."""
from django.contrib import admin
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from config.admin import CappedCountAdmin, ReadOnlyAdmin

from ..kinds import kind_of, registered_kinds
from ..models import LOG_MILESTONE_CHOICES, Notification
from .resend import ResendViews


# Sent and on: shades of green as the provider reports it further; failures red.
STATUS_COLOURS = {
    "queued": "#1565c0", "sent": "#2e7d32", "delivered": "#1b5e20", "read": "#0d47a1",
    "undelivered": "#c62828", "failed": "#c62828", "skipped": "#757575",
}


def status_label(obj: Notification):
    """The row's status in its colour, with "marked as spam" when the recipient did (the log and the order page)."""
    label = format_html('<strong style="color:{}">{}</strong>', STATUS_COLOURS.get(obj.status, "inherit"),
                        obj.get_status_display())
    if obj.complained_at:
        label = format_html('{} · <span style="color:#c62828">{}</span>', label, _("marked as spam"))
    return label


class WhatFilter(admin.SimpleListFilter):
    """By milestone, rule, or a kind of message an app registered (its own label)."""

    title = _("milestone")
    parameter_name = "milestone__exact"

    def lookups(self, request, model_admin):
        return [*LOG_MILESTONE_CHOICES, *((code, kind.verbose_name) for code, kind in registered_kinds().items())]

    def queryset(self, request, queryset):
        return queryset.filter(milestone=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(ResendViews, CappedCountAdmin, ReadOnlyAdmin):
    # The date filter covers dates: no date hierarchy, which reads every row's date on each page;
    # one count, capped at 10,000 (CappedCountAdmin), not a second one of the whole log.
    # What fits 1366 px beside the filters, the status and the reason in view; the page has the rest.
    list_display = [
        "created_short", "order_link", "what", "channel", "recipient_short", "status_label", "reason_short",
        "attempts",
    ]
    list_filter = [
        "status", "reason_code", WhatFilter, "channel", ("created_at", admin.DateFieldListFilter),
        ("complained_at", admin.EmptyFieldListFilter), "rule",
    ]
    search_fields = ["order__number", "checkout__external_id", "recipient"]
    list_select_related = ["order", "checkout", "rule"]
    # The rows show the order's number, the checkout's id and the rule's name of what they join.
    list_defer = [
        "body", "order__customer_phone", "order__address", "order__pickup_point", "checkout__customer_phone",
        "checkout__lines",
    ]
    list_per_page = 50
    actions = ["resend"]
    fields = [
        "order_link", "what", "channel", "fallback_for", "recipient", "status", "reason_text", "attempts",
        "next_attempt_at", "provider_message_id", "language", "subject", "body", "created_at", "sent_at",
        "reported_at", "complained_at", "resent_from_link", "resends_links",
    ]
    readonly_fields = fields

    @admin.display(description=_("order or checkout"), ordering="order__number")
    def order_link(self, obj):
        return kind_of(obj).admin_about(obj)

    @admin.display(description=_("milestone or rule"), ordering="milestone")
    def what(self, obj):
        return kind_of(obj).admin_label(obj)

    @admin.display(description=_("created at"), ordering="created_at")
    def created_short(self, obj):
        return date_format(localtime(obj.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("recipient"), ordering="recipient")
    def recipient_short(self, obj):
        return obj.recipient if len(obj.recipient) <= 28 else obj.recipient[:26] + "…"

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
        return status_label(obj)

    @admin.action(description=_("Resend the selected notifications (a new message each; SMS cost credits "
                                "again)"), permissions=["resend"])
    def resend(self, request, queryset):
        return self.resend_selected(request, queryset)

    def get_urls(self):
        return self.get_resend_urls() + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_resend": self.has_resend_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("resent from"))
    def resent_from_link(self, obj):
        if not obj.resent_from_id:
            return "—"
        return format_html('<a href="{}">#{}</a>', reverse("admin:notifications_notification_change",
                                                            args=[obj.resent_from_id]), obj.resent_from_id)

    @admin.display(description=_("resent as"))
    def resends_links(self, obj):
        ids = list(obj.resends.values_list("pk", flat=True))
        if not ids:
            return "—"
        return format_html_join(", ", '<a href="{}">#{}</a>', (
            (reverse("admin:notifications_notification_change", args=[pk]), pk) for pk in ids
        ))
