"""Refunds: money given back on a paid order, never more than was paid, through orders.services only."""
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from orders import services, signals
from orders.models import Order, OrderEvent, PaymentMethod, PaymentStatus, Refund, Status
from orders.services import TransitionNotAllowed
from tests.factories import OrderFactory, UserFactory
from tests.utils import requires_postgres

pytestmark = pytest.mark.django_db


def paid_order(by, **fields) -> Order:
    """A transfer order paid in full (with a real payment row)."""
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER, **fields)
    services.register_payment(order, by=by, amount=order.total, reference="TRF-1", notify_customer=False)
    order.refresh_from_db()
    return order


def cancelled_paid_order(by) -> Order:
    order = paid_order(by)
    return services.cancel(order, by=by, reason="Sin stock", notify_customer=False)


def test_a_cancelled_paid_order_is_refunded_in_full(admin_user):
    order = cancelled_paid_order(admin_user)
    assert services.next_action(order).code == "refund"

    refund = services.register_refund(order, by=admin_user, amount="11500.00", reference="DEV-77", note="Sin stock")

    order.refresh_from_db()
    assert (refund.amount, refund.reference, refund.note, refund.recorded_by) == (
        Decimal("11500.00"), "DEV-77", "Sin stock", admin_user,
    )
    assert order.payment_status == PaymentStatus.REFUNDED
    assert order.status == Status.CANCELLED
    assert services.next_action(order) is None
    event = order.events.get(kind=OrderEvent.Kind.REFUND_REGISTERED)
    assert (event.actor, event.note) == (admin_user, "DEV-77 · Sin stock")
    assert event.data == {"refund_id": refund.pk, "amount": "11500.00", "reference": "DEV-77",
                          "payment_status": "refunded"}


def test_part_refunds_add_up_to_what_was_paid(admin_user):
    order = cancelled_paid_order(admin_user)

    services.register_refund(order, by=admin_user, amount=Decimal("5000"))
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    assert services.refundable_amount(order) == Decimal("6500.00")
    assert services.next_action(order).code == "refund"  # money still kept for a cancelled order

    services.register_refund(order, by=admin_user, amount=Decimal("6500"))
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.REFUNDED
    assert list(order.refunds.values_list("amount", flat=True)) == [Decimal("5000.00"), Decimal("6500.00")]


def test_a_refund_above_what_was_paid_is_refused_and_changes_nothing(admin_user):
    order = cancelled_paid_order(admin_user)
    services.register_refund(order, by=admin_user, amount=Decimal("10000"))

    with pytest.raises(TransitionNotAllowed) as refused:
        services.register_refund(order, by=admin_user, amount=Decimal("1500.01"))

    assert refused.value.code == "refund_exceeds_paid"
    assert str(refused.value) == (
        "This refund of ARS1,500.01 is more than the ARS1,500.00 paid and not refunded yet; refund at most that."
    )
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    assert order.refunds.count() == 1


def test_the_refusal_speaks_the_language_of_who_reads_it(admin_user):
    order = cancelled_paid_order(admin_user)

    with translation.override("es"), pytest.raises(TransitionNotAllowed) as refused:
        services.register_refund(order, by=admin_user, amount=order.total + 1)

    amount, refundable = order.format_money(order.total + 1, "es"), order.format_money(order.total, "es")
    assert str(refused.value) == (
        f"Este reintegro de {amount} supera los {refundable} pagados y aún no reintegrados; "
        "reintegrá como máximo ese monto."
    )


def test_an_unpaid_order_has_nothing_to_refund(admin_user):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.register_refund(order, by=admin_user, amount=Decimal("1"))

    assert refused.value.code == "not_paid"
    assert not Refund.objects.exists()
    assert not order.events.exists()


def test_an_order_refunded_in_full_takes_no_more_refunds(admin_user):
    order = cancelled_paid_order(admin_user)
    services.register_refund(order, by=admin_user, amount=order.total)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.register_refund(order, by=admin_user, amount=Decimal("0.01"))

    assert refused.value.code == "already_refunded"


@pytest.mark.parametrize(("amount", "message"), [
    ("0", "The amount must be greater than zero."),
    ("-5", "The amount must be greater than zero."),
    ("10.001", "Enter an amount with at most two decimals."),
    ("diez", "Enter an amount such as 1500.00."),
])
def test_a_malformed_amount_is_a_field_error(admin_user, amount, message):
    order = cancelled_paid_order(admin_user)

    with pytest.raises(ValidationError) as invalid:
        services.register_refund(order, by=admin_user, amount=amount)

    assert invalid.value.message_dict == {"amount": [message]}
    assert not Refund.objects.exists()


def test_a_note_longer_than_1000_characters_is_refused(admin_user):
    order = cancelled_paid_order(admin_user)

    with pytest.raises(ValidationError) as invalid:
        services.register_refund(order, by=admin_user, amount=Decimal("1"), note="x" * 1001)

    assert list(invalid.value.message_dict) == ["note"]


def test_a_part_refund_of_an_open_order_keeps_it_paid_for_its_moves(admin_user):
    """A line the store could not send, refunded: the order still goes on and can be finalized."""
    order = paid_order(admin_user, fulfillment_method="pickup", address="", pickup_point="Local Palermo")
    order = services.accept(order, by=admin_user, notify_customer=False)
    order = services.start_preparation(order, by=admin_user, notify_customer=False)
    services.register_refund(order, by=admin_user, amount=Decimal("5000"))
    order.refresh_from_db()

    assert order.is_paid and order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    order = services.mark_ready_for_pickup(order, by=admin_user, notify_customer=False)
    order = services.finalize(order, by=admin_user, notify_customer=False)
    assert order.status == Status.FINALIZED
    with pytest.raises(TransitionNotAllowed) as refused:
        services.register_payment(order, by=admin_user, amount=Decimal("1"))
    assert refused.value.code == "already_paid"


def test_the_service_sends_refund_registered_inside_its_transaction(admin_user):
    order = cancelled_paid_order(admin_user)
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs["order"].payment_status, kwargs["refund"].amount, kwargs["fully_refunded"],
                         kwargs["by"], kwargs["notify_customer"], connection.in_atomic_block))

    signals.refund_registered.connect(receiver)
    try:
        services.register_refund(order, by=admin_user, amount=Decimal("1000"), notify_customer=False)
        services.register_refund(order, by=admin_user, amount=Decimal("10500"))
    finally:
        signals.refund_registered.disconnect(receiver)

    assert received == [
        (Order, "partially_refunded", Decimal("1000"), False, admin_user, False, True),
        (Order, "refunded", Decimal("10500"), True, admin_user, True, True),
    ]


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_three_refunds_of_40_percent_racing_each_other_never_give_back_more_than_was_paid():
    user = UserFactory()
    order = cancelled_paid_order(user)
    part = (order.total * Decimal("0.4")).quantize(Decimal("0.01"))
    barrier = threading.Barrier(3)
    outcomes = []
    lock = threading.Lock()

    def refund():
        try:
            barrier.wait(timeout=10)
            services.register_refund(Order.objects.get(pk=order.pk), by=user, amount=part)
            result = "refunded"
        except TransitionNotAllowed as refused:
            result = refused.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=refund) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()

    assert sorted(outcomes) == ["refund_exceeds_paid", "refunded", "refunded"]
    order.refresh_from_db()
    assert list(order.refunds.values_list("amount", flat=True)) == [part, part]
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    assert order.events.filter(kind=OrderEvent.Kind.REFUND_REGISTERED).count() == 2
