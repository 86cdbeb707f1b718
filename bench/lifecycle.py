"""Lifecycle throughput: orders taken accept -> prepare -> ship -> finalize, beside pgbench's TPC-B rate."""
from __future__ import annotations

import re
import subprocess
import threading
import time

from . import db
from .common import place_paid_order, staff_user, tracking_code
from .report import Figure

THREADS = 2


def pgbench_tps(url: str, seconds: int) -> float:
    """pgbench's built-in TPC-B transaction rate with 2 clients, on a scratch database."""
    host, port, user, name = db.parts(url)
    scratch = f"{name}_pgbench"
    db.psql(url, f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)", f"CREATE DATABASE {scratch}")
    base = ["-h", host, "-p", port, "-U", user]
    subprocess.run(["pgbench", *base, "-i", "-q", "-s", "1", scratch], check=True, capture_output=True)
    out = subprocess.run(["pgbench", *base, "-c", "2", "-j", "2", "-T", str(seconds), scratch],
                         check=True, capture_output=True, text=True).stdout
    db.psql(url, f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
    match = re.search(r"tps = ([\d.]+)", out)
    if not match:
        raise RuntimeError(f"no tps in pgbench output: {out[-300:]}")
    return float(match.group(1))


def _in_threads(chunks, work):
    from django.db import connection

    errors = []

    def target(chunk):
        try:
            for item in chunk:
                work(item)
        except Exception as error:  # reported after the join
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def run(url: str, n: int, pgbench_seconds: int) -> list[Figure]:
    from carriers.models import Carrier
    from notifications.models import Notification
    from orders import services

    user = staff_user()
    carrier = Carrier.objects.get(code="dhl")
    ids = []
    ids_lock = threading.Lock()

    def place(_i):
        order = place_paid_order(by=user)
        with ids_lock:
            ids.append(order.pk)

    _in_threads([range(n // THREADS + (1 if i < n % THREADS else 0)) for i in range(THREADS)], place)

    from orders.models import Order

    def take(pk):
        order = Order(pk=pk)
        order = services.accept(order, by=user)
        order = services.start_preparation(order, by=user)
        order = services.ship(order, by=user, carrier=carrier, tracking_code=tracking_code(pk))
        services.finalize(order, by=user)

    before = Notification.objects.count()
    t0 = time.perf_counter()
    _in_threads([ids[i::THREADS] for i in range(THREADS)], take)
    elapsed = time.perf_counter() - t0
    rate = 4 * n / elapsed
    finalized = Order.objects.filter(pk__in=ids, status="finalized").count()
    rows = Notification.objects.count() - before
    tps = pgbench_tps(url, pgbench_seconds)
    ratio = rate / tps
    return [
        Figure("lifecycle throughput", rate, "transitions/s", baseline=f"pgbench TPC-B {tps:,.0f} tps",
               ratio=ratio, bar=">= 1/3 of pgbench", passed=ratio >= 1 / 3 and finalized == n,
               notes=[f"{n} orders, {4 * n} transitions in {elapsed:.1f} s with {THREADS} threads",
                      f"{finalized} finalized, {rows} notification rows written (and their delivery tasks enqueued)",
                      f"pgbench -c 2 -j 2 -T {pgbench_seconds} on a scale-1 scratch database: {tps:.0f} tps"]),
    ]
