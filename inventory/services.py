"""Every change of a stock quantity happens here, and only here.

Each change runs inside one transaction (the caller's, for orders): lock the items' rows
(``select_for_update``, always in SKU order so that two orders sharing SKUs never deadlock),
change the quantity, append one ``StockMovement`` per item with the quantity after it, save.
So an item's quantity always equals the sum of its movements (``discrepancies()`` checks it).

- ``take_for_order`` / ``restore_for_order``: called by the receivers of the orders app's
  signals (inventory/receivers.py), inside the transaction that placed or cancelled the order.
- ``set_stock``: the on-hand count from staff, a CSV import or a storefront; the movement is
  the difference.
- A tracked item whose quantity falls from above its threshold to at or below it gets a
  ``LowStockAlert`` row in the same transaction, and the store's email about the change's crossings
  is written to the notification log there too (inventory/messages.py), sent once by its worker.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from orders import services as order_services
from orders.models import Order

from . import messages
from .models import MAX_QUANTITY, SKU_MAX_LENGTH, LowStockAlert, StockItem, StockMovement

Reason = StockMovement.Reason


# --- SKUs ------------------------------------------------------------------------------------

def clean_sku(value) -> str:
    """A SKU as stored: surrounding spaces removed. Raises ValidationError if it cannot be one."""
    sku = (value or "").strip() if isinstance(value, str) else ""
    if not sku:
        raise ValidationError(gettext_lazy("Enter the SKU."), code="required")
    if len(sku) > SKU_MAX_LENGTH:
        raise ValidationError(
            gettext_lazy("A SKU has at most %(max)d characters.") % {"max": SKU_MAX_LENGTH}, code="max_length",
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in sku):
        raise ValidationError(gettext_lazy("A SKU cannot contain control characters."), code="invalid")
    return sku


def clean_quantity(value, *, field: str = "quantity") -> int:
    """A whole number of units from 0 to MAX_QUANTITY."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: gettext_lazy("Enter a whole number of units.")}, code="invalid")
    if not 0 <= value <= MAX_QUANTITY:
        raise ValidationError(
            {field: gettext_lazy("Enter a number from 0 to %(max)s.") % {"max": f"{MAX_QUANTITY:,}"}},
            code="out_of_range",
        )
    return value


# --- the batch of changes a service makes --------------------------------------------------

class _Changes:
    """Quantity changes to a set of locked items, written with a few bulk queries."""

    def __init__(self, *, reason: str, by=None, order: Order | None = None):
        self.reason = reason
        self.by = by
        self.order = order
        self.movements: list[StockMovement] = []
        self.crossings: list[tuple[StockItem, int]] = []  # (item, index of its movement)
        self.items: dict[int, StockItem] = {}

    def post(self, item: StockItem, delta: int, *, was_low: bool | None = None, note: str = "") -> None:
        """Add ``delta`` to the (locked) item's quantity and record the movement."""
        if delta == 0:
            return
        if was_low is None:
            was_low = item.is_low
        item.quantity += delta
        self.items[item.pk] = item
        self.movements.append(StockMovement(
            item=item, order=self.order, delta=delta, reason=self.reason, quantity_after=item.quantity,
            by=self.by, note=note[:255],
        ))
        if delta < 0 and not was_low and item.is_low:
            self.crossings.append((item, len(self.movements) - 1))

    def save(self) -> list[StockMovement]:
        if not self.movements:
            return []
        now = timezone.now()
        for item in self.items.values():
            item.updated_at = now
        StockItem.objects.bulk_update(list(self.items.values()), ["quantity", "updated_at"])
        StockMovement.objects.bulk_create(self.movements)
        if self.crossings:
            alerts = LowStockAlert.objects.bulk_create([
                LowStockAlert(
                    item=item, movement=self.movements[index], quantity=self.movements[index].quantity_after,
                    threshold=item.low_stock_threshold,
                )
                for item, index in self.crossings
            ])
            messages.record_low_stock(alerts)
        return self.movements


def _lock(queryset) -> list[StockItem]:
    """Lock the items' rows in SKU order: every service locks in the same order, so no deadlock."""
    return list(queryset.select_for_update().order_by("sku"))


# --- orders ----------------------------------------------------------------------------------

def take_for_order(order: Order, *, by=None) -> list[str]:
    """Take the units of each line's tracked SKU; return (and flag on the order) the oversold SKUs.

    Lines without a SKU, or whose SKU is unknown or not tracked, take nothing; lines with the
    same SKU add up. An order is never refused: a SKU taken below zero is "oversold" (the
    storefront already sold it), recorded in ``order.oversold_skus`` for staff to act on, through
    ``orders.services.record_oversold`` (which moves the order's ``updated_at``).
    Runs in the transaction that placed the order (the caller's).
    """
    wanted: Counter[str] = Counter()
    for sku, quantity in order.lines.values_list("sku", "quantity"):
        sku = (sku or "").strip()
        if sku:
            wanted[sku] += quantity
    if not wanted:
        return []
    changes = _Changes(reason=Reason.ORDER_PLACED, by=by, order=order)
    oversold = []
    for item in _lock(StockItem.objects.tracked().filter(sku__in=list(wanted))):
        changes.post(item, -wanted[item.sku])
        if item.quantity < 0:
            oversold.append(item.sku)
    changes.save()
    if oversold:
        order_services.record_oversold(order, oversold)
    return oversold


