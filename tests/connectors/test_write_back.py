"""Tracking flows back: shipping (or marking ready for pickup) an order from a connected store writes
the tracking to the platform through the outbox, with the platform's own customer email off."""
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from connectors.models import WriteBack
from connectors.services import write_back
from orders import services
from orders.models import Order
from tests.factories import carrier

from .conftest import TN_STORE, shopify_order, tiendanube_order

pytestmark = pytest.mark.django_db

CODE = "RR123456785AR"  # a Correo Argentino S10 code with a valid check digit


@pytest.fixture
def tn_order(tn_account, stub, post_tiendanube, admin_user):
    stub.tiendanube_orders["450789469"] = tiendanube_order(payment_status="paid")
    post_tiendanube({"store_id": int(TN_STORE), "event": "order/created", "id": 450789469})
    order = Order.objects.get(external_id="450789469")
    services.accept(order, by=admin_user)
    return services.start_preparation(order, by=admin_user)


@pytest.fixture
def shopify_paid_order(shopify_account, stub, post_shopify, admin_user):
    post_shopify(shopify_order())
    stub.fulfillment_orders["5678901234567"] = [
        {"id": "gid://shopify/FulfillmentOrder/1046000778", "status": "OPEN"},
        {"id": "gid://shopify/FulfillmentOrder/1046000779", "status": "CLOSED"},
    ]
    order = Order.objects.get(external_id="5678901234567")
    services.accept(order, by=admin_user)
    return services.start_preparation(order, by=admin_user)


def ship(order, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.ship(order, by=user, carrier=carrier("correo-argentino"), tracking_code=CODE)


def test_shipping_a_tiendanube_order_fulfills_it_with_our_tracking_and_its_email_off(
        tn_order, stub, admin_user, django_capture_on_commit_callbacks):
    order = ship(tn_order, admin_user, django_capture_on_commit_callbacks)

    call = stub.calls("POST", f"/tn/{TN_STORE}/orders/450789469/fulfill")[0]
    assert call["json"] == {"shipping_tracking_number": CODE, "shipping_tracking_url": order.tracking_url,
                            "notify_customer": False}
    assert call["headers"]["authentication"] == "bearer tn-access-token"
    assert call["headers"]["user-agent"]
    row = WriteBack.objects.get()
    assert row.status == WriteBack.Status.DELIVERED and row.tracking_code == CODE
    assert row.attempt_log.get().response_status == 200


def test_shipping_a_shopify_order_creates_a_fulfillment_with_tracking_and_its_email_off(
        shopify_paid_order, stub, admin_user, django_capture_on_commit_callbacks):
    order = ship(shopify_paid_order, admin_user, django_capture_on_commit_callbacks)

    read = stub.graphql_calls("fulfillmentOrders")[0]
    assert read["json"]["variables"] == {"id": "gid://shopify/Order/5678901234567"}
    assert read["headers"]["x-shopify-access-token"] == "shpat_access_token"
    created = stub.graphql_calls("fulfillmentCreate")[0]["json"]["variables"]["fulfillment"]
    assert created == {
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1046000778"}],
        "notifyCustomer": False,
        "trackingInfo": {"company": "Correo Argentino", "number": CODE, "url": order.tracking_url},
    }
    assert WriteBack.objects.get().status == WriteBack.Status.DELIVERED


def test_ready_for_pickup_tells_the_platform_without_tracking(tn_account, stub, post_tiendanube, admin_user,
                                                              django_capture_on_commit_callbacks):
    stub.tiendanube_orders["450789469"] = tiendanube_order(
        payment_status="paid", shipping_pickup_type="pickup", shipping_store_branch_name="Local Palermo",
        shipping_option="Retiro en Local Palermo", shipping_cost_customer="0.00", total="11700.00")
    post_tiendanube({"store_id": int(TN_STORE), "event": "order/created", "id": 450789469})
    order = Order.objects.get(external_id="450789469")
    assert order.fulfillment_method == "pickup" and "Local Palermo" in order.pickup_point
    services.accept(order, by=admin_user)
    services.start_preparation(order, by=admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_ready_for_pickup(order, by=admin_user)

    assert stub.calls("POST", "/fulfill")[0]["json"] == {"notify_customer": False}
    assert WriteBack.objects.get().move == "ready_for_pickup"


def test_an_outage_is_retried_until_the_platform_answers(tn_order, stub, admin_user,
                                                         django_capture_on_commit_callbacks):
    stub.answer("POST", f"/tn/{TN_STORE}/orders/450789469/fulfill", (503, {"message": "Service Unavailable"}),
                (502, b"<html>bad gateway</html>"))

    ship(tn_order, admin_user, django_capture_on_commit_callbacks)

    row = WriteBack.objects.get()
    assert row.status == WriteBack.Status.QUEUED and row.attempts == 1
    assert "HTTP 503" in row.error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)  # the first retry delay, 60 s

    for expected in ("queued", "delivered"):
        WriteBack.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # the retry is due
        assert write_back.send(row.pk) == expected

    row.refresh_from_db()
    assert [attempt.response_status for attempt in row.attempt_log.all()] == [503, 502, 200]
    assert len(stub.calls("POST", "/fulfill")) == 3


def test_a_rate_limit_is_waited_out_as_told(tn_order, stub, admin_user, django_capture_on_commit_callbacks):
    stub.answer("POST", f"/tn/{TN_STORE}/orders/450789469/fulfill",
                (429, {"message": "Too Many Requests"}, {"Retry-After": "1"}))

    started = time.monotonic()
    ship(tn_order, admin_user, django_capture_on_commit_callbacks)

    assert time.monotonic() - started >= 1
    assert len(stub.calls("POST", "/fulfill")) == 2
    assert WriteBack.objects.get().status == WriteBack.Status.DELIVERED


def test_a_refusal_fails_at_once_and_staff_send_it_again(tn_order, stub, admin_user, staff_client,
                                                         django_capture_on_commit_callbacks):
    stub.answer("POST", f"/tn/{TN_STORE}/orders/450789469/fulfill",
                (422, {"shipping_tracking_url": ["invalid url specified"]}))
    ship(tn_order, admin_user, django_capture_on_commit_callbacks)
    row = WriteBack.objects.get()
    assert row.status == WriteBack.Status.FAILED and "HTTP 422" in row.error
    assert "tracking code did not reach its platform" in staff_client.get("/admin/").content.decode()
    # Each call is one row of the attempts, shown by the inline every outbox kind shares.
    page = staff_client.get(f"/admin/connectors/writeback/{row.pk}/change/").content.decode()
    inline = page.split('id="attempt_log-group"')[1]
    assert "Write-back attempts" in inline and 'class="field-error_display"' in inline
    assert "The platform refused it: the platform answered HTTP 422" in inline

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/connectors/writeback/", {
            "action": "send_again", "_selected_action": [row.pk]})

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == WriteBack.Status.DELIVERED


