"""The connectors' pieces on their own: encryption at rest, making amounts add up, rule matching, the
HTTP layer's handling of rate limits and errors (against the local stub)."""
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet

from connectors import crypto, http, tiendanube
from connectors.models import MethodRule
from connectors.platform_order import PlatformOrder, reconcile

from .conftest import TN_STORE, tiendanube_order


def test_secrets_round_trip_and_differ_each_time(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    first, second = crypto.encrypt("tok"), crypto.encrypt("tok")
    assert first != second and first.startswith("fernet:") and "tok" not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == "tok"


def test_a_key_can_be_rotated(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = old
    stored = crypto.encrypt("tok")
    settings.FIELD_ENCRYPTION_KEY = f"{new},{old}"
    assert crypto.decrypt(stored) == "tok"
    settings.FIELD_ENCRYPTION_KEY = new
    with pytest.raises(crypto.Undecryptable):
        crypto.decrypt(stored)


def test_without_a_key_it_is_derived_from_the_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    stored = crypto.encrypt("tok")
    settings.SECRET_KEY = "another-secret-key-" * 4
    with pytest.raises(crypto.Undecryptable):
        crypto.decrypt(stored)


def order(lines, shipping, total) -> PlatformOrder:
    return PlatformOrder(platform_id="1", lines=[
        {"sku": sku, "name": sku, "quantity": quantity, "unit_price": Decimal(price)} for sku, quantity, price in lines
    ], shipping_cost=Decimal(shipping), total=Decimal(total))


@pytest.mark.parametrize("lines, shipping, total", [
    ([("A", 3, "10.00"), ("B", 1, "7.00")], "5.00", "38.33"),
    ([("A", 7, "3.33")], "0.00", "20.00"),
    ([("A", 1, "100.00"), ("B", 2, "0.00")], "10.00", "5.00"),  # more off than the products: shipping too
])
def test_a_discount_is_spread_to_the_cent(lines, shipping, total):
    result = order(lines, shipping, total)
    reconcile(result)
    assert sum(line["unit_price"] * line["quantity"] for line in result.lines) + result.shipping_cost == Decimal(total)
    assert all(line["unit_price"] >= 0 and line["quantity"] > 0 for line in result.lines)
    assert {line["sku"]: 0 for line in result.lines}.keys() == {sku for sku, *_ in lines}
    assert sum(line["quantity"] for line in result.lines) == sum(quantity for _, quantity, _ in lines)


def test_what_the_platform_adds_becomes_a_line():
    result = order([("A", 2, "10.00")], "5.00", "29.20")
    reconcile(result)
    assert result.lines[-1]["name"] == "Taxes and charges" and result.lines[-1]["unit_price"] == Decimal("4.20")


def test_a_rule_ignores_case_and_accents_and_needs_both_conditions():
    rule = MethodRule(platform="tiendanube", kind="payment", field="gateway", match="contains", value="TRANSFERÊNCIA",
                      and_field="payment_status", and_value="pending", result="transfer")
    assert rule.matches({"gateway": ["Transferencia bancária"], "payment_status": ["pending"]})
    assert not rule.matches({"gateway": ["Transferencia bancária"], "payment_status": ["paid"]})
    assert not rule.matches({"gateway": ["mercadopago"], "payment_status": ["pending"]})


def test_a_rule_names_only_its_platform_s_fields():
    rule = MethodRule(platform="tiendanube", kind="payment", field="financial_status", value="paid", result="online")
    with pytest.raises(Exception, match="no payment method field"):
        rule.full_clean()


def test_tiendanube_order_fields_are_read_as_documented():
    parsed = tiendanube.parse_order(tiendanube_order(contact_phone="555-123", contact_email="not an email"))
    assert parsed.customer_phone == "" and parsed.customer_email == ""
    assert any("555-123" in note for note in parsed.notes)
    assert parsed.payment_facts == {"gateway": ["offline"], "payment_details.method": ["bank_transfer"],
                                    "payment_status": ["pending"]}
    assert parsed.fulfillment_facts["shipping_pickup_type"] == ["ship"]


@pytest.mark.django_db
def test_a_long_rate_limit_wait_is_left_to_the_outbox(stub):
    stub.answer("GET", f"/tn/{TN_STORE}/orders/1", (429, {}, {"Retry-After": "120"}))
    client = tiendanube.Client(store_id=TN_STORE, access_token="t", sleep=lambda seconds: None)
    with pytest.raises(http.Transient) as raised:
        client.get_order(1)
    assert raised.value.retry_after == 120 and raised.value.status == 429


@pytest.mark.django_db
def test_an_empty_bucket_waits_before_the_next_call(stub):
    stub.tiendanube_orders["7"] = tiendanube_order(id=7)
    stub.answer("GET", f"/tn/{TN_STORE}/orders/7",
                (200, tiendanube_order(id=7), {"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "1500"}))
    waits = []
    client = tiendanube.Client(store_id=TN_STORE, access_token="t", sleep=waits.append)
    assert client.get_order(7)["id"] == 7
    assert waits == [1.5]


@pytest.mark.django_db
@pytest.mark.parametrize("status, error", [(401, http.Unauthorized), (404, http.NotFound), (422, http.Refused),
                                           (500, http.Transient), (302, http.Refused)])
def test_answers_become_the_right_errors(stub, status, error):
    stub.answer("GET", f"/tn/{TN_STORE}/orders/9", (status, {"message": "no"}))
    with pytest.raises(error):
        tiendanube.Client(store_id=TN_STORE, access_token="t").get_order(9)


@pytest.mark.django_db
def test_an_unreachable_platform_is_transient(settings):
    settings.TIENDANUBE_API_BASE = "http://127.0.0.1:9/tn"  # the discard port: nothing listens
    with pytest.raises(http.Transient):
        tiendanube.Client(store_id=TN_STORE, access_token="t").get_order(1)
