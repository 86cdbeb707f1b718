"""Delivery throughput, latency and worker memory: a real `manage.py qcluster` with 2 workers.

Each broker runs in its own process (`python -m bench.delivery --broker orm|redis`) so the
settings load with that broker, exactly as a deployment would; the harness reads its JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .report import Figure

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/15"


def broker_env(broker: str) -> dict:
    env = {**os.environ, "Q_WORKERS": "2"}
    env.pop("Q_REDIS_URL", None)
    if broker == "redis":
        env["Q_REDIS_URL"] = REDIS_URL
    return env


# --- the worker's processes ------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    for child in f.read().split():
                        found.append(int(child))
                        todo.append(int(child))
        except OSError:
            continue
    return found


def status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def start_cluster(env: dict, log) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop_cluster(process: subprocess.Popen, *, hard: bool = False) -> None:
    """SIGTERM to the cluster's main process, which stops its workers, pusher and monitor in turn (a
    SIGTERM to the whole group at once leaves a Redis cluster waiting for them), then SIGKILL to
    whatever of its process group is left; `hard`: SIGKILL at once."""
    if process.poll() is None and not hard:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


# --- inside the broker's process --------------------------------------------------------------


def queue_notifications(orders, milestone: str = "order_placed") -> list[int]:
    """One queued email row per order, committed, then enqueued as a backlog is (one task per 50 rows)."""
    from django.utils import timezone

    from notifications import services
    from notifications.models import Notification

    now = timezone.now()
    rows = Notification.objects.bulk_create([
        Notification(order_id=pk, milestone=milestone, channel="email", recipient=f"c{pk}@example.com",
                     status="queued", next_attempt_at=now)
        for pk in orders
    ])
    ids = [row.pk for row in rows]
    # A backlog is enqueued as the product enqueues one (the sweep, a transaction's rows): in batches.
    services.enqueue_deliveries(ids)
    return ids


def wait_sent(ids, *, timeout: float, on_progress=None) -> int:
    from notifications.models import Notification

    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        done = Notification.objects.filter(pk__in=ids).exclude(status="queued").count()
        if on_progress:
            on_progress(done)
        if done >= len(ids):
            break
        time.sleep(0.1)
    return done


def measure(broker: str, count: int, latency_orders: int) -> dict:
    from django.db.models import Count

    from carriers.models import Carrier
    from notifications.models import Notification
    from orders import services
    from orders.models import Order

    from .common import bulk_orders, empty_queue, percentile, place_paid_order, staff_user

    user = staff_user()
    Carrier.objects.get(code="dhl")
    empty_queue()
    first = (Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    bulk_orders(count)
    bulk = list(Order.objects.filter(pk__gte=first).order_by("pk").values_list("pk", flat=True)[:count])
    paced = [services.accept(place_paid_order(by=user), by=user) for _ in range(latency_orders)]

    log = open(f"/tmp/bench-qcluster-{broker}.log", "w")
    cluster = start_cluster(broker_env(broker), log)
    try:
        # Warm-up: the rows of the placed orders, delivered before anything is timed.
        pending = list(Notification.objects.filter(status="queued").values_list("pk", flat=True))
        if wait_sent(pending, timeout=120) < len(pending):
            raise RuntimeError(f"the worker did not deliver the warm-up rows ({broker}); see {log.name}")

        # Throughput, and the workers' memory as it goes.
        samples = {}

        def sample(done):
            if "first" not in samples and done >= min(1000, count // 10 or 1):
                samples["first"] = sum(status_kb(p, "VmRSS") for p in descendants(cluster.pid))

        t0 = time.perf_counter()
        ids = queue_notifications(bulk)
        enqueued = time.perf_counter() - t0
        done = wait_sent(ids, timeout=max(120, count / 20), on_progress=sample)
        elapsed = time.perf_counter() - t0
        pids = descendants(cluster.pid)
        peak = max((status_kb(p, "VmHWM") for p in pids), default=0)
        rss_end = sum(status_kb(p, "VmRSS") for p in pids)
        by_status = dict(Notification.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("pk")))

        # Latency: paced transitions (20 a second), each timed from its commit to the row's sent_at.
        committed = {}
        for order in paced:
            services.start_preparation(order, by=user)
            committed[order.pk] = time.time()
            time.sleep(0.05)
        rows = Notification.objects.filter(order__in=paced, milestone="preparing", channel="email")
        wait_sent(list(rows.values_list("pk", flat=True)), timeout=60)
        latencies = [sent.timestamp() - committed[order] for order, sent in rows.values_list("order", "sent_at") if sent]
    finally:
        stop_cluster(cluster)
        log.close()
    return {
        "broker": broker, "count": count, "delivered": done, "seconds": elapsed, "enqueue_seconds": enqueued,
        "rate": done / elapsed, "by_status": by_status, "peak_kb": peak, "rss_first_kb": samples.get("first", 0),
        "rss_end_kb": rss_end, "processes": len(pids), "latencies": len(latencies),
        "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
    }


# --- in the harness ---------------------------------------------------------------------------


def run(url: str, count: int) -> list[Figure]:
    figures = []
    for broker in ("orm", "redis"):
        out = Path(f"/tmp/bench-delivery-{broker}-{os.getpid()}.json")
        subprocess.run([sys.executable, "-m", "bench.delivery", "--broker", broker, "--count", str(count),
                        "--json", str(out)], cwd=ROOT, env=broker_env(broker), check=True)
        r = json.loads(out.read_text())
        out.unlink()
        name = "ORM" if broker == "orm" else "Redis"
        note = (f"{r['delivered']:,} of {r['count']:,} delivered in {r['seconds']:.1f} s "
                f"(enqueueing took {r['enqueue_seconds']:.1f} s); statuses {r['by_status']}")
        figures.append(Figure(f"delivery throughput ({name})", r["rate"], "messages/s", bar=">= 300/s",
                              passed=r["rate"] >= 300 and r["delivered"] == r["count"], notes=[note]))
        p50_bar = 0.5 if broker == "orm" else 0.1
        figures.append(Figure(f"delivery latency p50 ({name})", r["p50"], "s", baseline=f"{r['latencies']} transitions",
                              bar=f"<= {p50_bar} s", passed=r["p50"] <= p50_bar))
        if broker == "orm":
            figures.append(Figure("delivery latency p99 (ORM)", r["p99"], "s", bar="<= 2 s", passed=r["p99"] <= 2))
        else:
            figures.append(Figure("delivery latency p99 (Redis)", r["p99"], "s"))
        peak_mb = r["peak_kb"] / 1024
        first, end = r["rss_first_kb"] / 1024, r["rss_end_kb"] / 1024
        figures.append(Figure(f"worker memory peak ({name})", peak_mb, "MB",
                              baseline=f"all {r['processes']} processes: {first:.0f} MB early, {end:.0f} MB at the end",
                              bar="< 150 MB, flat", passed=peak_mb < 150 and end <= first * 1.1 + 5,
                              notes=["VmHWM of the largest qcluster process; RSS of them all early and at the end"]))
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--broker", choices=["orm", "redis"], required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--json", required=True)
    args = parser.parse_args(argv)
    import django

    django.setup()
    result = measure(args.broker, args.count, latency_orders=max(10, min(100, args.count // 10)))
    Path(args.json).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
