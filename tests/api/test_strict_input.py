"""Amounts, currencies, text and field names are checked strictly on every input of the API."""
from decimal import Decimal

import pytest

from orders.models import Order, Payment, PaymentStatus

from .conftest import NOT_AN_AMOUNT, ORDER_BODY, order_body
from .test_moves_and_payments import move, pay

pytestmark = pytest.mark.django_db

LOOSE_AMOUNTS = [
    pytest.param("1e2", id="exponent"),
    pytest.param("1E2", id="capital-exponent"),
    pytest.param("١٢٣", id="arabic-indic-digits"),
    pytest.param("１２３", id="fullwidth-digits"),
    pytest.param(" 1.00 ", id="padded"),
    pytest.param("1.00\n", id="trailing-newline"),
    pytest.param("-0.00", id="negative-zero"),
    pytest.param("+1.00", id="plus-sign"),
    pytest.param("0001.00", id="leading-zeros"),
    pytest.param("1.", id="bare-point"),
    pytest.param(".5", id="no-units"),
    pytest.param("1_000", id="underscore"),
    pytest.param("NaN", id="nan"),
]


def with_line(**changes) -> dict:
    return order_body(lines=[{**ORDER_BODY["lines"][0], **changes}])


@pytest.mark.parametrize("amount", LOOSE_AMOUNTS)
def test_a_loose_amount_answers_400_on_its_field_wherever_it_is_sent(api, placed, amount):
    cases = [
        (api.create_order(external_id="A-1", shipping_cost=amount), {"shipping_cost": [NOT_AN_AMOUNT]}),
        (api.post("/api/v1/orders/", with_line(unit_price=amount), format="json"),
         {"lines": {"0": {"unit_price": [NOT_AN_AMOUNT]}}}),
        (api.create_order(external_id="A-2", payment_method="online", payment={"amount": amount}),
         {"payment": {"amount": [NOT_AN_AMOUNT]}}),
        (pay(api, placed["number"], amount), {"amount": [NOT_AN_AMOUNT]}),
    ]

    for response, errors in cases:
        assert (response.status_code, response.json()) == (400, errors)
    assert Order.objects.count() == 1 and not Payment.objects.exists()


@pytest.mark.parametrize("raw", [b"1e2", b"1E+2", b"-0", b"-0.0", b"1500.005", b"12345678901", b"1.0e1"])
def test_a_json_number_is_held_to_the_same_rule_as_it_was_written(api, placed, raw):
    body = b'{"amount": %s, "reference": "TRF-1"}' % raw

    response = api.generic("POST", f"/api/v1/orders/{placed['number']}/payments/", body,
                           content_type="application/json")

    assert (response.status_code, response.json()) == (400, {"amount": [NOT_AN_AMOUNT]})


@pytest.mark.parametrize("raw,amount", [(b"100", "100.00"), (b"1500.5", "1500.50"), (b"0.01", "0.01")])
def test_a_json_number_written_as_a_plain_decimal_is_an_amount(api, placed, raw, amount):
    body = b'{"amount": %s}' % raw

    response = api.generic("POST", f"/api/v1/orders/{placed['number']}/payments/", body,
                           content_type="application/json")

    assert response.status_code == 201, response.json()
    assert response.json()["payments"][0]["amount"] == amount


@pytest.mark.parametrize("amount", ["0", "0.5", "10", "1500.5", "1500.50", "99999999.99"])
def test_plain_decimal_strings_are_amounts(api, amount):
    response = api.create_order(shipping_cost=amount)

    assert response.status_code == 201, response.json()
    assert Decimal(response.json()["shipping_cost"]) == Decimal(amount)


@pytest.mark.parametrize("code", ["XXX", "XTS", "XAU", "XDR", "USN", "ZZZ", "ARP"])
def test_a_code_that_is_no_currency_in_use_answers_400(api, code):
    response = api.create_order(currency=code)

    assert response.status_code == 400
    assert response.json() == {
        "currency": [f"“{code}” is not the code of a currency in use (ISO 4217, e.g. ARS, BRL, USD)."],
    }


@pytest.mark.parametrize("code,stored", [("usd", "USD"), ("BRL", "BRL"), ("EUR", "EUR"), ("XOF", "XOF")])
def test_currencies_in_use_are_accepted_in_any_case(api, code, stored):
    response = api.create_order(currency=code)

    assert response.status_code == 201, response.json()
    assert response.json()["currency"] == stored


