from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import PlatformAccount
from ..services import connecting, processing


@admin.register(PlatformAccount)
class PlatformAccountAdmin(admin.ModelAdmin):
    list_display = ["storefront", "platform", "store_id", "active", "webhooks_list", "attention", "connected_at"]
    list_filter = ["platform", "active"]
    search_fields = ["storefront__name", "store_id"]
    list_select_related = ["storefront"]
    fields = ["storefront", "platform", "store_id", "secrets", "scope", "webhooks_list", "active", "problem",
              "connected_at", "updated_at"]
    readonly_fields = ["storefront", "platform", "store_id", "secrets", "scope", "webhooks_list", "problem",
                       "connected_at", "updated_at"]
    actions = ["register_webhooks", "retry_held_events"]

    def has_add_permission(self, request):
        return False  # connections are made on the storefronts' connect page

    def add_view(self, request, form_url="", extra_context=None):
        return redirect(reverse("admin:storefronts_storefront_connect"))

    @admin.display(description=_("token and secret"))
    def secrets(self, obj):
        parts = [gettext("access token stored, encrypted") if obj.access_token else gettext("no access token")]
        if obj.webhook_secret:
            parts.append(gettext("webhook secret stored, encrypted"))
        if obj.client_id:
            parts.append(gettext("tokens requested with the client id %(client_id)s") % {"client_id": obj.client_id})
        return "; ".join(parts)

    @admin.display(description=_("registered webhooks"))
    def webhooks_list(self, obj):
        return ", ".join(hook.get("topic", "") for hook in obj.webhooks or []) or "—"

    @admin.display(description=_("needs attention"))
    def attention(self, obj):
        if not obj.problem and obj.active:
            return "—"
        return format_html('<span style="color:var(--error-fg)">⚠ {}</span>',
                           obj.problem or gettext("Inactive"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "active" in form.changed_data and obj.active:
            count = processing.retry_held(account=obj)
            if count:
                messages.info(request, ngettext("%(count)s held event is processed again.",
                                                "%(count)s held events are processed again.", count)
                              % {"count": count})

    @admin.action(description=_("Register the webhooks again"), permissions=["change"])
    def register_webhooks(self, request, queryset):
        for account in queryset.select_related("storefront"):
            registration = connecting.register_webhooks(account)
            lines = connecting.describe(connecting.Connected(account, False, registration))[1:]
            for level, text in lines or [("info", gettext("Nothing to register."))]:
                getattr(messages, level)(request, f"{account.storefront}: {text}")

    @admin.action(description=_("Process their held events again"), permissions=["change"])
    def retry_held_events(self, request, queryset):
        count = sum(processing.retry_held(account=account) for account in queryset)
        messages.info(request, ngettext("%(count)s held event is processed again.",
                                        "%(count)s held events are processed again.", count) % {"count": count})

