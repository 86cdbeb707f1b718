"""The milestone message templates: one per milestone, channel and language, with their preview."""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ..models import Channel, MessageTemplate
from ..kinds import fields_for
from .preview import fields_list, preview_response


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
        return fields_list(fields_for(obj.milestone if obj is not None else ""))

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