@pytest.mark.parametrize("method", ["transfer", "payment_link", "cash_on_delivery"])
def test_a_payment_at_creation_is_refused_unless_the_order_is_paid_online(api, method):
    response = api.create_order(payment_method=method, payment={"amount": "15000.50", "reference": "MP-1"})

    assert response.status_code == 400
    assert list(response.json()) == ["payment"]
    assert response.json()["payment"][0].startswith("Only online orders are created with a payment;")
    assert not Order.objects.exists()


def test_a_payment_at_creation_above_the_total_answers_400_and_creates_nothing(api):
    response = api.create_order(payment_method="online", payment={"amount": "15000.51"})

    assert response.status_code == 400
    assert response.json() == {"payment": {"amount": [
        "This payment of ARS15,000.51 is more than the ARS15,000.50 still owed on the order; register at most that."
    ]}}
    assert not Order.objects.exists()


def test_a_payment_above_what_is_owed_answers_409_overpayment_and_changes_nothing(api, placed):
    number = placed["number"]
    assert pay(api, number, "10000.00").status_code == 201

    response = pay(api, number, "5000.51")

    assert response.status_code == 409
    assert response.json() == {
        "code": "overpayment",
        "detail": "This payment of ARS5,000.51 is more than the ARS5,000.50 still owed on the order; "
                  "register at most that.",
    }
    order = Order.objects.get(number=number)
    assert order.payment_status == PaymentStatus.UNPAID
    assert list(order.payments.values_list("amount", flat=True)) == [Decimal("10000.00")]
    assert pay(api, number, "5000.50").json()["payment_status"] == "paid"


def test_the_overpayment_message_follows_the_request_language(api, placed):
    response = api.post(f"/api/v1/orders/{placed['number']}/payments/", {"amount": "20000"}, format="json",
                        HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Este pago de $20.000,00 supera los $15.000,50 que aún se deben del pedido; registrá como máximo ese monto."
    )


# --- text --------------------------------------------------------------------------------------

REFUSED_CHARACTERS = [
    pytest.param("Mar\x07ía", "U+0007", id="bel"),
    pytest.param("\x1b[31mMaría\x1b[0m", "U+001B", id="ansi-escape"),
    pytest.param("María\x00", "U+0000", id="nul"),
    pytest.param("Mar\x7fía", "U+007F", id="del"),
    pytest.param("Mar\x9bía", "U+009B", id="c1-csi"),
    pytest.param("Mar\tía", "U+0009", id="tab"),
    pytest.param("María\u2028Pérez", "U+2028", id="line-separator"),
]
BIDI = [
    pytest.param("\u202egpj.exe", "U+202E", id="right-to-left-override"),
    pytest.param("a\u202ab", "U+202A", id="left-to-right-embedding"),
    pytest.param("a\u2066b\u2069", "U+2066", id="left-to-right-isolate"),
    pytest.param("a\u2069", "U+2069", id="pop-directional-isolate"),
]


def control_message(character: str, position: int) -> str:
    return f"Remove the control character {character} at position {position}."


@pytest.mark.parametrize("value,character", REFUSED_CHARACTERS)
def test_control_characters_are_refused_in_every_text_field_of_a_create(api, value, character):
    position = [i for i, c in enumerate(value, 1) if f"U+{ord(c):04X}" == character][0]
    message = [control_message(character, position)]
    response = api.create_order(
        external_id=value, checkout_id=value,
        customer={**ORDER_BODY["customer"], "name": value},
        fulfillment={**ORDER_BODY["fulfillment"], "address": value, "city": value},
        lines=[{**ORDER_BODY["lines"][0], "sku": value, "name": value}],
        payment_method="online", payment={"amount": "1.00", "reference": value},
    )

    assert response.status_code == 400
    assert response.json() == {
        "external_id": message, "checkout_id": message,
        "customer": {"name": message},
        "fulfillment": {"address": message, "city": message},
        "lines": {"0": {"sku": message, "name": message}},
        "payment": {"reference": message},
    }


@pytest.mark.parametrize("value,character", BIDI)
def test_bidi_overrides_and_isolates_are_refused(api, placed, value, character):
    position = [i for i, c in enumerate(value, 1) if f"U+{ord(c):04X}" == character][0]
    message = f"Remove the text-direction control character {character} at position {position}."

    created = api.create_order(customer={**ORDER_BODY["customer"], "name": value})
    cancelled = move(api, placed["number"], "cancel", reason=value)

    assert (created.status_code, created.json()) == (400, {"customer": {"name": [message]}})
    assert (cancelled.status_code, cancelled.json()) == (400, {"reason": [message]})


