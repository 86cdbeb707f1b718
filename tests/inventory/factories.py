"""Stock test helpers: items are given their quantity through the service, so the
quantity always equals the sum of the movements, as in production."""
from decimal import Decimal

from inventory import services
from inventory.models import StockItem, StockMovement
from orders import services as order_services
from tests.factories import UserFactory


def stock(sku: str, quantity: int, *, threshold: int = 0, track_stock: bool = True, name: str = "") -> StockItem:
    """A stock item with this quantity on hand (one "set by staff" movement)."""
    [result] = services.set_stock(
        [services.StockRow(sku=sku, quantity=quantity, name=name or f"Product {sku}",
                           low_stock_threshold=threshold, track_stock=track_stock)],
        by=None, reason=StockMovement.Reason.MANUAL_SET,
    )
    return result.item


def on_hand(sku: str) -> int:
    return StockItem.objects.get(sku=sku).quantity


def place(*lines: tuple[str, int], by=None, **fields):
    """Place an order through orders.services.place_order with (sku, quantity) lines."""
    return order_services.place_order(
        by=by or UserFactory(username="storefront-user"),
        customer_name="María Pérez",
        customer_email="maria@example.com",
        payment_method="cash_on_delivery",
        fulfillment_method="pickup",
        pickup_point="Local Palermo, Honduras 4800",
        currency="ARS",
        lines=[
            {"sku": sku, "name": f"Product {sku or 'without SKU'}", "quantity": quantity, "unit_price": Decimal("1000")}
            for sku, quantity in lines
        ],
        **fields,
    )


def cancel(order, by=None, reason="The customer changed their mind"):
    return order_services.cancel(order, by=by or UserFactory(username="staff-member"), reason=reason)


def assert_quantities_equal_movements():
    """The invariant: every item's quantity is the sum of its movements, and the movements chain."""
    assert list(services.discrepancies()) == []
    for item in StockItem.objects.all():
        running = 0
        for movement in item.movements.order_by("id"):
            running += movement.delta
            assert movement.quantity_after == running, (item.sku, movement.pk)
        assert running == item.quantity
