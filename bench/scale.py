"""The staff's screens at scale: orders generated in SQL (generate_series, not the ORM), then each
read path measured through django.test.Client at a small size and at the full one.

Per path: median and p95 of the server-side time, the query count, and the slowest statement
with its plan: each statement of the page replayed under EXPLAIN ANALYZE, so its figure is its
execution time in PostgreSQL, not the shared machine's wait for a core. Bars: the order list (every filter, sortable column and search
field) p95 <= 150 ms with no statement over 50 ms; the notification log p95 <= 150 ms, no statement
over 20 ms; the analytics report p95 <= 200 ms for 30 days and 500 ms for a year; the order page,
its sheet, the timeline page and the API's order detail (built, not kept) and list no statement over
2 ms. Also timed: rolling up the report's days, and rebuilding the list's indexes concurrently.
"""
from __future__ import annotations

import gc
import re
import statistics
import time
from datetime import timedelta

from .common import percentile, staff_user, storefront
from .report import Figure

FIRST = ["María", "Juan", "Lucía", "Carlos", "Ana", "Jorge", "Sofía", "Diego", "Valentina", "Martín", "Camila",
         "Pablo", "Julieta", "Santiago", "Florencia", "Nicolás", "Agustina", "Federico", "Paula", "Tomás"]
LAST = ["Pérez", "Gómez", "Rodríguez", "Fernández", "López", "Martínez", "González", "Sánchez", "Romero", "Díaz",
        "Álvarez", "Torres", "Ruiz", "Ramírez", "Flores", "Acosta", "Benítez", "Medina", "Herrera", "Suárez",
        "Aguirre", "Giménez", "Gutiérrez", "Pereyra", "Molina", "Castro", "Ortiz", "Silva", "Núñez", "Luna"]
STAGES = ["pending", "accepted", "preparing", "shipped", "finalized"]
DAY = 1_400  # orders a day: a million is two years


