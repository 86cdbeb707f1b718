"""The connectors' two outbox kinds on the one engine: claims, retries, the sweep, the purge, schedules."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from connectors import tasks
from connectors.models import PlatformAccount, PlatformEvent, WriteBack, WriteBackAttempt
from connectors.outbox import EVENTS, WRITE_BACKS
from connectors.services import processing
from connectors.services.connecting import connect
from orders.models import Order

from .conftest import TN_STORE, tiendanube_order
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def recorded(account, order_id="450789469", **fields) -> PlatformEvent:
    return PlatformEvent.objects.create(account=account, topic="order/created", resource_id=order_id,
                                        next_attempt_at=timezone.now(), **fields)


def test_the_sweep_and_purge_schedules_are_registered():
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {EVENTS.sweep_schedule.name, EVENTS.purge_schedule.name, WRITE_BACKS.sweep_schedule.name,
            WRITE_BACKS.purge_schedule.name} <= names


def test_an_event_is_worked_on_once(tn_account, stub):
    stub.tiendanube_orders["450789469"] = tiendanube_order()
    event = recorded(tn_account)

    assert processing.process(event.pk) == "done"
    assert processing.process(event.pk) is None
    assert len(stub.calls("GET", "/orders/450789469")) == 1


def test_a_platform_outage_while_reading_the_order_is_retried(tn_account, stub):
    stub.tiendanube_orders["450789469"] = tiendanube_order()
    stub.answer("GET", f"/tn/{TN_STORE}/orders/450789469", (503, {"message": "down"}))
    event = recorded(tn_account)

    assert processing.process(event.pk) == "queued"
    event.refresh_from_db()
    assert "HTTP 503" in event.message
    assert Schedule.objects.filter(func="connectors.tasks.process_event", args=repr(event.pk)).exists()

    PlatformEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    assert processing.process(event.pk) == "done"
    assert Order.objects.count() == 1


def test_a_refused_token_holds_the_event_until_the_store_is_connected_again(tn_account, stub,
                                                                             django_capture_on_commit_callbacks):
    stub.tiendanube_orders["450789469"] = tiendanube_order()
    stub.answer("GET", f"/tn/{TN_STORE}/orders/450789469", (401, {"message": "Unauthorized"}))
    event = recorded(tn_account)

    assert processing.process(event.pk) == "held"
    assert "connect the store again" in PlatformAccount.objects.get().problem

    with django_capture_on_commit_callbacks(execute=True):
        connect(platform="tiendanube", name=tn_account.storefront.name, store_id=TN_STORE, access_token="new-token")

    event.refresh_from_db()
    assert event.status == "done" and Order.objects.count() == 1
    assert PlatformAccount.objects.get().problem == ""


def test_the_sweep_enqueues_what_a_dead_process_left(tn_account, stub, django_capture_on_commit_callbacks):
    stub.tiendanube_orders["450789469"] = tiendanube_order()
    event = recorded(tn_account)
    PlatformEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=10))

    assert tasks.sweep_events() == 1

    event.refresh_from_db()
    assert event.status == "done"


def test_the_purge_keeps_what_is_still_queued(tn_account):
    old = timezone.now() - timedelta(days=31)
    done = recorded(tn_account, status="done")
    waiting = recorded(tn_account, order_id="2")
    order = OrderFactory()
    write_back = WriteBack.objects.create(account=tn_account, order=order, platform_order_id="1", move="shipped",
                                          status="delivered")
    WriteBackAttempt.objects.create(write_back=write_back, number=1, started_at=old, duration_ms=5)
    PlatformEvent.objects.update(created_at=old)
    WriteBack.objects.update(created_at=old)

    assert tasks.purge_events() == 1
    assert tasks.purge_write_backs() == 1
    assert list(PlatformEvent.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert not WriteBackAttempt.objects.exists()
    assert not PlatformEvent.objects.filter(pk=done.pk).exists()
