"""The purchase experience page (one page over the milestone settings) and its change log."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin import ReadOnlyAdmin
from storefronts.models import Storefront

from .. import services
from ..defaults import MILESTONE_CHANNELS
from ..forms import CUSTOMER_MILESTONES, PurchaseExperienceForm
from ..forms.purchase_experience import fallback_name, platform_email_name, switch_name
from ..models import Channel, Milestone, MilestoneSetting, PurchaseExperienceChange, WhatsAppTemplate


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
        if request.method == "POST" and not can_change:
            raise PermissionDenied
        form = PurchaseExperienceForm(
            request.POST if request.method == "POST" else None, settings=services.all_milestone_settings(),
            storefronts=Storefront.objects.order_by("name"), disabled=not can_change,
        )
        if form.is_valid():
            changed = form.save(by=request.user)
            if changed:
                self.message_user(request, ngettext(
                    "%(count)d setting changed.", "%(count)d settings changed.", changed
                ) % {"count": changed}, messages.SUCCESS)
            else:
                self.message_user(request, _("Nothing changed."), messages.INFO)
            return redirect(request.path)
        missing = _without_whatsapp_template(form.settings)
        if missing:
            self.message_user(request, format_html(
                "{} <a href=\"{}\">{}</a>",
                format_lazy(_("These milestones send WhatsApp but have no WhatsApp template, so their WhatsApp "
                              "messages are skipped (and the fallback channel, if any, is used): {milestones}."),
                            milestones=", ".join(missing)),
                reverse("admin:notifications_whatsapptemplate_add"), _("Add a WhatsApp template"),
            ), messages.WARNING)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Purchase experience"),
            "form": form,
            "rows": _setting_rows(form),
            "channels": [Channel(c).label for c in Channel.values],
            "platform_rows": _platform_rows(form),
            "customer_milestones": CUSTOMER_MILESTONES,
            "changes": PurchaseExperienceChange.objects.select_related("changed_by")[:20],
            "can_change": can_change,
            "log_url": reverse("admin:notifications_purchaseexperiencechange_changelist"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/notifications/purchase_experience.html", context)


def _without_whatsapp_template(settings: list[MilestoneSetting]) -> list[str]:
    """The milestones that send WhatsApp (switched on, or as the fallback channel) with no template in
    any language: their WhatsApp messages are skipped (notifications/whatsapp.py)."""
    sending = [s.milestone for s in settings if s.whatsapp or s.fallback_channel == Channel.WHATSAPP]
    if not sending:
        return []
    templated = set(WhatsAppTemplate.objects.filter(milestone__in=sending).values_list("milestone", flat=True))
    return [str(Milestone(milestone).label) for milestone in sending if milestone not in templated]


def _setting_rows(form: PurchaseExperienceForm) -> list[dict]:
    """The page's table: per milestone, the bound switch of each channel it may use and its fallback."""
    rows = []
    for setting in form.settings:
        allowed = MILESTONE_CHANNELS[setting.milestone]
        rows.append({
            "label": Milestone(setting.milestone).label,
            "staff": setting.milestone == Milestone.NEW_ORDER,
            "channels": [
                form[switch_name(setting.milestone, c)] if c in allowed else None for c in Channel.values
            ],
            "fallback": form[fallback_name(setting.milestone)] if len(allowed) > 1 else None,
        })
    return rows


def _platform_rows(form: PurchaseExperienceForm) -> list[dict]:
    return [
        {
            "storefront": storefront,
            "switches": [form[platform_email_name(storefront, m)] for m in CUSTOMER_MILESTONES],
        }
        for storefront in form.storefronts
    ]


@admin.register(PurchaseExperienceChange)
class PurchaseExperienceChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "changed_by", "setting", "old_value", "new_value"]
    list_filter = [("changed_at", admin.DateFieldListFilter), "changed_by"]
    search_fields = ["setting"]
    list_select_related = ["changed_by"]
