"""The time between two statuses: median and 90th percentile of how long orders took from one
status of the report to another.

For a report over some days, an order's time for a pair of statuses (start, end) runs from the
first time it entered `start` within the days to the first time it entered `end` at or after that,
still within the days; the orders measured are those that did both.

Those times are kept for the days that ended (StatusDuration) for each pair the report was asked
about (DurationPair): a row per time the order entered `start`, with the time it entered `start`
before that and the first time it entered `end` after it. A report starting at `since` takes, per
order, the row whose entry is at or after `since` while the one before it is not: the order's first
entry within the days, so its figure does not depend on when the time was kept. A pair asked for
the first time is read from the timeline and a task keeps its history; the daily schedule adds
each day that ends (analytics/rollup.py) and `manage.py rebuild_status_rollup` recomputes a range.
The report reads the kept times for the days they cover and the timeline for the others (today), in
one statement: the figures are the same either way, to the microsecond.
"""
import logging
import math
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from orders.models import OrderEvent

from .selection import CORE, Filters, StatusOption

logger = logging.getLogger(__name__)

CUSTOM = "custom:"
# A pair nobody asked about for this long stops being kept (its rows are dropped by the daily run).
KEEP_UNASKED_DAYS = 90
# How many pairs are kept at most (each costs about a row per order): further ones are read live.
MAX_KEPT_PAIRS = 20


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
                 since: datetime, payment_methods=(), storefront_id=None) -> tuple[str, tuple]:
    """SQL for one row per order (order_id, first_at, reached_at): its first entry into `start` at or
    after `since`, and its first entry into `end` at or after that, when that is from `reached_from`
    to before `reached_until`. Driven by the rows that entered `end` in that window, so a day costs a
    day's orders."""
    reaching = OrderEvent.objects.filter(
        end.entered(), created_at__gte=reached_from, created_at__lt=reached_until,
    ).order_by().values("order_id")
    firsts = OrderEvent.objects.filter(
        start.entered(), order_id__in=reaching, created_at__gte=since, created_at__lt=reached_until,
    )
    if payment_methods:
        firsts = firsts.filter(order__payment_method__in=payment_methods)
    if storefront_id:
        firsts = firsts.filter(order__storefront_id=storefront_id)
    firsts = firsts.order_by().values("order_id").annotate(first_at=Min("created_at"))
    arrivals = OrderEvent.objects.filter(end.entered(), created_at__gte=since, created_at__lt=reached_until)
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


def _entries_to_keep(start: StatusOption, end: StatusOption, *, reached_from: datetime, reached_until: datetime):
    """A row per time an order entered `start` whose first entry into `end` at or after it is from
    `reached_from` to before `reached_until`: (order_id, created_at: the entry, previous_start_at: the
    order's entry into `start` before it, reached_at, method, shop: the order's payment method and
    storefront)."""
    reaching = OrderEvent.objects.filter(
        end.entered(), created_at__gte=reached_from, created_at__lt=reached_until,
    ).order_by().values("order_id")
    previous = OrderEvent.objects.filter(
        start.entered(), order_id=OuterRef("order_id"), created_at__lt=OuterRef("created_at"),
    ).order_by("-created_at").values("created_at")[:1]
    reached = OrderEvent.objects.filter(
        end.entered(), order_id=OuterRef("order_id"), created_at__gte=OuterRef("created_at"),
    ).order_by("created_at").values("created_at")[:1]
    return (
        OrderEvent.objects.filter(start.entered(), order_id__in=reaching).order_by()
        .values("order_id", "created_at", method=F("order__payment_method"), shop=F("order__storefront_id"))
        .distinct()
        .annotate(previous_start_at=Subquery(previous), reached_at=Subquery(reached))
        .filter(reached_at__gte=reached_from, reached_at__lt=reached_until)
    )


