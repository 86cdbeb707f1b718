"""Deliveries through the task queue: django-q2's sync cluster in the test settings, a real
`qcluster` process on PostgreSQL, two workers racing for one row, the periodic schedules."""
import threading
import time

import pytest
from django.db import connection
from django_q.models import Schedule, Success

from tests.api.conftest import ORDER_BODY, make_client
from tests.utils import qcluster_process, requires_postgres, requires_postgres_worker
from webhooks import schedules, services
from webhooks.models import Delivery

from .helpers import endpoint, place, verify_signature


@pytest.mark.django_db(transaction=True)
def test_an_order_sent_through_the_api_reaches_the_receiver_through_the_task_queue(receiver):
    stub = receiver((200, "ok"))
    api = make_client("Tienda Palermo")
    hook = endpoint(api.storefront, url=stub.url(), events=["order.created", "order.shipped"])

    response = api.post("/api/v1/orders/", ORDER_BODY, format="json")  # commits for real

    assert response.status_code == 201
    [request] = stub.requests
    verify_signature(request["headers"]["x-webhook-signature"], request["body"], hook.secret)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, str(delivery.event_id)) == (
        "delivered", 1, request["headers"]["x-webhook-id"]
    )
    # It went through django-q2 (run inline by the sync cluster), which recorded the task's result.
    task = Success.objects.get(name=f"webhook-{delivery.pk}")
    assert (task.func, task.result) == ("webhooks.tasks.deliver_webhook", "delivered")


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_delivery_at_once_post_it_once(receiver, shop, staff):
    stub = receiver(("hang", 0.2))  # answers 200 after a moment, while the other worker tries
    endpoint(shop, url=stub.url())
    order = place(by=staff, storefront=shop)  # committed; its enqueue ran inline already
    delivery = Delivery.objects.get(order=order)
    Delivery.objects.filter(pk=delivery.pk).update(status="queued", attempts=0, next_attempt_at=None)
    stub.requests.clear()

    barrier = threading.Barrier(2)
    results = []

    def work():
        try:
            barrier.wait()
            results.append(services.deliver(delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results, key=str) == [None, "delivered"]
    assert len(stub.requests) == 1
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1


# --- a real worker process -------------------------------------------------------------------


@pytest.fixture
def qcluster(tmp_path, monkeypatch):
    """Deliveries go to the ORM broker; `manage.py qcluster` on the test database works them."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    # The receiver is on 127.0.0.1.
    with qcluster_process(tmp_path / "qcluster.log", WEBHOOK_ALLOW_LOCAL_URLS="true") as started:
        yield started


@requires_postgres_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_qcluster_process_delivers_the_webhooks(receiver, shop, staff, qcluster):
    from django_q.models import OrmQ

    process, log = qcluster
    stub = receiver((200, "ok"))
    hook = endpoint(shop, url=stub.url(), events=["order.created", "order.cancelled"])
    order = place(by=staff, storefront=shop)
    from orders import services as order_services

    order_services.cancel(order, by=staff, reason="Pedido de prueba")
    rows = Delivery.objects.filter(order=order)
    assert rows.count() == 2 and OrmQ.objects.count() >= 2  # enqueued on commit, waiting for the worker

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and rows.exclude(status="delivered").exists():
        assert process.poll() is None, "qcluster exited early"
        time.sleep(0.3)

    log.seek(0)
    assert not rows.exclude(status="delivered").exists(), log.read()[-3000:]
    assert list(rows.values_list("attempts", flat=True)) == [1, 1]
    assert sorted(r["headers"]["x-webhook-event"] for r in stub.requests) == ["order.cancelled", "order.created"]
    for request in stub.requests:
        verify_signature(request["headers"]["x-webhook-signature"], request["body"], hook.secret)


# --- schedules -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_and_the_daily_purge_are_scheduled_once():
    schedules.register_schedules()
    schedules.register_schedules()  # a later migrate changes nothing

    sweep = Schedule.objects.get(name=schedules.SWEEP_NAME)
    purge = Schedule.objects.get(name=schedules.PURGE_NAME)
    assert (sweep.func, sweep.schedule_type, sweep.minutes) == (
        "webhooks.tasks.sweep_queued_webhooks", Schedule.MINUTES, 1
    )
    assert (purge.func, purge.schedule_type) == ("webhooks.tasks.purge_webhook_deliveries", Schedule.DAILY)
