"""A known data set for the status report: timeline rows with explicit times, in the store's time zone."""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from orders.models import CustomStatus, OrderEvent, Status
from tests.factories import OrderFactory

STORE = ZoneInfo(settings.TIME_ZONE)
HOUR = 3600


def local(day: int, hour: int, minute: int = 0, month: int = 5, year: int = 2025) -> datetime:
    """A time on the store's clock (Buenos Aires, UTC-3)."""
    return datetime(year, month, day, hour, minute, tzinfo=STORE)


def enter(order, status: str, at: datetime, **fields) -> OrderEvent:
    """The timeline row saying `order` entered core `status` at `at` (placed for pending)."""
    kind = OrderEvent.Kind.PLACED if status == Status.PENDING else OrderEvent.Kind.STATUS_CHANGED
    event = OrderEvent.objects.create(order=order, kind=kind, to_status=status, **fields)
    # created_at is auto_now_add: set the time afterwards (an update, not a save: events are append-only).
    OrderEvent.objects.filter(pk=event.pk).update(created_at=at)
    return event


def order_with(steps, **order_fields):
    """An order that entered each (status, time) of `steps`."""
    order = OrderFactory(with_lines=False, **order_fields)
    for status, at in steps:
        enter(order, status, at)
    return order


def known_orders() -> dict:
    """Seven orders around 1-4 May 2025 (store time). Accepted -> shipped within those days:
    #1 24 h, #2 48 h, #3 6 h, #5 12 h; #6 was accepted before the period, #4 was never shipped,
    #7 was accepted after it."""
    transfer, cash, online = "transfer", "cash_on_delivery", "online"
    return {
        1: order_with([("pending", local(1, 10)), ("accepted", local(1, 12)), ("shipped", local(2, 12))],
                      payment_method=transfer),
        # Placed at 23:30 on 1 May in Buenos Aires: 2 May in UTC, still 1 May for the store.
        2: order_with([("pending", local(1, 23, 30)), ("accepted", local(2, 9)), ("shipped", local(4, 9))],
                      payment_method=transfer),
        # Entered "preparing" twice the same day: counted once.
        3: order_with([("pending", local(2, 8)), ("accepted", local(2, 10)), ("preparing", local(2, 11)),
                       ("preparing", local(2, 13)), ("shipped", local(2, 16))], payment_method=cash),
        4: order_with([("pending", local(3, 8)), ("accepted", local(3, 9))], payment_method=online),
        5: order_with([("pending", local(30, 10, month=4)), ("accepted", local(1, 8)), ("shipped", local(1, 20))],
                      payment_method=transfer),
        6: order_with([("pending", local(29, 10, month=4)), ("accepted", local(30, 10, month=4)),
                       ("shipped", local(2, 18))], payment_method=transfer),
        # Placed in the last minutes of 4 May; accepted after midnight, outside the period.
        7: order_with([("pending", local(4, 23, 50)), ("accepted", local(5, 0, 10))], payment_method=transfer),
    }



def enter_custom(order, key: str, at: datetime) -> OrderEvent:
    """The timeline row saying `order` got the custom status `key` ("delivery:delivered") at `at`."""
    status_type, code = key.split(":")
    status = CustomStatus.objects.get(type=status_type, code=code)
    event = OrderEvent.objects.create(
        order=order, kind=OrderEvent.Kind.CUSTOM_STATUS, custom_status=status,
        data={"type": status_type, "from": None, "to": code},
    )
    OrderEvent.objects.filter(pk=event.pk).update(created_at=at)
    return event
