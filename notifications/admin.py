from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orders.models import Order
from storefronts.models import Storefront

from . import services
from .defaults import MILESTONE_CHANNELS
from .models import (
    Channel,
    DailyNotificationCount,
    MessageTemplate,
    Milestone,
    MilestoneSetting,
    Notification,
    PurchaseExperienceChange,
    PushSubscription,
)
from .rendering import FIELDS, message_context, render_template

CUSTOMER_MILESTONES = [m for m in Milestone if m != Milestone.NEW_ORDER]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at", "order_link", "milestone", "channel", "recipient_short", "status_label", "reason_short",
        "attempts", "sent_at", "delivery_status",
    ]
    list_filter = ["status", "milestone", "channel", ("created_at", admin.DateFieldListFilter), "delivery_status"]
    search_fields = ["order__number", "recipient"]
    date_hierarchy = "created_at"
    list_select_related = ["order"]
    list_per_page = 50
    actions = ["resend"]
    fields = [
        "order_link", "milestone", "channel", "fallback_for", "recipient", "status", "reason", "attempts",
        "next_attempt_at", "provider_message_id", "language", "subject", "body", "created_at", "sent_at",
        "delivery_status", "delivery_status_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("order"), ordering="order__number")
    def order_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[obj.order_id]),
                           obj.order.number)

    @admin.display(description=_("recipient"), ordering="recipient")
    def recipient_short(self, obj):
        return obj.recipient if len(obj.recipient) <= 40 else obj.recipient[:38] + "…"

    @admin.display(description=_("reason"))
    def reason_short(self, obj):
        return obj.reason if len(obj.reason) <= 80 else obj.reason[:78] + "…"

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


