from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Carrier


CHECKED_FIELDS = ["name", "tracking_code_regex", "check_digit"]


class CarrierForm(forms.ModelForm):
    class Meta:
        model = Carrier
        fields = [
            "name", "code", "active", "tracking_url_template", "tracking_code_regex", "check_digit",
            "tracking_code_example",
        ]

    def clean(self):
        cleaned = super().clean()
        example = cleaned.get("tracking_code_example")
        if example and not self.errors:
            # The example is what staff are shown when a code is refused: it must pass the check itself.
            trial = Carrier(**{field: cleaned.get(field) for field in CHECKED_FIELDS})
            try:
                cleaned["tracking_code_example"] = trial.clean_tracking_code(example)
            except ValidationError as error:
                self.add_error(
                    "tracking_code_example",
                    _("The example does not pass this carrier's own check: %(error)s")
                    % {"error": " ".join(error.messages)},
                )
        return cleaned


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    form = CarrierForm
    list_display = ["name", "code", "tracking_url_template", "tracking_code_example", "example_link", "active"]
    list_filter = ["active", "check_digit"]
    search_fields = ["name", "code"]
    list_editable = ["active"]
    prepopulated_fields = {"code": ["name"]}
    readonly_fields = ["example_link"]
    fieldsets = [
        (None, {"fields": ["name", "code", "active"]}),
        (_("Tracking"), {
            "fields": ["tracking_url_template", "tracking_code_regex", "check_digit", "tracking_code_example",
                       "example_link"],
            "description": _("Carriers change their tracking pages now and then: update the URL template here."),
        }),
    ]

    @admin.display(description=_("try the tracking page"))
    def example_link(self, carrier):
        if not (carrier.pk and carrier.tracking_code_example):
            return "—"
        url = carrier.tracking_url(carrier.tracking_code_example)
        return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', url, url)