def _kept_and_live(filters: Filters, key: str, through: date | None):
    """(the kept rows' queryset or None, the live days as a Filters or None) for the report's days."""
    from .models import StatusDuration

    since, until = filters.bounds()
    kept_end = min(filters.end, through) if through else None
    kept = None
    if kept_end and kept_end >= filters.start:
        kept_until = replace(filters, end=kept_end).bounds()[1]
        kept = StatusDuration.objects.filter(
            Q(previous_start_at__isnull=True) | Q(previous_start_at__lt=since),
            pair=key, reached_at__gte=since, reached_at__lt=kept_until, started_at__gte=since,
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
    """The orders that entered `start` within the days and then `end` by their last day: how many,
    and the median and 90th percentile of the time between. PostgreSQL computes the
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
    request's transaction ends (the daily run does it too, should the task not run); beyond
    MAX_KEPT_PAIRS pairs, a new one is read from the timeline and not kept."""
    from .models import DurationPair

    today = timezone.localdate()
    pair = DurationPair.objects.filter(pair=key).values_list("through", "asked_on").first()
    if pair is None:
        if DurationPair.objects.count() >= MAX_KEPT_PAIRS:
            return None
        try:
            with transaction.atomic():
                DurationPair.objects.create(pair=key, asked_on=today)
        except IntegrityError:  # asked at the same moment by another request
            return None
        transaction.on_commit(lambda: _queue_roll_up(key))
        return None
    through, asked_on = pair
    if asked_on < today:
        with transaction.atomic():
            # Never waits behind the nightly run keeping this pair's day: the date is noted next time.
            if DurationPair.objects.select_for_update(skip_locked=True).filter(pair=key, asked_on__lt=today).exists():
                DurationPair.objects.filter(pair=key).update(asked_on=today)
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
        if not _roll_up_days(key, begin, last, first_day=first_day):
            break
        kept += (last - begin).days + 1
        begin = last + timedelta(days=1)
    return kept


CHUNK_DAYS = 62


def _roll_up_days(key: str, begin: date, last: date, *, first_day: date | None) -> bool:
    """Recompute the pair's times reached from `begin` to `last`, in one transaction. False, and
    nothing done, when the pair is no longer kept or these days would leave a gap before them (the
    pair was dropped and asked for again meanwhile): its kept days always run from the first."""
    from .models import DurationPair, StatusDuration

    with transaction.atomic():
        pair = DurationPair.objects.select_for_update().filter(pair=key).first()
        if pair is None:
            return False
        follows = pair.through + timedelta(days=1) if pair.through else first_day
        if follows is None or begin > follows:
            return False
        reached_from, reached_until = Filters(start=begin, end=last).bounds()
        StatusDuration.objects.filter(pair=key, reached_at__gte=reached_from, reached_at__lt=reached_until).delete()
        _insert(key, _entries_to_keep(*pair_options(key), reached_from=reached_from, reached_until=reached_until))
        pair.through = max(pair.through or last, last)
        pair.save(update_fields=["through"])
    return True


def forget_pair(key: str, *, asked_before: date) -> bool:
    """Stop keeping a pair nobody asked about since `asked_before`: its rows go (asked again, it is
    read live and kept again). False if it was asked about meanwhile."""
    from .models import DurationPair, StatusDuration

    with transaction.atomic():
        if not DurationPair.objects.select_for_update().filter(pair=key, asked_on__lt=asked_before).exists():
            return False
        StatusDuration.objects.filter(pair=key).delete()
        DurationPair.objects.filter(pair=key).delete()
    return True


def _insert(key: str, entries) -> None:
    """The entries (`_entries_to_keep`) as kept times."""
    from .models import StatusDuration

    if connection.vendor == "postgresql":
        sql, params = entries.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {StatusDuration._meta.db_table} (pair, order_id, started_at, previous_start_at,"
                " reached_at, payment_method, storefront_id, seconds)"
                " SELECT %s, e.order_id, e.created_at, e.previous_start_at, e.reached_at, e.method, e.shop,"
                " EXTRACT(EPOCH FROM (e.reached_at - e.created_at))::float8"
                f" FROM ({sql}) e",
                (key, *params),
            )
        return
    StatusDuration.objects.bulk_create([
        StatusDuration(
            pair=key, order_id=row["order_id"], started_at=row["created_at"],
            previous_start_at=row["previous_start_at"] and _as_datetime(row["previous_start_at"]),
            reached_at=_as_datetime(row["reached_at"]), payment_method=row["method"], storefront_id=row["shop"],
            seconds=(_as_datetime(row["reached_at"]) - row["created_at"]).total_seconds(),
        )
        for row in entries
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