@pytest.mark.parametrize("field,value", [
    ("payment reference", "TRF\x1b-1"), ("tracking code", "RR123\x07456785AR"), ("carrier", "correo\x00"),
    ("custom status code", "in_transit\x7f"),
])
def test_control_characters_are_refused_by_the_moves_too(api, placed, field, value):
    number = placed["number"]
    response = {
        "payment reference": lambda: pay(api, number, "1.00", reference=value),
        "tracking code": lambda: move(api, number, "ship", carrier="correo-argentino", tracking_code=value),
        "carrier": lambda: move(api, number, "ship", carrier=value, tracking_code="RR123456785AR"),
        "custom status code": lambda: api.post(f"/api/v1/orders/{number}/statuses/",
                                               {"type": "delivery", "code": value}, format="json"),
    }[field]()

    assert response.status_code == 400
    [messages] = response.json().values()
    assert messages[0].startswith("Remove the control character U+00")


def test_a_newline_is_refused_in_a_one_line_field(api):
    response = api.create_order(customer={**ORDER_BODY["customer"], "name": "María\nPérez"})

    assert response.status_code == 400
    assert response.json() == {"customer": {"name": [
        "Send one line: a line break (U+000A at position 6) is not allowed here.",
    ]}}


def test_multi_line_fields_keep_their_lines_and_crlf_becomes_lf(api, placed):
    address = "Av. Colón 1234\r\nPiso 3, depto B\nTimbre roto"
    created = api.create_order(external_id="TN-2", fulfillment={**ORDER_BODY["fulfillment"], "address": address})
    cancelled = move(api, placed["number"], "cancel", reason="Sin stock.\nPerdón por la demora.")

    assert created.status_code == 201, created.json()
    assert created.json()["fulfillment"]["address"] == "Av. Colón 1234\nPiso 3, depto B\nTimbre roto"
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["events"][-1]["note"] == "Sin stock.\nPerdón por la demora."


def test_a_lone_carriage_return_is_refused_even_where_lines_are_allowed(api):
    response = api.create_order(fulfillment={**ORDER_BODY["fulfillment"], "address": "Av. Colón 1234\rPiso 3"})

    assert response.status_code == 400
    assert response.json() == {"fulfillment": {"address": [control_message("U+000D", 15)]}}


def test_direction_marks_and_any_script_are_accepted(api):
    name = "\u05d3\u05e0\u05d4 \u200fכהן\u200e Ñandú 李"

    response = api.create_order(customer={**ORDER_BODY["customer"], "name": name})

    assert response.status_code == 201, response.json()
    assert response.json()["customer"]["name"] == name


# --- unknown fields ----------------------------------------------------------------------------


@pytest.mark.parametrize("action,body", [
    ("payments", {"amount": "1.00", "currency": "ARS"}),
    ("accept", {"notify": False}),
    ("ship", {"carrier": "correo-argentino", "tracking_code": "RR123456785AR", "notify": False}),
    ("cancel", {"reason": "Sin stock", "refund": True}),
    ("statuses", {"type": "delivery", "code": "in_transit", "note": "x"}),
])
def test_an_unknown_field_of_a_move_or_payment_answers_400_naming_it(api, placed, action, body):
    response = api.post(f"/api/v1/orders/{placed['number']}/{action}/", body, format="json")

    assert response.status_code == 400
    [unknown] = [name for name in body if name in ("currency", "notify", "refund", "note")]
    assert list(response.json()) == [unknown]
    assert response.json()[unknown][0].startswith("Unknown field; the fields here are ")
    order = Order.objects.get(number=placed["number"])
    assert (order.status, order.payment_status, order.events.count()) == ("pending", "unpaid", 1)


def test_the_documented_schema_refuses_what_the_fields_refuse(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    amount = components["PaymentInputRequest"]["properties"]["amount"]
    customer_name = components["CustomerInputRequest"]["properties"]["name"]
    address = components["FulfillmentInputRequest"]["properties"]["address"]
    assert amount["oneOf"][0]["pattern"] == r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$"
    assert "\\u001b" not in customer_name["pattern"] and "\\u0000-\\u001f" in customer_name["pattern"]
    assert "\\u0000-\\u0009\\u000b" in address["oneOf"][0]["pattern"]
    assert customer_name["maxLength"] == 200
