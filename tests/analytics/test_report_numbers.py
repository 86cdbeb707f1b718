"""The report's numbers on a known data set: orders per status per day in the store's time zone,
the time between two statuses (median and p90), and the filters."""
from datetime import date

import pytest
from django.db import connection

from analytics import report
from analytics.report import Filters
from orders.models import CustomStatus
from tests.analytics.factories import HOUR, enter_custom, known_orders, local
from tests.factories import storefront

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="compares PostgreSQL's percentile_cont with the Python fallback; set DATABASE_URL=postgres://... to run it",
)

pytestmark = pytest.mark.django_db

MAY_1_TO_4 = dict(start=date(2025, 5, 1), end=date(2025, 5, 4))


def option(key):
    return next(o for o in report.status_options() if o.key == key)


def counts(filters):
    return {(day.day, key): n for (day, key), n in report.daily_counts(filters, report.status_options()).items()}


def test_orders_are_counted_per_status_and_store_day_once_each():
    known_orders()

    assert counts(Filters(**MAY_1_TO_4)) == {
        (1, "pending"): 2, (1, "accepted"): 2, (1, "shipped"): 1,
        (2, "pending"): 1, (2, "accepted"): 2, (2, "preparing"): 1, (2, "shipped"): 3,
        (3, "pending"): 1, (3, "accepted"): 1,
        (4, "pending"): 1, (4, "shipped"): 1,
    }


def test_date_range_keeps_only_the_store_days_asked_for():
    known_orders()

    assert counts(Filters(start=date(2025, 5, 2), end=date(2025, 5, 2))) == {
        (2, "pending"): 1, (2, "accepted"): 2, (2, "preparing"): 1, (2, "shipped"): 3,
    }
    # 23:50 on 4 May counts on the 4th; 00:10 on 5 May on the 5th.
    assert counts(Filters(start=date(2025, 5, 4), end=date(2025, 5, 5))) == {
        (4, "pending"): 1, (4, "shipped"): 1, (5, "accepted"): 1,
    }


def test_payment_method_filter():
    known_orders()

    assert counts(Filters(**MAY_1_TO_4, payment_methods=("cash_on_delivery",))) == {
        (2, "pending"): 1, (2, "accepted"): 1, (2, "preparing"): 1, (2, "shipped"): 1,
    }
    assert counts(Filters(**MAY_1_TO_4, payment_methods=("cash_on_delivery", "online"))) == {
        (2, "pending"): 1, (2, "accepted"): 1, (2, "preparing"): 1, (2, "shipped"): 1,
        (3, "pending"): 1, (3, "accepted"): 1,
    }


def test_storefront_filter():
    orders = known_orders()
    shop = storefront("Tienda Norte")
    orders[3].storefront = shop
    orders[3].save(update_fields=["storefront"])

    assert counts(Filters(**MAY_1_TO_4, storefront_id=shop.pk)) == {
        (2, "pending"): 1, (2, "accepted"): 1, (2, "preparing"): 1, (2, "shipped"): 1,
    }


def test_median_and_p90_from_accepted_to_shipped():
    known_orders()

    between = report.time_between(Filters(**MAY_1_TO_4), option("accepted"), option("shipped"))

    # 6 h, 12 h, 24 h, 48 h: order 6 was accepted before the period, order 4 never shipped.
    assert between.orders == 4
    assert between.median == 18 * HOUR
    assert between.p90 == pytest.approx(40.8 * HOUR, abs=1e-6)


def test_median_follows_the_payment_method_filter():
    known_orders()

    between = report.time_between(
        Filters(**MAY_1_TO_4, payment_methods=("transfer",)), option("accepted"), option("shipped")
    )

    assert (between.orders, between.median) == (3, 24 * HOUR)
    assert between.p90 == pytest.approx(43.2 * HOUR, abs=1e-6)


def test_median_from_placed_to_accepted_counts_only_orders_placed_in_the_period():
    known_orders()

    between = report.time_between(Filters(**MAY_1_TO_4), option("pending"), option("accepted"))

    # 1 h, 2 h, 2 h, 9.5 h: order 5 was placed before the period, order 7 accepted after it.
    assert (between.orders, between.median) == (4, 2 * HOUR)
    assert between.p90 == pytest.approx(7.25 * HOUR, abs=1e-6)


