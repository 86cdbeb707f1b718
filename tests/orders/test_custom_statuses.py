"""Custom statuses: the defaults, the service and its gates, the admin (order page, bulk, list, status admin)."""
import threading

import pytest
from django.db import close_old_connections, connection
from django.db.models import ProtectedError

from orders import services, signals
from orders.models import (
    CustomStatus,
    Order,
    OrderCustomStatus,
    OrderEvent,
    PaymentStatus,
    Status,
)
from orders.services import CustomStatusNotFound, TransitionNotAllowed
from tests.factories import OrderFactory, UserFactory
from tests.utils import requires_postgres

pytestmark = pytest.mark.django_db

DEFAULT_CODES = {
    "delivery": ["in_transit", "at_pickup_point", "out_for_delivery", "delivery_failed", "delivered"],
    "payment": ["invoice_issued", "awaiting_payment"],
    "general": ["agreed_with_customer"],
}


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signals.custom_status_changed.connect(receiver, dispatch_uid="tests.custom_status_received")
    yield calls
    signals.custom_status_changed.disconnect(dispatch_uid="tests.custom_status_received")


# --- the defaults -----------------------------------------------------------------------------


def test_data_migration_seeded_the_default_statuses_in_order_with_three_languages():
    for status_type, codes in DEFAULT_CODES.items():
        statuses = list(CustomStatus.objects.filter(type=status_type).order_by("position"))
        assert [status.code for status in statuses] == codes
        for status in statuses:
            assert status.active
            assert status.name_en and status.name_es and status.name_pt_br
    assert all(CustomStatus.objects.filter(type="delivery").values_list("include_in_analytics", flat=True))
    delivered = CustomStatus.objects.get(type="delivery", code="delivered")
    assert (delivered.name_in("en"), delivered.name_in("es"), delivered.name_in("pt-br")) == (
        "Delivered", "Entregado", "Entregue",
    )


def test_name_in_falls_back_to_another_filled_name():
    status = CustomStatus.objects.create(type="general", code="vip", name_es="Cliente VIP")
    assert status.name_in("pt-br") == "Cliente VIP"
    assert status.name_in("en") == "Cliente VIP"
    assert status.name_in("es-ar") == "Cliente VIP"
    assert CustomStatus.objects.get(code="out_for_delivery").name_in("pt_BR") == "Saiu para entrega"


def test_the_staff_groups_may_set_custom_statuses():
    from django.contrib.auth.models import Group

    for name in ("Order managers", "Dispatch"):
        assert Group.objects.get(name=name).permissions.filter(codename="set_custom_status").exists()


# --- the service ------------------------------------------------------------------------------


@pytest.mark.parametrize(("status_type", "code"), [
    ("delivery", "out_for_delivery"), ("payment", "invoice_issued"), ("general", "agreed_with_customer"),
])
def test_setting_each_type_records_the_current_status_an_event_with_actor_and_time_and_a_signal(
    status_type, code, received
):
    order = OrderFactory()
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type=status_type, code=code, notify_customer=False)

    current = OrderCustomStatus.objects.get(order=order, type=status_type)
    assert current.status.code == code and current.set_by == user and current.set_at is not None
    event = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.CUSTOM_STATUS)
    assert event.actor == user and event.created_at is not None
    assert event.custom_status == current.status
    assert event.data == {"type": status_type, "from": None, "to": code}
    assert len(received) == 1
    assert received[0]["order"].pk == order.pk
    assert received[0]["status_type"] == status_type
    assert received[0]["from_status"] is None
    assert received[0]["to_status"] == current.status
    assert received[0]["by"] == user
    assert received[0]["notify_customer"] is False


def test_a_new_status_of_a_type_replaces_the_current_one_and_the_signal_says_from_which(received):
    order = OrderFactory()
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="delivery", code="in_transit")
    services.set_custom_status(order, by=user, status_type="delivery", code="delivered")
    services.set_custom_status(order, by=user, status_type="payment", code="invoice_issued")

    assert {row.type: row.status.code for row in order.custom_statuses.all()} == {
        "delivery": "delivered", "payment": "invoice_issued",
    }
    assert received[1]["from_status"].code == "in_transit" and received[1]["to_status"].code == "delivered"
    assert OrderEvent.objects.filter(order=order, kind="custom_status").count() == 3
    assert OrderEvent.objects.filter(order=order, kind="custom_status").order_by("id")[1].data == {
        "type": "delivery", "from": "in_transit", "to": "delivered",
    }
    assert [status.code for status in Order.objects.get(pk=order.pk).current_custom_statuses.values()] == [
        "delivered", "invoice_issued",
    ]


def test_setting_the_same_status_twice_makes_one_event_and_one_signal(received):
    order = OrderFactory()
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="delivery", code="in_transit")
    services.set_custom_status(order, by=user, status_type="delivery", code="in_transit")

    assert OrderEvent.objects.filter(order=order, kind="custom_status").count() == 1
    assert len(received) == 1


