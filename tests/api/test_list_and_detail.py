from datetime import UTC, timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import Order
from tests.factories import OrderFactory, carrier

from .conftest import order_body


def create_orders(api, count, prefix="TN"):
    numbers = []
    for n in range(count):
        response = api.create_order(external_id=f"{prefix}-{n}")
        assert response.status_code == 201
        numbers.append(response.json()["number"])
    return numbers


def test_the_list_is_newest_first_and_cursor_paginated(api):
    numbers = create_orders(api, 5)

    seen, url, pages = [], "/api/v1/orders/?page_size=2", 0
    while url:
        page = api.get(url).json()
        seen += [order["number"] for order in page["results"]]
        url, pages = page["next"], pages + 1

    assert seen == list(reversed(numbers))
    assert pages == 3


def test_the_list_query_count_does_not_grow_with_the_orders(api):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/orders/?page_size=100")
        assert response.status_code == 200
        return len(response.json()["results"]), len(queries)

    def add_orders(count, prefix):
        for n in range(count):
            OrderFactory(
                storefront=api.storefront, external_id=f"{prefix}-{n}",
                carrier=carrier("andreani") if n % 2 else None, tracking_code="360000123456780" if n % 2 else "",
            )

    add_orders(5, "A")
    shown_5, queries_5 = count_queries()
    add_orders(45, "B")
    shown_50, queries_50 = count_queries()

    assert (shown_5, shown_50) == (5, 50)
    assert queries_5 == queries_50


def test_the_list_filters_by_status_and_payment_status(api):
    paid, unpaid, cancelled = create_orders(api, 3)
    api.post(f"/api/v1/orders/{paid}/payments/", {"amount": "15000.50"}, format="json")
    api.post(f"/api/v1/orders/{cancelled}/cancel/", {"reason": "Sin stock"}, format="json")

    def numbers(**filters):
        return {o["number"] for o in api.get(f"/api/v1/orders/?{urlencode(filters)}").json()["results"]}

    assert numbers(payment_status="paid") == {paid}
    assert numbers(status="cancelled") == {cancelled}
    assert numbers(status="pending", payment_status="unpaid") == {unpaid}


def test_the_list_finds_an_order_by_the_storefronts_own_id(api, other_api):
    numbers = create_orders(api, 3)
    other_api.create_order(external_id="TN-1")

    found = api.get("/api/v1/orders/?external_id=TN-1").json()["results"]

    assert [o["number"] for o in found] == [numbers[1]]


def test_the_list_filters_by_updated_since(api):
    old, recent = create_orders(api, 2)
    Order.objects.filter(number=old).update(updated_at=timezone.now() - timedelta(days=2))
    since = timezone.now() - timedelta(days=1)

    encoded = api.get("/api/v1/orders/", {"updated_since": since.isoformat()})
    zulu = api.get("/api/v1/orders/", {"updated_since": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
    # A "+00:00" offset pasted into a URL without encoding arrives as a space.
    raw = api.get("/api/v1/orders/?updated_since=" + since.astimezone(UTC).isoformat())

    for response in (encoded.json(), zulu.json(), raw.json()):
        assert [o["number"] for o in response["results"]] == [recent]


@pytest.mark.parametrize("query,field", [
    ("updated_since=yesterday", "updated_since"),
    ("updated_since=2026-13-45T99:00:00Z", "updated_since"),
    ("status=lost", "status"),
    ("payment_status=maybe", "payment_status"),
    ("cursor=garbage", "cursor"),
    ("cursor=cD1ub3QtYS1kYXRl", "cursor"),  # base64 of p=not-a-date
    ("updatedSince=2026-01-01T00:00:00Z", "updatedSince"),  # a misspelt filter never lists every order
    ("=false", "non_field_errors"),
])
def test_bad_list_filters_answer_400(api, query, field):
    create_orders(api, 1)

    response = api.get(f"/api/v1/orders/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_detail_shows_the_order_its_payments_and_its_timeline(api):
    number = api.create_order(payment_method="online", payment={"amount": "15000.50", "reference": "MP-9"}).json()["number"]
    api.post(f"/api/v1/orders/{number}/accept/", {}, format="json")

    with CaptureQueriesContext(connection) as queries:
        detail = api.get(f"/api/v1/orders/{number}/").json()

    order = Order.objects.get(number=number)
    assert detail["number"] == number
    assert detail["external_id"] == "TN-1001"
    assert (detail["status"], detail["payment_status"]) == ("accepted", "paid")
    assert detail["timeline_url"] == order.get_timeline_url()
    assert detail["payments"][0]["reference"] == "MP-9"
    assert [(e["kind"], e["to_status"], e["actor"]) for e in detail["events"]] == [
        ("placed", "pending", "Tienda Palermo (storefront)"),
        ("payment_registered", None, "Tienda Palermo (storefront)"),
        ("status_changed", "accepted", "Tienda Palermo (storefront)"),
    ]
    assert detail["events"][1]["note"] == "MP-9"
    assert len(queries) <= 8


def test_the_timeline_names_staff_and_system_actors(api, placed, admin_user):
    from orders import services

    order = Order.objects.get(number=placed["number"])
    services.register_payment(order, by=None, amount=order.total)
    services.accept(order, by=admin_user)

    events = api.get(f"/api/v1/orders/{placed['number']}/").json()["events"]

    assert [e["actor"] for e in events] == ["Tienda Palermo (storefront)", "System", "boss"]


def test_an_order_without_phone_or_email_reads_back_empty_strings(api):
    body = order_body()
    body["customer"] = {"name": "Juan"}

    created = api.post("/api/v1/orders/", body, format="json")

    assert created.status_code == 201
    assert created.json()["customer"] == {
        "name": "Juan", "email": "", "phone": "", "language": "es", "whatsapp_opt_in": False,
    }
