"""Placing an order takes its tracked SKUs' units; cancelling gives back exactly what it took."""
import pytest
from django.db import transaction

from inventory import receivers
from inventory.models import StockItem, StockMovement
from orders import signals
from orders.models import Order, Status
from tests.inventory.factories import assert_quantities_equal_movements, cancel, on_hand, place, stock

pytestmark = pytest.mark.django_db

Reason = StockMovement.Reason


def test_placing_an_order_decrements_each_tracked_sku_and_records_a_movement():
    stock("REM-001", 10)
    stock("GOR-002", 3)

    order = place(("REM-001", 2), ("GOR-002", 1))

    assert (on_hand("REM-001"), on_hand("GOR-002")) == (8, 2)
    movements = StockMovement.objects.filter(order=order).order_by("item__sku")
    assert [(m.item.sku, m.delta, m.reason, m.quantity_after) for m in movements] == [
        ("GOR-002", -1, Reason.ORDER_PLACED, 2),
        ("REM-001", -2, Reason.ORDER_PLACED, 8),
    ]
    assert {m.by.username for m in movements} == {"storefront-user"}
    assert order.oversold_skus == []
    assert_quantities_equal_movements()


def test_lines_with_the_same_sku_add_up_in_one_movement():
    stock("REM-001", 10)

    order = place(("REM-001", 2), ("REM-001", 3))

    assert on_hand("REM-001") == 5
    assert list(StockMovement.objects.filter(order=order).values_list("delta", flat=True)) == [-5]


def test_unknown_untracked_and_blank_skus_are_ignored():
    stock("UNTRACKED", 4, track_stock=False)

    order = place(("UNKNOWN-SKU", 1), ("UNTRACKED", 2), ("", 1))

    assert order.status == Status.PENDING
    assert on_hand("UNTRACKED") == 4
    assert not StockMovement.objects.filter(order=order).exists()
    assert not StockItem.objects.filter(sku="UNKNOWN-SKU").exists()
    assert order.oversold_skus == []


def test_cancelling_restores_what_the_order_took():
    stock("REM-001", 10)
    stock("GOR-002", 3)
    order = place(("REM-001", 2), ("GOR-002", 1), ("UNKNOWN", 1))

    cancel(order)

    assert (on_hand("REM-001"), on_hand("GOR-002")) == (10, 3)
    restored = StockMovement.objects.filter(order=order, reason=Reason.ORDER_CANCELLED).order_by("item__sku")
    assert [(m.item.sku, m.delta, m.quantity_after, m.by.username) for m in restored] == [
        ("GOR-002", 1, 3, "staff-member"),
        ("REM-001", 2, 10, "staff-member"),
    ]
    assert_quantities_equal_movements()


def test_cancelling_restores_only_this_orders_units_even_after_other_changes():
    stock("REM-001", 10)
    first = place(("REM-001", 2))
    place(("REM-001", 3))
    stock("REM-001", 20)  # staff recount meanwhile

    cancel(first)

    assert on_hand("REM-001") == 22
    assert_quantities_equal_movements()


def test_a_repeated_cancel_signal_restores_once():
    stock("REM-001", 10)
    order = place(("REM-001", 4))

    with transaction.atomic():
        cancelled = cancel(order)
        for _ in range(2):  # a receiver sending it again, a retried task...
            signals.order_status_changed.send(
                sender=Order, order=cancelled, from_status=Status.PENDING, to_status=Status.CANCELLED, by=None,
                notify_customer=False,
            )
    receivers.on_order_status_changed(Order, order=cancelled, from_status="pending", to_status="cancelled")

    assert on_hand("REM-001") == 10
    assert StockMovement.objects.filter(order=order, reason=Reason.ORDER_CANCELLED).count() == 1
    assert_quantities_equal_movements()


def test_other_status_changes_do_not_move_stock():
    stock("REM-001", 10)
    order = place(("REM-001", 1))

    signals.order_status_changed.send(
        sender=Order, order=order, from_status=Status.PENDING, to_status=Status.ACCEPTED, by=None,
        notify_customer=False,
    )

    assert on_hand("REM-001") == 9
    assert StockMovement.objects.filter(order=order).count() == 1


def test_an_order_that_cannot_be_placed_moves_no_stock():
    stock("REM-001", 10)

    with pytest.raises(RuntimeError), transaction.atomic():
        place(("REM-001", 2))
        raise RuntimeError("the request failed after the order was placed")

    assert on_hand("REM-001") == 10
    assert not StockMovement.objects.filter(reason=Reason.ORDER_PLACED).exists()


# --- oversold ----------------------------------------------------------------------------------

def test_an_order_taking_a_sku_below_zero_is_recorded_and_flagged_oversold():
    stock("REM-001", 1)
    stock("GOR-002", 5)

    order = place(("REM-001", 3), ("GOR-002", 1))

    assert order.status == Status.PENDING
    assert order.oversold_skus == ["REM-001"]
    order.refresh_from_db()
    assert order.oversold_skus == ["REM-001"]
    assert on_hand("REM-001") == -2  # two units owed to the customer
    assert StockItem.objects.oversold().get().sku == "REM-001"


def test_an_order_for_a_sku_already_below_zero_is_oversold_too():
    stock("REM-001", 0)
    place(("REM-001", 1))

    order = place(("REM-001", 1))

    assert order.oversold_skus == ["REM-001"]
    assert on_hand("REM-001") == -2


def test_an_order_taking_the_last_units_is_not_oversold():
    stock("REM-001", 2)

    order = place(("REM-001", 2))

    assert order.oversold_skus == []
    assert on_hand("REM-001") == 0


def test_cancelling_an_oversold_order_restores_exactly_what_it_took():
    stock("REM-001", 1)
    order = place(("REM-001", 3))

    cancel(order)

    assert on_hand("REM-001") == 1
    assert_quantities_equal_movements()


def test_the_oversold_flag_survives_the_payment_registered_with_the_order():
    stock("REM-001", 0)

    order = place(("REM-001", 1), payment={"amount": "1000", "reference": "MP-1"})

    assert order.is_paid
    assert order.oversold_skus == ["REM-001"]