def restore_for_order(order: Order, *, by=None) -> list[StockMovement]:
    """Give back what the order took (per SKU, its movements' net), once.

    A second call finds nothing left to give back, so a repeated cancel signal restores
    nothing more. Runs in the transaction that cancelled the order (the caller's).
    """
    items = _lock(StockItem.objects.filter(pk__in=StockMovement.objects.filter(order=order).values("item_id")))
    if not items:
        return []
    taken = dict(
        StockMovement.objects.filter(order=order).values("item_id").annotate(net=Sum("delta"))
        .values_list("item_id", "net")
    )
    changes = _Changes(reason=Reason.ORDER_CANCELLED, by=by, order=order)
    for item in items:
        net = taken.get(item.pk) or 0
        if net < 0:
            changes.post(item, -net)
    return changes.save()


# --- setting the on-hand count ---------------------------------------------------------------

@dataclass
class StockRow:
    """One product's count, as staff, a CSV file or a storefront give it.

    ``None`` leaves the field as it is (new items get the defaults).
    """

    sku: str
    quantity: int | None  # None: keep the quantity (change only the other fields)
    name: str | None = None
    low_stock_threshold: int | None = None
    track_stock: bool | None = None
    note: str = ""


@dataclass
class SetResult:
    item: StockItem
    created: bool
    movement: StockMovement | None


def _ensure_items(rows: list[StockRow]) -> set[str]:
    """Create the items that do not exist yet (quantity 0, no movement); return their SKUs."""
    existing = set(StockItem.objects.filter(sku__in=[row.sku for row in rows]).values_list("sku", flat=True))
    new = [
        StockItem(
            sku=row.sku, name=row.name or "", track_stock=True if row.track_stock is None else row.track_stock,
            low_stock_threshold=(
                settings.STOCK_LOW_THRESHOLD if row.low_stock_threshold is None else row.low_stock_threshold
            ),
        )
        for row in rows if row.sku not in existing
    ]
    if not new:
        return set()
    try:
        with transaction.atomic():
            StockItem.objects.bulk_create(new)
        return {item.sku for item in new}
    except IntegrityError:
        # Another request created one of them meanwhile: create the others one by one.
        created = set()
        for item in new:
            _item, was_created = StockItem.objects.get_or_create(
                sku=item.sku, defaults={
                    "name": item.name, "track_stock": item.track_stock,
                    "low_stock_threshold": item.low_stock_threshold,
                },
            )
            if was_created:
                created.add(item.sku)
        return created


@transaction.atomic
def set_stock(rows: list[StockRow], *, by, reason: str) -> list[SetResult]:
    """Set each row's on-hand quantity (creating unknown SKUs), all or nothing.

    The movement of each item is the difference between the count and what it had; a count
    equal to the quantity records no movement. Name, threshold and tracking change when given.
    Rows must have distinct, clean SKUs (see ``clean_sku``) and quantities (``clean_quantity``).
    """
    if len({row.sku for row in rows}) != len(rows):
        raise ValueError("each SKU may appear once")
    for row in rows:
        clean_sku(row.sku)
        if row.quantity is not None:
            clean_quantity(row.quantity)
    created = _ensure_items(rows)
    items = {item.sku: item for item in _lock(StockItem.objects.filter(sku__in=[row.sku for row in rows]))}
    changes = _Changes(reason=reason, by=by)
    results = []
    changed_fields: dict[int, set[str]] = {}
    for row in rows:
        item = items[row.sku]
        was_low = item.is_low
        fields = changed_fields.setdefault(item.pk, set())
        for field in ("name", "low_stock_threshold", "track_stock"):
            value = getattr(row, field)
            if value is not None and value != getattr(item, field):
                setattr(item, field, value)
                fields.add(field)
        if fields:
            item.full_clean(exclude=["sku", "quantity"], validate_unique=False, validate_constraints=False)
        movement = None
        if row.quantity is not None and row.quantity != item.quantity:
            changes.post(item, row.quantity - item.quantity, was_low=was_low, note=row.note)
            movement = changes.movements[-1]
        results.append(SetResult(item=item, created=row.sku in created, movement=movement))
    changes.save()
    for item in items.values():
        fields = changed_fields.get(item.pk)
        if fields:
            item.save(update_fields=[*fields, "updated_at"])
    return results


# --- checks ----------------------------------------------------------------------------------

def discrepancies():
    """Items whose quantity differs from the sum of their movements (should be none)."""
    return (
        StockItem.objects.annotate(movement_total=Coalesce(Sum("movements__delta"), 0))
        .exclude(quantity=F("movement_total"))
        .order_by("sku")
    )