def test_an_attempt_whose_answer_was_lost_counts_as_sent(shopify_paid_order, stub, admin_user,
                                                         django_capture_on_commit_callbacks):
    for node in stub.fulfillment_orders["5678901234567"]:
        node["status"] = "CLOSED"  # fulfilled by an earlier attempt

    ship(shopify_paid_order, admin_user, django_capture_on_commit_callbacks)

    assert not stub.graphql_calls("fulfillmentCreate")
    row = WriteBack.objects.get()
    assert row.status == WriteBack.Status.DELIVERED and "already" in row.error


def test_orders_from_elsewhere_and_moves_rolled_back_write_nothing(tn_order, stub, admin_user,
                                                                   django_capture_on_commit_callbacks):
    from tests.factories import OrderFactory

    other = OrderFactory(status="preparing", payment_status="paid")
    ship(other, admin_user, django_capture_on_commit_callbacks)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.ship(tn_order, by=admin_user, carrier=carrier("correo-argentino"), tracking_code=CODE)
            raise RuntimeError("something after the move failed: it rolls back")

    assert not WriteBack.objects.exists()
    assert not stub.calls("POST", "/fulfill")


def test_an_expired_dev_dashboard_token_is_renewed_before_the_call(stub, post_shopify, admin_user,
                                                                   django_capture_on_commit_callbacks):
    from connectors.models import PlatformAccount
    from connectors.services.connecting import connect

    connect(platform="shopify", name="Shopify Nueva", store_id="tienda-demo.myshopify.com", client_id="client-123",
            webhook_secret="shpss_0123456789abcdef")
    post_shopify(shopify_order())
    stub.fulfillment_orders["5678901234567"] = [{"id": "gid://shopify/FulfillmentOrder/1", "status": "OPEN"}]
    order = Order.objects.get()
    services.accept(order, by=admin_user)
    services.start_preparation(order, by=admin_user)
    PlatformAccount.objects.update(token_expires_at=timezone.now() - timedelta(minutes=1))

    ship(order, admin_user, django_capture_on_commit_callbacks)

    assert stub.shopify_tokens_issued == 2
    assert stub.graphql_calls("fulfillmentCreate")[0]["headers"]["x-shopify-access-token"] == "shpat_issued_2"
    assert WriteBack.objects.get().status == WriteBack.Status.DELIVERED
