import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from outbox.admin import AttemptInline, duration, response_code, when

from . import services
from .models import Attempt, Delivery, Endpoint, Event

RECENT_DELIVERIES = 20
STATUS_COLOURS = {"delivered": "#2e7d32", "failed": "#c62828", "queued": "#1565c0"}


def status_badge(delivery: Delivery):
    return format_html(
        '<strong style="color:{}">{}</strong>', STATUS_COLOURS.get(delivery.status, "inherit"),
        delivery.get_status_display(),
    )


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"), max_length=500, assume_scheme="https", help_text=_("Where the events are posted (https)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("The events sent to this endpoint."),
    )

    class Meta:
        model = Endpoint
        fields = ["storefront", "url", "description", "events", "active"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "storefront", "events_list", "state", "consecutive_failures", "created_at"]
    list_filter = ["storefront", "active", ("disabled_at", admin.EmptyFieldListFilter)]
    search_fields = ["url", "description", "storefront__name"]
    list_select_related = ["storefront"]
    actions = ["enable_endpoints"]
    change_form_template = "admin/webhooks/endpoint/change_form.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["storefront", "url", "description", "events", "active"]})]
        if obj is not None:
            fieldsets.append((_("Signing and health"), {
                "fields": ["signing_secret", "state", "consecutive_failures", "disabled_at", "disabled_reason",
                           "created_at"],
            }))
            fieldsets.append((_("Recent deliveries"), {"fields": ["recent_deliveries"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["signing_secret", "state", "consecutive_failures", "disabled_at", "disabled_reason", "created_at",
                "recent_deliveries"]

    def get_object(self, request, object_id, from_field=None):
        endpoint = super().get_object(request, object_id, from_field)
        if endpoint is not None:
            # Read by recent_deliveries, which is given only the object.
            endpoint.can_redeliver = request.user.has_perm("webhooks.redeliver_delivery")
        return endpoint

    @admin.display(description=_("events"))
    def events_list(self, obj):
        return ", ".join(obj.events or [])

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.is_disabled:
            return format_html('<strong style="color:#c62828">{}</strong>', gettext("Disabled (kept failing)"))
        if not obj.active:
            return format_html('<span style="color:#757575">{}</span>', gettext("Paused"))
        return format_html('<span style="color:#2e7d32">{}</span>', gettext("Active"))

    @admin.display(description=_("signing secret"))
    def signing_secret(self, obj):
        return format_html(
            "<code>{}…</code> <span class=\"help\">{}</span>", obj.secret[:10],
            gettext("Use “Reveal secret” above to see it whole and give it to the storefront."),
        )

    @admin.display(description=_("recent deliveries"))
    def recent_deliveries(self, obj):
        deliveries = list(obj.deliveries.order_by("-created_at", "-id")[:RECENT_DELIVERIES])
        if not deliveries:
            return gettext("No deliveries yet.")
        can_redeliver = getattr(obj, "can_redeliver", False)
        headers = [_("event"), _("time"), _("response code"), _("duration"), _("attempts"), _("status"), ""]
        rows = format_html_join(
            "", "<tr><td><a href=\"{}\">{}</a><br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    reverse("admin:webhooks_delivery_change", args=[d.pk]), d.event_type, d.event_id,
                    when(d.last_attempt_at or d.created_at), response_code(d), duration(d), d.attempts, status_badge(d),
                    format_html(
                        '<button type="submit" form="webhook-redeliver" name="delivery" value="{}" class="button">'
                        "{}</button>", d.pk, gettext("Redeliver"),
                    ) if can_redeliver else "",
                )
                for d in deliveries
            ),
        )
        return format_html(
            '<table class="webhook-deliveries"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>'
            '<p><a href="{}?endpoint__id__exact={}">{}</a></p>',
            format_html_join("", "<th>{}</th>", ((h,) for h in headers)), rows,
            reverse("admin:webhooks_delivery_changelist"), obj.pk, gettext("All deliveries of this endpoint"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_redeliver": request.user.has_perm("webhooks.redeliver_delivery"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, gettext(
            "The endpoint was created with its own signing secret: use “Reveal secret” to give it to the storefront."
        ), messages.INFO)
        return redirect(reverse("admin:webhooks_endpoint_change", args=[obj.pk]))

    def save_model(self, request, obj, form, change):
        if change and "active" in form.changed_data and obj.active:
            obj.consecutive_failures = 0
            obj.disabled_at = None
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Enable the selected endpoints again"), permissions=["change"])
    def enable_endpoints(self, request, queryset):
        count = 0
        for endpoint in queryset:
            services.enable(endpoint)
            count += 1
        self.message_user(request, ngettext(
            "%(count)d endpoint enabled.", "%(count)d endpoints enabled.", count
        ) % {"count": count}, messages.SUCCESS)

    # --- buttons ---------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/secret/", view(self.secret_view), name="%s_%s_secret" % info),
            path("<path:object_id>/enable/", view(self.enable_view), name="%s_%s_enable" % info),
            path("<path:object_id>/redeliver/", view(self.redeliver_view), name="%s_%s_redeliver" % info),
        ] + super().get_urls()

    def _endpoint_to_change(self, request, object_id) -> Endpoint:
        endpoint = self.get_object(request, unquote(object_id))
        if endpoint is None:
            raise Http404
        if not self.has_change_permission(request, endpoint):
            raise PermissionDenied
        return endpoint

    def secret_view(self, request, object_id):
        """POST "reveal" shows the secret; POST "rotate" replaces it (the old one stops at once)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])  # every button posts, with the CSRF token
        endpoint = self._endpoint_to_change(request, object_id)
        if request.POST.get("action") == "rotate":
            services.rotate_secret(endpoint)
            self.log_change(request, endpoint, gettext("Replaced the signing secret."))
            rotated = True
        else:
            self.log_change(request, endpoint, gettext("Revealed the signing secret."))
            rotated = False
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": endpoint,
            "title": gettext("Signing secret of %(url)s") % {"url": endpoint.url},
            "secret": endpoint.secret,
            "rotated": rotated,
        }
        response = TemplateResponse(request, "admin/webhooks/endpoint/secret.html", context)
        add_never_cache_headers(response)
        return response

    def enable_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        endpoint = self._endpoint_to_change(request, object_id)
        services.enable(endpoint)
        self.log_change(request, endpoint, gettext("Enabled the endpoint again."))
        self.message_user(request, gettext(
            "The endpoint is enabled again. Redeliver the events it missed from its recent deliveries."
        ), messages.SUCCESS)
        return redirect(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))

    def redeliver_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("webhooks.redeliver_delivery"):
            raise PermissionDenied
        endpoint = self.get_object(request, unquote(object_id))
        if endpoint is None:
            raise Http404
        # isascii(): "²" and other Unicode digits pass isdigit() but are no id.
        ids = [value for value in request.POST.getlist("delivery") if value.isascii() and value.isdigit()]
        result = services.redeliver(Delivery.objects.filter(endpoint=endpoint, pk__in=ids).values_list("pk", flat=True))
        report_redelivery(self, request, result)
        return redirect(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))


def report_redelivery(model_admin, request, result: services.Redelivered) -> None:
    if result.queued:
        model_admin.message_user(request, ngettext(
            "%(count)d delivery queued again: it is sent with the same event id and body.",
            "%(count)d deliveries queued again: they are sent with the same event id and body.", result.queued,
        ) % {"count": result.queued}, messages.SUCCESS)
    if result.endpoint_off:
        model_admin.message_user(request, ngettext(
            "%(count)d delivery was not queued because its endpoint is paused or disabled: enable it first.",
            "%(count)d deliveries were not queued because their endpoint is paused or disabled: enable it first.",
            result.endpoint_off,
        ) % {"count": result.endpoint_off}, messages.WARNING)
    if result.in_flight:
        model_admin.message_user(request, ngettext(
            "%(count)d delivery is being sent right now and was left alone.",
            "%(count)d deliveries are being sent right now and were left alone.", result.in_flight,
        ) % {"count": result.in_flight}, messages.WARNING)
    if not (result.queued or result.endpoint_off or result.in_flight):
        model_admin.message_user(request, gettext("Nothing to redeliver."), messages.INFO)


class DeliveryAttemptInline(AttemptInline):
    model = Attempt


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "event_type", "endpoint_link", "order_link", "status_label", "response_code", "duration",
        "attempts", "last_attempt_at",
    ]
    list_filter = ["status", "event_type", "endpoint__storefront", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=event_id", "order__number", "endpoint__url"]
    list_select_related = ["endpoint", "order"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["redeliver"]
    inlines = [DeliveryAttemptInline]
    fields = [
        "endpoint_link", "order_link", "event_type", "event_id", "status", "attempts", "next_attempt_at",
        "last_attempt_at", "response_status", "duration_ms", "error_display", "response_body", "delivered_at", "created_at",
        "pretty_body",
    ]
    readonly_fields = fields
    change_form_template = "admin/webhooks/delivery/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_redeliver_permission(self, request):
        return request.user.has_perm("webhooks.redeliver_delivery")

    @admin.display(description=pgettext_lazy("webhook", "endpoint"), ordering="endpoint__url")
    def endpoint_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:webhooks_endpoint_change", args=[obj.endpoint_id]),
                           obj.endpoint.url)

    @admin.display(description=_("order"), ordering="order__number")
    def order_link(self, obj):
        if obj.order_id is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[obj.order_id]),
                           obj.order.number)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return status_badge(obj)

    @admin.display(description=_("response code"), ordering="response_status")
    def response_code(self, obj):
        return response_code(obj)

    @admin.display(description=_("duration"), ordering="duration_ms")
    def duration(self, obj):
        return duration(obj)

    @admin.display(description=_("error"))
    def error_display(self, obj):
        return obj.error_text or "—"

    @admin.display(description=_("body"))
    def pretty_body(self, obj):
        try:
            text = json.dumps(json.loads(obj.body), indent=2, ensure_ascii=False)
        except ValueError:
            text = obj.body
        return format_html('<pre style="white-space:pre-wrap">{}</pre>', text)

    @admin.action(description=_("Redeliver the selected deliveries (same event id and body)"),
                  permissions=["redeliver"])
    def redeliver(self, request, queryset):
        report_redelivery(self, request, services.redeliver(queryset.values_list("pk", flat=True)))

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/redeliver/", self.admin_site.admin_view(self.redeliver_view),
                 name="%s_%s_redeliver" % info),
        ] + super().get_urls()

    def redeliver_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_redeliver_permission(request):
            raise PermissionDenied
        delivery = self.get_object(request, unquote(object_id))
        if delivery is None:
            raise Http404
        report_redelivery(self, request, services.redeliver([delivery.pk]))
        return redirect(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_redeliver": self.has_redeliver_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)
