"""Shopify orders flow in: each webhook carries the whole order; duplicates share X-Shopify-Event-Id and
bodies may arrive out of order (an older version never undoes a newer one)."""
from decimal import Decimal

import pytest

from connectors.models import PlatformEvent
from orders.models import Order, Status

from .conftest import shopify_order

pytestmark = pytest.mark.django_db


def the_order() -> Order:
    return Order.objects.get(external_id="5678901234567")


def test_a_paid_shopify_order_is_placed_paid(shopify_account, post_shopify):
    response = post_shopify(shopify_order(), topic="orders/create", event_id="e-1")

    assert response.status_code == 200
    order = the_order()
    assert order.storefront == shopify_account.storefront
    assert order.payment_method == "online"  # paid at checkout
    assert order.fulfillment_method == "carrier"
    assert order.is_paid and order.payments.get().amount == Decimal("12500.00")
    assert order.language == "pt-br"
    assert order.customer_name == "João Silva"
    assert order.customer_email == "joao.silva@example.com"
    assert order.address == "Av. Santa Fe 1234, Piso 5, C1059 Buenos Aires, Ciudad Autónoma de Buenos Aires, Argentina"
    assert order.total == Decimal("12500.00") and order.shipping_cost == Decimal("1500.00")
    # 3 × 4000 with 1000 off: the lines make 11000 to the cent.
    lines = list(order.lines.order_by("unit_price"))
    assert [(line.name, line.quantity, line.unit_price) for line in lines] == [
        ("Taza esmaltada · Verde", 1, Decimal("3666.66")), ("Taza esmaltada · Verde", 2, Decimal("3666.67")),
    ]


@pytest.mark.parametrize("gateways, financial_status, expected", [
    (["manual"], "pending", "transfer"),
    (["Transferencia bancaria"], "pending", "transfer"),
    (["Bank Deposit"], "pending", "transfer"),
    (["Cash on Delivery (COD)"], "pending", "cash_on_delivery"),
    (["shopify_payments"], "paid", "online"),
])
def test_payment_methods_map_by_the_default_rules(shopify_account, post_shopify, gateways, financial_status, expected):
    post_shopify(shopify_order(payment_gateway_names=gateways, financial_status=financial_status))

    assert the_order().payment_method == expected


def test_an_order_without_shipping_address_is_a_pickup_at_the_location(shopify_account, post_shopify):
    post_shopify(shopify_order(shipping_address=None, shipping_lines=[
        {"id": 1, "code": "Palermo", "title": "Local Palermo", "price": "0.00", "source": "shopify"}],
        total_shipping_price_set={"shop_money": {"amount": "0.00", "currency_code": "ARS"}}, total_price="11000.00"))

    order = the_order()
    assert order.fulfillment_method == "pickup"
    assert order.pickup_point == "Local Palermo"


def test_a_duplicate_event_is_recorded_once(shopify_account, post_shopify):
    post_shopify(shopify_order(), event_id="same-event")
    post_shopify(shopify_order(), event_id="same-event")

    assert PlatformEvent.objects.count() == 1
    assert Order.objects.count() == 1


def test_a_pending_order_paid_later_is_paid_once(shopify_account, post_shopify):
    post_shopify(shopify_order(payment_gateway_names=["manual"], financial_status="pending"), event_id="e-1")
    assert not the_order().is_paid

    paid = shopify_order(payment_gateway_names=["manual"], financial_status="paid",
                         updated_at="2025-06-02T11:00:00-03:00")
    post_shopify(paid, topic="orders/paid", event_id="e-2")
    post_shopify(paid, topic="orders/updated", event_id="e-3")

    order = the_order()
    assert order.is_paid and order.payments.count() == 1
    assert order.payment_method == "transfer"


def test_an_older_version_arriving_late_does_not_undo_a_newer_one(shopify_account, post_shopify):
    newer = shopify_order(email="joao.novo@example.com", updated_at="2025-06-02T12:00:00-03:00")
    post_shopify(newer, topic="orders/updated", event_id="e-newer")

    older = shopify_order(updated_at="2025-06-02T10:05:18-03:00")  # the orders/create body, delivered late
    post_shopify(older, topic="orders/create", event_id="e-older")

    assert the_order().customer_email == "joao.novo@example.com"
    assert "an older version" in PlatformEvent.objects.get(event_id="e-older").message


def test_a_cancellation_arriving_before_the_creation_keeps_the_order_cancelled(shopify_account, post_shopify):
    cancelled = shopify_order(cancelled_at="2025-06-02T12:00:00-03:00", cancel_reason="customer",
                              financial_status="refunded", updated_at="2025-06-02T12:00:00-03:00")
    post_shopify(cancelled, topic="orders/cancelled", event_id="e-cancel")
    post_shopify(shopify_order(), topic="orders/create", event_id="e-create")

    order = the_order()
    assert order.status == Status.CANCELLED
    assert order.events.get(to_status=Status.CANCELLED).note == "Cancelled on Shopify: the customer asked to cancel it"


def test_an_order_the_rules_cannot_map_is_kept_aside(shopify_account, post_shopify):
    post_shopify(shopify_order(payment_gateway_names=["Bitcoin"], financial_status="pending"))

    assert not Order.objects.exists()
    event = PlatformEvent.objects.get()
    assert event.status == PlatformEvent.Status.HELD
    assert "payment_gateway_names “Bitcoin”" in event.message


def test_events_that_waited_are_applied_once_the_order_is_placed(shopify_account, post_shopify):
    post_shopify(shopify_order(payment_gateway_names=["Bitcoin"], financial_status="pending"), event_id="e-1")
    assert PlatformEvent.objects.get(event_id="e-1").status == PlatformEvent.Status.HELD

    # The store changes the order's gateway to one a rule maps: it is placed, and the event that
    # waited is worked on again (an older version now: it changes nothing).
    post_shopify(shopify_order(payment_gateway_names=["manual"], financial_status="pending",
                               updated_at="2025-06-02T11:00:00-03:00"), topic="orders/updated", event_id="e-2")

    assert the_order().payment_method == "transfer"
    assert set(PlatformEvent.objects.values_list("status", flat=True)) == {PlatformEvent.Status.DONE}
