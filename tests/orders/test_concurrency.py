"""Row locks make one transition out of many simultaneous clicks (PostgreSQL)."""
import threading

import pytest
from django.db import close_old_connections, connection

from orders import services
from orders.models import Order, OrderEvent, Status
from orders.services import TransitionNotAllowed
from tests.factories import OrderFactory, UserFactory
from tests.utils import requires_postgres


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_ten_staff_accepting_the_same_paid_order_make_one_transition():
    order = OrderFactory(paid=True)
    user = UserFactory()
    barrier = threading.Barrier(10)
    outcomes = []
    lock = threading.Lock()

    def click_accept():
        try:
            barrier.wait(timeout=10)
            services.accept(Order.objects.get(pk=order.pk), by=user)
            result = "accepted"
        except TransitionNotAllowed as refused:
            result = refused.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=click_accept) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()

    assert sorted(outcomes) == ["accepted"] + ["invalid_transition"] * 9
    assert OrderEvent.objects.filter(order=order, to_status=Status.ACCEPTED).count() == 1
    order.refresh_from_db()
    assert order.status == Status.ACCEPTED


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_cashiers_registering_the_last_payment_at_once_pay_the_order_once():
    order = OrderFactory(payment_method="cash_on_delivery", status=Status.SHIPPED)
    user = UserFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def register():
        try:
            barrier.wait(timeout=10)
            services.register_payment(Order.objects.get(pk=order.pk), by=user, amount=order.total)
            outcomes.append("paid")
        except TransitionNotAllowed as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already_paid", "paid"]
    assert order.payments.count() == 1
