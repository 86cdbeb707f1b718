"""order.refunded: one event per refund, with the refund and the order as committed."""
import json

import pytest
from django.utils.dateparse import parse_datetime

from orders import services
from webhooks.models import Delivery, Event

from .helpers import committed, endpoint, pay, place

pytestmark = pytest.mark.django_db


def refunded_bodies(order) -> list[dict]:
    return [json.loads(row.body) for row in Delivery.objects.filter(order=order, event_type="order.refunded")
            .order_by("pk")]


def test_each_refund_sends_order_refunded_with_the_refund(staff, shop):
    endpoint(shop)
    with committed():
        order = pay(place(by=staff, storefront=shop), by=staff)
        services.cancel(order, by=staff, reason="Sin stock")

    with committed():
        services.register_refund(order, by=staff, amount="5000.00", reference="DEV-1", note="interna")
    with committed():
        services.register_refund(order, by=staff, amount="6500.00")

    first, second = refunded_bodies(order)
    assert first["type"] == "order.refunded"
    assert first["data"]["refund"]["amount"] == "5000.00"
    assert first["data"]["refund"]["reference"] == "DEV-1"
    assert first["data"]["refund"]["fully_refunded"] is False
    assert parse_datetime(first["data"]["refund"]["created_at"]) is not None
    assert first["data"]["order"]["payment_status"] == "partially_refunded"
    assert first["data"]["order"]["status"] == "cancelled"
    assert (second["data"]["refund"]["amount"], second["data"]["refund"]["fully_refunded"]) == ("6500.00", True)
    assert second["data"]["order"]["payment_status"] == "refunded"
    assert first["id"] != second["id"]


def test_only_endpoints_subscribed_to_order_refunded_get_it(staff, shop):
    endpoint(shop, url="https://hooks.example.com/all")
    endpoint(shop, url="https://hooks.example.com/paid", events=[Event.ORDER_PAID])
    with committed():
        order = pay(place(by=staff, storefront=shop), by=staff)

    with committed():
        services.register_refund(order, by=staff, amount="100.00")

    rows = Delivery.objects.filter(order=order, event_type="order.refunded")
    assert [row.endpoint.url for row in rows] == ["https://hooks.example.com/all"]


def test_a_refused_refund_sends_nothing(staff, shop):
    endpoint(shop)
    with committed():
        order = place(by=staff, storefront=shop)

    with pytest.raises(services.TransitionNotAllowed), committed():
        services.register_refund(order, by=staff, amount="1.00")

    assert not Delivery.objects.filter(event_type="order.refunded").exists()


def test_storefronts_may_subscribe_to_order_refunded_over_the_api(db):
    from tests.api.conftest import make_client

    api = make_client("Tienda Palermo")
    response = api.post("/api/v1/webhooks/", {"url": "https://hooks.example.com/r", "events": ["order.refunded"]},
                        format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["events"] == ["order.refunded"]
