"""`make run` loads demo data: stock, a dozen orders (with custom statuses) and abandoned checkouts, once."""
import pytest
from django.core.management import call_command

from checkouts.models import Checkout
from inventory.models import StockItem
from orders.models import Order, OrderCustomStatus

pytestmark = pytest.mark.django_db


def test_the_demo_data_loads_every_part_once_and_orders_take_stock():
    for _ in range(2):
        call_command("seed_demo_stock", stdout=None)
        call_command("seed_demo", stdout=None)
        call_command("seed_demo_checkouts", stdout=None)

    assert Order.objects.count() == 12
    assert set(Order.objects.values_list("status", flat=True)) >= {"pending", "shipped", "finalized", "cancelled"}
    assert OrderCustomStatus.objects.filter(status__code="delivered").exists()
    assert Checkout.objects.count() == 3
    remeras = StockItem.objects.get(sku="REM-001")
    assert remeras.quantity < 40  # demo orders took from the stock
    assert sum(remeras.movements.values_list("delta", flat=True)) == remeras.quantity
