from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from checkouts.models import Checkout
from config.admin import ReadOnlyAdmin
from orders.models import Language, Order
from storefronts.models import Storefront

from . import rules, services
from .defaults import MILESTONE_CHANNELS
from .forms import TEXT_FIELDS, NotificationRuleForm, estimate_sentence, message_field_name
from .models import (
    Channel,
    DailyNotificationCount,
    MessageTemplate,
    Milestone,
    MilestoneSetting,
    Notification,
    NotificationRule,
    PurchaseExperienceChange,
    PushSubscription,
    RuleMessage,
)
from .rendering import SAMPLE_CONTEXT, checkout_context, fields_for, message_context, render_template

CUSTOMER_MILESTONES = [m for m in Milestone if m != Milestone.NEW_ORDER]


def _admin_link(url_name: str, pk, label) -> str:
    """A link to an object's admin page; plain text where that admin is not installed."""
    try:
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), label)
    except NoReverseMatch:
        return format_html("{}", label)


def _fields_list(fields: dict) -> str:
    items = format_html_join(
        "", "<li><code>{{{{ {} }}}}</code> {}</li>", ((name, label) for name, label in fields.items())
    )
    return format_html("<ul style='margin-left:0'>{}</ul>", items)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at", "order_link", "what", "channel", "recipient_short", "status_label", "reason_short",
        "attempts", "sent_at", "delivery_status",
    ]
    list_filter = [
        "status", "milestone", "channel", ("created_at", admin.DateFieldListFilter), "delivery_status", "rule",
    ]
    search_fields = ["order__number", "checkout__external_id", "recipient"]
    date_hierarchy = "created_at"
    list_select_related = ["order", "checkout", "rule"]
    list_per_page = 50
    actions = ["resend"]
    fields = [
        "order_link", "what", "channel", "fallback_for", "recipient", "status", "reason", "attempts",
        "next_attempt_at", "provider_message_id", "language", "subject", "body", "created_at", "sent_at",
        "delivery_status", "delivery_status_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("order or checkout"), ordering="order__number")
    def order_link(self, obj):
        if obj.checkout_id:
            label = _("checkout %(id)s") % {"id": obj.checkout.external_id}
            return _admin_link("admin:checkouts_checkout_change", obj.checkout_id, label)
        return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[obj.order_id]),
                           obj.order.number)

    @admin.display(description=_("milestone or rule"), ordering="milestone")
    def what(self, obj):
        if obj.rule_id:
            return format_html(
                '{}: <a href="{}">{}</a>', _("Rule"),
                reverse("admin:notifications_notificationrule_change", args=[obj.rule_id]), obj.rule.name,
            )
        return obj.get_milestone_display()

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
        return _fields_list(fields_for(obj.milestone if obj is not None else ""))

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
        return preview_response(
            self, request, template=template, title=_("Preview: %(template)s") % {"template": template},
            back_url=reverse("admin:notifications_messagetemplate_change", args=[template.pk]),
            back_label=_("Back to the template"), parent=str(template),
        )


def preview_response(model_admin, request, *, template, title, back_url, back_label, parent):
    """The preview page of a message (a milestone template or a rule's message) rendered with a real
    order (or, for the checkout recovery message, a real checkout), with the SMS cost."""
    query = (request.GET.get("order") or "").strip()
    # An id is ASCII digits: "²" and other Unicode digits pass isdigit() but int() refuses them.
    is_id = query.isascii() and query.isdigit()
    if template.milestone == Milestone.CHECKOUT_RECOVERY:
        subjects = Checkout.objects.order_by("-created_at", "-id")
        match = Q(external_id=query) | (Q(pk=int(query)) if is_id else Q(pk__in=[]))
        subject = subjects.filter(match).first() if query else subjects.first()
        recent = [(c.external_id, f"{c.customer_name} · {c.get_status_display()}") for c in subjects[:20]]
        label = subject.external_id if subject is not None else ""
        description = subject.customer_name if subject is not None else ""
        get_context = checkout_context
    else:
        orders = Order.objects.for_list()
        if query:
            match = Q(number__iexact=query)
            if is_id:
                match |= Q(pk=int(query))
            subject = orders.filter(match).first()
        else:
            subject = _example_order(template.milestone)
        latest = orders.order_by("-created_at")[:20]
        recent = [(o.number, f"{o.customer_name} · {o.get_status_display()}") for o in latest]
        label = subject.number if subject is not None else ""
        description = subject.customer_name if subject is not None else ""
        get_context = message_context
    rendered, error, cost = None, None, None
    if subject is not None:
        try:
            rendered = render_template(template, get_context(subject, language=template.language))
        except Exception as exc:  # a template error shown to the staff member who wrote it
            error = str(exc)
        if rendered is not None and template.channel == Channel.SMS:
            from billing.sms import cost_preview

            cost = cost_preview(rendered.body)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "template_obj": template,
        "is_checkout": template.milestone == Milestone.CHECKOUT_RECOVERY,
        "subject": subject,
        "subject_label": label,
        "subject_description": description,
        "query": query,
        "recent": recent,
        "rendered": rendered,
        "error": error,
        "cost": cost,
        "back_url": back_url,
        "back_label": back_label,
        "parent": parent,
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


