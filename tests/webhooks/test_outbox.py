"""The outbox: one row per event and subscribed active endpoint of the order's storefront,
written in the order's transaction, enqueued only once it commits."""
import json

import pytest
from django.db import transaction

from orders import services
from webhooks.models import Delivery, Event
from webhooks.outbox import WEBHOOKS

from .helpers import endpoint, pay, place

pytestmark = pytest.mark.django_db


def test_placing_an_order_writes_one_queued_delivery_per_subscribed_active_endpoint(staff, shop):
    everything = endpoint(shop, url="https://a.example.com/hook")
    only_created = endpoint(shop, url="https://b.example.com/hook", events=[Event.ORDER_CREATED])
    endpoint(shop, url="https://c.example.com/hook", events=[Event.ORDER_PAID])  # not subscribed
    endpoint(shop, url="https://d.example.com/hook", active=False)  # paused

    order = place(by=staff, storefront=shop)

    rows = Delivery.objects.filter(order=order)
    assert sorted(rows.values_list("endpoint_id", "event_type", "status")) == sorted([
        (everything.pk, "order.created", "queued"), (only_created.pk, "order.created", "queued"),
    ])
    # One event: the same id and the same bytes for every endpoint, so receivers can de-duplicate.
    assert len(set(rows.values_list("event_id", flat=True))) == 1
    assert len(set(rows.values_list("body", flat=True))) == 1


def test_each_event_gets_its_own_id(staff, shop):
    endpoint(shop)
    order = pay(place(by=staff, storefront=shop), by=staff)
    services.accept(order, by=staff)

    rows = Delivery.objects.filter(order=order).order_by("pk")
    assert list(rows.values_list("event_type", flat=True)) == ["order.created", "order.paid", "order.status_changed"]
    assert len(set(rows.values_list("event_id", flat=True))) == 3
    for row in rows:
        assert json.loads(row.body)["id"] == str(row.event_id)


def test_deliveries_are_enqueued_only_when_the_change_commits(staff, shop, django_capture_on_commit_callbacks):
    endpoint(shop)
    with django_capture_on_commit_callbacks() as callbacks:
        order = place(by=staff, storefront=shop)
    assert Delivery.objects.filter(order=order).count() == 1
    ours = [c for c in callbacks if getattr(c, "func", None) == WEBHOOKS.enqueue]
    assert [c.args for c in ours] == [([Delivery.objects.get(order=order).pk],)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_no_webhook(staff, shop, receiver):
    stub = receiver((200, "ok"))
    endpoint(shop, url=stub.url())
    order = place(by=staff, storefront=shop)  # commits: order.created is delivered
    assert len(stub.requests) == 1

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.cancel(order, by=staff, reason="Sin stock")
        assert Delivery.objects.filter(order=order, event_type="order.cancelled").exists()  # written inside
        raise Abort

    order.refresh_from_db()
    assert order.status == "pending"
    assert list(Delivery.objects.filter(order=order).values_list("event_type", flat=True)) == ["order.created"]
    assert len(stub.requests) == 1  # nothing more was posted


def test_only_the_orders_own_storefront_hears_of_it(staff, shop, other_shop):
    mine = endpoint(shop)
    endpoint(other_shop, url="https://other.example.com/hook")

    order = place(by=staff, storefront=shop)
    services.cancel(order, by=staff, reason="Pedido duplicado")

    assert set(Delivery.objects.values_list("endpoint_id", flat=True)) == {mine.pk}


def test_orders_without_a_storefront_write_nothing(staff, shop):
    endpoint(shop)
    place(by=staff, storefront=None, external_id="")
    assert not Delivery.objects.exists()


def test_the_body_is_the_event_as_it_was(staff, shop):
    endpoint(shop, events=[Event.ORDER_CREATED])
    order = place(by=staff, storefront=shop)
    services.cancel(order, by=staff, reason="Pedido duplicado")

    body = json.loads(Delivery.objects.get(order=order).body)
    assert body["data"]["order"]["status"] == "pending"  # not what the order is now


def test_orders_of_a_storefront_without_endpoints_cost_one_query_per_change(
    staff, shop, django_assert_num_queries
):
    order = place(by=staff, storefront=shop)
    order.refresh_from_db()
    from webhooks import receivers

    with django_assert_num_queries(1):
        receivers.on_order_status_changed(None, order=order, from_status="pending", to_status="accepted")
