from decimal import Decimal

import pytest

from orders.models import Order, OrderEvent
from orders.signals import order_placed

from .conftest import NOT_AN_AMOUNT, ORDER_BODY, order_body


def test_creating_an_order_answers_201_with_the_order(api):
    response = api.create_order()

    assert response.status_code == 201
    body = response.json()
    order = Order.objects.get(number=body["number"])
    assert order.storefront == api.storefront
    assert order.external_id == "TN-1001"
    assert body["status"] == "pending"
    assert body["payment_status"] == "unpaid"
    assert body["customer"] == {
        "name": "María Pérez", "email": "maria@example.com", "phone": "+5491155550000", "language": "es",
        "whatsapp_opt_in": False,
    }
    assert body["fulfillment"] == {
        "method": "carrier", "address": "Av. Colón 1234", "city": "Córdoba", "pickup_point": "",
    }
    assert body["lines"][1] == {
        "sku": "GOR-002", "name": "Gorra", "quantity": 1, "unit_price": "3500.50", "line_total": "3500.50",
    }
    assert (body["lines_total"], body["shipping_cost"], body["total"]) == ("13500.50", "1500.00", "15000.50")
    assert order.total == Decimal("15000.50")
    assert body["tracking"] == {"carrier": None, "code": None, "url": None}
    assert body["timeline_url"] == order.get_timeline_url()
    assert [event["kind"] for event in body["events"]] == ["placed"]
    assert body["payments"] == []


def test_the_customers_whatsapp_opt_in_is_recorded_from_the_storefront(api):
    body = order_body()
    body["customer"]["whatsapp_opt_in"] = True

    response = api.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 201
    assert response.json()["customer"]["whatsapp_opt_in"] is True
    order = Order.objects.get(number=response.json()["number"])
    assert (order.whatsapp_opt_in, order.whatsapp_opt_in_source) == (True, "storefront")
    assert order.whatsapp_opt_in_at is not None
    # The order's history says where the consent came from, like an opt-in on the timeline page.
    assert list(order.events.order_by("pk").values_list("kind", flat=True)) == ["placed", "note"]
    note = order.events.get(kind="note")
    assert note.data == {"whatsapp_opt_in": True, "source": "storefront"}
    assert "WhatsApp" in note.note


def test_an_order_paid_online_is_created_paid(api):
    response = api.create_order(payment_method="online", payment={"amount": "15000.50", "reference": "MP-123"})

    assert response.status_code == 201
    body = response.json()
    assert body["payment_status"] == "paid"
    assert body["payments"][0]["amount"] == "15000.50"
    assert body["payments"][0]["reference"] == "MP-123"
    assert [event["kind"] for event in body["events"]] == ["placed", "payment_registered"]


def test_a_pickup_order_needs_no_address(api):
    response = api.create_order(fulfillment={"method": "pickup", "pickup_point": "Local Palermo, Honduras 4800"})

    assert response.status_code == 201
    assert response.json()["fulfillment"]["pickup_point"] == "Local Palermo, Honduras 4800"


def test_portuguese_may_be_sent_as_pt_BR_and_reads_back_as_pt_br(api):
    body = order_body()
    body["customer"]["language"] = "pt-BR"

    response = api.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 201
    assert response.json()["customer"]["language"] == "pt-br"


def test_amounts_may_be_json_numbers_and_currency_lower_case(api):
    body = order_body(currency="brl", shipping_cost=10)
    body["lines"] = [{"name": "Camiseta", "quantity": 3, "unit_price": 19.9}]

    response = api.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 201
    assert (response.json()["currency"], response.json()["total"]) == ("BRL", "69.70")


def test_notify_customer_false_reaches_the_domain_signal(api):
    received = []

    def receiver(sender, order, notify_customer, **kwargs):
        received.append(notify_customer)

    order_placed.connect(receiver, dispatch_uid="test_api_notify")
    try:
        api.create_order(external_id="quiet", notify_customer=False)
        api.create_order(external_id="loud")
    finally:
        order_placed.disconnect(dispatch_uid="test_api_notify")

    assert received == [False, True]


