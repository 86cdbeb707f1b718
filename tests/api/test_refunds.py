"""POST /api/v1/orders/{number}/refunds/: money given back on a paid order, never more than was paid."""
from decimal import Decimal

import pytest

from orders.models import Order, OrderEvent

from .conftest import NOT_AN_AMOUNT
from .test_moves_and_payments import move, pay

pytestmark = pytest.mark.django_db


def refund(api, number, amount, **body):
    return api.post(f"/api/v1/orders/{number}/refunds/", {"amount": amount, **body}, format="json")


@pytest.fixture
def cancelled_paid(api, placed):
    number = placed["number"]
    assert pay(api, number, "15000.50").status_code == 201
    assert move(api, number, "cancel", reason="Sin stock").status_code == 200
    return number


def test_a_refund_answers_201_with_the_order_listing_its_refunds(api, cancelled_paid):
    response = refund(api, cancelled_paid, "5000.50", reference="DEV-1", note="Primera parte")

    assert response.status_code == 201
    body = response.json()
    assert body["payment_status"] == "partially_refunded"
    assert body["refunds"] == [
        {"amount": "5000.50", "reference": "DEV-1", "note": "Primera parte", "created_at": body["refunds"][0]["created_at"]}
    ]
    assert body["events"][-1]["kind"] == "refund_registered"
    assert body["events"][-1]["note"] == "DEV-1 · Primera parte"

    rest = refund(api, cancelled_paid, "10000")
    assert rest.status_code == 201
    assert rest.json()["payment_status"] == "refunded"
    assert [r["amount"] for r in rest.json()["refunds"]] == ["5000.50", "10000.00"]
    detail = api.get(f"/api/v1/orders/{cancelled_paid}/").json()
    assert [r["reference"] for r in detail["refunds"]] == ["DEV-1", ""]
    assert "refunds" not in api.get("/api/v1/orders/").json()["results"][0]  # the list, like payments, has none
    assert api.get("/api/v1/orders/", {"payment_status": "refunded"}).json()["results"][0]["number"] == cancelled_paid


def test_more_than_was_paid_answers_409_refund_exceeds_paid_and_changes_nothing(api, cancelled_paid):
    assert refund(api, cancelled_paid, "15000.00").status_code == 201

    response = refund(api, cancelled_paid, "0.51")

    assert response.status_code == 409
    order = Order.objects.get(number=cancelled_paid)
    assert response.json() == {
        "code": "refund_exceeds_paid",
        "detail": f"This refund of {order.format_money(Decimal('0.51'), 'en')} is more than the "
                  f"{order.format_money(Decimal('0.50'), 'en')} paid and not refunded yet; refund at most that.",
    }
    assert order.payment_status == "partially_refunded"
    assert list(order.refunds.values_list("amount", flat=True)) == [Decimal("15000.00")]
    assert refund(api, cancelled_paid, "0.50").json()["payment_status"] == "refunded"
    assert refund(api, cancelled_paid, "0.01").json()["code"] == "already_refunded"


def test_an_unpaid_order_answers_409_not_paid(api, placed):
    response = refund(api, placed["number"], "1.00")

    assert response.status_code == 409
    assert response.json()["code"] == "not_paid"
    assert not Order.objects.get(number=placed["number"]).refunds.exists()


@pytest.mark.parametrize("amount", ["0", "-1", "1.001", "1e3", " 10", "01"])
def test_a_loose_amount_answers_400_on_its_field(api, cancelled_paid, amount):
    response = refund(api, cancelled_paid, amount)

    assert response.status_code == 400
    assert list(response.json()) == ["amount"]
    assert not OrderEvent.objects.filter(kind=OrderEvent.Kind.REFUND_REGISTERED).exists()


def test_an_unknown_field_answers_400_naming_it(api, cancelled_paid):
    response = refund(api, cancelled_paid, "10", currency="ARS")

    assert response.status_code == 400
    assert list(response.json()) == ["currency"]
    assert response.json()["currency"][0].startswith("Unknown field; the fields here are ")


def test_another_storefronts_order_is_not_found(other_api, cancelled_paid):
    response = refund(other_api, cancelled_paid, "10")

    assert response.status_code == 404
    assert not Order.objects.get(number=cancelled_paid).refunds.exists()


def test_the_schema_documents_the_refund_endpoint(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/orders/{number}/refunds/"]["post"]
    assert operation["operationId"] == "orders_refunds_create"
    assert set(operation["responses"]) >= {"201", "400", "404", "409"}
    properties = schema["components"]["schemas"]["RefundInputRequest"]["properties"]
    assert set(properties) == {"amount", "reference", "note", "notify_customer"}
    assert "refunds" in schema["components"]["schemas"]["OrderDetailOutput"]["properties"]
    assert set(schema["components"]["schemas"]["PaymentStatusEnum"]["enum"]) == {
        "unpaid", "paid", "partially_refunded", "refunded",
    }
