import pytest

from carriers.models import Carrier
from orders.models import Order
from orders.services import ACCEPT_UNPAID_REASONS
from orders.signals import order_status_changed

from .conftest import NOT_AN_AMOUNT


def move(api, number, action, **body):
    return api.post(f"/api/v1/orders/{number}/{action}/", body, format="json")


def pay(api, number, amount, reference="TRF-1"):
    return api.post(f"/api/v1/orders/{number}/payments/", {"amount": amount, "reference": reference}, format="json")


def test_a_carrier_order_goes_from_payment_to_finalized(api, placed):
    number = placed["number"]

    paid = pay(api, number, "15000.50")
    assert paid.status_code == 201
    assert paid.json()["payment_status"] == "paid"
    assert paid.json()["payments"] == [
        {"amount": "15000.50", "reference": "TRF-1", "created_at": paid.json()["payments"][0]["created_at"]}
    ]

    assert move(api, number, "accept").json()["status"] == "accepted"
    assert move(api, number, "prepare").json()["status"] == "preparing"
    shipped = move(api, number, "ship", carrier="correo-argentino", tracking_code="rr 123456785 ar")
    assert shipped.status_code == 200
    assert shipped.json()["status"] == "shipped"
    assert shipped.json()["tracking"] == {
        "carrier": "correo-argentino",
        "code": "RR123456785AR",
        "url": "https://www.correoargentino.com.ar/formularios/e-commerce?id=RR123456785AR",
    }
    finalized = move(api, number, "finalize")
    assert finalized.json()["status"] == "finalized"

    events = finalized.json()["events"]
    assert [(e["kind"], e["from_status"], e["to_status"]) for e in events] == [
        ("placed", None, "pending"),
        ("payment_registered", None, None),
        ("status_changed", "pending", "accepted"),
        ("status_changed", "accepted", "preparing"),
        ("status_changed", "preparing", "shipped"),
        ("status_changed", "shipped", "finalized"),
    ]
    assert {e["actor"] for e in events} == {"Tienda Palermo (storefront)"}


def test_a_pickup_order_is_marked_ready_for_pickup(api):
    number = api.create_order(
        payment_method="cash_on_delivery", fulfillment={"method": "pickup", "pickup_point": "Local Palermo"},
    ).json()["number"]
    move(api, number, "accept")
    move(api, number, "prepare")

    response = move(api, number, "ready-for-pickup")

    assert response.status_code == 200
    assert response.json()["status"] == "ready_for_pickup"


def test_accepting_an_unpaid_transfer_order_answers_409_with_code_and_reason(api, placed):
    response = move(api, placed["number"], "accept")

    assert response.status_code == 409
    assert response.json() == {
        "code": "payment_required", "detail": str(ACCEPT_UNPAID_REASONS["transfer"]),
    }
    assert Order.objects.get(number=placed["number"]).status == "pending"


@pytest.mark.parametrize("action,body,code", [
    ("prepare", {}, "invalid_transition"),
    ("finalize", {}, "invalid_transition"),
    ("ready-for-pickup", {}, "invalid_transition"),
    ("ship", {"carrier": "andreani", "tracking_code": "360000123456780"}, "invalid_transition"),
])
def test_moves_the_lifecycle_forbids_answer_409(api, placed, action, body, code):
    response = move(api, placed["number"], action, **body)

    assert response.status_code == 409
    assert response.json()["code"] == code
    assert response.json()["detail"]


def test_a_pickup_order_cannot_be_shipped(api):
    number = api.create_order(
        payment_method="cash_on_delivery", fulfillment={"method": "pickup", "pickup_point": "Local Palermo"},
    ).json()["number"]
    move(api, number, "accept")
    move(api, number, "prepare")

    response = move(api, number, "ship", carrier="andreani", tracking_code="360000123456780")

    assert response.status_code == 409
    assert response.json()["code"] == "not_a_carrier_order"


@pytest.fixture
def preparing(api, placed):
    pay(api, placed["number"], placed["total"])
    move(api, placed["number"], "accept")
    move(api, placed["number"], "prepare")
    return placed["number"]


