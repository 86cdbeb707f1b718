"""The notification rules: the form with its messages per language, the preview of each message,
the SMS credit estimate and the overview of everything a customer may receive."""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orders.models import Language

from .. import rules
from ..forms import TEXT_FIELDS, NotificationRuleForm, estimate_sentence, message_field_name
from ..kinds import fields_for
from ..models import Channel, NotificationRule, RuleMessage
from ..rendering import SAMPLE_CONTEXT, render_template
from .preview import fields_list, preview_response

MESSAGE_FIELD_NAMES = {message_field_name(name, language) for language in Language.values for name in TEXT_FIELDS}


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

    def get_form(self, request, obj=None, **kwargs):
        # The messages' fields (body_es, ...) are the form's message formset's, not the rule's.
        if kwargs.get("fields"):
            kwargs["fields"] = [name for name in kwargs["fields"] if name not in MESSAGE_FIELD_NAMES]
        return super().get_form(request, obj, **kwargs)

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
        return fields_list(fields_for(""))

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

