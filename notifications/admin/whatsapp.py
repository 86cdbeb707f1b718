"""The WhatsApp templates: per milestone (or rule) and language, the Meta-approved template's name,
language code, approved text and the message field behind each numbered parameter; the page shows
the message as the customer reads it."""
from __future__ import annotations

import re

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..kinds import fields_for, kind_for_milestone
from ..models import RULE, WhatsAppTemplate
from ..rendering import SAMPLE_CONTEXT
from ..whatsapp import fill
from .preview import fields_list


class WhatsAppTemplateForm(forms.ModelForm):
    parameters = forms.CharField(
        label=_("parameters"), required=False, widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
        help_text=_("The message field behind each numbered parameter, in order, separated by commas: "
                    "“customer_first_name, order_number, tracking_link” fills {{1}}, {{2}} and {{3}}."),
    )

    class Meta:
        model = WhatsAppTemplate
        fields = ["milestone", "rule", "language", "name", "language_code", "text", "parameters"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["parameters"] = ", ".join(self.instance.parameters or [])

    def clean_parameters(self):
        return [name for name in re.split(r"[\s,]+", self.cleaned_data.get("parameters") or "") if name]


@admin.register(WhatsAppTemplate)
class WhatsAppTemplateAdmin(admin.ModelAdmin):
    form = WhatsAppTemplateForm
    list_display = ["milestone", "rule", "language", "name", "language_code", "updated_at", "updated_by"]
    list_filter = ["milestone", "language"]
    search_fields = ["name", "text"]
    list_select_related = ["rule", "updated_by"]
    readonly_fields = ["preview", "available_fields", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["milestone", "rule", "language"]}),
        (_("The template in WhatsApp Manager"), {"fields": ["name", "language_code", "text", "parameters",
                                                            "available_fields"]}),
        (_("What the customer reads"), {"fields": ["preview"]}),
        (_("Changes"), {"fields": ["updated_at", "updated_by"]}),
    ]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("fields you can use"))
    def available_fields(self, obj):
        milestone = obj.milestone if obj is not None and obj.milestone != RULE else ""
        return fields_list(fields_for(milestone))

    @admin.display(description=_("preview"))
    def preview(self, obj):
        """The message filled in with a real order that suits the milestone (sample values without one)."""
        if obj is None or not obj.pk:
            return _("Save the template to see it filled in.")
        kind = kind_for_milestone(obj.milestone)
        order, _recent = kind.preview_subject("", obj.milestone)
        if order is not None and kind.about_name == "order":
            context = kind.context(order, language=obj.language)
            source = _("with order %(number)s") % {"number": order.number}
        else:
            context, source = SAMPLE_CONTEXT, _("with sample values")
        rendered = fill(obj, context)
        parameters = format_html_join(
            "", "<li><code>{{{{{}}}}}</code> {} = {}</li>",
            ((number, name, value) for number, (name, value) in enumerate(zip(obj.parameters, rendered.parameters), 1)),
        )
        return format_html(
            '<p>{}</p><div style="white-space:pre-wrap;max-width:40em;padding:.75em 1em;border-radius:8px;'
            'background:#dcf8c6;color:#111">{}</div><ul style="margin-left:0">{}</ul>',
            source, rendered.body, parameters,
        )
