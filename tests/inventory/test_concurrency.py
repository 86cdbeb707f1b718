"""Row locks keep stock exact when many orders race for the last units (PostgreSQL)."""
import threading

import pytest
from django.db import close_old_connections, connection

from inventory.models import LowStockAlert, StockItem, StockMovement
from orders.models import Order
from tests.factories import UserFactory
from tests.inventory.factories import assert_quantities_equal_movements, place, stock
from tests.utils import requires_postgres


def race(count: int, target) -> list:
    """Run `target(index)` in `count` threads released at once; return their results."""
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def run(index):
        try:
            barrier.wait(timeout=30)
            result = target(index)
            with lock:
                results.append(result)
        except Exception as error:  # reported by the assertion below
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert errors == []
    return results


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_orders_racing_for_the_last_five_units_oversell_exactly_fifteen():
    stock("REM-001", 5, threshold=2)
    stock("GOR-002", 100)
    user = UserFactory(username="storefront-user")

    numbers = race(20, lambda index: place(("REM-001", 1), ("GOR-002", 1), by=user).number)

    assert len(numbers) == 20
    orders = Order.objects.filter(number__in=numbers)
    assert StockItem.objects.get(sku="REM-001").quantity == -15
    assert StockItem.objects.get(sku="GOR-002").quantity == 80
    oversold = [order for order in orders if order.oversold_skus]
    assert len(oversold) == 15
    assert all(order.oversold_skus == ["REM-001"] for order in oversold)
    # The five orders that got a unit are exactly the five that took it from 5, 4, 3, 2 and 1.
    took_in_stock = StockMovement.objects.filter(item__sku="REM-001", order__isnull=False, quantity_after__gte=0)
    assert sorted(took_in_stock.values_list("quantity_after", flat=True)) == [0, 1, 2, 3, 4]
    assert set(took_in_stock.values_list("order__number", flat=True)) == {
        order.number for order in orders if not order.oversold_skus
    }
    assert sorted(
        StockMovement.objects.filter(item__sku="REM-001", order__isnull=False).values_list("quantity_after", flat=True)
    ) == list(range(-15, 5))
    assert LowStockAlert.objects.filter(item__sku="REM-001").count() == 1  # one crossing, one alert
    assert_quantities_equal_movements()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_orders_sharing_skus_in_any_line_order_neither_deadlock_nor_lose_units():
    stock("AAA", 50)
    stock("BBB", 50)
    user = UserFactory(username="storefront-user")

    def order(index):
        lines = [("AAA", 1), ("BBB", 1)] if index % 2 else [("BBB", 1), ("AAA", 1)]
        return place(*lines, by=user).number

    race(10, order)

    assert StockItem.objects.get(sku="AAA").quantity == 40
    assert StockItem.objects.get(sku="BBB").quantity == 40
    assert_quantities_equal_movements()
