"""The customers' web push subscriptions (made on the timeline page)."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import PushSubscription


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
