"""Scale-out drill: two worker clusters on the Redis broker, as two hosts run them, one killed.

Two `manage.py qcluster` processes (each its own process group, as on its own host) share one
PostgreSQL database, the Redis broker (`Q_REDIS_URL`) and a Redis cache (`CACHE_URL`, where
django-q2's cluster status and the product's cache live). Orders placed through
`orders.services` while both run write their notification rows and webhook deliveries; the
emails reach `bench.backends.CountingEmailBackend` (which records the notification id and the
host that sent it) and the webhooks a receiver on 127.0.0.1 that counts each `X-Webhook-Id`.
Once a third of the work reached its destination, one cluster's whole process group gets
SIGKILL. The survivor, its scheduler and the stale-row sweeps finish the rest: the tasks the dead
cluster had taken from Redis are gone with it, and its claimed rows are free once their claim
expires.

The drill runs in its own process (`python -m bench.scaleout`), so the settings load with the
Redis broker and cache as a deployment's would; the harness reads its JSON. It uses one Redis
database of its own (`BENCH_SCALEOUT_REDIS_URL`, default db 14), holds a lock key there while it
runs (a second run waits), and deletes every key in it when it ends, failed or not.
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from .delivery import ROOT, descendants, start_cluster, stop_cluster
from .report import Figure

REDIS_URL = os.environ.get("BENCH_SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/14")
LOCK_KEY = "bench:scaleout:lock"
HOSTS = ("host-a", "host-b")  # host-a is the one killed
WORKERS = 2  # per cluster


def drill_env(smoke: bool) -> dict:
    """The environment of the drill's process and of both clusters."""
    claim = 6 if smoke else 10
    env = {**os.environ, "Q_WORKERS": str(WORKERS), "Q_REDIS_URL": REDIS_URL, "CACHE_URL": REDIS_URL}
    env.update({
        "EMAIL_BACKEND": "bench.backends.CountingEmailBackend",
        "WEBHOOK_ALLOW_LOCAL_URLS": "true",
        "NO_PROXY": "127.0.0.1,localhost",
        # Short claims and grace periods so the dead host's rows are free in seconds, not minutes.
        "NOTIFICATION_CLAIM_SECONDS": str(claim),
        "NOTIFICATION_REQUEUE_AFTER_SECONDS": str(claim),
        "NOTIFICATION_BATCH_SECONDS": str(claim // 3),
        "WEBHOOK_CLAIM_SECONDS": str(claim),
        "WEBHOOK_REQUEUE_AFTER_SECONDS": str(claim),
        "WEBHOOK_TIMEOUT_SECONDS": str(claim // 3),
    })
    return env


# --- the webhook receiver -----------------------------------------------------------------------


class Receiver:
    """A storefront's webhook endpoint on 127.0.0.1: answers 200 and counts each X-Webhook-Id."""

    def __init__(self):
        self.received: dict[str, int] = {}
        self.mismatched = 0  # a body whose "id" is not its X-Webhook-Id
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                event_id = self.headers.get("X-Webhook-Id", "")
                try:
                    same = json.loads(body).get("id") == event_id
                except ValueError:
                    same = False
                with receiver.lock:
                    receiver.received[event_id] = receiver.received.get(event_id, 0) + 1
                    receiver.mismatched += not same
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/orders"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def count(self) -> int:
        with self.lock:
            return sum(self.received.values())

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# --- Redis: one run at a time, nothing left behind ---------------------------------------------


def _redis():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def acquire(token: str, *, wait: float = 600) -> None:
    connection = _redis()
    deadline = time.monotonic() + wait
    while not connection.set(LOCK_KEY, token, nx=True, ex=1800):
        if time.monotonic() > deadline:
            raise RuntimeError(f"another scale-out drill holds {REDIS_URL} ({LOCK_KEY})")
        time.sleep(1)
    clear(token, keep_lock=True)


def clear(token: str, *, keep_lock: bool = False) -> int:
    """Delete every key of the drill's Redis database (the broker's queue, the clusters' status, the
    cache), if this run holds the lock; the lock itself too unless `keep_lock`."""
    connection = _redis()
    held = connection.get(LOCK_KEY)
    if held is not None and held.decode() != token:
        return 0
    keys = [key for key in connection.scan_iter(count=1000) if key != LOCK_KEY.encode()]
    if keys:
        connection.delete(*keys)
    if not keep_lock and held is not None:
        connection.delete(LOCK_KEY)
    return len(keys)


# --- inside the drill's process ------------------------------------------------------------------


def _tick():
    """Smoke runs only: every half second, what the clusters' scheduler does every 30 s and the two
    sweep schedules every minute, so the drill lasts seconds."""
    from django_q.brokers import get_broker
    from django_q.scheduler import scheduler

    from notifications.tasks import sweep_queued_notifications
    from webhooks.tasks import sweep_queued_webhooks

    def tick():
        scheduler(broker=get_broker())
        sweep_queued_notifications()
        sweep_queued_webhooks()

    return tick


def measure(count: int, *, smoke: bool, token: str, pid_file: Path) -> dict:
    """The drill, holding the Redis database's lock; every key and the count file go when it ends."""
    count_file = Path(f"/tmp/bench-drill-scaleout-{os.getpid()}.count")
    acquire(token)
    try:
        return _measure(count, smoke=smoke, pid_file=pid_file, count_file=count_file)
    finally:
        clear(token)
        count_file.unlink(missing_ok=True)


def _measure(count: int, *, smoke: bool, pid_file: Path, count_file: Path) -> dict:
    from django.conf import settings
    from django.db.models import Count
    from django.utils import timezone
    from django_q.status import Stat

    from notifications.models import Notification
    from orders.models import Order
    from webhooks.models import Delivery, Endpoint, Event

    from .backends import read_counts, read_hosts
    from .common import empty_queue, place_paid_order, staff_user, storefront
    from .drills import _wait

    started = time.monotonic()
    empty_queue()
    user = staff_user()
    shop = storefront("Bench scale-out shop")
    env = drill_env(smoke)
    count_file.write_text("")
    env["BENCH_COUNT_FILE"] = str(count_file)
    os.environ["BENCH_COUNT_FILE"] = str(count_file)
    first_order = (Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    logs, clusters = [], {}
    with Receiver() as receiver:
        Endpoint.objects.filter(storefront=shop).delete()
        Endpoint.objects.create(storefront=shop, url=receiver.url, events=[e.value for e in Event],
                                description="bench scale-out receiver")
        # A backlog, as the web tier leaves it for the workers: orders placed through the services,
        # each commit enqueuing its tasks in Redis. Both clusters then start from the same queue.
        placed = [place_paid_order(by=user, storefront=shop).pk for _ in range(count)]
        ours_n = Notification.objects.filter(order__in=placed)
        ours_d = Delivery.objects.filter(order__in=placed)
        total = ours_n.filter(channel="email").count() + ours_d.count()
        print(f"  scale-out: {count} orders placed in {time.monotonic() - started:.1f} s: {total} emails and "
              "webhooks to deliver", flush=True)
        try:
            t0 = time.monotonic()
            for host in HOSTS:
                log = open(f"/tmp/bench-qcluster-scaleout-{host}.log", "w")
                logs.append(log)
                clusters[host] = start_cluster({**env, "BENCH_HOST": host}, log)
                with open(pid_file, "a") as f:
                    f.write(f"{clusters[host].pid}\n")

            # Kill host-a once a third of the work arrived and both hosts had sent some.
            kill_at = max(2, total // 3)

            def due() -> bool:
                hosts = read_hosts(count_file)
                return (all(hosts.get(host) for host in HOSTS)
                        and len(read_counts(count_file)) + len(receiver.received) >= kill_at)

            victim = clusters[HOSTS[0]]
            if not _wait(due, timeout=300, every=0.02, cluster=victim):
                raise RuntimeError(f"fewer than {kill_at} deliveries, or not by both hosts, in 300 s; see "
                                   + ", ".join(log.name for log in logs))
            reporting = len(Stat.get_all())  # the clusters django-q2's status (in Redis) lists
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait()
            killed_at = timezone.now()
            killed_after = time.monotonic() - t0
            emails_at_kill, hooks_at_kill = len(read_counts(count_file)), len(receiver.received)
            # What the dead host held: rows claimed before the kill and still claimed a moment later,
            # when the survivor has long finished its own (a send takes milliseconds, a claim seconds).
            time.sleep(1.5)
            live = {"order__gte": first_order, "status": "queued", "locked_until__gt": timezone.now()}
            held_notifications = Notification.objects.filter(
                **live, locked_until__lte=killed_at + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)).count()
            held_deliveries = Delivery.objects.filter(
                **live, locked_until__lte=killed_at + timedelta(seconds=settings.WEBHOOK_CLAIM_SECONDS)).count()

            # The survivor, its scheduler and the sweeps finish the rest.
            t1 = time.monotonic()
            claim = max(settings.NOTIFICATION_CLAIM_SECONDS, settings.WEBHOOK_CLAIM_SECONDS)
            finished = _wait(lambda: not ours_n.filter(status="queued").exists()
                             and not ours_d.filter(status="queued").exists(),
                             timeout=claim + (60 if smoke else 300), every=0.5 if smoke else 1,
                             cluster=clusters[HOSTS[1]], tick=_tick() if smoke else None)
            recovered = time.monotonic() - t1
        finally:
            t2 = time.monotonic()
            for process in clusters.values():
                stop_cluster(process, hard=process is clusters.get(HOSTS[0]))
            for log in logs:
                log.close()
            print(f"  scale-out: clusters stopped in {time.monotonic() - t2:.1f} s", flush=True)
        received = dict(receiver.received)
        mismatched = receiver.mismatched
    sent = read_counts(count_file)
    by_host = read_hosts(count_file)

    # Emails are what reach a provider here; push rows of customers without a subscription end
    # skipped at once, with nothing to send (reported beside).
    others = {f"{channel} {status}": n for channel, status, n in ours_n.exclude(channel="email")
              .values_list("channel", "status").annotate(n=Count("pk"))}
    ours_n = ours_n.filter(channel="email")
    notification_ids = [str(pk) for pk in ours_n.values_list("pk", flat=True)]
    event_ids = [str(e) for e in ours_d.values_list("event_id", flat=True)]
    n_counts = {k: sent.get(k, 0) for k in notification_ids}
    d_counts = {k: received.get(k, 0) for k in event_ids}
    return {
        "orders": len(placed), "reporting": reporting, "killed_after": killed_after,
        "recovered": recovered, "finished": finished, "workers": WORKERS,
        "emails_at_kill": emails_at_kill, "hooks_at_kill": hooks_at_kill,
        "held_notifications": held_notifications, "held_deliveries": held_deliveries,
        "notifications": len(notification_ids),
        "notification_statuses": dict(ours_n.values_list("status").annotate(n=Count("pk"))),
        "other_notifications": others,
        "notifications_once": sum(1 for n in n_counts.values() if n == 1),
        "notifications_twice": sum(1 for n in n_counts.values() if n > 1),
        "notifications_lost": sum(1 for n in n_counts.values() if n == 0),
        "notifications_retried": ours_n.filter(attempts__gt=1).count(),
        "emails_other": sum(n for k, n in sent.items() if k not in n_counts),
        "emails_by_host": by_host,
        "deliveries": len(event_ids),
        "delivery_statuses": dict(ours_d.values_list("status").annotate(n=Count("pk"))),
        "hooks_once": sum(1 for n in d_counts.values() if n == 1),
        "hooks_twice": sum(1 for n in d_counts.values() if n > 1),
        "hooks_extra": sum(n - 1 for n in d_counts.values() if n > 1),
        "hooks_lost": sum(1 for n in d_counts.values() if n == 0),
        "hooks_retried": ours_d.filter(attempts__gt=1).count(),
        "hooks_other": sum(n for k, n in received.items() if k not in d_counts),
        "hooks_mismatched": mismatched,
    }


# --- in the harness ------------------------------------------------------------------------------


def _kill_leftovers(pid_file: Path) -> int:
    """Any cluster the drill's process left behind (it was killed itself): its whole process group."""
    killed = 0
    try:
        pids = [int(line) for line in pid_file.read_text().split()]
    except FileNotFoundError:
        return 0
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGKILL)
            killed += 1
        except ProcessLookupError:
            pass
    pid_file.unlink()
    return killed


def run(count: int, *, smoke: bool) -> list[Figure]:
    token = uuid.uuid4().hex
    out = Path(f"/tmp/bench-scaleout-{os.getpid()}.json")
    pid_file = Path(f"/tmp/bench-scaleout-{os.getpid()}.pids")
    pid_file.write_text("")
    env = drill_env(smoke)
    try:
        subprocess.run([sys.executable, "-m", "bench.scaleout", "--count", str(count), "--json", str(out),
                        "--token", token, "--pid-file", str(pid_file)] + (["--smoke"] if smoke else []),
                       cwd=ROOT, env=env, check=True, timeout=900)
        r = json.loads(out.read_text())
    finally:
        _kill_leftovers(pid_file)
        clear(token)
        out.unlink(missing_ok=True)
    return figures(r)


def figures(r: dict) -> list[Figure]:
    hosts = ", ".join(f"{host or 'unnamed'} {n:,}" for host, n in sorted(r["emails_by_host"].items()))
    head = (f"{r['orders']:,} orders placed, then two clusters started ({r['workers']} workers each, Redis broker "
            f"and cache, one database; {r['reporting']} listed in django-q2's status); host-a killed (SIGKILL to "
            f"its process group) {r['killed_after']:.1f} s later, when {r['emails_at_kill']:,} emails and "
            f"{r['hooks_at_kill']:,} webhooks had arrived; the survivor and the sweeps finished "
            f"{r['recovered']:.1f} s after the kill")
    n_ok = (r["finished"] and r["notification_statuses"] == {"sent": r["notifications"]}
            and r["notifications_twice"] == 0 and r["notifications_lost"] == 0)
    others = ", ".join(f"{n:,} {kind}" for kind, n in sorted(r["other_notifications"].items())) or "none"
    n_note = (f"statuses {r['notification_statuses']}; {head}; {r['notifications']:,} email notification rows "
              f"(other rows: {others}): {r['notifications_once']:,} reached the backend once, "
              f"{r['notifications_twice']} twice, {r['notifications_lost']} never; the dead host held "
              f"{r['held_notifications']} rows claimed; {r['notifications_retried']} needed a second attempt; "
              f"emails by host: {hosts}" + (f"; {r['emails_other']} other emails" if r["emails_other"] else ""))
    # Webhooks are at least once: a worker killed after the receiver took a post and before the row
    # was marked delivered posts it again once its claim expires (same X-Webhook-Id; receivers
    # de-duplicate on it). Each of the dead host's workers was posting at most one.
    bound = r["workers"]
    d_ok = (r["finished"] and r["delivery_statuses"] == {"delivered": r["deliveries"]} and r["hooks_lost"] == 0
            and r["hooks_extra"] <= bound and r["hooks_mismatched"] == 0)
    d_note = (f"statuses {r['delivery_statuses']}; {r['deliveries']:,} webhook deliveries (one endpoint, every "
              f"event): {r['hooks_once']:,} received once, {r['hooks_twice']} twice, {r['hooks_lost']} never; "
              f"the dead host held {r['held_deliveries']} claimed (its {bound} workers: at most {bound} posted again); "
              f"{r['hooks_retried']} needed a second attempt"
              + (f"; {r['hooks_other']} other posts" if r["hooks_other"] else "")
              + (f"; {r['hooks_mismatched']} bodies not matching their X-Webhook-Id" if r["hooks_mismatched"] else ""))
    print("  scale-out: " + head, flush=True)
    print("  scale-out: notifications: " + n_note, flush=True)
    print("  scale-out: webhooks: " + d_note, flush=True)
    return [
        Figure("drill: two hosts, one killed (kill -9): notifications",
               f"{r['notifications_once']:,} of {r['notifications']:,} sent once",
               baseline=f"{r['notifications_twice']} duplicates, {r['notifications_lost']} lost",
               bar="all sent exactly once", passed=n_ok, notes=[n_note]),
        Figure("drill: two hosts, one killed (kill -9): webhooks",
               f"{r['hooks_once']:,} of {r['deliveries']:,} received once",
               baseline=f"{r['hooks_twice']} received twice, {r['hooks_lost']} lost",
               bar="none lost; repeats <= the dead host's workers", passed=d_ok, notes=[d_note]),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--pid-file", required=True)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    import django

    django.setup()
    result = measure(args.count, smoke=args.smoke, token=args.token, pid_file=Path(args.pid_file))
    Path(args.json).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
