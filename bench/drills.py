"""Fault drills: a worker killed mid-delivery, an SMS or WhatsApp provider outage (concurrent staff:
bench/concurrent_staff.py; two hosts, one killed: bench/scaleout.py). The crash and the outage run
for each paid channel's provider shape: email and WhatsApp for the crash, SMS (Twilio) and WhatsApp
(Meta's Cloud API) for the outage (bench/providers.py has the stubs).

Each drill prints what it counted and returns one figure whose result is pass only when
every check held. They run in the harness process (ORM broker; settings already loaded) and
start real `manage.py qcluster` processes where a worker is involved.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from .backends import read_counts
from .common import empty_queue
from .delivery import broker_env, start_cluster, stop_cluster
from .report import Figure


def _say(text: str) -> None:
    print("  " + text, flush=True)


def _queue(order_ids, *, milestone: str, channel: str, recipient) -> list[int]:
    """One queued row per order, committed, then enqueued as the product enqueues a backlog."""
    from django.utils import timezone

    from notifications import services
    from notifications.models import Notification

    now = timezone.now()
    if channel == "whatsapp":  # as the product writes a WhatsApp row: for a customer who opted in (checked again at delivery)
        from orders.models import Order

        Order.objects.filter(pk__in=order_ids).update(
            whatsapp_opt_in=True, whatsapp_opt_in_source="storefront", whatsapp_opt_in_at=now)
    rows = Notification.objects.bulk_create([
        Notification(order_id=pk, milestone=milestone, channel=channel, recipient=recipient(pk),
                     status="queued", next_attempt_at=now)
        for pk in order_ids
    ])
    ids = [row.pk for row in rows]
    services.enqueue_deliveries(ids)  # as the product enqueues a backlog: one task per 50 rows
    return ids


def _new_orders(count: int) -> list[int]:
    from orders.models import Order

    from .common import bulk_orders

    first = (Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    bulk_orders(count)
    return list(Order.objects.filter(pk__gte=first).order_by("pk").values_list("pk", flat=True)[:count])


def _statuses(ids) -> dict[str, int]:
    from django.db.models import Count

    from notifications.models import Notification

    return dict(Notification.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("pk")))


def _wait(predicate, *, timeout: float, every: float = 0.2, cluster=None, tick=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if cluster is not None and cluster.poll() is not None:
            raise RuntimeError("the qcluster process exited on its own")
        if tick is not None:
            tick()
        time.sleep(every)
    return predicate()


CHANNEL_WORDS = {"email": "emails", "sms": "SMS", "whatsapp": "WhatsApp messages"}


def _phone(pk: int) -> str:
    """A valid Argentine mobile number of its own for each order (the providers' stubs key on it)."""
    return f"+54911{pk % 10**8:08d}"


# Short claim and grace period so the drills recover in seconds rather than minutes.
DRILL_ENV = {"NOTIFICATION_CLAIM_SECONDS": "10", "NOTIFICATION_REQUEUE_AFTER_SECONDS": "10"}


def _scheduler_tick():
    """Smoke runs only: do every second what the cluster's scheduler does every 30 s (run the due
    one-off retry schedules) and what the sweep schedule does every minute, so a drill lasts seconds."""
    from django.test import override_settings
    from django_q.brokers import get_broker
    from django_q.scheduler import scheduler

    from notifications import services

    scheduler(broker=get_broker())
    # The drills' own grace period (the cluster's environment has it; this process would use 300 s).
    with override_settings(NOTIFICATION_REQUEUE_AFTER_SECONDS=int(DRILL_ENV["NOTIFICATION_REQUEUE_AFTER_SECONDS"])):
        services.requeue_stale()


# --- worker crash ------------------------------------------------------------------------------


def crash(count: int, *, smoke: bool, channel: str = "email") -> list[Figure]:
    """`count` queued emails (or WhatsApp messages); kill -9 the whole cluster mid-delivery; start it
    again; count."""
    from notifications.models import Notification

    from .providers import whatsapp_ready

    empty_queue()
    count_file = Path(f"/tmp/bench-drill-crash-{channel}-{os.getpid()}.count")
    count_file.write_text("")
    env = {**broker_env("orm"), "BENCH_COUNT_FILE": str(count_file), **DRILL_ENV, "Q_POLL": "0.1"}
    if channel == "whatsapp":
        whatsapp_ready(credits=count)
        env["WHATSAPP_BACKEND"] = "bench.backends.CountingWhatsAppBackend"
        recipient = _phone
    else:
        env["EMAIL_BACKEND"] = "bench.backends.CountingEmailBackend"
        recipient = lambda pk: f"crash{pk}@example.com"  # noqa: E731
    ids = _queue(_new_orders(count), milestone="order_placed", channel=channel, recipient=recipient)
    rows = Notification.objects.filter(pk__in=ids)
    kill_at = max(2, count // 3)
    log = open("/tmp/bench-qcluster-crash.log", "w")
    cluster = start_cluster(env, log)
    t0 = time.monotonic()
    try:
        if not _wait(lambda: len(read_counts(count_file)) >= kill_at, timeout=120, every=0.02, cluster=cluster):
            raise RuntimeError(f"fewer than {kill_at} delivered in 120 s; see {log.name}")
        os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait()
    finally:
        stop_cluster(cluster, hard=True)
    killed_after = time.monotonic() - t0
    at_kill = read_counts(count_file)
    sent_at_kill = rows.filter(status="sent").count()
    claimed_at_kill = rows.filter(status="queued", locked_until__isnull=False).count()
    _say(f"crash: killed the cluster (SIGKILL to its process group) after {killed_after:.1f} s: "
         f"{len(at_kill)} had reached the backend, {sent_at_kill} marked sent, {claimed_at_kill} claimed mid-send")

    cluster = start_cluster(env, log)
    t1 = time.monotonic()
    try:
        done = _wait(lambda: not rows.filter(status="queued").exists(), timeout=60 if smoke else 300,
                     every=0.5 if smoke else 1, cluster=cluster, tick=_scheduler_tick if smoke else None)
    finally:
        stop_cluster(cluster)
        log.close()
    recovered = time.monotonic() - t1
    counts = read_counts(count_file)
    count_file.unlink()
    if channel == "whatsapp":  # the WhatsApp backend counts by number: back to the rows' ids
        row_of = {recipient: str(pk) for pk, recipient in rows.values_list("pk", "recipient")}
        counts = {row_of.get(key, key): n for key, n in counts.items()}
    statuses = _statuses(ids)
    ours = {str(pk) for pk in ids}
    strays = set(counts) - ours
    counts = {k: n for k, n in counts.items() if k in ours}
    duplicates = {k: n for k, n in counts.items() if n > 1}
    lost = [pk for pk in ids if str(pk) not in counts]
    retried = rows.filter(attempts__gt=1).count()
    ok = done and statuses == {"sent": count} and not duplicates and not lost
    note = (f"{count:,} {CHANNEL_WORDS[channel]} queued; cluster killed after {len(at_kill):,} deliveries ({claimed_at_kill} rows claimed "
            f"mid-send); restarted, all done {recovered:.1f} s later; {sum(counts.values()):,} messages reached "
            f"the backend for {len(counts):,} notifications: {len(duplicates)} sent twice, {len(lost)} never sent; "
            f"statuses {statuses}; {retried} rows needed a second attempt"
            + (f"; {len(strays)} other messages" if strays else ""))
    _say("crash: " + note)
    name = "drill: worker crash (kill -9)" + ("" if channel == "email" else ": WhatsApp")
    return [Figure(name, f"{len(counts) - len(duplicates):,} of {count:,} sent once",
                   baseline=f"{len(duplicates)} duplicates, {len(lost)} lost", bar="all sent exactly once",
                   passed=ok, notes=[note])]


# --- provider outage ---------------------------------------------------------------------------


def _ledger_matches_balance() -> tuple[bool, str]:
    from django.db.models import Sum

    from billing.models import CreditAccount, LedgerEntry

    account = CreditAccount.objects.get()
    sums = dict(LedgerEntry.objects.values_list("bucket").annotate(total=Sum("amount")))
    monthly, purchased = sums.get("monthly", 0), sums.get("purchased", 0)
    ok = account.monthly_remaining == monthly and account.purchased == purchased
    return ok, (f"balance {account.monthly_remaining} monthly + {account.purchased} purchased; "
                f"ledger sums {monthly} + {purchased}")


def outage(count: int, outage_seconds: int, *, smoke: bool, channel: str = "sms") -> list[Figure]:
    """`count` queued SMS through the Twilio backend (or WhatsApp messages through the Cloud API
    backend) while the stub answers 503 (Meta: 131000), then recovers."""
    from billing import services as billing
    from billing.models import LedgerEntry
    from notifications.models import Notification

    from .providers import CloudApiStub, TwilioStub, whatsapp_ready

    empty_queue()
    billing.set_up()
    billing.top_up(amount=4 * count, by=None, reference="bench outage drill")
    if channel == "whatsapp":
        whatsapp_ready(credits=0)
    retry_base = 1 if smoke else 2
    max_attempts = 3 if smoke else 5
    with (CloudApiStub if channel == "whatsapp" else TwilioStub)(outage_seconds) as stub:
        env = {
            **broker_env("orm"),
            **stub.env(),
            # Short retries for the drill: 2, 4, 8, 16 s apart (django-q2's scheduler looks every 15 s).
            "NOTIFICATION_RETRY_BASE_SECONDS": str(retry_base),
            "NOTIFICATION_MAX_ATTEMPTS": str(max_attempts),
            "Q_POLL": "0.1",
        }
        orders = _new_orders(count)
        ids = _queue(orders, milestone="order_placed", channel=channel, recipient=_phone)
        rows = Notification.objects.filter(pk__in=ids)
        log = open(f"/tmp/bench-qcluster-outage-{channel}.log", "w")
        cluster = start_cluster(env, log)
        t0 = time.monotonic()
        try:
            done = _wait(lambda: not rows.filter(status="queued").exists(),
                         timeout=outage_seconds + (90 if smoke else 240), every=0.5 if smoke else 1,
                         cluster=cluster, tick=_scheduler_tick if smoke else None)
        finally:
            stop_cluster(cluster)
            log.close()
        elapsed = time.monotonic() - t0
    statuses = _statuses(ids)
    sent = set(rows.filter(status="sent").values_list("pk", flat=True))
    failed = set(rows.filter(status="failed").values_list("pk", flat=True))
    charges = LedgerEntry.objects.filter(kind="charge", notification_id__in=ids)
    outstanding = dict.fromkeys(ids, 0)
    for pk in charges.filter(refund__isnull=True).values_list("notification_id", flat=True):
        outstanding[pk] += 1
    charged = set(charges.values_list("notification_id", flat=True))
    sent_paid_once = all(outstanding[pk] == 1 for pk in sent)
    failed_refunded = all(outstanding[pk] == 0 for pk in failed) and failed <= charged
    balance_ok, balance_note = _ledger_matches_balance()
    twice = sum(1 for n in stub.accepted.values() if n > 1)
    ok = (done and set(statuses) <= {"sent", "failed"} and sum(statuses.values()) == count and sent_paid_once
          and failed_refunded and balance_ok and twice == 0 and sum(stub.accepted.values()) == len(sent))
    attempts = sorted(rows.values_list("attempts", flat=True))
    note = (f"{count} {CHANNEL_WORDS[channel]} queued; the stub answered 503 for {outage_seconds} s "
            f"({stub.unavailable} times), "
            f"then took {sum(stub.accepted.values())}; all settled in {elapsed:.0f} s: {len(sent)} sent (each paid "
            f"once: {sent_paid_once}), {len(failed)} failed (each refunded: {failed_refunded}); {twice} sent twice; "
            f"attempts {attempts[0] if attempts else 0}-{attempts[-1] if attempts else 0}; {balance_note}")
    _say("outage: " + note)
    name = "drill: SMS provider outage" if channel == "sms" else "drill: WhatsApp provider outage"
    return [Figure(name, f"{len(sent)} sent, {len(failed)} failed", bar="sent or refunded; "
                   "balance = ledger", baseline=f"{outage_seconds} s of 503", passed=ok, notes=[note])]
