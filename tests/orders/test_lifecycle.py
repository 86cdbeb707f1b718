"""The lifecycle and its payment gates, over every payment method x fulfillment method x move."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders import services
from orders.models import OrderEvent, Payment, PaymentStatus, Status
from orders.services import TransitionNotAllowed
from tests.factories import OrderFactory, UserFactory, carrier

pytestmark = pytest.mark.django_db

PAYMENT_METHODS = ["transfer", "payment_link", "cash_on_delivery", "online"]
FULFILLMENTS = ["carrier", "pickup", "to_be_agreed"]

# The status each move starts from in a normal lifecycle.
FROM_STATUS = {
    "accept": Status.PENDING,
    "start_preparation": Status.ACCEPTED,
    "ship": Status.PREPARING,
    "mark_ready_for_pickup": Status.PREPARING,
    "finalize": Status.SHIPPED,
    "cancel": Status.PREPARING,
}


def expected(move, payment_method, fulfillment, paid):
    """The rule book, written independently of orders/services/: None or (code, reason)."""
    if move == "ship" and fulfillment != "carrier":
        return ("not_a_carrier_order", "Pickup and to-be-agreed orders are never shipped: mark them ready for pickup.")
    if move == "mark_ready_for_pickup" and fulfillment == "carrier":
        return ("carrier_order", "Carrier orders are shipped with a tracking code, not marked ready for pickup.")
    if move == "accept" and not paid:
        reasons = {
            "transfer": "Transfer orders can be accepted once the payment is registered.",
            "payment_link": "Payment link orders can be accepted once the payment is registered.",
            "online": "Online orders can be accepted once the payment gateway reports the payment.",
        }
        if payment_method in reasons:
            return ("payment_required", reasons[payment_method])
    if move == "finalize" and not paid:
        if payment_method == "cash_on_delivery":
            return ("payment_required", "Cash on delivery orders can be finalized once the collected payment is registered.")
        return ("payment_required", "Orders can be finalized once they are paid.")
    return None


def make(move, payment_method, fulfillment, paid):
    status = FROM_STATUS[move]
    if move == "finalize" and fulfillment != "carrier":
        status = Status.READY_FOR_PICKUP
    traits = {"pickup": True} if fulfillment == "pickup" else {}
    order = OrderFactory(
        payment_method=payment_method, fulfillment_method=fulfillment, status=status,
        payment_status=PaymentStatus.PAID if paid else PaymentStatus.UNPAID, **traits,
    )
    if fulfillment == "to_be_agreed":
        order.address = ""
        order.save()
    return order


def run(move, order, user):
    if move == "ship":
        return services.ship(order, by=user, carrier=carrier("andreani"), tracking_code="360000123456780")
    if move == "cancel":
        return services.cancel(order, by=user, reason="Customer asked to cancel")
    return getattr(services, move)(order, by=user)


@pytest.mark.parametrize("paid", [True, False], ids=["paid", "unpaid"])
@pytest.mark.parametrize("move", list(FROM_STATUS))
@pytest.mark.parametrize("fulfillment", FULFILLMENTS)
@pytest.mark.parametrize("payment_method", PAYMENT_METHODS)
def test_every_move_is_allowed_or_refused_with_its_reason(payment_method, fulfillment, move, paid):
    user = UserFactory()
    order = make(move, payment_method, fulfillment, paid)
    refusal = expected(move, payment_method, fulfillment, paid)
    events_before = order.events.count()

    # What the admin's buttons show agrees with what the move does.
    assert services.allowed_moves(order)[move] == (refusal[1] if refusal else None)

    if refusal is None:
        moved = run(move, order, user)
        assert moved.status == services.MOVES[move]
        event = moved.events.get()
        assert (event.from_status, event.to_status, event.actor) == (order.status, moved.status, user)
        assert order.events.count() == events_before + 1
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            run(move, order, user)
        assert (refused.value.code, str(refused.value)) == refusal
        order.refresh_from_db()
        assert order.status == FROM_STATUS[move] or order.status == Status.READY_FOR_PICKUP
        assert order.events.count() == events_before


@pytest.mark.parametrize(
    "status, move",
    [
        (Status.PENDING, "start_preparation"),
        (Status.PENDING, "ship"),
        (Status.ACCEPTED, "accept"),
        (Status.SHIPPED, "start_preparation"),
        (Status.FINALIZED, "cancel"),
        (Status.CANCELLED, "accept"),
        (Status.CANCELLED, "cancel"),
    ],
)
def test_moves_out_of_order_are_refused(status, move):
    order = OrderFactory(status=status, payment_status=PaymentStatus.PAID)
    with pytest.raises(TransitionNotAllowed) as refused:
        run(move, order, UserFactory())
    assert refused.value.code == "invalid_transition"
    assert Status(status).label.lower() in str(refused.value)


def test_transfer_order_cannot_be_accepted_unpaid_then_can_once_payment_covers_total():
    user = UserFactory()
    order = OrderFactory(payment_method="transfer", total=Decimal("11500.00"))
    with pytest.raises(TransitionNotAllowed, match="Transfer orders can be accepted once the payment is registered"):
        services.accept(order, by=user)

    services.register_payment(order, by=user, amount="5000", reference="TRF-1")
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.UNPAID  # a partial payment does not cover the total

    services.register_payment(order, by=user, amount="6500.00", reference="TRF-2")
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    assert services.accept(order, by=user).status == Status.ACCEPTED
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == [OrderEvent.Kind.PAYMENT_REGISTERED, OrderEvent.Kind.PAYMENT_REGISTERED, OrderEvent.Kind.STATUS_CHANGED]


def test_cash_on_delivery_runs_unpaid_until_finalize():
    user = UserFactory()
    order = OrderFactory(payment_method="cash_on_delivery")
    order = services.accept(order, by=user)
    order = services.start_preparation(order, by=user)
    order = services.ship(order, by=user, carrier=carrier(), tracking_code="rr 123 456 785 ar")
    assert order.tracking_code == "RR123456785AR"
    assert services.next_action(order).code == "collect_and_finalize"
    with pytest.raises(TransitionNotAllowed, match="collected payment"):
        services.finalize(order, by=user)
    services.register_payment(order, by=user, amount=order.total, reference="Cobrado por el repartidor")
    order = services.finalize(order, by=user)
    assert order.status == Status.FINALIZED
    assert services.next_action(order) is None


@pytest.mark.parametrize(
    "tracking_code, message",
    [
        ("", "Enter the tracking code."),
        ("ABC", "is not a valid Correo Argentino tracking code"),
        ("RR123456784AR", "wrong check digit"),
    ],
)
def test_ship_refuses_a_tracking_code_out_of_the_carriers_format(tracking_code, message):
    order = OrderFactory(status=Status.PREPARING, payment_status=PaymentStatus.PAID)
    with pytest.raises(ValidationError) as error:
        services.ship(order, by=UserFactory(), carrier=carrier(), tracking_code=tracking_code)
    assert message in " ".join(error.value.message_dict["tracking_code"])
    order.refresh_from_db()
    assert (order.status, order.tracking_code, order.events.count()) == (Status.PREPARING, "", 0)


def test_ship_refuses_an_inactive_carrier():
    inactive = carrier("ups")
    inactive.active = False
    inactive.save()
    order = OrderFactory(status=Status.PREPARING, payment_status=PaymentStatus.PAID)
    with pytest.raises(ValidationError) as error:
        services.ship(order, by=UserFactory(), carrier=inactive, tracking_code="1Z999AA10123456784")
    assert "not an active carrier" in error.value.message_dict["carrier"][0]


def test_cancel_needs_a_reason_and_records_it():
    user = UserFactory()
    order = OrderFactory()
    with pytest.raises(ValidationError):
        services.cancel(order, by=user, reason="   ")
    order = services.cancel(order, by=user, reason="Sin stock")
    assert order.status == Status.CANCELLED
    assert order.events.get().note == "Sin stock"


def test_payments_are_refused_on_cancelled_or_already_paid_orders_and_for_bad_amounts():
    user = UserFactory()
    with pytest.raises(TransitionNotAllowed) as refused:
        services.register_payment(OrderFactory(status=Status.CANCELLED), by=user, amount="10")
    assert refused.value.code == "order_cancelled"
    with pytest.raises(TransitionNotAllowed) as refused:
        services.register_payment(OrderFactory(paid=True), by=user, amount="10")
    assert refused.value.code == "already_paid"
    order = OrderFactory()
    for amount in ["0", "-5", "abc", "1.234", "NaN"]:
        with pytest.raises(ValidationError):
            services.register_payment(order, by=user, amount=amount)
    assert Payment.objects.count() == 0


def test_signals_carry_the_change_inside_the_transaction():
    from orders.signals import order_status_changed, payment_received

    seen = []

    def on_status(sender, order, from_status, to_status, by, notify_customer, **kwargs):
        seen.append(("status", from_status, to_status, notify_customer))

    def on_payment(sender, order, payment, became_paid, **kwargs):
        seen.append(("payment", str(payment.amount), became_paid))

    order_status_changed.connect(on_status, dispatch_uid="test-status")
    payment_received.connect(on_payment, dispatch_uid="test-payment")
    try:
        user = UserFactory()
        order = OrderFactory(payment_method="online")
        services.register_payment(order, by=user, amount=order.total)
        services.accept(order, by=user, notify_customer=False)
    finally:
        order_status_changed.disconnect(dispatch_uid="test-status")
        payment_received.disconnect(dispatch_uid="test-payment")
    assert seen == [("payment", "11500.00", True), ("status", "pending", "accepted", False)]


def test_timeline_events_are_append_only():
    order = services.accept(OrderFactory(paid=True), by=UserFactory())
    event = order.events.get()
    event.note = "edited"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
