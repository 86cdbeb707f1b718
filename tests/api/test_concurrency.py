"""Requests racing each other (PostgreSQL: real row locks): two identical creates create one order; payments
never pass the order's total."""
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from orders.api_serializers import OrderCreateInput
from orders.api_services import create_order
from orders.models import Order
from tests.utils import requires_postgres

from .conftest import StorefrontClient, make_client, order_body

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def in_thread(target, results, index):
    def run():
        try:
            results[index] = target()
        finally:
            connection.close()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_identical_creates_racing_create_one_order():
    api = make_client("Tienda Carrera")
    rounds, racers = 2, 3
    for round_number in range(rounds):
        body = order_body(external_id=f"RACE-{round_number}")
        barrier = threading.Barrier(racers)
        results = [None] * racers

        def create():
            client = StorefrontClient(api.storefront, api.key)
            barrier.wait()
            response = client.post("/api/v1/orders/", body, format="json")
            return response.status_code, response.json().get("number")

        threads = [in_thread(create, results, i) for i in range(racers)]
        for thread in threads:
            thread.join(timeout=30)

        statuses = sorted(status for status, _ in results)
        assert statuses == [200] * (racers - 1) + [201]
        assert len({number for _, number in results}) == 1
        assert Order.objects.filter(external_id=f"RACE-{round_number}").count() == 1


def test_a_create_that_loses_the_race_answers_with_the_winners_order():
    """Deterministic: the winner holds its transaction open while the loser's insert waits on it."""
    api = make_client("Tienda Carrera")
    body = order_body(external_id="RACE-X")
    data = OrderCreateInput(data=body)
    assert data.is_valid()
    inserted, may_commit = threading.Event(), threading.Event()
    results = [None, None]

    def winner():
        with transaction.atomic():
            order, created = create_order(storefront=api.storefront, data=data.validated_data)
            inserted.set()
            may_commit.wait(timeout=10)
        return order.number, created

    def loser():
        response = StorefrontClient(api.storefront, api.key).post("/api/v1/orders/", body, format="json")
        return response.status_code, response.json().get("number")

    winning = in_thread(winner, results, 0)
    assert inserted.wait(timeout=10)  # the winner's order is inserted, not committed
    losing = in_thread(loser, results, 1)
    time.sleep(0.5)
    assert losing.is_alive(), "the loser must wait on the winner's uncommitted order"
    may_commit.set()
    winning.join(timeout=10)
    losing.join(timeout=10)

    (number, created), (status, replayed_number) = results
    assert created is True
    assert (status, replayed_number) == (200, number)
    assert Order.objects.filter(external_id="RACE-X").count() == 1


def test_three_payments_of_40_percent_racing_each_other_register_two_and_refuse_one():
    """Each payment is checked against what is still owed under the order's row lock: the total is never passed."""
    api = make_client("Tienda Carrera")
    created = api.create_order(external_id="RACE-PAY")
    assert created.status_code == 201, created.json()
    number, total = created.json()["number"], Decimal(created.json()["total"])
    part = str((total * Decimal("0.4")).quantize(Decimal("0.01")))
    racers = 3
    barrier = threading.Barrier(racers)
    results = [None] * racers

    def pay():
        client = StorefrontClient(api.storefront, api.key)
        barrier.wait()
        response = client.post(f"/api/v1/orders/{number}/payments/", {"amount": part}, format="json")
        return response.status_code, response.json().get("code")

    threads = [in_thread(pay, results, i) for i in range(racers)]
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results, key=lambda result: result[0]) == [(201, None), (201, None), (409, "overpayment")]
    order = Order.objects.get(number=number)
    assert list(order.payments.values_list("amount", flat=True)) == [Decimal(part)] * 2
    assert order.payment_status == "unpaid"
