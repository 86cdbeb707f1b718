"""The reactions to an order's signals do not depend on the order in which their receivers run.

Inventory, checkouts, notifications and webhooks all receive `order_placed`, `order_status_changed`,
`payment_received` and `custom_status_changed` and share one `order` instance. The same orders,
placed, paid, moved and cancelled with their receivers connected in `INSTALLED_APPS` order and then
in the reverse order, give the same webhook bodies, notifications, stock and timeline.
"""
import json
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core import mail

from inventory.models import StockItem, StockMovement
from notifications.models import Notification
from orders import api_cache, services, signals
from orders.models import Order, OrderEvent
from tests.factories import UserFactory, storefront
from tests.inventory.factories import stock
from tests.webhooks.helpers import ALL_EVENTS, TRACKING_CODE, Receiver, endpoint, place, ship

pytestmark = pytest.mark.django_db

ORDER_SIGNALS = (
    signals.order_placed, signals.order_status_changed, signals.payment_received, signals.custom_status_changed,
)
START_STOCK = {"REM-001": 1, "GOR-002": 5}


@contextmanager
def receivers_reversed():
    """Disconnect every receiver of the orders signals and connect them again in the reverse order."""
    saved = {}
    for signal in ORDER_SIGNALS:
        with signal.lock:
            saved[signal] = list(signal.receivers)
            signal.receivers = list(reversed(signal.receivers))
            signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for signal, receivers in saved.items():
            with signal.lock:
                signal.receivers = receivers
                signal.sender_receivers_cache.clear()


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.STORE_EMAIL = "staff@example.com"
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


@pytest.fixture
def hooks():
    with Receiver((200, "ok")) as stub:
        yield stub


def scrub(value, orders):
    """Drop what differs between two runs by nature (ids, times, numbers, links with tokens)."""
    if isinstance(value, dict):
        return {key: scrub(item, orders) for key, item in value.items()
                if key not in {"id", "payment_id", "created_at", "updated_at", "timeline_url"}}
    if isinstance(value, list):
        return [scrub(item, orders) for item in value]
    if isinstance(value, str):
        for index, order in enumerate(orders):
            value = value.replace(order.number, f"<order {index}>").replace(order.external_id, f"<ext {index}>")
        return value
    return value


def run(stub, commit, shop, staff, tag):
    """Place, pay, move and cancel orders with oversold SKUs; return everything their reactions left."""
    for sku, quantity in START_STOCK.items():
        stock(sku, quantity)
    stub.requests.clear()
    mail.outbox = []
    with commit():  # REM-001: 1 on hand, 2 taken: oversold
        shipped = place(by=staff, storefront=shop, external_id=f"TN-{tag}-1", lines=[
            {"sku": "REM-001", "name": "Remera", "quantity": 2, "unit_price": "5000.00"},
            {"sku": "GOR-002", "name": "Gorra", "quantity": 1, "unit_price": "1500.00"},
        ])
    with commit():
        services.register_payment(shipped, by=staff, amount=Decimal(shipped.total), reference="MP-1")
    with commit():
        services.accept(shipped, by=staff)
    with commit():
        services.start_preparation(shipped, by=staff)
    with commit():
        ship(shipped, by=staff)
    with commit():
        services.set_custom_status(shipped, by=staff, status_type="delivery", code="in_transit")
    with commit():  # already below zero: oversold again, and paid as it is placed
        cancelled = place(by=staff, storefront=shop, external_id=f"TN-{tag}-2", payment_method="online",
                          payment={"amount": "11500.00", "reference": "MP-2"})
    with commit():
        services.cancel(cancelled, by=staff, reason="Sin stock")
    orders = [shipped, cancelled]
    for order in orders:
        order.refresh_from_db()
    return {
        "webhooks": sorted(
            (json.dumps(scrub(json.loads(request["body"]), orders), sort_keys=True) for request in stub.requests)
        ),
        "notifications": [
            sorted(Notification.objects.filter(order=order).values_list(
                "milestone", "rule_id", "channel", "recipient", "status", "language",
            ))
            for order in orders
        ],
        "emails": sorted((scrub(email.subject, orders), tuple(email.to)) for email in mail.outbox),
        "oversold": [order.oversold_skus for order in orders],
        "stock": dict(StockItem.objects.values_list("sku", "quantity")),
        "movements": [
            sorted(StockMovement.objects.filter(order=order).values_list("item__sku", "delta", "reason"))
            for order in orders
        ],
        "timeline": [
            [scrub([event.kind, event.from_status, event.to_status, event.note, event.data], orders)
             for event in OrderEvent.objects.filter(order=order).order_by("pk")]
            for order in orders
        ],
    }


def test_the_receivers_in_reverse_order_give_the_same_webhooks_notifications_stock_and_timeline(
    django_capture_on_commit_callbacks, hooks
):
    staff = UserFactory(username="vendedora")
    shop = storefront(name="Tienda Palermo")
    endpoint(shop, url=hooks.url(), events=ALL_EVENTS)

    def commit():
        return django_capture_on_commit_callbacks(execute=True)

    normal = run(hooks, commit, shop, staff, "A")
    with receivers_reversed():
        reversed_ = run(hooks, commit, shop, staff, "B")

    assert normal["oversold"] == [["REM-001"], ["REM-001"]]
    assert len(normal["webhooks"]) == 11 and TRACKING_CODE in "".join(normal["webhooks"])
    assert all('"oversold_skus": ["REM-001"]' in body for body in normal["webhooks"])
    assert normal["notifications"][0] and normal["emails"]
    for part in normal:
        assert reversed_[part] == normal[part], part


def test_the_oversold_flag_moves_the_orders_updated_at():
    stock("REM-001", 1)

    order = place(by=UserFactory(username="vendedora"), storefront=None, external_id="")

    order.refresh_from_db()
    assert order.oversold_skus == ["REM-001"]
    # Written after the stock moved, so syncs with `updated_since` and the kept API JSON see it.
    taken = StockMovement.objects.get(order=order)
    assert order.updated_at >= taken.created_at


def test_the_kept_api_json_shows_the_oversold_flag_even_if_it_was_kept_before_the_stock_moved(settings):
    """A receiver that runs before inventory and asks for the order's JSON (which keeps it by the
    order's version) must not leave an entry that hides the flag afterwards."""
    settings.API_ORDER_CACHE_SECONDS = 60
    stock("REM-001", 1)
    seen = []

    def read_the_kept_json(sender, order, **kwargs):
        seen.append(api_cache.order_detail(Order.objects.all(), pk=order.pk)["oversold_skus"])

    signals.order_placed.connect(read_the_kept_json, dispatch_uid="tests.read_the_kept_json")
    try:
        with receivers_reversed():  # ours was connected last: now it runs first
            order = place(by=UserFactory(username="vendedora"), storefront=None, external_id="")
    finally:
        signals.order_placed.disconnect(dispatch_uid="tests.read_the_kept_json")

    assert seen == [[]]  # before inventory ran
    assert api_cache.order_detail(Order.objects.all(), pk=order.pk)["oversold_skus"] == ["REM-001"]
