"""Method rules: how the platforms' payment and delivery methods become ours. Saving one (or turning
one on, off, or deleting it) processes again the platform orders that were waiting for a rule."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import MethodRule
from ..services import processing


@admin.register(MethodRule)
class MethodRuleAdmin(admin.ModelAdmin):
    list_display = ["position", "platform", "kind", "condition", "result", "active"]
    list_display_links = ["condition"]
    list_editable = ["position", "active"]
    list_filter = ["platform", "kind", "active"]
    search_fields = ["value", "and_value"]
    fieldsets = [
        (None, {"fields": ["platform", "kind", "position", "active"]}),
        (_("When"), {"fields": [("field", "match", "value"), ("and_field", "and_match", "and_value")],
                     "description": _("Field values are the platform's own (see a platform event's body). "
                                      "The first active rule that matches, by position, decides.")}),
        (_("Then"), {"fields": ["result"]}),
    ]

    @admin.display(description=_("when"))
    def condition(self, rule):
        text = f"{rule.field} {rule.get_match_display()} “{rule.value}”"
        if rule.and_field:
            text += f" + {rule.and_field} {rule.get_and_match_display()} “{rule.and_value}”"
        return text

    def _retry(self, request, platform):
        count = processing.retry_held(platform=platform)
        if count:
            messages.info(request, ngettext(
                "%(count)s platform event waiting for the staff is processed again with the rules as they are now.",
                "%(count)s platform events waiting for the staff are processed again with the rules as they are now.",
                count) % {"count": count})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._retry(request, obj.platform)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._retry(request, obj.platform)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "POST" and getattr(response, "status_code", None) == 302:
            self._retry(request, None)  # list_editable saved positions or switches
        return response
