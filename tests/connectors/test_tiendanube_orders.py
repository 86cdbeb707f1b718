"""Tiendanube orders flow in: the webhook says "order N changed", the worker reads the order from the
platform (the stub) and makes ours agree with it through orders.services."""
from decimal import Decimal

import pytest
from django.core import mail

from connectors.models import OrderLink, PlatformEvent
from orders import services
from orders.models import Order, Status
from tests.factories import carrier

from .conftest import TN_STORE, fixture, tiendanube_order

pytestmark = pytest.mark.django_db


def webhook(event: str, order_id=450789469) -> dict:
    """The body Tiendanube documents: only the store, the event and the id."""
    return {**fixture("tiendanube_webhooks.json")["order/created"], "event": event, "id": order_id}


def the_order() -> Order:
    return Order.objects.get(external_id="450789469")


def test_a_new_order_is_read_from_the_platform_and_placed(tn_account, stub, post_tiendanube):
    stub.tiendanube_orders["450789469"] = tiendanube_order()

    response = post_tiendanube(webhook("order/created"))

    assert response.status_code == 200
    order = the_order()
    assert order.storefront == tn_account.storefront
    assert order.payment_method == "transfer"  # offline + bank_transfer
    assert order.fulfillment_method == "carrier"  # ship
    assert order.status == Status.PENDING and not order.is_paid
    assert order.customer_name == "María Pérez"
    assert order.customer_email == "maria.perez@example.com"
    assert str(order.customer_phone) == "+5491155550000"
    assert order.address == "Av. Colón 1234, 3B, Centro, 5000 Córdoba, Córdoba, AR"
    assert order.city == "Córdoba"
    assert order.currency == "ARS"
    # The 10% transfer discount is spread over the lines: the total is what the customer pays.
    assert order.shipping_cost == Decimal("1500.00")
    assert order.total == Decimal("13200.00")
    assert sum(line.line_total for line in order.lines.all()) == Decimal("11700.00")
    assert {line.sku for line in order.lines.all()} == {"REM-001", "GOR-002"}
    assert sum(line.quantity for line in order.lines.all() if line.sku == "REM-001") == 2
    # The platform was read with its own header name and a User-Agent naming us and a contact.
    fetch = stub.calls("GET", f"/tn/{TN_STORE}/orders/450789469")[0]
    assert fetch["headers"]["authentication"] == "bearer tn-access-token"
    assert "orders@example.com" in fetch["headers"]["user-agent"]
    event = PlatformEvent.objects.get()
    assert event.status == PlatformEvent.Status.DONE
    assert order.number in event.message
    assert OrderLink.objects.get().order == order


def test_the_platform_already_emails_the_order_confirmation(tn_account, stub, post_tiendanube):
    stub.tiendanube_orders["450789469"] = tiendanube_order()

    post_tiendanube(webhook("order/created"))

    # Ours is skipped (the customer gets Tiendanube's); the staff's new-order email still goes.
    assert tn_account.storefront.emails_sent_by_platform == ["order_placed", "payment_approved"]
    assert [message.to for message in mail.outbox] == [["orders@example.com"]]


def test_a_duplicate_delivery_is_recorded_once_and_changes_nothing(tn_account, stub, post_tiendanube, client):
    stub.tiendanube_orders["450789469"] = tiendanube_order(payment_status="paid", gateway="mercadopago",
                                                           gateway_id="1312", payment_details={"method": "credit_card"})
    # The platform delivers the same event again, and an older one late: each is read afresh, and the
    # order is placed and paid once.
    post_tiendanube(webhook("order/paid"))
    post_tiendanube(webhook("order/paid"))
    post_tiendanube(webhook("order/created"))

    order = the_order()
    assert Order.objects.count() == 1
    assert order.payments.count() == 1
    assert order.is_paid and order.payment_method == "online"
    assert PlatformEvent.objects.filter(status="done").count() == 3
    assert "nothing to change" in PlatformEvent.objects.order_by("-id").first().message


def test_identical_waiting_deliveries_are_one_row(tn_account, stub, client):
    from connectors.services import receiving

    body = b'{"store_id": 123456, "event": "order/updated", "id": 450789469}'
    first = receiving.record(tn_account, topic="order/updated", resource_id="450789469", body=body)
    second = receiving.record(tn_account, topic="order/updated", resource_id="450789469", body=body)

    assert first is not None and second is None
    assert PlatformEvent.objects.count() == 1


def test_deliveries_out_of_order_end_where_the_platform_is(tn_account, stub, post_tiendanube):
    # order/paid arrives before order/created: the order is read as it is now, placed and paid.
    stub.tiendanube_orders["450789469"] = tiendanube_order(payment_status="paid")
    post_tiendanube(webhook("order/paid"))
    order = the_order()
    assert order.is_paid and order.payments.count() == 1

    # The late order/created finds it there: nothing placed or paid twice.
    post_tiendanube(webhook("order/created"))

    assert Order.objects.count() == 1
    assert the_order().payments.count() == 1