def test_custom_statuses_never_move_the_lifecycle_nor_open_a_gate():
    order = OrderFactory(payment_method="transfer", status=Status.PENDING)
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="delivery", code="delivered")
    services.set_custom_status(order, by=user, status_type="payment", code="invoice_issued")
    services.set_custom_status(order, by=user, status_type="general", code="agreed_with_customer")

    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Status.PENDING, PaymentStatus.UNPAID)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.accept(order, by=user)
    assert refused.value.code == "payment_required"
    assert services.allowed_moves(order)["finalize"] is not None


def test_a_shipped_unpaid_transfer_order_delivered_still_cannot_be_finalized():
    order = OrderFactory(payment_method="cash_on_delivery", status=Status.SHIPPED)
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="delivery", code="delivered")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.finalize(order, by=user)
    assert refused.value.code == "payment_required"
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Status.SHIPPED, PaymentStatus.UNPAID)


@pytest.mark.parametrize(("status_type", "code", "error_code", "field"), [
    ("shipping", "delivered", "unknown_custom_status_type", "type"),
    ("", "delivered", "unknown_custom_status_type", "type"),
    ("delivery", "teleported", "unknown_custom_status", "code"),
    ("payment", "delivered", "unknown_custom_status", "code"),
    ("delivery", "", "unknown_custom_status", "code"),
])
def test_an_unknown_type_or_code_is_refused_with_a_clear_message(status_type, code, error_code, field, received):
    order = OrderFactory()
    with pytest.raises(CustomStatusNotFound) as refused:
        services.set_custom_status(order, by=UserFactory(), status_type=status_type, code=code)
    assert refused.value.code == error_code and refused.value.field == field
    assert str(refused.value)
    assert not OrderCustomStatus.objects.exists() and not received


def test_unknown_code_message_names_the_type_and_code():
    with pytest.raises(CustomStatusNotFound) as refused:
        services.set_custom_status(OrderFactory(), by=None, status_type="delivery", code="teleported")
    assert str(refused.value) == "There is no delivery status with the code “teleported”."


def test_an_inactive_status_is_refused(received):
    CustomStatus.objects.filter(code="delivery_failed").update(active=False)
    order = OrderFactory()
    with pytest.raises(TransitionNotAllowed) as refused:
        services.set_custom_status(order, by=UserFactory(), status_type="delivery", code="delivery_failed")
    assert refused.value.code == "custom_status_inactive"
    assert "inactive" in str(refused.value)
    assert not OrderCustomStatus.objects.exists() and not received


def test_an_order_keeps_a_status_deactivated_after_it_was_set_and_setting_it_again_changes_nothing(received):
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
    CustomStatus.objects.filter(code="in_transit").update(active=False)
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
    assert order.current_custom_statuses["delivery"].code == "in_transit"
    assert len(received) == 1


def test_a_cancelled_order_gets_no_custom_status_but_a_finalized_one_does():
    cancelled = OrderFactory(status=Status.CANCELLED)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.set_custom_status(cancelled, by=None, status_type="delivery", code="delivered")
    assert refused.value.code == "order_cancelled"

    finalized = OrderFactory(status=Status.FINALIZED, paid=True)
    services.set_custom_status(finalized, by=None, status_type="delivery", code="delivered")
    assert finalized.current_custom_statuses["delivery"].code == "delivered"


def test_clearing_a_type_records_an_event_and_sends_no_signal(received):
    order = OrderFactory()
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="payment", code="awaiting_payment")
    services.clear_custom_status(order, by=user, status_type="payment")
    services.clear_custom_status(order, by=user, status_type="payment")

    assert not order.custom_statuses.exists()
    cleared = OrderEvent.objects.filter(order=order, kind="custom_status").order_by("id").last()
    assert cleared.custom_status is None and cleared.actor == user
    assert cleared.data == {"type": "payment", "from": "awaiting_payment", "to": None}
    assert len(received) == 1


def test_a_used_status_cannot_be_deleted_from_the_database():
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
    status = CustomStatus.objects.get(type="delivery", code="in_transit")
    assert status.is_used()
    with pytest.raises(ProtectedError):
        status.delete()
    assert not CustomStatus.objects.get(code="delivery_failed").is_used()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_many_integrations_setting_the_same_status_at_once_make_one_event():
    order = OrderFactory(status=Status.SHIPPED)
    user = UserFactory()
    barrier = threading.Barrier(8)
    errors = []
    calls = []
    signals.custom_status_changed.connect(
        lambda sender, **kwargs: calls.append(kwargs), dispatch_uid="tests.custom_status_concurrency", weak=False
    )

    def set_status():
        try:
            barrier.wait(timeout=10)
            services.set_custom_status(
                Order.objects.get(pk=order.pk), by=user, status_type="delivery", code="out_for_delivery"
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=set_status) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        signals.custom_status_changed.disconnect(dispatch_uid="tests.custom_status_concurrency")
    close_old_connections()

    assert errors == []
    assert OrderEvent.objects.filter(order=order, kind="custom_status").count() == 1
    assert OrderCustomStatus.objects.filter(order=order).count() == 1
    assert len(calls) == 1
