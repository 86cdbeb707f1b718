"""The time between two statuses: median and 90th percentile of how long orders took from one
status of the report to another.

An order's time for a pair of statuses (start, end) runs from the first time it entered `start` to
the first time it entered `end` at or after that. It is known once the order reaches `end`, and
belongs to that day. A report over some days measures the orders that first entered `start` on or
after its first day and reached `end` by its last.

Those times are kept for the days that ended (StatusDuration, one row per order and pair) for each
pair the report was asked about (DurationPair): a pair asked for the first time is read from the
timeline and a task keeps its history; the daily schedule adds each day that ends
(analytics/rollup.py) and `manage.py rebuild_status_rollup` recomputes a range. The report reads the
kept times for the days they cover and the timeline for the others (today), in one statement: the
figures are the same either way, to the microsecond.
"""
import logging
import math
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from orders.models import OrderEvent

from .selection import CORE, Filters, StatusOption

logger = logging.getLogger(__name__)

CUSTOM = "custom:"
# A pair nobody asked about for this long stops being kept (its rows are dropped by the daily run).
KEEP_UNASKED_DAYS = 90


@dataclass(frozen=True)
class TimeBetween:
    """How long orders took from one status to another: median and 90th percentile, in seconds."""

    start: StatusOption
    end: StatusOption
    orders: int
    median: float | None
    p90: float | None


def pair_key(start: StatusOption, end: StatusOption) -> str:
    """How the kept rows name a pair: "accepted>shipped", "shipped>custom:12" (custom statuses by id:
    their type and code may be renamed)."""
    return f"{_token(start)}>{_token(end)}"


def _token(option: StatusOption) -> str:
    return option.code if option.custom_status_id is None else f"{CUSTOM}{option.custom_status_id}"


def pair_options(key: str) -> tuple[StatusOption, StatusOption]:
    """The two statuses a kept pair names, as far as reading the timeline needs them."""
    return tuple(
        StatusOption(key=token, type="custom", code=token, name=token, custom_status_id=int(token[len(CUSTOM):]))
        if token.startswith(CUSTOM) else StatusOption(key=token, type=CORE, code=token, name=token)
        for token in key.split(">")
    )


def _reached_sql(start: StatusOption, end: StatusOption, *, reached_from: datetime, reached_until: datetime,
                 since: datetime | None = None, payment_methods=(), storefront_id=None) -> tuple[str, tuple]:
    """SQL for one row per order (order_id, first_at, reached_at) that reached `end` (its first time
    at or after its first time in `start`) from `reached_from` to before `reached_until`; with
    `since`, only the orders that first entered `start` at or after it. Driven by the rows that
    entered `end` in the window, so a day costs a day's orders."""
    reaching = OrderEvent.objects.filter(
        end.entered(), created_at__gte=reached_from, created_at__lt=reached_until,
    ).order_by().values("order_id")
    firsts = (
        OrderEvent.objects.filter(start.entered(), order_id__in=reaching)
        .order_by().values("order_id").annotate(first_at=Min("created_at"))
    )
    arrivals = OrderEvent.objects.filter(end.entered(), created_at__lt=reached_until)
    if since is not None:
        firsts = firsts.filter(first_at__gte=since)
        arrivals = arrivals.filter(created_at__gte=since)
    if payment_methods:
        firsts = firsts.filter(order__payment_method__in=payment_methods)
    if storefront_id:
        firsts = firsts.filter(order__storefront_id=storefront_id)
    firsts_sql, firsts_params = firsts.query.sql_with_params()
    arrivals_sql, arrivals_params = arrivals.order_by().values("order_id", "created_at").query.sql_with_params()
    # `a` holds one row per order: grouped by the order alone, the join's rows arrive in the order the
    # aggregate wants them.
    sql = (
        f"SELECT a.order_id, MIN(a.first_at) AS first_at, MIN(b.created_at) AS reached_at"
        f" FROM ({firsts_sql}) a JOIN ({arrivals_sql}) b"
        f" ON b.order_id = a.order_id AND b.created_at >= a.first_at"
        f" GROUP BY a.order_id HAVING MIN(b.created_at) >= %s"
    )
    return sql, (*firsts_params, *arrivals_params, connection.ops.adapt_datetimefield_value(reached_from))


