"""SMS credits in the admin: the read-only ledger (filters, CSV export), top-ups and the tier."""
import csv
import uuid

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.admin import ReadOnlyAdmin

from . import services
from .forms import AdjustmentForm, TierForm, TopUpForm
from .models import LedgerEntry, ServiceTier, WhatsAppPrice

TOP_UP_PERMISSION = "billing.top_up_credits"
CHANGE_TIER_PERMISSION = "billing.change_service_tier"


@admin.register(ServiceTier)
class ServiceTierAdmin(admin.ModelAdmin):
    list_display = ["name", "monthly_allowance", "status"]
    ordering = ["monthly_allowance"]

    @admin.display(description=_("status"))
    def status(self, tier):
        account = services.ensure_account()
        if tier.pk == account.tier_id:
            return gettext("Current tier")
        if tier.pk == account.pending_tier_id:
            return gettext("From the next monthly grant")
        return ""


@admin.register(WhatsAppPrice)
class WhatsAppPriceAdmin(admin.ModelAdmin):
    """The credits a WhatsApp message costs per destination country; the row without a country is the
    price everywhere else, kept (it cannot be deleted)."""

    list_display = ["country_label", "credits"]
    ordering = ["country"]

    @admin.display(description=_("country"), ordering="country")
    def country_label(self, price):
        return price.country or gettext("Every other country (default)")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.country:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["country"] if obj is not None and not obj.country else []


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Text as a spreadsheet will not run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def ledger_csv_response(queryset) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = [
        gettext("Date"), gettext("Kind"), gettext("Bucket"), gettext("Credits"), gettext("Bucket balance after"),
        gettext("Allowance month"), gettext("Notification"), gettext("By"), gettext("Reason"),
        gettext("Invoice or payment reference"), gettext("Operation"),
    ]

    def rows():
        yield writer.writerow(header)
        for entry in queryset.select_related("created_by").order_by("created_at", "id").iterator(chunk_size=500):
            yield writer.writerow([
                timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                entry.get_kind_display(),
                entry.get_bucket_display(),
                entry.amount,
                entry.balance_after,
                entry.period.strftime("%Y-%m"),
                entry.notification_id or "",
                _cell(entry.created_by.get_username() if entry.created_by else ""),
                _cell(entry.reason),
                _cell(entry.reference),
                entry.operation,
            ])

    filename = f"sms-credit-ledger-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Append-only: no row is added, changed or deleted through the admin."""

    change_list_template = "admin/billing/ledgerentry/change_list.html"
    list_display = [
        "created_at", "kind", "bucket", "signed_amount", "balance_after", "notification_id", "created_by",
        "reason", "reference",
    ]
    list_filter = ["kind", "bucket", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["reason", "reference"]
    date_hierarchy = "created_at"
    list_select_related = ["created_by"]
    list_per_page = 100
    actions = ["export_csv"]
    fields = [
        "created_at", "kind", "bucket", "amount", "balance_after", "period", "notification_id", "refund_of",
        "created_by", "reason", "reference", "operation",
    ]
    readonly_fields = fields

    @admin.display(description=_("credits"), ordering="amount")
    def signed_amount(self, entry):
        return f"{entry.amount:+d}"

    @admin.action(description=_("Export the selected entries to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return ledger_csv_response(queryset)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("top-up/", view(self.top_up_view), name="%s_%s_top_up" % info),
            path("tier/", view(self.tier_view), name="%s_%s_tier" % info),
            path("adjust/", view(self.adjust_view), name="%s_%s_adjust" % info),
            path("export/", view(self.export_view), name="%s_%s_export" % info),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_top_up": request.user.has_perm(TOP_UP_PERMISSION),
            "can_change_tier": request.user.has_perm(CHANGE_TIER_PERMISSION),
            "can_adjust": request.user.is_superuser,
        }
        return super().changelist_view(request, extra_context)

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "balance": services.balance(),
            "next_grant": services.next_grant_date(),
            **extra,
        }

    def export_view(self, request):
        """The ledger as CSV, with the filters of the list it was opened from."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:billing_ledgerentry_changelist"))
        return ledger_csv_response(changelist.get_queryset(request))

    def top_up_view(self, request):
        if not request.user.has_perm(TOP_UP_PERMISSION):
            raise PermissionDenied
        if request.method == "POST":
            form = TopUpForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                entry, applied = services.top_up(
                    amount=data["amount"], by=request.user, reference=data["reference"], reason=data["note"],
                    idempotency_key=data["token"],
                )
                if applied:
                    self.message_user(request, gettext("%(amount)s SMS credits added.") % {"amount": entry.amount},
                                      messages.SUCCESS)
                else:
                    self.message_user(request, gettext(
                        "This top-up was already applied on %(date)s; it was not added again."
                    ) % {"date": date_format(timezone.localtime(entry.created_at), "DATETIME_FORMAT")},
                        messages.WARNING)
                if self.has_view_permission(request):
                    return HttpResponseRedirect(reverse("admin:billing_ledgerentry_changelist"))
                return HttpResponseRedirect(reverse("admin:index"))
        else:
            form = TopUpForm(initial={"token": uuid.uuid4()})
        return TemplateResponse(request, "billing/admin/top_up.html", self._context(
            request, title=gettext("Top up SMS credits"), form=form,
        ))

    def tier_view(self, request):
        if not request.user.has_perm(CHANGE_TIER_PERMISSION):
            raise PermissionDenied
        account = services.ensure_account()
        if request.method == "POST":
            form = TierForm(request.POST)
            if form.is_valid():
                tier = form.cleaned_data["tier"]
                services.change_tier(tier=tier, by=request.user)
                if tier.pk == account.tier_id:
                    message = gettext("The store stays on the %(tier)s tier.") % {"tier": tier.name}
                else:
                    message = gettext("The store moves to the %(tier)s tier on %(date)s, with the next monthly grant.") % {
                        "tier": tier.name, "date": date_format(services.next_grant_date(), "DATE_FORMAT"),
                    }
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:billing_ledgerentry_tier"))
        else:
            form = TierForm(initial={"tier": account.pending_tier_id or account.tier_id})
        return TemplateResponse(request, "billing/admin/tier.html", self._context(
            request, title=gettext("Service tier"), form=form, account=account,
        ))

    def adjust_view(self, request):
        """A manual correction (superusers only), recorded in the ledger with its reason."""
        if not request.user.is_superuser:
            raise PermissionDenied
        if request.method == "POST":
            form = AdjustmentForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    entry, applied = services.adjust(
                        bucket=data["bucket"], amount=data["amount"], by=request.user, reason=data["reason"],
                        idempotency_key=data["token"],
                    )
                except services.InsufficientCredits as error:
                    form.add_error("amount", gettext(
                        "That would leave the balance below zero: it has %(available)s credits."
                    ) % {"available": error.available})
                else:
                    if applied:
                        self.message_user(request, gettext("Adjustment of %(amount)+d credits recorded.") % {
                            "amount": entry.amount}, messages.SUCCESS)
                    else:
                        self.message_user(request, gettext(
                            "This adjustment was already applied; it was not applied again."), messages.WARNING)
                    return HttpResponseRedirect(reverse("admin:billing_ledgerentry_changelist"))
        else:
            form = AdjustmentForm(initial={"token": uuid.uuid4()})
        return TemplateResponse(request, "billing/admin/adjust.html", self._context(
            request, title=gettext("Adjust SMS credits"), form=form,
        ))
