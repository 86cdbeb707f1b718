"""The time between two statuses kept per closed day (analytics/durations.py): the same figures as
reading the whole timeline, today read live, the pair kept from the first time it is asked about."""
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics import durations, report, rollup
from analytics.models import DurationPair, StatusDuration
from analytics.report import Filters
from orders.models import CustomStatus
from tests.analytics.factories import enter, enter_custom, known_orders, local, order_with
from tests.factories import storefront

pytestmark = pytest.mark.django_db

PAIRS = [("accepted", "shipped"), ("pending", "accepted"), ("pending", "shipped"), ("shipped", "delivery:delivered")]


def option(key):
    return next(o for o in report.status_options() if o.key == key)


def between(filters, start="accepted", end="shipped", **kwargs):
    result = report.time_between(filters, option(start), option(end), **kwargs)
    return result.orders, result.median, result.p90


@pytest.fixture
def history():
    """The known orders of May 2025, and orders that reach their statuses today: one placed and
    shipped today, one accepted days ago and shipped today, one of another storefront."""
    orders = known_orders()
    CustomStatus.objects.filter(type="delivery").update(include_in_analytics=True)
    enter_custom(orders[1], "delivery:delivered", local(3, 15))
    now = timezone.now()
    shop = storefront()
    today = order_with([("pending", now - timedelta(minutes=50)), ("accepted", now - timedelta(minutes=30))],
                       payment_method="transfer", storefront=shop)
    enter(today, "shipped", now - timedelta(minutes=1))
    waited = order_with([("pending", now - timedelta(days=3)), ("accepted", now - timedelta(days=2, hours=5))],
                        payment_method="online")
    enter(waited, "shipped", now - timedelta(minutes=2))
    enter_custom(waited, "delivery:delivered", now)
    return {"orders": orders, "shop": shop}


RANGES = [
    dict(start=date(2025, 4, 28), end=timezone.localdate()),
    dict(start=date(2025, 5, 1), end=date(2025, 5, 4)),
    dict(start=date(2025, 5, 2), end=timezone.localdate(), payment_methods=("transfer", "online")),
    dict(start=timezone.localdate() - timedelta(days=4), end=timezone.localdate()),
]


def ask_and_keep(*pairs):
    """Ask the report about each pair (which registers it), then run the daily rollup."""
    for start, end in pairs:
        between(Filters(start=date(2025, 5, 1), end=date(2025, 5, 2)), start, end)
    rollup.roll_up_closed_days()


@pytest.mark.parametrize("filters", RANGES)
def test_kept_times_plus_today_give_the_figures_read_from_the_timeline(history, filters):
    direct = {pair: between(Filters(**filters), *pair) for pair in PAIRS}
    shop_direct = between(Filters(**filters, storefront_id=history["shop"].pk))

    ask_and_keep(*PAIRS)

    assert DurationPair.objects.filter(through=timezone.localdate() - timedelta(days=1)).count() == len(PAIRS)
    assert StatusDuration.objects.filter(pair="accepted>shipped").count() == 5  # #1, #2, #3, #5 and #6
    assert {pair: between(Filters(**filters), *pair) for pair in PAIRS} == direct
    assert between(Filters(**filters, storefront_id=history["shop"].pk)) == shop_direct
    assert any(orders for orders, _median, _p90 in direct.values())


def test_an_order_reaching_the_status_today_is_measured_live_and_counted_once(history):
    ask_and_keep(("accepted", "shipped"))
    year = Filters(start=timezone.localdate() - timedelta(days=365), end=timezone.localdate())

    with CaptureQueriesContext(connection) as queries:
        orders, median, _p90 = between(year)

    # The two orders shipped today (30 min and 2 days 4 h 58 min after acceptance) are read from the
    # timeline, for today alone; none of the kept May orders is within the year.
    assert orders == 2 and median == pytest.approx((29 * 60 + (2 * 86400 + 4 * 3600 + 58 * 60)) / 2, abs=1)
    timeline = [query["sql"] for query in queries if "orders_orderevent" in query["sql"]]
    assert len(timeline) == 1 and any("analytics_statusduration" in query["sql"] for query in queries)
    today = Filters(start=timezone.localdate(), end=timezone.localdate()).bounds()[0]
    assert str(connection.ops.adapt_datetimefield_value(today))[:16] in timeline[0]


def test_a_pair_asked_for_the_first_time_is_kept_by_a_task(history, django_capture_on_commit_callbacks):
    filters = Filters(**RANGES[0])
    with django_capture_on_commit_callbacks(execute=True):
        first = between(filters, "pending", "shipped")

    pair = DurationPair.objects.get(pair="pending>shipped")
    assert pair.through == timezone.localdate() - timedelta(days=1) and pair.asked_on == timezone.localdate()
    assert StatusDuration.objects.filter(pair="pending>shipped").exists()
    assert between(filters, "pending", "shipped") == first


def test_custom_statuses_are_kept_by_id(history):
    delivered = option("delivery:delivered")

    ask_and_keep(("shipped", "delivery:delivered"))

    key = f"shipped>custom:{delivered.custom_status_id}"
    assert durations.pair_key(option("shipped"), delivered) == key
    kept = StatusDuration.objects.get(pair=key)
    # Order 1: shipped 2 May 12:00, delivered 3 May 15:00 (store time).
    assert (kept.started_at, kept.previous_start_at, kept.reached_at, kept.seconds) == (
        local(2, 12), None, local(3, 15), 27 * 3600)


