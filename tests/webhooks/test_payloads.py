"""What each event says: the envelope, the order as the API shows it, and the event's own data."""
import json
import uuid

import pytest
from django.utils import translation
from django.utils.dateparse import parse_datetime

from orders import services
from webhooks.models import Delivery

from .helpers import TRACKING_CODE, committed, endpoint, pay, place, ship, to_preparing

pytestmark = pytest.mark.django_db


def body(order, event_type) -> dict:
    """The body of the order's latest event of that type."""
    return json.loads(Delivery.objects.filter(order=order, event_type=event_type).latest("pk").body)


@pytest.fixture
def hooked(shop):
    return endpoint(shop)


def test_order_created_carries_the_envelope_and_the_order(staff, shop, hooked):
    with committed():
        order = place(by=staff, storefront=shop)

    event = body(order, "order.created")
    assert set(event) == {"id", "type", "created_at", "data"}
    assert uuid.UUID(event["id"])
    assert event["type"] == "order.created"
    assert parse_datetime(event["created_at"]) is not None
    assert set(event["data"]) == {"order"}
    data = event["data"]["order"]
    assert data["number"] == order.number
    assert data["external_id"] == "TN-1001"
    assert (data["status"], data["payment_status"], data["payment_method"]) == ("pending", "unpaid", "transfer")
    assert data["customer"] == {"name": "María Pérez", "email": "maria@example.com", "phone": "+5491155550000",
                                "language": "es", "whatsapp_opt_in": False}
    assert data["lines"] == [{"sku": "REM-001", "name": "Remera de algodón", "quantity": 2,
                              "unit_price": "5000.00", "line_total": "10000.00"}]
    assert (data["currency"], data["lines_total"], data["shipping_cost"], data["total"]) == (
        "ARS", "10000.00", "1500.00", "11500.00"
    )
    assert data["tracking"] == {"carrier": None, "code": None, "url": None}
    assert data["timeline_url"] == order.get_timeline_url()


def test_the_order_reads_like_the_api_order_list(staff, shop, hooked):
    from orders.representation import OrderOutput

    with committed():
        order = place(by=staff, storefront=shop)
    assert set(body(order, "order.created")["data"]["order"]) == set(OrderOutput().fields)


def test_order_paid_is_sent_when_payments_cover_the_total_with_the_payment(staff, shop, hooked):
    with committed():
        order = place(by=staff, storefront=shop)
    with committed():
        services.register_payment(order, by=staff, amount="5000.00", reference="part")
    assert not Delivery.objects.filter(order=order, event_type="order.paid").exists()  # not paid yet

    with committed():
        services.register_payment(order, by=staff, amount="6500.00", reference="MP-123")

    event = body(order, "order.paid")
    assert event["data"]["order"]["payment_status"] == "paid"
    payment = event["data"]["payment"]
    assert (payment["amount"], payment["reference"]) == ("6500.00", "MP-123")
    assert parse_datetime(payment["created_at"]) is not None


def test_an_order_created_already_paid_sends_created_then_paid_both_as_committed(staff, shop, hooked):
    with committed():
        order = place(by=staff, storefront=shop, payment_method="online",
                      payment={"amount": "11500.00", "reference": "MP-9"})
    rows = Delivery.objects.filter(order=order).order_by("pk")
    assert list(rows.values_list("event_type", flat=True)) == ["order.created", "order.paid"]
    # One transaction placed and paid it: both bodies show the order that transaction committed.
    assert body(order, "order.created")["data"]["order"]["payment_status"] == "paid"
    assert body(order, "order.paid")["data"]["order"]["payment_status"] == "paid"
    assert body(order, "order.paid")["data"]["payment"]["reference"] == "MP-9"