def _kept_and_live(filters: Filters, key: str, through: date | None):
    """(the kept rows' queryset or None, the live days as a Filters or None) for the report's days."""
    from .models import StatusDuration

    kept_end = min(filters.end, through) if through else None
    kept = None
    if kept_end and kept_end >= filters.start:
        kept = StatusDuration.objects.filter(
            pair=key, reached_on__gte=filters.start, reached_on__lte=kept_end, started_on__gte=filters.start,
        )
        if filters.payment_methods:
            kept = kept.filter(payment_method__in=filters.payment_methods)
        if filters.storefront_id:
            kept = kept.filter(storefront_id=filters.storefront_id)
        kept = kept.order_by().values("seconds")
    live_start = max(filters.start, through + timedelta(days=1)) if through else filters.start
    live = Filters(start=live_start, end=filters.end) if live_start <= filters.end else None
    return kept, live


def time_between(filters: Filters, start: StatusOption, end: StatusOption, *,
                 in_sql: bool | None = None) -> TimeBetween:
    """The orders that first entered `start` within the days and reached `end` by their last day:
    how many, and the median and 90th percentile of the time between. PostgreSQL computes the
    percentiles (percentile_cont); elsewhere Python does, the same way (`in_sql` forces one or the
    other). Two queries: the pair's kept days, then the figures."""
    key = pair_key(start, end)
    kept, live = _kept_and_live(filters, key, _asked(key))
    since = filters.bounds()[0]
    live_sql, live_params = None, ()
    if live:
        reached_from, reached_until = live.bounds()
        live_sql, live_params = _reached_sql(
            start, end, reached_from=reached_from, reached_until=reached_until, since=since,
            payment_methods=filters.payment_methods, storefront_id=filters.storefront_id,
        )
    kept_sql, kept_params = kept.query.sql_with_params() if kept is not None else (None, ())
    with connection.cursor() as cursor:
        if in_sql if in_sql is not None else connection.vendor == "postgresql":
            parts = [kept_sql] if kept_sql else []
            if live_sql:
                parts.append(f"SELECT EXTRACT(EPOCH FROM (reached_at - first_at))::float8 AS seconds FROM ({live_sql}) p")
            with _streamed(cursor):
                cursor.execute(
                    "SELECT COUNT(*),"
                    " percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),"
                    " percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds)"
                    f" FROM ({' UNION ALL '.join(parts)}) s",
                    (*kept_params, *live_params),
                )
                orders, median, p90 = cursor.fetchone()
            return TimeBetween(start=start, end=end, orders=orders, median=median, p90=p90)
        seconds = []
        if kept_sql:
            cursor.execute(kept_sql, kept_params)
            seconds += [value for (value,) in cursor]
        if live_sql:
            cursor.execute(f"SELECT first_at, reached_at FROM ({live_sql}) p", live_params)
            seconds += [(_as_datetime(reached) - _as_datetime(first)).total_seconds() for first, reached in cursor]
    seconds.sort()
    return TimeBetween(
        start=start, end=end, orders=len(seconds),
        median=percentile_cont(seconds, 0.5), p90=percentile_cont(seconds, 0.9),
    )


def _asked(key: str) -> date | None:
    """Note that the report was asked about the pair; the last day its times are kept through.
    A pair asked for the first time is registered and its history kept by a task once the
    request's transaction ends (the daily run does it too, should the task not run)."""
    from .models import DurationPair

    today = timezone.localdate()
    pair = DurationPair.objects.filter(pair=key).values_list("through", "asked_on").first()
    if pair is None:
        try:
            with transaction.atomic():
                DurationPair.objects.create(pair=key, asked_on=today)
        except IntegrityError:  # asked at the same moment by another request
            return None
        transaction.on_commit(lambda: _queue_roll_up(key))
        return None
    through, asked_on = pair
    if asked_on < today:
        DurationPair.objects.filter(pair=key, asked_on__lt=today).update(asked_on=today)
    return through


def _queue_roll_up(key: str) -> None:
    """Queue the task that keeps the pair's history. The report has its figures already: a queue out of
    reach (Redis down) is logged, and the nightly run keeps the pair instead."""
    from django_q.tasks import async_task

    try:
        async_task("analytics.tasks.roll_up_pair", key, task_name=f"analytics-pair-{key}"[:100])
    except Exception:
        logger.warning("Could not queue keeping the times of %s; the nightly run keeps them.", key, exc_info=True)


def roll_up_pair(key: str, until: date, *, start: date | None = None, first_day: date | None = None) -> int:
    """Keep the pair's times of the orders that reached its end status on the days after the last
    kept one (or from `first_day`, the timeline's first, for a pair never kept) through `until`, or
    recompute them from `start` if that is earlier. A transaction per CHUNK_DAYS days, so a long
    history is kept a part at a time (a task cut short goes on from the last part kept). Returns
    the days kept."""
    from .models import DurationPair

    through = DurationPair.objects.filter(pair=key).values_list("through", flat=True).first()
    begin = through + timedelta(days=1) if through else first_day
    if start is not None and (begin is None or start < begin):
        begin = start
    if begin is None or until < begin:
        return 0
    kept = 0
    while begin <= until:
        last = min(until, begin + timedelta(days=CHUNK_DAYS - 1))
        if not _roll_up_days(key, begin, last):
            break
        kept += (last - begin).days + 1
        begin = last + timedelta(days=1)
    return kept