def _sql_array(values) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generate(start: int, end: int, shop_id: int, carrier_id: int, total: int) -> None:
    """Orders start..end-1 (number SC<n>), 1,400 a day back from now, with 1.6 lines,
    about 6 timeline rows each, and a week of notification log for the last week's orders."""
    from django.db import connection

    spread = f"(g * interval '1 day' / {DAY})"  # order 1 is the newest: each size holds the latest days
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM orders_order")
        before = cursor.fetchone()[0]
        new = f"o.id > {before}"
        cursor.execute(f"""
            INSERT INTO orders_order (number, public_token, external_id, external_checkout_id, customer_name,
                customer_email, customer_phone, language, fulfillment_method, city, address, pickup_point,
                tracking_code, tracking_clicks, payment_method, currency, lines_total, shipping_cost, total,
                status, payment_status, created_at, updated_at, carrier_id, storefront_id, oversold_skus,
                whatsapp_opt_in, whatsapp_opt_in_source)
            SELECT 'SC' || g, md5(g::text) || g, 'EXT-' || g, '',
                ({_sql_array(FIRST)})[1 + (g * 7) % {len(FIRST)}] || ' ' || ({_sql_array(LAST)})[1 + (g * 13) % {len(LAST)}],
                'cliente' || g || '@example.com', '+54911' || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0'), 'es',
                CASE WHEN g % 5 = 0 THEN 'pickup' ELSE 'carrier' END,
                (ARRAY['Córdoba','Rosario','Mendoza','La Plata','Salta'])[1 + g % 5], 'Calle ' || g, '',
                CASE WHEN g % 5 <> 0 AND g % 7 >= 3 THEN lpad(g::text, 10, '0') ELSE '' END, 0,
                (ARRAY['online','transfer','cash_on_delivery','payment_link'])[1 + (g / 3) % 4], 'ARS',
                1000 + (g * 37) % 90000, 1500, 2500 + (g * 37) % 90000,
                CASE WHEN g % 97 = 0 THEN 'cancelled'
                     WHEN g <= {DAY} * 3 THEN (ARRAY['pending','accepted','preparing','shipped'])[1 + g % 4]
                     ELSE 'finalized' END,
                CASE WHEN g % 4 = 1 AND g <= {DAY} * 3 THEN 'unpaid' ELSE 'paid' END,
                now() - {spread}, now() - {spread},
                CASE WHEN g % 5 = 0 THEN NULL ELSE {carrier_id} END, {shop_id},
                CASE WHEN g % 5000 = 0 THEN '["REM-001"]'::jsonb ELSE '[]'::jsonb END,
                false, ''
            FROM generate_series({start}, {end - 1}) g""")
        cursor.execute(f"""
            INSERT INTO orders_orderline (order_id, sku, name, quantity, unit_price, line_total)
            SELECT o.id, 'SKU-' || n, 'Producto ' || n, 1, o.lines_total, o.lines_total
            FROM orders_order o CROSS JOIN generate_series(1, 2) n
            WHERE {new} AND (n = 1 OR o.id % 5 < 3)""")
        # placed, then one row per status reached (cancelled orders stop at accepted), a payment, a note.
        cursor.execute(f"""
            INSERT INTO orders_orderevent (order_id, kind, from_status, to_status, note, data, created_at)
            SELECT o.id, CASE WHEN s.k = 0 THEN 'placed' ELSE 'status_changed' END,
                   CASE WHEN s.k = 0 THEN '' ELSE (ARRAY{STAGES})[s.k] END, (ARRAY{STAGES})[s.k + 1], '', '{{}}'::jsonb,
                   LEAST(o.created_at + s.k * interval '7 hours', now())
            FROM orders_order o CROSS JOIN generate_series(0, 4) AS s(k)
            WHERE {new}
              AND s.k <= CASE o.status WHEN 'cancelled' THEN 1 ELSE array_position(ARRAY{STAGES}, o.status::text) - 1 END
            UNION ALL
            SELECT o.id, 'payment_registered', '', '', '', '{{}}'::jsonb, o.created_at + interval '1 hour'
            FROM orders_order o WHERE {new}
            UNION ALL
            SELECT o.id, 'note', '', '', 'nota', '{{}}'::jsonb, o.created_at + interval '2 hours'
            FROM orders_order o WHERE {new} AND o.id % 10 < 9""")
        cursor.execute(f"""
            INSERT INTO notifications_notification (order_id, milestone, channel, recipient, status, reason_code, reason_detail, attempts,
                provider_message_id, created_at, updated_at, body, fallback_for, language, subject)
            SELECT o.id, m, 'email', o.customer_email, CASE WHEN o.id % 50 = 0 THEN 'failed' ELSE 'sent' END, '', '', 1,
                   '', o.created_at, o.created_at, 'Hola', '', 'es', 'Tu pedido'
            FROM orders_order o CROSS JOIN unnest(ARRAY['order_placed','accepted','shipped']) m
            WHERE {new}
              AND o.created_at > now() - interval '7 days'""")


def _time(client, url: str, repeats: int):
    """Server-side times of `repeats` GETs (after a warm-up), and the statements of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    times = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    return times, [query["sql"] for query in queries.captured_queries]


DECLARED = re.compile(r"^DECLARE \S+ (?:NO )?(?:SCROLL )?CURSOR (?:WITH(?:OUT)? HOLD )?FOR (SELECT .*)$", re.DOTALL)


def _statement_times(statements: list[str]) -> tuple[float, str, str]:
    """The statements replayed in PostgreSQL, each SELECT under EXPLAIN ANALYZE (best of two, so a
    moment of the shared machine's load is not taken for the statement's cost), in one transaction
    rolled back, with the settings the page set for its own statements (set_config) as it ran them.
    Returns the slowest's execution time in ms, its SQL and its plan."""
    from django.db import connection, transaction

    slowest = (0.0, "", "")
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            if sql.startswith(("COMMIT", "ROLLBACK")):
                cursor.execute("RESET ALL")  # what the page set for its transaction ends with it
                continue
            declared = DECLARED.match(sql)
            sql = declared.group(1) if declared else sql
            if sql.startswith("SELECT set_config("):
                cursor.execute(sql)
                continue
            if not sql.startswith(("SELECT", "WITH")):
                continue
            best = float("inf")
            for _ in range(2):
                cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql)
                line = [row[0] for row in cursor.fetchall() if row[0].startswith("Execution Time")][0]
                best = min(best, float(line.split()[2]))
            if best > slowest[0]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)  # its plan as the page ran it
                slowest = (best, sql, "\n".join(row[0] for row in cursor.fetchall()))
        transaction.set_rollback(True)
    return slowest


