"""Stock: products known by SKU, and the append-only list of every change of their quantity.

The invariant: ``StockItem.quantity`` always equals the sum of its movements' ``delta``, and
each movement's ``quantity_after`` is the quantity right after it. Only inventory/services.py
changes a quantity, and it does so by appending a movement in the same transaction, with the
item's row locked. ``services.discrepancies()`` (and ``manage.py check_stock``) lists the items
that break it, which should be none.

On-hand may go below zero: an order the storefront already sold is recorded even when the
shelf is empty, and the negative quantity is the units owed. Cancelling such an order gives
back exactly what it took.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SKU_MAX_LENGTH = 64  # the same as orders.OrderLine.sku
MAX_QUANTITY = 1_000_000_000


def default_low_stock_threshold() -> int:
    return settings.STOCK_LOW_THRESHOLD


class StockItemQuerySet(models.QuerySet):
    def tracked(self):
        return self.filter(track_stock=True)

    def low(self):
        """Tracked items at or below their low-stock threshold (oversold ones included)."""
        return self.tracked().filter(quantity__lte=F("low_stock_threshold"))

    def oversold(self):
        """Tracked items below zero: units sold that the shelf does not have."""
        return self.tracked().filter(quantity__lt=0)


class StockItem(models.Model):
    sku = models.CharField(_("SKU"), max_length=SKU_MAX_LENGTH, unique=True)
    name = models.CharField(_("product"), max_length=255, blank=True)
    track_stock = models.BooleanField(
        _("track stock"), default=True,
        help_text=_("Orders take units of tracked products only; untracked ones are never out of stock."),
    )
    # Changed only by inventory/services.py, always with a movement (see the module docstring).
    quantity = models.IntegerField(
        _("on hand"), default=0, editable=False,
        help_text=_("Below zero: units sold that the shelf does not have (owed to customers)."),
    )
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock alert at"), default=default_low_stock_threshold,
        validators=[MaxValueValidator(MAX_QUANTITY)],
        help_text=_("Staff are emailed when the quantity falls to this number or below."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = StockItemQuerySet.as_manager()

    class Meta:
        ordering = ["sku"]
        verbose_name = _("stock item")
        verbose_name_plural = _("stock")
        constraints = [
            models.CheckConstraint(condition=~Q(sku=""), name="stockitem_sku_not_blank"),
        ]

    def __str__(self):
        return f"{self.sku} · {self.name}" if self.name else self.sku

    def get_absolute_url(self):
        return reverse("admin:inventory_stockitem_change", args=[self.pk])

    @property
    def is_low(self) -> bool:
        return self.track_stock and self.quantity <= self.low_stock_threshold

    @property
    def is_oversold(self) -> bool:
        return self.track_stock and self.quantity < 0


class StockMovement(models.Model):
    """One change of an item's quantity. Append-only: never edited, never deleted."""

    class Reason(models.TextChoices):
        ORDER_PLACED = "order_placed", _("Order placed")
        ORDER_CANCELLED = "order_cancelled", _("Order cancelled")
        MANUAL_SET = "manual_set", _("Set by staff")
        CSV_IMPORT = "csv_import", _("CSV import")
        API_SET = "api_set", _("Set by the storefront")

    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("stock item"),
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="stock_movements",
        verbose_name=_("order"),
    )
    delta = models.IntegerField(_("change"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    quantity_after = models.IntegerField(_("on hand after"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="stockmovement_delta_not_zero"),
        ]
        indexes = [models.Index(fields=["item", "-id"], name="stockmovement_item_recent")]

    def __str__(self):
        return f"{self.item_id} {self.delta:+d} → {self.quantity_after}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Stock movements are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Stock movements are append-only.")


class LowStockAlert(models.Model):
    """A tracked item's quantity crossed its threshold downward: the store is emailed once for it.

    Written in the transaction of the movement that crossed, with the store's email in the
    notification log (inventory/messages.py), which the notifications' worker sends and retries.
    """

    item = models.ForeignKey(StockItem, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("stock item"))
    movement = models.OneToOneField(
        StockMovement, on_delete=models.CASCADE, related_name="alert", verbose_name=_("movement"),
    )
    quantity = models.IntegerField(_("on hand"))
    threshold = models.PositiveIntegerField(_("alert at"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("low-stock alert")
        verbose_name_plural = _("low-stock alerts")

    def __str__(self):
        return f"{self.item_id} {self.quantity}/{self.threshold}"