def _delay_label(minutes: int) -> str:
    if not minutes:
        return str(_("at once"))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if mins:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins})
    return str(_("%(delay)s after")) % {"delay": " ".join(parts)}


@admin.register(NotificationRule)
class NotificationRuleAdmin(admin.ModelAdmin):
    """Staff-made messages for status changes, beside the built-in milestones (see the overview)."""

    form = NotificationRuleForm
    list_display = ["name", "trigger", "channel", "filters", "delay", "active"]
    list_filter = ["active", "channel", "status_type"]
    search_fields = ["name"]
    list_select_related = ["from_custom_status", "to_custom_status"]
    readonly_fields = [
        "available_fields", "message_previews", "credit_estimate", "created_at", "updated_at", "updated_by",
        "sms_credits_confirmed", "sms_credits_confirmed_at", "sms_credits_confirmed_by",
    ]
    change_list_template = "admin/notifications/notificationrule/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("carriers")

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return [  # staff who may only look: the rule in words
                (None, {"fields": ["name", "active"]}),
                (_("When"), {"fields": ["trigger", "delay"]}),
                (_("Only for orders with"), {"fields": ["filters"]}),
                (_("Message"), {"fields": ["channel", "messages_text", "message_previews", "credit_estimate"]}),
                (_("Changes"), {"fields": ["created_at", "updated_at", "updated_by", "sms_credits_confirmed",
                                           "sms_credits_confirmed_at", "sms_credits_confirmed_by"]}),
            ]
        fieldsets = [
            (None, {"fields": ["name", "active"]}),
            (_("When"), {
                "fields": ["trigger_from", "trigger_to", "delay_minutes"],
                "description": _("The change of status that sends the message. Every order gets it once at most."),
            }),
            (_("Only for orders with"), {
                "fields": ["payment_methods", "fulfillment_methods", "carriers", "cities", "min_total", "max_total",
                           "languages"],
                "description": _("Leave a filter empty for any. An order must pass every filter you set."),
            }),
            (_("Message"), {
                "fields": ["channel", "available_fields"],
                "description": _("Write it in the languages you need; a customer whose language has no message "
                                 "gets the store's language, else another one."),
            }),
        ]
        for language, label in Language.choices:
            fieldsets.append((_("Message in %(language)s") % {"language": label}, {
                "fields": [message_field_name(name, language) for name in TEXT_FIELDS],
                "classes": ["collapse"] if obj is not None and not obj.messages.filter(language=language).exists()
                else [],
            }))
        fieldsets.append((_("Cost and preview"), {
            "fields": ["message_previews", "credit_estimate", "confirm_sms_credits"],
        }))
        if obj is not None:
            fieldsets.append((_("Changes"), {
                "fields": ["created_at", "updated_at", "updated_by", "sms_credits_confirmed",
                           "sms_credits_confirmed_at", "sms_credits_confirmed_by"],
            }))
        return fieldsets

    def has_delete_permission(self, request, obj=None):
        # Rows in the log point at their rule: a rule that has sent stays (turn it off instead).
        if obj is not None and obj.notifications.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("when"))
    def trigger(self, obj):
        return obj.trigger_label

    @admin.display(description=_("only for"))
    def filters(self, obj):
        return " · ".join(str(part) for part in obj.filters_summary()) or _("every order")

    @admin.display(description=_("delay"), ordering="delay_minutes")
    def delay(self, obj):
        return _delay_label(obj.delay_minutes)

    @admin.display(description=_("fields you can use"))
    def available_fields(self, obj):
        return _fields_list(fields_for(""))

    @admin.display(description=_("messages"))
    def messages_text(self, obj):
        rows = [
            (Language(message.language).label, message.subject, message.body) for message in obj.messages.all()
        ]
        return format_html_join(
            "", '<p><strong>{}</strong><br>{}<br><span style="white-space:pre-wrap">{}</span></p>', rows
        ) or _("No message yet.")

    @admin.display(description=_("preview"))
    def message_previews(self, obj):
        if obj is None or not obj.pk:
            return _("Save the rule to preview its messages with a real order.")
        from billing.sms import count_segments

        rows = []
        for message in obj.messages.all():
            link = reverse("admin:notifications_notificationrule_preview", args=[obj.pk, message.language])
            cost = ""
            if obj.channel == Channel.SMS:
                sms = count_segments(render_template(message, SAMPLE_CONTEXT).body)
                cost = ngettext(
                    "%(segments)d segment (%(encoding)s) with sample values",
                    "%(segments)d segments (%(encoding)s) with sample values", sms.segments,
                ) % {"segments": sms.segments, "encoding": sms.encoding.upper()}
            rows.append((link, Language(message.language).label, cost))
        if not rows:
            return _("No message yet.")
        return format_html("<ul style='margin-left:0'>{}</ul>", format_html_join(
            "", '<li><a href="{}">{}</a> {}</li>', rows
        ))

    @admin.display(description=_("SMS credits a month (estimate)"))
    def credit_estimate(self, obj):
        if obj is None or not obj.pk or obj.channel != Channel.SMS:
            return _("For SMS rules: the credits the last 30 days of matching changes would have cost.")
        messages_by_language = {message.language: message for message in obj.messages.all()}
        estimate = rules.sms_credit_estimate(obj, messages_by_language)
        if obj.texts_every_order():
            text = estimate_sentence(obj, estimate)
        else:
            text = ngettext(
                "About %(credits)d credit a month: %(orders)d matching orders in the last %(days)d days.",
                "About %(credits)d credits a month: %(orders)d matching orders in the last %(days)d days.",
                estimate.credits,
            ) % {"credits": estimate.credits, "orders": estimate.orders, "days": estimate.days}
        return text

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        carrier_ids = {carrier.pk for carrier in form.cleaned_data.get("carriers") or []}
        if form.confirms_credits and form.estimate is not None:
            obj.sms_credits_confirmed = form.estimate.credits
            obj.sms_credits_confirmed_at = timezone.now()
            obj.sms_credits_confirmed_by = request.user
        elif not obj.texts_every_order(carrier_ids):
            obj.sms_credits_confirmed = obj.sms_credits_confirmed_at = obj.sms_credits_confirmed_by = None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_messages(by=request.user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("overview/", self.admin_site.admin_view(self.overview_view), name="%s_%s_overview" % info),
            path("<int:pk>/preview/<str:language>/", self.admin_site.admin_view(self.preview_view),
                 name="%s_%s_preview" % info),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk, language):
        rule = get_object_or_404(NotificationRule, pk=pk)
        if not self.has_view_or_change_permission(request, rule):
            raise PermissionDenied
        message = RuleMessage.objects.select_related("rule").filter(rule=rule, language=language).first()
        if message is None:
            raise Http404
        return preview_response(
            self, request, template=message,
            title=_("Preview: %(rule)s · %(language)s") % {"rule": rule, "language": Language(language).label},
            back_url=reverse("admin:notifications_notificationrule_change", args=[rule.pk]),
            back_label=_("Back to the rule"), parent=str(rule),
        )

    def overview_view(self, request):
        """Everything a customer may receive for a change: the built-in milestones and the rules."""
        if not (self.has_view_or_change_permission(request)
                or request.user.has_perm("notifications.view_milestonesetting")):
            raise PermissionDenied
        rows = rules.overview_rows()
        for row in rows:
            row["rules"] = [
                {
                    "rule": rule,
                    "url": reverse("admin:notifications_notificationrule_change", args=[rule.pk]),
                    "from": rule.status_label("from"),
                    "channel": Channel(rule.channel).label,
                    "filters": " · ".join(str(part) for part in rule.filters_summary()),
                    "delay": _delay_label(rule.delay_minutes),
                }
                for rule in row["rules"]
            ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("What customers receive"),
            "rows": rows,
            "purchase_experience_url": reverse("admin:notifications_milestonesetting_changelist"),
            "add_url": reverse("admin:notifications_notificationrule_add") if self.has_add_permission(request) else "",
        }
        return TemplateResponse(request, "admin/notifications/overview.html", context)