def _with_customer(**changes):
    body = order_body()
    body["customer"].update(changes)
    return body


def _with_line(**changes):
    body = order_body()
    body["lines"][0].update(changes)
    return body


def _with_fulfillment(**changes):
    body = order_body()
    body["fulfillment"].update(changes)
    return body


@pytest.mark.parametrize("body,errors", [
    pytest.param(_with_customer(phone="12"), {"customer": {"phone": ["Enter a valid phone number."]}}, id="phone"),
    pytest.param(order_body(payment_method="bitcoin"), {"payment_method": ['"bitcoin" is not a valid choice.']},
                 id="payment-method"),
    pytest.param(_with_line(quantity=0), {"lines": {
        "0": {"quantity": ["Ensure this value is greater than or equal to 1."]},
    }}, id="quantity-zero"),
    pytest.param(_with_line(quantity=-3), {"lines": {
        "0": {"quantity": ["Ensure this value is greater than or equal to 1."]},
    }}, id="quantity-negative"),
    pytest.param(_with_line(unit_price="-10.00"), {"lines": {"0": {"unit_price": [NOT_AN_AMOUNT]}}},
                 id="negative-price"),
    pytest.param(order_body(currency="XYZ"), {"currency": [
        "“XYZ” is not the code of a currency in use (ISO 4217, e.g. ARS, BRL, USD)."]}, id="currency"),
    pytest.param(order_body(shipping_cost="-1"), {"shipping_cost": [NOT_AN_AMOUNT]}, id="negative-shipping"),
    pytest.param(_with_fulfillment(address=""), {"fulfillment": {"address": ["Carrier orders need a delivery address."]}},
                 id="carrier-without-address"),
    pytest.param(_with_fulfillment(method="pickup", address="", pickup_point=""),
                 {"fulfillment": {"pickup_point": ["Pickup orders need the pickup point."]}},
                 id="pickup-without-pickup-point"),
    pytest.param(_with_fulfillment(method="drone"), {"fulfillment": {"method": ['"drone" is not a valid choice.']}},
                 id="fulfillment-method"),
    pytest.param(_with_customer(language="fr"), {"customer": {"language": ['"fr" is not a valid choice.']}},
                 id="language"),
    pytest.param(order_body(lines=[]), {"lines": ["Ensure this field has at least 1 elements."]},
                 id="no-lines"),
    pytest.param(order_body(payment={"amount": "0"}), {"payment": {"amount": [
        "Ensure this value is greater than or equal to 0.01."]}}, id="zero-payment"),
])
def test_invalid_orders_answer_400_with_one_message_per_field(api, body, errors):
    response = api.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Order.objects.exists()


def test_every_invalid_field_is_reported_at_once(api):
    body = order_body(payment_method="bitcoin", currency="XYZ")
    body["customer"]["phone"] = "not a phone"
    body["lines"][1]["quantity"] = 0

    errors = api.post("/api/v1/orders/", body, format="json").json()

    assert set(errors) == {"payment_method", "currency", "customer", "lines"}
    assert list(errors["lines"]) == ["1"]
    assert "quantity" in errors["lines"]["1"]


@pytest.mark.parametrize("body,field_path", [
    (_with_line(quantity="2"), ("lines", "0", "quantity")),
    (_with_line(quantity=2.5), ("lines", "0", "quantity")),
    (_with_line(unit_price=True), ("lines", "0", "unit_price")),
    (_with_customer(name=123), ("customer", "name")),
    (_with_customer(phone=5491155550000), ("customer", "phone")),
    (order_body(notify_customer="yes"), ("notify_customer",)),
    (order_body(notify_customer=1), ("notify_customer",)),
    (order_body(payment_method=["transfer"]), ("payment_method",)),
    (order_body(currency=978), ("currency",)),
    (order_body(external_id=None), ("external_id",)),
    (order_body(customer="María"), ("customer", "non_field_errors")),
    (order_body(lines={"sku": "x"}), ("lines",)),
])
def test_values_of_the_wrong_json_type_are_refused_not_coerced(api, body, field_path):
    response = api.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 400
    errors = response.json()
    for key in field_path:
        errors = errors[key]
    assert errors
    assert not Order.objects.exists()


