"""`make run` loads demo data: stock, a dozen orders (with custom statuses) and abandoned checkouts, once."""
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django_q.conf import Conf
from django_q.models import OrmQ

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


def test_the_demo_stock_covers_the_demo_orders():
    call_command("seed_demo_stock", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    for item in StockItem.objects.all():
        on_hand = 0
        for delta in item.movements.order_by("created_at", "id").values_list("delta", flat=True):
            on_hand += delta
            assert on_hand >= 0, f"{item.sku} went below zero"
        assert item.quantity == on_hand
    assert not Order.objects.exclude(oversold_skus=[]).exists()


def test_each_demo_customer_lives_on_a_street_of_their_own_city():
    call_command("seed_demo", stdout=StringIO())

    cities_of = {}
    for city, address in Order.objects.exclude(address="").values_list("city", "address"):
        cities_of.setdefault(address, set()).add(city)
    assert cities_of and all(len(cities) == 1 for cities in cities_of.values()), cities_of
    assert Order.objects.filter(city="São Paulo", address__contains="Paulista").exists()


@pytest.mark.django_db(transaction=True)  # the demo commits, as under `make run`
def test_the_demo_messages_go_out_in_the_order_of_each_orders_moves(monkeypatch, settings):
    """Under `make run` the worker's processes would take the demo's tasks in parallel."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    monkeypatch.setattr(Conf, "SYNC", False)

    call_command("seed_demo", stdout=StringIO())

    assert Conf.SYNC is False  # put back
    assert not OrmQ.objects.exists()  # nothing left for the worker to send out of turn
    order = Order.objects.get(external_id="demo-4")  # paid by payment link, accepted, being prepared
    subjects = [m.subject for m in mail.outbox if m.to == [order.customer_email] and order.number in m.subject]
    assert subjects == [
        f"Recibimos tu pedido {order.number}",
        f"Pago aprobado: pedido {order.number}",
        f"Estamos preparando tu pedido {order.number}",
    ]