@admin.register(MilestoneSetting)
class PurchaseExperienceAdmin(admin.ModelAdmin):
    """One page: a switch per milestone and channel, the fallback per milestone, and the
    emails each storefront's platform already sends. Every change is logged with its author."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("", self.admin_site.admin_view(self.changelist_view), name="%s_%s_changelist" % info)]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        can_change = self.has_change_permission(request)
        storefronts = list(Storefront.objects.order_by("name"))
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            switches, fallbacks = {}, {}
            for milestone in Milestone.values:
                switches[milestone] = {
                    channel: f"{milestone}.{channel}" in request.POST for channel in MILESTONE_CHANNELS[milestone]
                }
                fallback = request.POST.get(f"{milestone}.fallback", "")
                fallbacks[milestone] = fallback if fallback in MILESTONE_CHANNELS[milestone] else ""
            platform_emails = {
                storefront: [m for m in Milestone.values if f"storefront.{storefront.pk}.{m}" in request.POST]
                for storefront in storefronts
            }
            changed = services.update_purchase_experience(
                by=request.user, switches=switches, fallbacks=fallbacks, platform_emails=platform_emails
            )
            if changed:
                self.message_user(request, ngettext(
                    "%(count)d setting changed.", "%(count)d settings changed.", changed
                ) % {"count": changed}, messages.SUCCESS)
            else:
                self.message_user(request, _("Nothing changed."), messages.INFO)
            return redirect(request.path)

        rows = []
        for setting in services.all_milestone_settings():
            allowed = MILESTONE_CHANNELS[setting.milestone]
            rows.append({
                "setting": setting,
                "label": Milestone(setting.milestone).label,
                "staff": setting.milestone == Milestone.NEW_ORDER,
                "channels": [
                    {"code": c, "label": Channel(c).label, "allowed": c in allowed, "on": setting.is_enabled(c)}
                    for c in Channel.values
                ],
                "fallbacks": [(c, Channel(c).label) for c in allowed] if len(allowed) > 1 else [],
            })
        platform_rows = [
            {
                "storefront": storefront,
                "milestones": [
                    {"code": m.value, "label": m.label, "on": m.value in (storefront.emails_sent_by_platform or [])}
                    for m in CUSTOMER_MILESTONES
                ],
            }
            for storefront in storefronts
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Purchase experience"),
            "rows": rows,
            "channels": [Channel(c).label for c in Channel.values],
            "platform_rows": platform_rows,
            "customer_milestones": CUSTOMER_MILESTONES,
            "changes": PurchaseExperienceChange.objects.select_related("changed_by")[:20],
            "can_change": can_change,
            "log_url": reverse("admin:notifications_purchaseexperiencechange_changelist"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/notifications/purchase_experience.html", context)


@admin.register(PurchaseExperienceChange)
class PurchaseExperienceChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "changed_by", "setting", "old_value", "new_value"]
    list_filter = [("changed_at", admin.DateFieldListFilter), "changed_by"]
    search_fields = ["setting"]
    list_select_related = ["changed_by"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["milestone", "channel", "language", "subject", "updated_at", "updated_by"]
    list_filter = ["milestone", "channel", "language"]
    search_fields = ["subject", "body"]
    list_select_related = ["updated_by"]
    readonly_fields = ["updated_at", "updated_by", "available_fields"]
    change_form_template = "admin/notifications/messagetemplate/change_form.html"

    def get_fieldsets(self, request, obj=None):
        fields = ["subject", "body"]
        if obj is None or obj.channel == Channel.EMAIL:
            fields.append("html_body")
        if obj is None or obj.channel == Channel.PUSH:
            fields.append("url")
        if obj is None or obj.channel == Channel.SMS:
            fields.append("gsm7_friendly")
        return [
            (None, {"fields": ["milestone", "channel", "language"]}),
            (_("Message"), {"fields": fields + ["available_fields"]}),
            (_("Changes"), {"fields": ["updated_at", "updated_by"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None:
            readonly += ["milestone", "channel", "language"]
        return readonly

    @admin.display(description=_("fields you can use"))
    def available_fields(self, obj):
        items = format_html_join(
            "", "<li><code>{{{{ {} }}}}</code> {}</li>", ((name, label) for name, label in FIELDS.items())
        )
        return format_html("<ul style='margin-left:0'>{}</ul>", items)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="%s_%s_preview" % info),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        template = get_object_or_404(MessageTemplate, pk=pk)
        if not self.has_view_or_change_permission(request, template):
            raise PermissionDenied
        query = (request.GET.get("order") or "").strip()
        orders = Order.objects.for_list()
        order = None
        if query:
            match = Q(number__iexact=query)
            if query.isdigit():
                match |= Q(pk=int(query))
            order = orders.filter(match).first()
        else:
            order = _example_order(template.milestone)
        rendered, error, cost = None, None, None
        if order is not None:
            try:
                rendered = render_template(template, message_context(order, language=template.language))
            except Exception as exc:  # a template error shown to the staff member who wrote it
                error = str(exc)
            if rendered is not None and template.channel == Channel.SMS:
                from billing.sms import cost_preview

                cost = cost_preview(rendered.body)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Preview: %(template)s") % {"template": template},
            "template_obj": template,
            "order": order,
            "query": query,
            "recent_orders": orders.order_by("-created_at")[:20],
            "rendered": rendered,
            "error": error,
            "cost": cost,
        }
        return TemplateResponse(request, "admin/notifications/messagetemplate/preview.html", context)


def _example_order(milestone: str):
    """A real order that suits the milestone (a shipped one for `shipped`), else the latest."""
    orders = Order.objects.for_list().order_by("-created_at")
    if milestone == Milestone.SHIPPED:
        return orders.exclude(tracking_code="").first() or orders.first()
    if milestone == Milestone.READY_FOR_PICKUP:
        return orders.exclude(pickup_point="").first() or orders.first()
    return orders.first()


@admin.register(DailyNotificationCount)
class DailyNotificationCountAdmin(ReadOnlyAdmin):
    list_display = ["day", "milestone", "channel", "status", "count"]
    list_filter = ["milestone", "channel", "status", ("day", admin.DateFieldListFilter)]
    date_hierarchy = "day"


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["order", "endpoint_short", "user_agent", "created_at"]
    search_fields = ["order__number", "endpoint"]
    list_select_related = ["order"]
    readonly_fields = ["order", "endpoint", "p256dh", "auth", "user_agent", "created_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("endpoint"))
    def endpoint_short(self, obj):
        return str(obj)