def paths(order, shop_id: int, carrier_id: int) -> list[tuple[str, str, float, float]]:
    """(name, url, p95 bar in ms, slowest statement bar in ms)."""
    from django.utils import timezone

    today = timezone.localdate()
    orders = "/admin/orders/order/"
    report = "/admin/analytics/report/"
    rows = [("order list, default", orders)]
    rows += [(f"order list, {name}", f"{orders}?{query}") for name, query in [
        ("status=pending", "status__exact=pending"), ("payment status=unpaid", "payment_status__exact=unpaid"),
        ("payment method=transfer", "payment_method__exact=transfer"), ("pickup", "fulfillment_method__exact=pickup"),
        ("storefront", f"storefront__id__exact={shop_id}"), ("carrier", f"carrier__id__exact={carrier_id}"),
        ("oversold", "oversold=yes"), ("this month", f"created_at__gte={today.replace(day=1)}"),
        ("search a surname", "q=Gutiérrez"), ("search a full name", "q=Lucía+Gutiérrez"),
        ("search an email", f"q={order.customer_email.upper()}"), ("search a phone", "q=11+5555-1234"),
        ("search a tracking code", "q=0000123456"), ("search an order number", f"q={order.number.lower()}"),
        ("search a storefront order id", f"q={order.external_id}"),
    ]]
    rows += [(f"order list, sorted by {name}", f"{orders}?o={o}") for name, o in [
        ("number", "1"), ("date, oldest first", "2"), ("customer", "3"), ("city", "-4"), ("total", "5"),
        ("total, highest first", "-5"), ("payment method", "6"), ("payment status", "7"), ("status", "-8"),
    ]]
    figures = [(name, url, 150, 50) for name, url in rows]
    figures += [("notification log", "/admin/notifications/notification/", 150, 20),
                ("notification log, failed", "/admin/notifications/notification/?status__exact=failed", 150, 20)]
    month = f"start={today.replace(day=1) if today.day > 29 else today.fromordinal(today.toordinal() - 29)}&end={today}"
    year = f"start={today.fromordinal(today.toordinal() - 365)}&end={today}"
    figures += [("analytics report, 30 days", f"{report}?{month}", 200, 200),
                ("analytics report, 366 days", f"{report}?{year}", 500, 500),
                ("order page", f"{orders}{order.pk}/change/", 1000, 2), ("order sheet", f"{orders}{order.pk}/sheet/", 1000, 2),
                ("timeline page", f"/o/{order.public_token}/", 1000, 2)]
    api = "/api/v1/orders/"
    since = (timezone.now() - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    figures += [("API order detail, built", f"{api}{order.number}/", 1000, 2), ("API order list", api, 1000, 2),
                ("API order list, status=shipped", f"{api}?status=shipped", 1000, 2),
                ("API order list, updated in the last hour", f"{api}?updated_since={since}", 1000, 2)]
    return figures


def measure(label: str, order, shop_id: int, carrier_id: int, repeats: int, api_key: str) -> list[Figure]:
    from django.test import Client

    staff = Client()
    staff.force_login(staff_user())
    # The API's order JSON is built on every request here (no kept copy): its statements as built.
    storefront_client = Client(HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    figures = []
    # As the server runs (config/gunicorn.conf.py): what loading the application made is frozen out of
    # the garbage collector's scans before the first request. Without it, a full collection here scans
    # every object of Django and the apps (110-140 ms on this machine), and one of them in a path's
    # seven requests is its p95.
    gc.collect()
    gc.freeze()
    try:
        figures += _measure_paths(label, order, shop_id, carrier_id, repeats, staff, storefront_client)
    finally:
        gc.unfreeze()
    return figures


def _measure_paths(label, order, shop_id, carrier_id, repeats, staff, storefront_client) -> list[Figure]:
    from django.test import Client
    from django.test.utils import override_settings

    figures = []
    with override_settings(ALLOWED_HOSTS=["*"], API_ORDER_CACHE_SECONDS=0, API_THROTTLE_RATE="1000000/min"):
        for name, url, bar, statement_bar in paths(order, shop_id, carrier_id):
            client = Client() if url.startswith("/o/") else storefront_client if url.startswith("/api/") else staff
            times, statements = _time(client, url, repeats)
            slowest_ms, sql, plan = _statement_times(statements)
            count = len(statements)
            p95 = percentile(times, 95)
            timed = not url.startswith(("/o/", "/api/", "/admin/orders/order/" + str(order.pk)))
            passed = slowest_ms <= statement_bar and (p95 <= bar if timed else True)
            figures.append(Figure(
                f"scale {label}: {name}", round(statistics.median(times), 1), "ms",
                baseline=f"p95 {p95:.1f} ms; {count} queries; slowest statement {slowest_ms:.2f} ms in PostgreSQL",
                bar=(f"p95 <= {bar} ms, " if timed else "") + f"statements <= {statement_bar} ms", passed=passed,
                notes=[f"{url}", f"slowest statement: {sql[:600]}", "plan:\n" + plan] if sql else [url],
            ))
    return figures


def rebuild_indexes() -> tuple[float, list[str]]:
    """Drop and rebuild concurrently the indexes the scale migrations add; the seconds it took."""
    from django.db import connection

    names = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'order_list%%' "
                       "OR indexname LIKE 'order_search%%' OR indexname IN ('orderevent_entered_status_idx', "
                       "'orderevent_entered_order_idx', 'orderevent_custom_order_idx')")
        indexes = cursor.fetchall()
    t0 = time.monotonic()
    for name, definition in indexes:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP INDEX "{name}"')
            started = time.monotonic()
            cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY", 1))
            names.append(f"{name}: {time.monotonic() - started:.1f} s")
    return time.monotonic() - t0, names


def run(small: int, full: int, repeats: int, url: str) -> list[Figure]:
    from django.db import connection

    from analytics import rollup
    from carriers.models import Carrier
    from orders.models import Order

    from . import db

    from storefronts.services import create_api_key

    staff_user()
    shop = storefront()
    _record, api_key = create_api_key(storefront=shop, name="bench scale")
    carrier = Carrier.objects.get(code="dhl")
    figures = []
    made = 0
    for size in (small, full):
        t0 = time.monotonic()
        chunk = 200_000
        while made < size:
            step = min(chunk, size - made)
            generate(made + 1, made + step + 1, shop.pk, carrier.pk, full)
            made += step
        generated = time.monotonic() - t0
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('orders_order', 'id'), (SELECT max(id) FROM orders_order))")
        started = time.monotonic()
        days = rollup.rebuild(rollup.first_event_day(), rollup.last_closed_day())
        rolled = time.monotonic() - started
        db.settle(url)
        # One of the generated orders (other benchmarks may have left orders of other storefronts behind).
        order = Order.objects.filter(status="shipped", storefront=shop, number__startswith="SC").order_by("-created_at").first()
        label = f"{size:,}"
        figures.append(Figure(f"scale {label}: orders generated in SQL", round(generated, 1), "s", bar="report",
                              notes=[f"{Order.objects.count():,} orders"]))
        figures.append(Figure(f"scale {label}: report's daily counts and kept times rolled up (rebuild_status_rollup)",
                              round(rolled, 1), "s", bar="report",
                              notes=[f"{days} closed days kept, counts and the default pair's times; the report "
                                     "reads them from the rollup and today live"]))
        figures += measure(label, order, shop.pk, carrier.pk, repeats, api_key)
    seconds, each = rebuild_indexes()
    figures.append(Figure(f"scale {full:,}: list, search and report indexes built concurrently", round(seconds, 1), "s",
                          bar="report", notes=each))
    return figures
