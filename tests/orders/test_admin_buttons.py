"""The order page shows a button per move, enabled only when the move is allowed and the user may make it."""
from decimal import Decimal

import pytest

from orders.models import FulfillmentMethod, PaymentMethod, Status
from tests.factories import OrderFactory, UserFactory
from tests.orders.admin_factories import buttons, change_url, dispatcher, form_data, manager

pytestmark = pytest.mark.django_db


def test_unpaid_transfer_order_offers_payment_and_explains_why_it_cannot_be_accepted(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    response = staff_client.get(change_url(order))

    assert response.status_code == 200
    shown = buttons(response)
    assert list(shown) == ["accept", "start_preparation", "ship", "finalize", "cancel", "register_payment"]
    assert shown["accept"] == "Transfer orders can be accepted once the payment is registered."
    assert shown["start_preparation"] == "Only accepted orders can start preparation; this one is pending."
    assert shown["finalize"].startswith("Only shipped or ready-for-pickup orders can be finalized")
    assert shown["register_payment"] is None
    assert shown["cancel"] is None


def test_paid_transfer_order_can_be_accepted_and_takes_no_more_payments(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER, paid=True)

    shown = buttons(staff_client.get(change_url(order)))

    assert shown["accept"] is None
    assert shown["register_payment"] == "This order is already paid."


def test_cash_on_delivery_order_is_accepted_unpaid_but_not_finalized_unpaid(staff_client):
    pending = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    shipped = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY, status=Status.SHIPPED)

    assert buttons(staff_client.get(change_url(pending)))["accept"] is None
    assert buttons(staff_client.get(change_url(shipped)))["finalize"] == (
        "Cash on delivery orders can be finalized once the collected payment is registered."
    )


def test_pickup_order_offers_ready_for_pickup_instead_of_ship(staff_client):
    order = OrderFactory(pickup=True, payment_method=PaymentMethod.ONLINE, paid=True, status=Status.PREPARING)

    shown = buttons(staff_client.get(change_url(order)))

    assert "ship" not in shown
    assert shown["mark_ready_for_pickup"] is None


def test_carrier_order_in_preparation_can_be_shipped(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.ONLINE, paid=True, status=Status.PREPARING)

    shown = buttons(staff_client.get(change_url(order)))

    assert "mark_ready_for_pickup" not in shown
    assert shown["ship"] is None


def test_cancelled_order_has_every_button_disabled_with_a_reason(staff_client):
    order = OrderFactory(status=Status.CANCELLED, fulfillment_method=FulfillmentMethod.TO_BE_AGREED)

    shown = buttons(staff_client.get(change_url(order)))

    assert set(shown) == {"accept", "start_preparation", "mark_ready_for_pickup", "finalize", "cancel", "register_payment"}
    assert all(shown.values()), shown
    assert shown["cancel"] == "A cancelled order cannot be cancelled."
    assert shown["register_payment"] == "Cancelled orders cannot receive payments."


def test_dispatch_user_sees_accept_and_payment_disabled_for_lack_of_permission(client):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY, status=Status.ACCEPTED)
    client.force_login(dispatcher())

    response = client.get(change_url(order))

    assert response.status_code == 200
    shown = buttons(response)
    assert shown["accept"] == "Your user cannot accept orders."
    assert shown["register_payment"] == "Your user cannot register payments."
    assert shown["cancel"] == "Your user cannot cancel orders."
    assert shown["start_preparation"] is None
    # A Dispatch user sees the lines to prepare, read-only.
    assert "Remera de algodón" in response.content.decode()


def test_order_manager_may_accept_and_register_payments(client):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    client.force_login(manager())

    shown = buttons(client.get(change_url(order)))

    assert shown["accept"] is None
    assert shown["register_payment"] is None


def test_staff_user_without_order_permissions_cannot_open_the_order(client):
    order = OrderFactory()
    client.force_login(UserFactory(username="intern"))

    assert client.get(change_url(order)).status_code == 403


def test_order_page_shows_status_totals_and_next_step_read_only(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER, total=Decimal("11500.00"))

    response = staff_client.get(change_url(order))
    form = response.context["adminform"].form

    assert "status" not in form.fields
    assert "payment_status" not in form.fields
    assert "total" not in form.fields
    assert "customer_email" in form.fields
    page = response.content.decode()
    assert "ARS11,500.00" in page
    assert "Waiting for payment" in page


def test_manager_corrects_the_customers_contact_but_cannot_set_status_or_totals_by_hand(client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)
    client.force_login(manager())
    data = form_data(client.get(change_url(order)), "order_form")
    data.update(
        customer_email=["maria.nueva@example.com"], customer_phone=["+5493515550000"],
        status=["finalized"], payment_status=["paid"], total=["1.00"], _save=["Save"],
    )

    response = client.post(change_url(order), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    order.refresh_from_db()
    assert (order.customer_email, str(order.customer_phone)) == ("maria.nueva@example.com", "+5493515550000")
    assert (order.status, order.payment_status, order.total) == (Status.PENDING, "unpaid", Decimal("11500.00"))
    assert not order.events.exists()


def test_dispatch_user_sees_the_order_read_only(client):
    order = OrderFactory()
    client.force_login(dispatcher())

    page = client.get(change_url(order))
    response = client.post(change_url(order), {"customer_email": "otro@example.com"})

    assert "customer_email" not in page.context["adminform"].form.fields
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.customer_email != "otro@example.com"