@pytest.mark.parametrize("body,errors", [
    ({"carrier": "pigeon", "tracking_code": "123"}, {"carrier": ["Unknown carrier “pigeon”."]}),
    ({"carrier": "andreani", "tracking_code": "ABC"},
     {"tracking_code": ["“ABC” is not a valid Andreani tracking code (they look like 360000123456780)."]}),
    ({"carrier": "correo-argentino", "tracking_code": "RR123456784AR"},
     {"tracking_code": ["“RR123456784AR” has a wrong check digit: please check the code on the receipt."]}),
    ({"tracking_code": "360000123456780"}, {"carrier": ["This field is required."]}),
    ({"carrier": "andreani", "tracking_code": ""}, {"tracking_code": ["This field may not be blank."]}),
])
def test_shipping_with_a_bad_carrier_or_tracking_code_answers_400(api, preparing, body, errors):
    response = move(api, preparing, "ship", **body)

    assert response.status_code == 400
    assert response.json() == errors
    assert Order.objects.get(number=preparing).status == "preparing"


def test_an_inactive_carrier_cannot_ship(api, preparing):
    Carrier.objects.filter(code="oca").update(active=False)

    response = move(api, preparing, "ship", carrier="oca", tracking_code="3867500000001234567")

    assert response.status_code == 400
    assert response.json() == {"carrier": ["OCA is not an active carrier."]}


def test_cancelling_needs_a_reason_and_records_it(api, placed):
    assert move(api, placed["number"], "cancel").json() == {"reason": ["This field is required."]}
    assert move(api, placed["number"], "cancel", reason="   ").status_code == 400

    response = move(api, placed["number"], "cancel", reason="Sin stock")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["events"][-1]["note"] == "Sin stock"
    again = move(api, placed["number"], "cancel", reason="Otra vez")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


@pytest.mark.parametrize("amount,errors", [
    ("0", {"amount": ["Ensure this value is greater than or equal to 0.01."]}),
    ("-5", {"amount": [NOT_AN_AMOUNT]}),
    ("1.234", {"amount": [NOT_AN_AMOUNT]}),
    ("abc", {"amount": [NOT_AN_AMOUNT]}),
    ("12345678901234", {"amount": [NOT_AN_AMOUNT]}),
])
def test_an_invalid_payment_amount_answers_400(api, placed, amount, errors):
    response = pay(api, placed["number"], amount)

    assert response.status_code == 400
    assert response.json() == errors


def test_partial_payments_add_up_and_a_paid_order_refuses_more(api, placed):
    first = pay(api, placed["number"], "10000.00", "TRF-1")
    assert first.json()["payment_status"] == "unpaid"
    second = pay(api, placed["number"], "5000.50", "TRF-2")
    assert second.json()["payment_status"] == "paid"
    assert [p["reference"] for p in second.json()["payments"]] == ["TRF-1", "TRF-2"]

    third = pay(api, placed["number"], "1.00", "TRF-3")
    assert third.status_code == 409
    assert third.json()["code"] == "already_paid"


def test_a_cancelled_order_refuses_payments(api, placed):
    move(api, placed["number"], "cancel", reason="Cliente arrepentido")

    response = pay(api, placed["number"], "100.00")

    assert response.status_code == 409
    assert response.json()["code"] == "order_cancelled"


def test_moves_pass_notify_customer_to_the_domain(api, placed):
    received = []

    def receiver(sender, to_status, notify_customer, **kwargs):
        received.append((to_status, notify_customer))

    order_status_changed.connect(receiver, dispatch_uid="test_api_move_notify")
    try:
        pay(api, placed["number"], placed["total"])
        move(api, placed["number"], "accept", notify_customer=False)
        move(api, placed["number"], "prepare")
    finally:
        order_status_changed.disconnect(dispatch_uid="test_api_move_notify")

    assert received == [("accepted", False), ("preparing", True)]


@pytest.mark.parametrize("number", ["NOPE-NOPE", "x" * 300, "%00", "ñandú", "1;DROP TABLE", "a b"])
def test_an_unknown_order_number_answers_404(api, number):
    for path in (f"/api/v1/orders/{number}/", f"/api/v1/orders/{number}/accept/"):
        response = api.post(path, {}, format="json") if path.endswith("accept/") else api.get(path)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "detail": "No order with this number."}


def test_order_numbers_are_not_case_sensitive(api, placed):
    response = api.get(f"/api/v1/orders/{placed['number'].lower()}/")

    assert response.status_code == 200
    assert response.json()["number"] == placed["number"]


def test_updated_since_picks_up_a_part_payment(api, placed):
    from datetime import timedelta

    from django.utils import timezone

    Order.objects.filter(number=placed["number"]).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert api.get("/api/v1/orders/", {"updated_since": since}).json()["results"] == []

    assert pay(api, placed["number"], "100.00").status_code == 201  # far from the total: still unpaid

    synced = api.get("/api/v1/orders/", {"updated_since": since}).json()["results"]
    assert [(o["number"], o["payment_status"]) for o in synced] == [(placed["number"], "unpaid")]
