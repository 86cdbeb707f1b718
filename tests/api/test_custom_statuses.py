"""Setting custom statuses over the API, discovering their codes, and reading them on orders."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders import services
from orders.models import CustomStatus, Order, OrderEvent
from orders.signals import custom_status_changed
from tests.factories import OrderFactory


def set_status(api, number, **body):
    return api.post(f"/api/v1/orders/{number}/statuses/", body, format="json")


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    custom_status_changed.connect(receiver, dispatch_uid="tests.api.custom_status_received")
    yield calls
    custom_status_changed.disconnect(dispatch_uid="tests.api.custom_status_received")


@pytest.mark.parametrize(("status_type", "code", "name"), [
    ("delivery", "out_for_delivery", "Out for delivery"),
    ("payment", "invoice_issued", "Invoice issued"),
    ("general", "agreed_with_customer", "Agreed with the customer"),
])
def test_setting_each_type_answers_200_with_the_order_detail(api, placed, received, status_type, code, name):
    response = set_status(api, placed["number"], type=status_type, code=code, notify_customer=True)

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == placed["number"]
    assert body["custom_statuses"][status_type] == {"code": code, "name": name}
    assert (body["status"], body["payment_status"]) == ("pending", "unpaid")
    event = body["events"][-1]
    assert event["kind"] == "custom_status"
    assert event["custom_status"] == {"type": status_type, "from": None, "to": code}
    assert event["actor"] == "Tienda Palermo (storefront)"
    assert event["created_at"]
    assert len(received) == 1 and received[0]["by"] == api.storefront.user
    assert received[0]["notify_customer"] is True


def test_notify_customer_defaults_to_true_and_can_be_turned_off(api, placed, received):
    set_status(api, placed["number"], type="delivery", code="in_transit")
    set_status(api, placed["number"], type="delivery", code="out_for_delivery", notify_customer=False)
    assert [call["notify_customer"] for call in received] == [True, False]
    assert received[1]["from_status"].code == "in_transit"


def test_the_same_status_twice_makes_one_event_and_one_signal(api, placed, received):
    first = set_status(api, placed["number"], type="delivery", code="in_transit")
    second = set_status(api, placed["number"], type="delivery", code="in_transit")

    assert first.status_code == second.status_code == 200
    assert OrderEvent.objects.filter(order__number=placed["number"], kind="custom_status").count() == 1
    assert len(received) == 1


def test_custom_statuses_never_open_a_gate(api, placed):
    number = placed["number"]
    set_status(api, number, type="delivery", code="delivered")
    set_status(api, number, type="payment", code="invoice_issued")

    accept = api.post(f"/api/v1/orders/{number}/accept/", {}, format="json")
    finalize = api.post(f"/api/v1/orders/{number}/finalize/", {}, format="json")

    assert (accept.status_code, accept.json()["code"]) == (409, "payment_required")
    assert finalize.status_code == 409
    order = Order.objects.get(number=number)
    assert (order.status, order.payment_status) == ("pending", "unpaid")


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"type": "shipping", "code": "delivered"}, "type",
     "“shipping” is not a custom status type; use general, delivery or payment."),
    ({"type": "delivery", "code": "teleported"}, "code", "There is no delivery status with the code “teleported”."),
    ({"type": "payment", "code": "delivered"}, "code", "There is no payment status with the code “delivered”."),
    ({"type": "delivery"}, "code", "This field is required."),
    ({"code": "delivered"}, "type", "This field is required."),
    ({"type": "delivery", "code": 7}, "code", "Send a string here."),
])
def test_an_unknown_type_or_code_answers_400_on_that_field(api, placed, received, body, field, message):
    response = set_status(api, placed["number"], **body)

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not Order.objects.get(number=placed["number"]).custom_statuses.exists()
    assert not received


def test_an_inactive_status_answers_409(api, placed):
    CustomStatus.objects.filter(type="delivery", code="delivery_failed").update(active=False)

    response = set_status(api, placed["number"], type="delivery", code="delivery_failed")

    assert response.status_code == 409
    assert response.json()["code"] == "custom_status_inactive"
    assert "inactive" in response.json()["detail"]


def test_a_cancelled_order_answers_409(api, placed):
    api.post(f"/api/v1/orders/{placed['number']}/cancel/", {"reason": "Sin stock"}, format="json")

    response = set_status(api, placed["number"], type="delivery", code="delivered")

    assert response.status_code == 409
    assert response.json() == {"code": "order_cancelled", "detail": "Cancelled orders cannot get custom statuses."}


def test_another_storefronts_order_is_not_found(api, other_api, placed):
    response = set_status(other_api, placed["number"], type="delivery", code="delivered")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_idempotency_key_replays_the_first_answer(api, placed, received):
    url = f"/api/v1/orders/{placed['number']}/statuses/"
    body = {"type": "delivery", "code": "in_transit"}

    first = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="cs-1")
    api.post(url, {"type": "delivery", "code": "delivered"}, format="json")
    replay = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="cs-1")

    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert [call["to_status"].code for call in received] == ["in_transit", "delivered"]


def test_the_error_speaks_the_requests_language(api, placed):
    response = api.post(
        f"/api/v1/orders/{placed['number']}/statuses/", {"type": "delivery", "code": "x"}, format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.json()["code"] == ["No hay ningún estado de envío con el código “x”."]


def test_custom_statuses_lists_the_active_ones_in_order(api):
    CustomStatus.objects.filter(code="awaiting_payment").update(active=False)

    response = api.get("/api/v1/custom-statuses/")

    assert response.status_code == 200
    statuses = response.json()
    assert [(s["type"], s["code"]) for s in statuses] == [
        ("delivery", "in_transit"), ("delivery", "at_pickup_point"), ("delivery", "out_for_delivery"),
        ("delivery", "delivery_failed"), ("delivery", "delivered"), ("payment", "invoice_issued"),
        ("general", "agreed_with_customer"),
    ]
    assert statuses[4] == {
        "type": "delivery", "code": "delivered", "name": "Delivered",
        "names": {"en": "Delivered", "es": "Entregado", "pt-br": "Entregue"}, "position": 50,
    }
    spanish = api.get("/api/v1/custom-statuses/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish[4]["name"] == "Entregado"


def test_the_list_and_detail_show_the_current_custom_statuses(api, placed):
    set_status(api, placed["number"], type="delivery", code="in_transit")
    set_status(api, placed["number"], type="delivery", code="out_for_delivery")
    api.create_order(external_id="TN-2")

    listed = {o["number"]: o["custom_statuses"] for o in api.get("/api/v1/orders/").json()["results"]}
    detail = api.get(f"/api/v1/orders/{placed['number']}/").json()

    assert listed[placed["number"]] == {
        "delivery": {"code": "out_for_delivery", "name": "Out for delivery"}, "payment": None, "general": None,
    }
    assert {"delivery": None, "payment": None, "general": None} in listed.values()
    assert detail["custom_statuses"] == listed[placed["number"]]
    assert [e["custom_status"] for e in detail["events"] if e["kind"] == "custom_status"] == [
        {"type": "delivery", "from": None, "to": "in_transit"},
        {"type": "delivery", "from": "in_transit", "to": "out_for_delivery"},
    ]
    assert all(e["custom_status"] is None for e in detail["events"] if e["kind"] != "custom_status")


def test_the_list_query_count_does_not_grow_with_custom_statuses(api):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/orders/?page_size=100")
        assert response.status_code == 200
        return len(queries)

    def add_orders(count, prefix):
        for n in range(count):
            order = OrderFactory(storefront=api.storefront, external_id=f"{prefix}-{n}")
            services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
            services.set_custom_status(order, by=None, status_type="payment", code="invoice_issued")

    add_orders(5, "A")
    queries_5 = count_queries()
    add_orders(45, "B")
    assert count_queries() == queries_5


def test_the_detail_stays_within_its_query_budget_with_custom_statuses(api, placed):
    for status_type, code in [("delivery", "in_transit"), ("payment", "invoice_issued"),
                              ("general", "agreed_with_customer")]:
        set_status(api, placed["number"], type=status_type, code=code)

    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/v1/orders/{placed['number']}/")

    assert response.status_code == 200
    assert len(queries) <= 8


def test_updated_since_picks_up_a_custom_status_change(api, placed):
    from datetime import timedelta

    from django.utils import timezone

    Order.objects.filter(number=placed["number"]).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert api.get("/api/v1/orders/", {"updated_since": since}).json()["results"] == []

    set_status(api, placed["number"], type="delivery", code="in_transit")

    assert [o["number"] for o in api.get("/api/v1/orders/", {"updated_since": since}).json()["results"]] == [
        placed["number"]
    ]
