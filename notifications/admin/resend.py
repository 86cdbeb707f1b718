"""Resending from the notification log: the row page's button and the list action, both through
`services.resend` (a new row each, linked to the first, rendered afresh, sent by the outbox). An SMS
costs credits again: a page shows how many and asks to confirm before anything is written."""
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext

from .. import services
from ..models import Channel
from ..services.outcomes import PAID_CHANNELS

CONFIRM_SMS = "confirm_sms"


class ResendViews:
    """Mixed into the log's admin: the permission, the action, the row's button and the confirmation."""

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.resend_notification")

    def get_resend_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/resend/", self.admin_site.admin_view(self.resend_view),
                 name="%s_%s_resend" % info),
        ]

    def resend_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_resend_permission(request):
            raise PermissionDenied
        notification = self.get_object(request, unquote(object_id))
        if notification is None:
            raise Http404
        confirmed = CONFIRM_SMS in request.POST
        if notification.channel in PAID_CHANNELS and not confirmed:
            return self._confirm_sms(request, [notification], action_url=request.path)
        result = services.resend([notification.pk], sms_confirmed=confirmed)
        self._report_resend(request, result)
        target = result.rows[0].pk if result.rows else notification.pk
        return redirect(reverse("admin:notifications_notification_change", args=[target]))

    def resend_selected(self, request, queryset):
        confirmed = CONFIRM_SMS in request.POST
        ids = list(queryset.values_list("pk", flat=True))
        if not confirmed:
            sms = [n for n in queryset.select_related("order", "order__carrier", "checkout", "rule")
                   if n.channel in PAID_CHANNELS and n.status in services.RESENDABLE]
            if sms:
                return self._confirm_sms(request, sms, action_url=request.get_full_path(), selected=ids)
        self._report_resend(request, services.resend(ids, sms_confirmed=confirmed))
        return None

    def _confirm_sms(self, request, sms_rows, *, action_url, selected=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Resend SMS?") if all(row.channel == Channel.SMS for row in sms_rows) else gettext(
                "Resend paid messages?"),
            "whatsapp": any(row.channel == Channel.WHATSAPP for row in sms_rows),
            "rows": sms_rows,
            "credits": services.sms_resend_cost(sms_rows),
            "action_url": action_url,
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirm_name": CONFIRM_SMS,
        }
        return TemplateResponse(request, "admin/notifications/notification/resend_sms.html", context)

    def _report_resend(self, request, result):
        count = len(result.rows)
        if count:
            self.message_user(request, ngettext(
                "%(count)d notification resent: a new row in the log, sent again.",
                "%(count)d notifications resent: a new row each in the log, sent again.", count,
            ) % {"count": count}, messages.SUCCESS)
        if result.still_queued:
            self.message_user(request, ngettext(
                "%(count)d selected notification is still on its way and was left alone.",
                "%(count)d selected notifications are still on their way and were left alone.",
                len(result.still_queued),
            ) % {"count": len(result.still_queued)}, messages.WARNING)
        if result.sms_unconfirmed:
            self.message_user(request, gettext("No SMS or WhatsApp message was resent: confirm the credits first."),
                              messages.WARNING)
        if not (count or result.still_queued or result.sms_unconfirmed):
            self.message_user(request, gettext("Nothing to resend."), messages.INFO)