def test_a_whole_number_sent_as_a_float_is_a_fine_quantity(api):
    response = api.post("/api/v1/orders/", _with_line(quantity=2.0), format="json")

    assert response.status_code == 201
    assert response.json()["lines"][0]["quantity"] == 2


def test_an_order_has_at_most_100_lines(api):
    body = order_body(lines=[{"name": f"Producto {n}", "quantity": 1, "unit_price": "1.00"} for n in range(101)])

    response = api.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"lines": ["Ensure this field has no more than 100 elements."]}


def test_a_total_beyond_twelve_digits_is_refused_not_crashed(api):
    body = order_body()
    body["lines"] = [{"name": "Lingote", "quantity": 100_000, "unit_price": "9999999999.99"}]

    response = api.post("/api/v1/orders/", body, format="json")

    assert response.status_code == 400
    assert "lines" in response.json()
    assert not Order.objects.exists()


@pytest.mark.parametrize("payload,content_type", [
    (b"{not json", "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'"just a string"', "application/json"),
    (b"null", "application/json"),
    (b"", "application/json"),
    (b"[" * 5000 + b"]" * 5000, "application/json"),
    (b'{"shipping_cost": ' + b"[" * 900 + b"]" * 900 + b"}", "application/json"),
    (b'{"customer": {"language": ' + b"[" * 900 + b"]" * 900 + b"}}", "application/json"),
    (b'{"external_id": {"$gt": ""}, "customer": [], "lines": "many", "currency": 978}', "application/json"),
    (b'{"external_id": "x", "customer": {"name": {"first": "A"}}, "lines": [null, 1, "a", {}]}', "application/json"),
    (b'{"external_id": "x\\u0000y", "customer": {"name": "A\\u0000"}}', "application/json"),
    (b'{"lines": [{"name": "x", "quantity": 1e400, "unit_price": 1e400}]}', "application/json"),
    (b'{"lines": [{"name": "x", "quantity": 99999999999999999999999, "unit_price": "NaN"}]}', "application/json"),
    (b'{"shipping_cost": "Infinity", "payment": {"amount": "1e999999"}}', "application/json"),
    (b'{"lines": [{"name": "x", "quantity": true, "unit_price": [1]}]}', "application/json"),
    (b"external_id=1&currency=ARS", "application/x-www-form-urlencoded"),
    (b"<order/>", "application/xml"),
])
def test_malformed_requests_get_a_4xx_never_a_500(api, payload, content_type):
    response = api.generic("POST", "/api/v1/orders/", payload, content_type=content_type)

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/json"
    assert not Order.objects.exists()


def test_malformed_json_says_so(api):
    response = api.generic("POST", "/api/v1/orders/", b"{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_unknown_fields_answer_400_naming_them_at_every_level(api):
    lines = [{**ORDER_BODY["lines"][0], "discount": "10"}]
    response = api.create_order(
        coupon="PROMO10", customer={**ORDER_BODY["customer"], "vip": True}, lines=lines,
        fulfillment={**ORDER_BODY["fulfillment"], "floor": "3"},
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"coupon", "customer", "lines", "fulfillment"}
    assert errors["coupon"][0].startswith("Unknown field; the fields here are notify_customer, external_id,")
    assert errors["customer"] == {"vip": ["Unknown field; the fields here are name, email, phone, language, whatsapp_opt_in."]}
    assert errors["lines"] == {"0": {"discount": ["Unknown field; the fields here are sku, name, quantity, unit_price."]}}
    assert list(errors["fulfillment"]) == ["floor"]
    assert not Order.objects.exists()


def test_an_unknown_field_is_named_next_to_the_other_errors(api):
    response = api.create_order(coupon="PROMO10", currency="XXX")

    assert response.status_code == 400
    assert set(response.json()) == {"coupon", "currency"}