def test_a_deleted_order_leaves_the_kept_figures_too(history):
    ask_and_keep(("accepted", "shipped"))
    history["orders"][2].delete()
    filters = Filters(start=date(2025, 5, 1), end=date(2025, 5, 4))

    assert between(filters) == between(filters, in_sql=False) and between(filters)[0] == 3


def test_a_rebuild_recomputes_kept_times_and_a_pair_nobody_asks_about_is_dropped(history):
    ask_and_keep(("accepted", "shipped"))
    filters = Filters(start=date(2025, 5, 1), end=date(2025, 5, 4))
    before = between(filters)
    StatusDuration.objects.filter(pair="accepted>shipped").update(seconds=1)
    assert between(filters) != before

    call_command("rebuild_status_rollup", "--from", "2025-05-01", "--to", "2025-05-04")
    assert between(filters) == before

    DurationPair.objects.update(asked_on=timezone.localdate() - timedelta(days=durations.KEEP_UNASKED_DAYS + 1))
    rollup.roll_up_closed_days()
    assert not DurationPair.objects.exists() and not StatusDuration.objects.exists()
    assert between(filters) == before  # read from the timeline again, and the pair noted again
    assert DurationPair.objects.filter(pair="accepted>shipped", through=None).exists()


def test_a_long_history_is_kept_a_part_at_a_time(history, monkeypatch):
    monkeypatch.setattr(durations, "CHUNK_DAYS", 7)
    old = order_with([("accepted", local(10, 9, month=1)), ("shipped", local(12, 9, month=1))],
                     payment_method="transfer")
    assert DurationPair.objects.filter(pair="accepted>shipped", through=None).exists()  # the seeded default pair

    kept = rollup.roll_up_pair("accepted>shipped")

    assert kept == (timezone.localdate() - date(2025, 1, 10)).days
    assert StatusDuration.objects.get(order=old).seconds == 2 * 86400
    assert between(Filters(start=date(2025, 1, 1), end=timezone.localdate()))[0] == 8


def test_a_task_queue_out_of_reach_leaves_the_report_whole_and_the_nightly_run_keeps_the_pair(
    history, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from django_q.conf import Conf

    from tests.utils import closed_port

    # The queue on Redis, and Redis down.
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "BROKER_CLASS", None)
    monkeypatch.setattr(Conf, "REDIS", f"redis://127.0.0.1:{closed_port()}/0")
    filters = Filters(**RANGES[0])
    direct = between(filters, "pending", "shipped")

    with django_capture_on_commit_callbacks(execute=True):
        assert between(filters, "preparing", "shipped")[0] > 0

    assert "the nightly run keeps them" in caplog.text
    assert DurationPair.objects.get(pair="preparing>shipped").through is None
    rollup.roll_up_closed_days()
    assert DurationPair.objects.get(pair="preparing>shipped").through == timezone.localdate() - timedelta(days=1)
    assert between(filters, "pending", "shipped") == direct


def test_an_order_entering_the_first_status_again_is_measured_from_its_first_entry_within_the_days(history):
    """Sent back and prepared again: each range measures from the order's first entry into the status
    within its days, kept or read live."""
    again = order_with([("pending", local(29, 9, month=4)), ("accepted", local(29, 10, month=4)),
                        ("preparing", local(30, 10, month=4)), ("preparing", local(2, 10)),
                        ("preparing", local(2, 12)), ("shipped", local(2, 16))], payment_method="transfer")
    ranges = [Filters(start=date(2025, 5, 1), end=date(2025, 5, 4)), Filters(start=date(2025, 4, 30), end=date(2025, 5, 4)),
              Filters(start=date(2025, 5, 2), end=date(2025, 5, 2), payment_methods=("transfer",))]
    live = [between(filters, "preparing", "shipped") for filters in ranges]
    # 1-4 May: order 3 (11:00 to 16:00, 5 h) and this one from 2 May 10:00 (6 h); from 30 April this
    # one counts from 30 April 10:00 (2 days 6 h).
    assert live[0][:2] == (2, 5.5 * 3600)
    assert live[1][:2] == (2, (5 * 3600 + 54 * 3600) / 2)

    ask_and_keep(("preparing", "shipped"))

    assert StatusDuration.objects.filter(order=again, pair="preparing>shipped").count() == 3  # a row per entry
    assert [between(filters, "preparing", "shipped") for filters in ranges] == live


def test_a_pair_dropped_and_asked_for_again_is_never_kept_with_a_gap(history):
    from analytics.models import DurationPair as Pair

    Pair.objects.filter(pair="accepted>shipped").update(through=None)
    first = rollup.first_event_day()

    # A run that was keeping the pair's later days when it was dropped and asked for again.
    assert not durations._roll_up_days("accepted>shipped", date(2025, 5, 2), date(2025, 5, 3), first_day=first)
    assert Pair.objects.get(pair="accepted>shipped").through is None
    assert not StatusDuration.objects.exists()
    assert durations._roll_up_days("accepted>shipped", first, date(2025, 5, 3), first_day=first)


def test_beyond_the_kept_pairs_a_new_pair_is_read_live_and_not_kept(history, monkeypatch):
    filters = Filters(**RANGES[0])
    monkeypatch.setattr(durations, "MAX_KEPT_PAIRS", DurationPair.objects.count())

    figures = between(filters, "pending", "preparing")

    assert figures[0] > 0 and not DurationPair.objects.filter(pair="pending>preparing").exists()
