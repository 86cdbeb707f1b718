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


def _take_in_process(pks, carrier_pk, user_pk, done):
    """A client process (forked): take its orders through the four moves, then say how many."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from carriers.models import Carrier
    from orders import services
    from orders.models import Order

    taken = 0
    try:
        user = get_user_model().objects.get(pk=user_pk)
        carrier = Carrier.objects.get(pk=carrier_pk)
        for pk in pks:
            order = services.accept(Order(pk=pk), by=user)
            order = services.start_preparation(order, by=user)
            order = services.ship(order, by=user, carrier=carrier, tracking_code=tracking_code(pk))
            services.finalize(order, by=user)
            taken += 1
    finally:  # always answer, so the parent never waits on a child that failed
        connection.close()
        done.put(taken)


def _in_processes(chunks, carrier_pk, user_pk) -> float:
    """Seconds for PROCESSES forked clients to take their chunks (each its own interpreter lock)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    done = context.Queue()
    children = [context.Process(target=_take_in_process, args=(c, carrier_pk, user_pk, done)) for c in chunks]
    t0 = time.perf_counter()
    for child in children:
        child.start()
    taken = sum(done.get(timeout=1800) for _ in children)
    elapsed = time.perf_counter() - t0
    for child in children:
        child.join()
    if taken != sum(len(c) for c in chunks) or any(child.exitcode for child in children):
        raise RuntimeError("a client process failed")
    return elapsed


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
    # The same moves on as many new orders by two client processes instead of two threads: what
    # the product does when the clients do not share one interpreter lock (reported, no bar).
    ids.clear()
    _in_threads([range(n // THREADS + (1 if i < n % THREADS else 0)) for i in range(THREADS)], place)
    process_seconds = _in_processes([ids[i::THREADS] for i in range(THREADS)], carrier.pk, user.pk)
    process_rate = 4 * n / process_seconds
    process_finalized = Order.objects.filter(pk__in=ids, status="finalized").count()
    tps = pgbench_tps(url, pgbench_seconds)
    ratio = rate / tps
    return [
        Figure("lifecycle throughput", rate, "transitions/s", baseline=f"pgbench TPC-B {tps:,.0f} tps",
               ratio=ratio, bar=">= 1/3 of pgbench", passed=ratio >= 1 / 3 and finalized == n,
               notes=[f"{n} orders, {4 * n} transitions in {elapsed:.1f} s with {THREADS} threads",
                      f"{finalized} finalized, {rows} notification rows written (and their delivery tasks enqueued)",
                      f"pgbench -c 2 -j 2 -T {pgbench_seconds} on a scale-1 scratch database: {tps:.0f} tps"]),
        Figure("lifecycle throughput, 2 client processes", process_rate, "transitions/s",
               baseline=f"pgbench TPC-B {tps:,.0f} tps", ratio=process_rate / tps, bar="report", passed=None,
               notes=[f"{n} more orders, {4 * n} transitions in {process_seconds:.1f} s by {THREADS} forked "
                      f"processes, each its own interpreter lock; {process_finalized} finalized"]),
    ]