CHUNK_DAYS = 62


def _roll_up_days(key: str, begin: date, last: date) -> bool:
    """Recompute the pair's times reached from `begin` to `last`, in one transaction (False: the pair
    is no longer kept)."""
    from .models import DurationPair, StatusDuration

    with transaction.atomic():
        pair = DurationPair.objects.select_for_update().filter(pair=key).first()
        if pair is None:
            return False
        StatusDuration.objects.filter(pair=key, reached_on__gte=begin, reached_on__lte=last).delete()
        reached_from, reached_until = Filters(start=begin, end=last).bounds()
        sql, params = _reached_sql(*pair_options(key), reached_from=reached_from, reached_until=reached_until)
        _insert(key, sql, params)
        pair.through = max(pair.through or last, last)
        pair.save(update_fields=["through"])
    return True


def forget_pair(key: str) -> None:
    """Stop keeping a pair: its rows go (asked again, it is read live and kept again)."""
    from .models import DurationPair, StatusDuration

    with transaction.atomic():
        StatusDuration.objects.filter(pair=key).delete()
        DurationPair.objects.filter(pair=key).delete()


def _insert(key: str, sql: str, params: tuple) -> None:
    """The orders' rows of `sql` as kept times, with their order's payment method and storefront."""
    from orders.models import Order

    from .models import StatusDuration

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {StatusDuration._meta.db_table}"
                " (pair, order_id, started_on, reached_on, payment_method, storefront_id, seconds)"
                " SELECT %s, p.order_id, (p.first_at AT TIME ZONE %s)::date, (p.reached_at AT TIME ZONE %s)::date,"
                " o.payment_method, o.storefront_id, EXTRACT(EPOCH FROM (p.reached_at - p.first_at))::float8"
                f" FROM ({sql}) p JOIN {Order._meta.db_table} o ON o.id = p.order_id",
                (key, settings.TIME_ZONE, settings.TIME_ZONE, *params),
            )
            return
        cursor.execute(f"SELECT order_id, first_at, reached_at FROM ({sql}) p", params)
        rows = cursor.fetchall()
    orders = {
        pk: (method, shop)
        for pk, method, shop in Order.objects.filter(pk__in=[row[0] for row in rows])
        .values_list("pk", "payment_method", "storefront_id")
    }
    zone = timezone.get_default_timezone()
    StatusDuration.objects.bulk_create([
        StatusDuration(
            pair=key, order_id=order_id, payment_method=orders[order_id][0], storefront_id=orders[order_id][1],
            started_on=timezone.localtime(_as_datetime(first), zone).date(),
            reached_on=timezone.localtime(_as_datetime(reached), zone).date(),
            seconds=(_as_datetime(reached) - _as_datetime(first)).total_seconds(),
        )
        for order_id, first, reached in rows
    ], batch_size=2000)


# How PostgreSQL runs the time-between statement (for it alone, then put back). Over days not kept,
# both sides of its join come sorted by order from the indexes on (status, order, time)
# (orders.OrderEvent's Meta), so a merge join and aggregates that read sorted rows need no hash
# table: over a year at a million orders the hash plans the planner prefers spill to disk and take
# about three times as long. One process does it (gathering half a million sorted rows from parallel
# workers costs more than it saves), with the memory to sort the durations for the percentiles
# without a temporary file.
STREAMED_PLAN = {
    "enable_hashagg": "off", "enable_hashjoin": "off", "max_parallel_workers_per_gather": "0", "work_mem": "32MB",
}


@contextmanager
def _streamed(cursor):
    """STREAMED_PLAN for the statements run within: local to a transaction of their own, or, inside
    a caller's transaction, put back to the session's values right after (one statement each way)."""
    names = list(STREAMED_PLAN)
    inside = connection.in_atomic_block
    with transaction.atomic(savepoint=False):
        cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                       [item for pair in STREAMED_PLAN.items() for item in pair])
        yield
        if inside:
            cursor.execute("SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)", [names])


def _as_datetime(value) -> datetime:
    """A time as the database gave it (SQLite: text in UTC) as an aware datetime."""
    value = value if isinstance(value, datetime) else parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def percentile_cont(ordered: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont over sorted values: linear interpolation between neighbours."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    below, above = math.floor(position), math.ceil(position)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