def test_every_status_change_is_sent_with_from_and_to(staff, shop, hooked):
    order = pay(place(by=staff, storefront=shop), by=staff)
    with committed():
        services.accept(order, by=staff)
    with committed():
        services.start_preparation(order, by=staff)

    changes = [
        json.loads(b)["data"]
        for b in Delivery.objects.filter(order=order, event_type="order.status_changed").order_by("pk")
        .values_list("body", flat=True)
    ]
    assert [(c["from_status"], c["to_status"], c["order"]["status"]) for c in changes] == [
        ("pending", "accepted", "accepted"), ("accepted", "preparing", "preparing"),
    ]


def test_order_shipped_carries_the_carrier_tracking_code_and_link(staff, shop, hooked):
    order = to_preparing(place(by=staff, storefront=shop), by=staff)
    with committed():
        ship(order, by=staff)
    order.refresh_from_db()

    event = body(order, "order.shipped")
    assert event["data"]["tracking"] == {
        "carrier": "correo-argentino",
        "carrier_name": "Correo Argentino",
        "code": TRACKING_CODE,
        "url": order.tracking_url,
    }
    assert TRACKING_CODE in order.tracking_url
    assert event["data"]["order"]["status"] == "shipped"
    assert event["data"]["order"]["tracking"]["code"] == TRACKING_CODE
    # The status change is sent too, to endpoints that subscribe to it.
    assert body(order, "order.status_changed")["data"]["to_status"] == "shipped"


def test_order_cancelled_carries_the_reason(staff, shop, hooked):
    order = place(by=staff, storefront=shop)
    with committed():
        services.cancel(order, by=staff, reason="El cliente se arrepintió")

    event = body(order, "order.cancelled")
    assert event["data"]["reason"] == "El cliente se arrepintió"
    assert event["data"]["order"]["status"] == "cancelled"
    assert body(order, "order.status_changed")["data"]["to_status"] == "cancelled"


def test_order_custom_status_changed_carries_the_type_and_both_statuses(staff, shop, hooked, settings):
    settings.LANGUAGE_CODE = "es"
    order = place(by=staff, storefront=shop)
    with committed():
        services.set_custom_status(order, by=staff, status_type="delivery", code="in_transit")
    with committed():
        services.set_custom_status(order, by=staff, status_type="delivery", code="out_for_delivery")

    first, second = [
        json.loads(b)["data"]
        for b in Delivery.objects.filter(order=order, event_type="order.custom_status_changed").order_by("pk")
        .values_list("body", flat=True)
    ]
    assert first["custom_status"] == {
        "type": "delivery",
        "from": None,
        "to": {"code": "in_transit", "type": "delivery", "name": "En camino",
               "names": {"en": "In transit", "es": "En camino", "pt-br": "Em trânsito"}},
    }
    assert second["custom_status"]["from"]["code"] == "in_transit"
    assert (second["custom_status"]["to"]["code"], second["custom_status"]["to"]["name"]) == (
        "out_for_delivery", "En reparto"
    )
    assert second["order"]["number"] == order.number


def test_setting_the_custom_status_an_order_already_has_sends_nothing(staff, shop, hooked):
    order = place(by=staff, storefront=shop)
    services.set_custom_status(order, by=staff, status_type="payment", code="invoice_issued")
    services.set_custom_status(order, by=staff, status_type="payment", code="invoice_issued")
    assert Delivery.objects.filter(order=order, event_type="order.custom_status_changed").count() == 1


def test_the_body_names_statuses_in_the_stores_language_whoever_made_the_change(staff, shop, hooked, settings):
    settings.LANGUAGE_CODE = "es"
    order = place(by=staff, storefront=shop)
    with translation.override("en"), committed():  # a staff member, or a storefront's request, in English
        services.set_custom_status(order, by=staff, status_type="delivery", code="out_for_delivery")

    data = body(order, "order.custom_status_changed")["data"]
    assert data["custom_status"]["to"]["name"] == "En reparto"
    assert data["order"]["custom_statuses"]["delivery"] == {"code": "out_for_delivery", "name": "En reparto"}