def test_no_order_measured_gives_no_median():
    known_orders()

    between = report.time_between(Filters(**MAY_1_TO_4), option("shipped"), option("finalized"))

    assert (between.orders, between.median, between.p90) == (0, None, None)


def test_percentile_cont_interpolates_like_postgresql():
    assert report.percentile_cont([], 0.5) is None
    assert report.percentile_cont([5.0], 0.9) == 5.0
    assert report.percentile_cont([1.0, 2.0, 3.0, 10.0], 0.5) == 2.5
    assert report.percentile_cont([1.0, 2.0, 3.0, 10.0], 0.9) == pytest.approx(7.9)


@requires_postgres
def test_postgresql_percentile_cont_and_the_python_fallback_agree():
    known_orders()
    filters = Filters(start=date(2025, 4, 28), end=date(2025, 5, 6))

    for start, end in [("accepted", "shipped"), ("pending", "accepted"), ("pending", "shipped")]:
        in_sql = report.time_between(filters, option(start), option(end), in_sql=True)
        in_python = report.time_between(filters, option(start), option(end), in_sql=False)
        assert in_sql.orders == in_python.orders > 0
        assert in_sql.median == pytest.approx(in_python.median, abs=1e-6)
        assert in_sql.p90 == pytest.approx(in_python.p90, abs=1e-6)


def test_custom_statuses_flagged_for_analytics_are_counted_and_measured():
    orders = known_orders()
    enter_custom(orders[1], "delivery:out_for_delivery", local(3, 8))
    enter_custom(orders[1], "delivery:delivery_failed", local(3, 12))
    enter_custom(orders[1], "delivery:out_for_delivery", local(3, 15))  # again the same day: counted once
    enter_custom(orders[1], "delivery:delivered", local(3, 10 + 8))
    enter_custom(orders[3], "delivery:delivered", local(4, 10))
    enter_custom(orders[3], "general:agreed_with_customer", local(2, 9))  # not flagged for analytics

    found = counts(Filters(**MAY_1_TO_4))
    between = report.time_between(Filters(**MAY_1_TO_4), option("shipped"), option("delivery:delivered"))

    assert {key: n for key, n in found.items() if ":" in key[1]} == {
        (3, "delivery:out_for_delivery"): 1, (3, "delivery:delivery_failed"): 1, (3, "delivery:delivered"): 1,
        (4, "delivery:delivered"): 1,
    }
    # Order 1: shipped 2 May 12:00, delivered 3 May 18:00; order 3: shipped 2 May 16:00, delivered 4 May 10:00.
    assert (between.orders, between.median) == (2, (30 + 42) / 2 * HOUR)


def test_only_custom_statuses_flagged_for_analytics_are_offered():
    CustomStatus.objects.filter(type="delivery", code="delivered").update(include_in_analytics=False)

    keys = [o.key for o in report.status_options()]

    assert keys[:7] == ["pending", "accepted", "preparing", "shipped", "ready_for_pickup", "finalized", "cancelled"]
    assert "delivery:out_for_delivery" in keys and "payment:invoice_issued" in keys
    assert "delivery:delivered" not in keys and "general:agreed_with_customer" not in keys
    # Delivery statuses before payment ones, each type by position.
    assert keys.index("delivery:in_transit") < keys.index("delivery:out_for_delivery") < keys.index(
        "payment:invoice_issued"
    )


@requires_postgres
def test_the_time_betweens_plan_settings_end_with_its_statement():
    """It runs with hash plans off and more sort memory; a caller's transaction gets its own back."""
    known_orders()
    filters = Filters(start=date(2025, 4, 28), end=date(2025, 5, 6))

    def settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_hashagg'), current_setting('enable_hashjoin'),"
                           " current_setting('work_mem'), current_setting('max_parallel_workers_per_gather')")
            return cursor.fetchone()

    before = settings()
    between = report.time_between(filters, option("accepted"), option("shipped"))

    assert between == report.time_between(filters, option("accepted"), option("shipped"), in_sql=False)
    assert settings() == before