def test_a_payment_on_the_platform_is_registered_once(tn_account, stub, post_tiendanube):
    stub.tiendanube_orders["450789469"] = tiendanube_order()
    post_tiendanube(webhook("order/created"))
    stub.tiendanube_orders["450789469"].update(payment_status="paid", paid_at="2025-06-02T15:00:00+0000",
                                               updated_at="2025-06-02T15:00:00+0000")

    post_tiendanube(webhook("order/paid"))
    post_tiendanube(webhook("order/paid"))

    order = the_order()
    assert order.is_paid
    assert [payment.amount for payment in order.payments.all()] == [Decimal("13200.00")]
    assert order.payments.get().recorded_by == tn_account.storefront.user


def test_a_cancellation_on_the_platform_cancels_with_its_reason(tn_account, stub, post_tiendanube):
    stub.tiendanube_orders["450789469"] = tiendanube_order()
    post_tiendanube(webhook("order/created"))
    stub.tiendanube_orders["450789469"].update(status="cancelled", cancel_reason="inventory")

    post_tiendanube(webhook("order/cancelled"))

    order = the_order()
    assert order.status == Status.CANCELLED
    event = order.events.get(to_status=Status.CANCELLED)
    assert event.note == "Cancelled on Tiendanube: out of stock"
    assert event.actor == tn_account.storefront.user


def test_an_update_changes_contact_and_address_but_not_what_staff_corrected(tn_account, stub, post_tiendanube,
                                                                             admin_user):
    stub.tiendanube_orders["450789469"] = tiendanube_order()
    post_tiendanube(webhook("order/created"))
    # Staff correct the phone here.
    services.update_contact(the_order(), by=admin_user, changes={"customer_phone": "+5493514440000"})
    stub.tiendanube_orders["450789469"].update(
        contact_email="maria.nueva@example.com", contact_phone="+54 9 11 4444-1111",
        shipping_address={**stub.tiendanube_orders["450789469"]["shipping_address"], "address": "Bv. San Juan",
                          "number": "50"},
        updated_at="2025-06-03T10:00:00+0000",
    )

    post_tiendanube(webhook("order/updated"))

    order = the_order()
    assert order.customer_email == "maria.nueva@example.com"
    assert order.address.startswith("Bv. San Juan 50")
    assert str(order.customer_phone) == "+5493514440000"  # the staff's correction stays
    assert "kept the staff's correction of customer_phone" in PlatformEvent.objects.order_by("-id")[0].message


def test_an_update_never_moves_the_order_nor_changes_a_shipped_address(tn_account, stub, post_tiendanube,
                                                                         admin_user):
    stub.tiendanube_orders["450789469"] = tiendanube_order(payment_status="paid")
    post_tiendanube(webhook("order/created"))
    order = the_order()
    services.accept(order, by=admin_user)
    services.start_preparation(order, by=admin_user)
    services.ship(order, by=admin_user, carrier=carrier("correo-argentino"), tracking_code="RR123456785AR")
    stub.tiendanube_orders["450789469"].update(
        shipping_status="unpacked", contact_email="otra@example.com",
        shipping_address={**stub.tiendanube_orders["450789469"]["shipping_address"], "address": "Otra calle"},
        updated_at="2025-06-04T10:00:00+0000",
    )

    post_tiendanube(webhook("order/updated"))

    order = the_order()
    assert order.status == Status.SHIPPED
    assert order.customer_email == "otra@example.com"
    assert order.address.startswith("Av. Colón")


def test_an_order_no_rule_maps_is_kept_with_the_reason_and_placed_once_a_rule_matches(
        tn_account, stub, post_tiendanube, staff_client, django_capture_on_commit_callbacks):
    stub.tiendanube_orders["450789469"] = tiendanube_order(gateway="pagofacil", gateway_name="Pago Fácil",
                                                           payment_details={"method": "ticket"})

    post_tiendanube(webhook("order/created"))

    assert not Order.objects.exists()
    event = PlatformEvent.objects.get()
    assert event.status == PlatformEvent.Status.HELD
    assert "No payment method rule matches" in event.message and "pagofacil" in event.message
    link = OrderLink.objects.get()
    assert link.order is None and "pagofacil" in link.problem
    # The admin index tells the staff.
    assert "Connected stores need you" in staff_client.get("/admin/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/connectors/methodrule/add/", {
            "platform": "tiendanube", "kind": "payment", "position": "5", "active": "on", "field": "gateway",
            "match": "equals", "value": "PagoFacil", "and_field": "", "and_match": "equals", "and_value": "",
            "result": "cash_on_delivery",
        })

    assert response.status_code == 302
    order = the_order()
    assert order.payment_method == "cash_on_delivery"
    assert PlatformEvent.objects.get().status == PlatformEvent.Status.DONE
    assert OrderLink.objects.get().problem == ""


def test_a_signed_webhook_for_a_store_not_connected_changes_nothing(tn_account, stub, post_tiendanube):
    response = post_tiendanube({"store_id": 999, "event": "order/created", "id": 1})

    assert response.status_code == 200
    assert not PlatformEvent.objects.exists()


def test_an_order_deleted_on_the_platform_is_nothing_to_do(tn_account, stub, post_tiendanube):
    post_tiendanube(webhook("order/created", order_id=111))

    event = PlatformEvent.objects.get()
    assert event.status == PlatformEvent.Status.DONE
    assert not Order.objects.exists()
