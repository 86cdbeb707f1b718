"""Each move made through its admin form calls the service, writes the timeline, and reports refusals."""
import pytest
from django.dispatch import receiver

from orders import signals
from orders.models import OrderEvent, PaymentMethod, Status
from tests.factories import OrderFactory, carrier
from tests.orders.admin_factories import change_url, dispatcher, manager, move_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def status_changes():
    """Every order_status_changed signal sent during the test, as the receivers get it."""
    sent = []

    @receiver(signals.order_status_changed, dispatch_uid="test-admin-status-changes")
    def record(sender, **kwargs):
        sent.append(kwargs)

    yield sent
    signals.order_status_changed.disconnect(dispatch_uid="test-admin-status-changes")


MOVES = [
    # (order arrangement, move, form data, status reached, success message)
    (dict(payment_method=PaymentMethod.TRANSFER, paid=True), "accept", {}, Status.ACCEPTED, "Order {} accepted."),
    (dict(payment_method=PaymentMethod.CASH_ON_DELIVERY), "accept", {}, Status.ACCEPTED, "Order {} accepted."),
    (dict(status=Status.ACCEPTED), "start_preparation", {}, Status.PREPARING, "Order {} is in preparation."),
    (dict(status=Status.PREPARING), "ship", {"tracking_code": "rr 123456785 ar"}, Status.SHIPPED, "Order {} shipped."),
    (dict(status=Status.PREPARING, pickup=True), "mark_ready_for_pickup", {}, Status.READY_FOR_PICKUP,
     "Order {} is ready for pickup."),
    (dict(status=Status.SHIPPED, paid=True), "finalize", {}, Status.FINALIZED, "Order {} finalized."),
    (dict(status=Status.ACCEPTED), "cancel", {"reason": "Sin stock del talle M."}, Status.CANCELLED,
     "Order {} cancelled."),
]


@pytest.mark.parametrize(("arrange", "move", "data", "reached", "message"), MOVES, ids=[m[1] for m in MOVES])
def test_move_through_its_form_changes_status_and_writes_the_timeline(
    staff_client, admin_user, status_changes, arrange, move, data, reached, message
):
    order = OrderFactory(**arrange)
    from_status = order.status
    if move == "ship":
        data = {**data, "carrier": carrier("correo-argentino").pk}

    page = staff_client.get(move_url(order, move))
    assert page.status_code == 200
    assert 'name="notify_customer"' in page.content.decode()
    assert page.context["form"]["notify_customer"].value() is True

    response = staff_client.post(move_url(order, move), {**data, "notify_customer": "on"})

    assert response.status_code == 302
    assert response["Location"] == change_url(order)
    order.refresh_from_db()
    assert order.status == reached
    event = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.STATUS_CHANGED)
    assert (event.from_status, event.to_status, event.actor) == (from_status, reached, admin_user)
    assert [change["notify_customer"] for change in status_changes] == [True]
    if move == "ship":
        assert (order.carrier.code, order.tracking_code) == ("correo-argentino", "RR123456785AR")
    if move == "cancel":
        assert event.note == "Sin stock del talle M."
    followed = staff_client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]] == [message.format(order.number)]


def test_unticked_notify_box_tells_the_service_not_to_notify(staff_client, status_changes):
    order = OrderFactory(status=Status.ACCEPTED)

    staff_client.post(move_url(order, "start_preparation"), {})

    order.refresh_from_db()
    assert order.status == Status.PREPARING
    assert [change["notify_customer"] for change in status_changes] == [False]


def test_ship_with_a_code_not_in_the_carriers_format_is_a_form_error(staff_client):
    order = OrderFactory(status=Status.PREPARING)

    response = staff_client.post(
        move_url(order, "ship"), {"carrier": carrier("andreani").pk, "tracking_code": "ABC-123", "notify_customer": "on"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["tracking_code"]
    assert errors == ["“ABC123” is not a valid Andreani tracking code (they look like 360000123456780)."]
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_code) == (Status.PREPARING, None, "")
    assert not order.events.exists()


def test_ship_with_a_wrong_s10_check_digit_is_a_form_error(staff_client):
    order = OrderFactory(status=Status.PREPARING)

    response = staff_client.post(
        move_url(order, "ship"), {"carrier": carrier("correo-argentino").pk, "tracking_code": "RR123456784AR"}
    )

    assert response.status_code == 200
    assert "wrong check digit" in response.context["form"].errors["tracking_code"][0]
    order.refresh_from_db()
    assert order.status == Status.PREPARING


def test_ship_offers_only_active_carriers(staff_client):
    inactive = carrier("usps")
    inactive.active = False
    inactive.save()
    order = OrderFactory(status=Status.PREPARING)

    response = staff_client.get(move_url(order, "ship"))
    choices = list(response.context["form"].fields["carrier"].queryset.values_list("code", flat=True))
    posted = staff_client.post(move_url(order, "ship"), {"carrier": inactive.pk, "tracking_code": "9400111899223197428490"})

    assert "usps" not in choices and "andreani" in choices
    assert "carrier" in posted.context["form"].errors
    order.refresh_from_db()
    assert order.status == Status.PREPARING


def test_cancel_needs_a_reason(staff_client):
    order = OrderFactory()

    response = staff_client.post(move_url(order, "cancel"), {"reason": "  ", "notify_customer": "on"})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    order.refresh_from_db()
    assert order.status == Status.PENDING


def test_refused_move_shows_the_services_reason_and_changes_nothing(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    page = staff_client.get(move_url(order, "accept"))
    response = staff_client.post(move_url(order, "accept"), {"notify_customer": "on"})

    reason = "Transfer orders can be accepted once the payment is registered."
    assert reason in page.content.decode()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [reason]
    order.refresh_from_db()
    assert order.status == Status.PENDING
    assert not order.events.exists()


def test_move_form_posts_with_csrf_protection(client, admin_user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(admin_user)
    order = OrderFactory(status=Status.ACCEPTED)

    assert csrf_client.post(move_url(order, "start_preparation"), {}).status_code == 403
    page = csrf_client.get(move_url(order, "start_preparation"))
    token = page.context["csrf_token"]
    assert csrf_client.post(move_url(order, "start_preparation"), {"csrfmiddlewaretoken": str(token)}).status_code == 302


def test_dispatch_user_cannot_accept_or_cancel(client):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    client.force_login(dispatcher())

    assert client.get(move_url(order, "accept")).status_code == 403
    assert client.post(move_url(order, "accept"), {"notify_customer": "on"}).status_code == 403
    assert client.post(move_url(order, "cancel"), {"reason": "x"}).status_code == 403
    order.refresh_from_db()
    assert order.status == Status.PENDING


def test_dispatch_user_prepares_and_ships(client):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY, status=Status.ACCEPTED)
    client.force_login(dispatcher())

    client.post(move_url(order, "start_preparation"), {"notify_customer": "on"})
    client.post(move_url(order, "ship"), {"carrier": carrier("oca").pk, "tracking_code": "3867500000001234567"})

    order.refresh_from_db()
    assert order.status == Status.SHIPPED
    assert order.events.count() == 2


def test_order_manager_accepts(client):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    client.force_login(manager())

    assert client.post(move_url(order, "accept"), {"notify_customer": "on"}).status_code == 302
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED


def test_unknown_move_is_not_found(staff_client):
    order = OrderFactory()

    assert staff_client.get(move_url(order, "teleport")).status_code == 404
