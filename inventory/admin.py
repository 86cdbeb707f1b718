"""The staff's stock screens: products by SKU with their movements, the CSV import, the alerts.

Quantities change only through inventory/services.py: the product page's "on hand" field
records the difference as a "set by staff" movement; movements are read-only.
"""
from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.admin import ReadOnlyAdmin
from orders.display import person_label

from . import imports, services
from .models import MAX_QUANTITY, LowStockAlert, StockItem, StockMovement

RECENT_MOVEMENTS = 20
IMPORT_SALT = "inventory.csv-import"
IMPORT_MAX_AGE = 3600  # seconds a preview may wait for its confirmation


def order_url(movement) -> str:
    return reverse("admin:orders_order_change", args=[movement.order_id]) if movement.order_id else ""


class StockFilter(admin.SimpleListFilter):
    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [
            ("low", _("Low stock")),
            ("out", _("Out of stock")),
            ("oversold", _("Oversold (below zero)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "low":
            return queryset.low()
        if self.value() == "out":
            return queryset.tracked().filter(quantity__lte=0)
        if self.value() == "oversold":
            return queryset.oversold()
        return queryset


class StockItemForm(forms.ModelForm):
    on_hand = forms.IntegerField(
        label=_("on hand"), min_value=0, max_value=MAX_QUANTITY, initial=0,
        help_text=_("Counted the shelf? Enter what is there: the difference is recorded as a movement. "
                    "Leave it as it is to change only the other fields."),
    )
    # The quantity the page showed: a count equal to it changes nothing, even if orders moved the
    # quantity while the page was open.
    shown_quantity = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("note"), max_length=200, required=False,
        help_text=_("Why the quantity changes (kept with the movement), e.g. “Monthly count”."),
    )

    class Meta:
        model = StockItem
        fields = ["sku", "name", "track_stock", "low_stock_threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["on_hand"].initial = self.instance.quantity
            self.fields["shown_quantity"].initial = self.instance.quantity
            if self.instance.quantity < 0:
                self.fields["on_hand"].help_text = _(
                    "Below zero: %(owed)s units were sold without stock. Enter what the shelf has now."
                ) % {"owed": -self.instance.quantity}

    def clean_sku(self):
        try:
            return services.clean_sku(self.cleaned_data.get("sku"))
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


@admin.register(StockItem)
class StockItemAdmin(admin.ModelAdmin):
    form = StockItemForm
    list_display = ["sku", "name", "quantity_display", "low_stock_threshold", "track_stock", "updated_at"]
    list_display_links = ["sku", "name"]
    list_filter = [StockFilter, "track_stock"]
    search_fields = ["sku", "name"]
    search_help_text = _("SKU or product name.")
    list_per_page = 100
    readonly_fields = ["quantity_display", "recent_movements", "created_at", "updated_at"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["sku", "name", "track_stock", "low_stock_threshold", "on_hand", "note"]})]
        return [
            (None, {"fields": ["sku", "name", "track_stock", "low_stock_threshold"]}),
            (_("Quantity"), {"fields": ["quantity_display", "on_hand", "shown_quantity", "note"]}),
            (_("Movements"), {"fields": ["recent_movements", ("created_at", "updated_at")]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # The SKU is how orders find the product: fixed once created.
        return [*self.readonly_fields, "sku"] if obj is not None else self.readonly_fields

    @admin.display(description=_("on hand"), ordering="quantity")
    def quantity_display(self, item):
        if item.is_oversold:
            return format_html(
                '<strong style="color:var(--error-fg)">{}</strong> <small>{}</small>',
                item.quantity, gettext("(%(owed)s owed)") % {"owed": -item.quantity},
            )
        if item.is_low:
            return format_html('<strong style="color:var(--message-warning-fg, #b26a00)">{}</strong>', item.quantity)
        return item.quantity

    @admin.display(description=_("recent movements"))
    def recent_movements(self, item):
        if item.pk is None:
            return "—"
        movements = list(
            item.movements.select_related("order", "by__storefront").order_by("-id")[:RECENT_MOVEMENTS]
        )
        if not movements:
            return gettext("None yet.")
        rows = [
            {
                "movement": movement,
                "by": person_label(movement.by),
                "order_url": order_url(movement),
            }
            for movement in movements
        ]
        all_url = reverse("admin:inventory_stockmovement_changelist") + f"?item__id__exact={item.pk}"
        total = item.movements.count() if len(rows) == RECENT_MOVEMENTS else None
        return render_to_string(
            "inventory/admin/recent_movements.html", {"rows": rows, "all_url": all_url, "total": total},
        )

    def has_delete_permission(self, request, obj=None):
        # A product with movements stays: the movements are the record of what happened.
        if obj is not None and obj.movements.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        quantity = data["on_hand"]
        if change and quantity == data.get("shown_quantity"):
            quantity = None  # not counted: keep what orders have done meanwhile
        [result] = services.set_stock(
            [services.StockRow(
                sku=obj.sku, quantity=quantity, name=data["name"], low_stock_threshold=data["low_stock_threshold"],
                track_stock=data["track_stock"], note=data.get("note") or "",
            )],
            by=request.user, reason=StockMovement.Reason.MANUAL_SET,
        )
        obj.pk = result.item.pk
        obj.quantity = result.item.quantity
        obj._state.adding = False

    # --- the CSV import ------------------------------------------------------------------------

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="inventory_stockitem_import"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import stock from a CSV file"),
            "max_rows": f"{imports.MAX_ROWS:,}",
        }
        form = ImportForm()
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_import(request, context)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                text = imports.decode(upload.read(imports.MAX_BYTES + 1))
                imported = imports.read(text)
                context["filename"] = upload.name
                if imported.is_valid:
                    context["plan"] = imports.plan(imported)
                    context["payload"] = signing.dumps(
                        {"filename": upload.name, "text": text}, salt=IMPORT_SALT, compress=True,
                    )
                    context["counts"] = _plan_counts(context["plan"])
                else:
                    context["errors"] = imported.errors
        context["form"] = form
        return TemplateResponse(request, "admin/inventory/stockitem/import.html", context)

    def _confirm_import(self, request, context):
        try:
            payload = signing.loads(request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            self.message_user(request, gettext("The preview expired. Upload the file again."), messages.ERROR)
            return redirect("admin:inventory_stockitem_import")
        imported = imports.read(payload["text"])
        if not imported.is_valid:  # it was checked before the preview; the rules have not changed
            context.update(form=ImportForm(), errors=imported.errors, filename=payload["filename"])
            return TemplateResponse(request, "admin/inventory/stockitem/import.html", context)
        try:
            results = imports.apply(imported, by=request.user, filename=payload["filename"])
        except (IntegrityError, ValidationError):
            self.message_user(
                request,
                gettext("Nothing was imported: the stock changed while the file was saved. Upload it again."),
                messages.ERROR,
            )
            return redirect("admin:inventory_stockitem_import")
        created = sum(1 for result in results if result.created)
        moved = sum(1 for result in results if result.movement is not None)
        self.message_user(request, ngettext(
            "Imported %(count)s product from %(file)s: %(created)s new, %(moved)s with a new quantity.",
            "Imported %(count)s products from %(file)s: %(created)s new, %(moved)s with a new quantity.",
            len(results),
        ) % {"count": len(results), "file": payload["filename"], "created": created, "moved": moved}, messages.SUCCESS)
        return redirect("admin:inventory_stockitem_changelist")


def _plan_counts(plan) -> dict:
    return {
        "total": len(plan),
        "new": sum(1 for change in plan if change.item is None),
        "changed": sum(1 for change in plan if change.delta),
    }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: sku, name, quantity and, optionally, threshold (a header row naming them is "
                    "welcome). Separated by commas or semicolons; UTF-8."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB; split it into smaller files."))
        return upload


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "item_link", "delta_display", "quantity_after", "reason", "order_link", "by_label",
                    "note"]
    list_filter = ["reason", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["item__sku", "item__name", "order__number", "note"]
    search_help_text = _("SKU, product name, order number or note.")
    list_select_related = ["item", "order", "by__storefront"]
    show_full_result_count = False
    list_per_page = 100
    fields = ["created_at", "item_link", "delta_display", "quantity_after", "reason", "order_link", "by_label", "note"]
    readonly_fields = fields

    @admin.display(description=_("product"), ordering="item__sku")
    def item_link(self, movement):
        return format_html('<a href="{}">{}</a>', movement.item.get_absolute_url(), str(movement.item))

    @admin.display(description=_("change"), ordering="delta")
    def delta_display(self, movement):
        return f"{movement.delta:+d}"

    @admin.display(description=_("order"))
    def order_link(self, movement):
        if not movement.order_id:
            return "—"
        return format_html('<a href="{}">{}</a>', order_url(movement), movement.order.number)

    @admin.display(description=_("by"))
    def by_label(self, movement):
        return person_label(movement.by)


@admin.register(LowStockAlert)
class LowStockAlertAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "item_link", "quantity", "threshold"]
    list_select_related = ["item"]
    search_fields = ["item__sku", "item__name"]
    show_full_result_count = False

    @admin.display(description=_("product"), ordering="item__sku")
    def item_link(self, alert):
        return format_html('<a href="{}">{}</a>', alert.item.get_absolute_url(), str(alert.item))
