"""The report's daily rollup: closed days kept, today live, the same numbers as counting directly."""
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics import report, rollup
from analytics.models import DailyStatusCount, RolledUpDay
from analytics.report import Filters
from analytics.schedules import ROLLUP_NAME, register_schedules
from orders.models import CustomStatus
from tests.analytics.factories import enter, enter_custom, known_orders, local, order_with
from tests.factories import storefront

pytestmark = pytest.mark.django_db


def all_counts(**filters):
    return report.daily_counts(Filters(**filters), report.status_options())


@pytest.fixture
def history():
    orders = known_orders()
    CustomStatus.objects.filter(type="delivery").update(include_in_analytics=True)
    enter_custom(orders[1], "delivery:delivered", local(3, 15))
    now = timezone.now()
    shop = storefront()
    today = order_with([("pending", now - timedelta(minutes=5))], payment_method="transfer", storefront=shop)
    enter(today, "accepted", now)
    enter_custom(today, "delivery:delivered", now)
    return {"orders": orders, "shop": shop}


RANGES = [
    dict(start=date(2025, 4, 28), end=timezone.localdate()),
    dict(start=date(2025, 5, 1), end=date(2025, 5, 4), payment_methods=("transfer",)),
    dict(start=date(2025, 5, 2), end=timezone.localdate(), payment_methods=("transfer", "online")),
]


@pytest.mark.parametrize("filters", RANGES)
def test_rollup_plus_today_equals_the_direct_count(history, filters):
    direct = all_counts(**filters)

    rolled = rollup.roll_up_closed_days()

    assert rolled >= 7 and RolledUpDay.objects.filter(day=date(2025, 5, 2)).exists()
    assert not RolledUpDay.objects.filter(day=timezone.localdate()).exists()
    assert DailyStatusCount.objects.exists()
    assert all_counts(**filters) == direct
    assert all_counts(**filters, storefront_id=history["shop"].pk) == {
        key: n for key, n in direct.items() if key[0] == timezone.localdate()
    }


def test_a_long_report_reads_every_closed_day_from_the_rollup_and_only_today_live(history):
    """Over more than a year the numbers are the ones counted live, and the timeline is read for
    today alone: the closed days come from the kept counts, whatever the range's length."""
    filters = dict(start=timezone.localdate() - timedelta(days=600), end=timezone.localdate())
    direct = all_counts(**filters)  # nothing rolled up yet: every day counted live
    rollup.roll_up_closed_days()

    with CaptureQueriesContext(connection) as queries:
        kept = all_counts(**filters)

    assert kept == direct and any(day < timezone.localdate() for day, _key in kept)
    timeline = [query["sql"] for query in queries if "orders_orderevent" in query["sql"]]
    assert len(timeline) == 1
    # The days before the first order event were never rolled up: read live too, but only them.
    first = RolledUpDay.objects.order_by("day").first().day
    sql = timeline[0]
    def midnight(day):  # the store's midnight as the database is sent it
        return str(connection.ops.adapt_datetimefield_value(Filters(start=day, end=day).bounds()[0]))[:16]

    assert f"< '{midnight(first)}" in sql and f">= '{midnight(timezone.localdate())}" in sql
    assert not any(str(first + timedelta(days=n)) in sql for n in range(1, 30))


def test_a_second_run_adds_only_new_days_and_a_rebuild_recomputes(history):
    rollup.roll_up_closed_days()
    before = all_counts(**RANGES[0])
    assert rollup.roll_up_closed_days() == 0
    DailyStatusCount.objects.filter(day=date(2025, 5, 2)).update(orders=99)
    assert all_counts(**RANGES[0]) != before

    call_command("rebuild_status_rollup", "--from", "2025-05-01", "--to", "2025-05-03")

    assert all_counts(**RANGES[0]) == before


def test_the_rebuild_command_covers_every_closed_day_by_default(history, capsys):
    call_command("rebuild_status_rollup")

    assert RolledUpDay.objects.order_by("day").first().day == date(2025, 4, 29)
    assert RolledUpDay.objects.order_by("day").last().day == timezone.localdate() - timedelta(days=1)
    assert "Rolled up" in capsys.readouterr().out


def test_a_day_not_rolled_up_yet_is_counted_live(history):
    rollup.rebuild(date(2025, 5, 1), date(2025, 5, 1))
    RolledUpDay.objects.filter(day=date(2025, 5, 1)).delete()  # as if the schedule had not run

    assert all_counts(start=date(2025, 5, 1), end=date(2025, 5, 4)) == {
        key: n for key, n in all_counts(**RANGES[0]).items() if date(2025, 5, 1) <= key[0] <= date(2025, 5, 4)
    }


def test_the_daily_schedule_is_registered():
    from django_q.models import Schedule

    register_schedules()
    schedule = Schedule.objects.get(name=ROLLUP_NAME)
    assert schedule.func == "analytics.tasks.roll_up_closed_days" and schedule.schedule_type == Schedule.DAILY
