"""The outbox engine: the lifecycle of a row of outbound work, whatever the work is.

Outbound work (a customer's message, a storefront's webhook) is written as a row in the same
transaction as the change it tells of, and done later by a worker: a rolled-back change leaves
no row and sends nothing, and a committed one is never lost. The engine owns what happens to the
row from then on; the app owns what the work is (how to send it, what to log).

A kind of row is a concrete model extending `outbox.models.OutboxRow` and one `OutboxKind`
subclass naming its model, its tasks and its settings (read at each call, so a changed setting
counts at once):

    class DeliveryOutbox(OutboxKind):
        model = Delivery
        label, rows_label, task_group = "webhook", "webhook deliveries", "webhooks"
        deliver_task = "webhooks.tasks.deliver_webhook"           # called with one row id
        message_field = "error"                                    # where the row logs why
        carried_fields = ("response_status", ...)                  # copied from the row on finish/retry
        claim_seconds_setting = "WEBHOOK_CLAIM_SECONDS"
        max_attempts_setting = "WEBHOOK_MAX_ATTEMPTS"
        retry_delays_setting = "WEBHOOK_RETRY_DELAYS"              # or retry_base_setting: doubling
        requeue_after_setting = "WEBHOOK_REQUEUE_AFTER_SECONDS"
        retention_days_setting = "WEBHOOK_RETENTION_DAYS"
        sweep_schedule = Periodic("webhooks: re-enqueue overdue deliveries", "webhooks.tasks.sweep_queued_webhooks")
        purge_schedule = Periodic("webhooks: purge old deliveries", "webhooks.tasks.purge_webhook_deliveries",
                                  at=time(3, 45))
        ...

    WEBHOOKS = DeliveryOutbox()

The life of a row, and the operation that moves it:

- written `queued` with `next_attempt_at` (due), then `enqueue_after_commit(ids)`: the delivery
  task runs only once the transaction commits (with OUTBOX_ENQUEUE_IN_TRANSACTION, on with the ORM
  broker on the default database, the task row is written in the transaction itself, for kinds
  that allow it; otherwise on commit; outbox/checks.py warns when the setting and the broker disagree).
- `claim(id)` / `claim_batch(ids)`: a conditional UPDATE (queued, no live claim, due) marks the
  row held until `now + claim seconds` and counts the attempt; only the caller whose UPDATE took
  the row does the work, so a task run twice, or twice at once, does it once. A batch is locked
  with `SELECT ... FOR UPDATE SKIP LOCKED` first (on PostgreSQL), so two workers split it.
  `release(ids)` hands claimed rows back unspent.
- `finish(row, status, **fields)`: a final status (sent, delivered, failed, skipped...), the claim
  and the due time cleared.
- `retry_later(row, message)`: the row stays queued, due after the kind's backoff
  (`retry_delay()`), and a one-off django-q2 schedule runs the task then; False once the attempts
  are used up (the caller fails the row). `attempts_lost(row)`: the row was claimed more often than
  allowed without reporting back (workers that died mid-send).
- `requeue_stale()`: the sweep, every minute: queued rows overdue by the grace period (a process
  that died between commit and enqueue, a lost schedule, an expired claim) are enqueued again.
- `purge()`: daily, rows older than the retention are deleted in batches, each batch in its own
  transaction (a `before_delete(ids)` hook runs in it: counts kept, children deleted).
- `register_schedules()`: the sweep and purge schedules, by name, after `migrate`
  (`outbox.schedules`).

This app imports nothing of the project's: the apps import it.
"""
from __future__ import annotations

import logging
from datetime import time, timedelta
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import schedules
from .models import QUEUED

logger = logging.getLogger(__name__)


def enqueues_in_transaction() -> bool:
    """Whether a delivery task may be written in the rows' own transaction: the
    OUTBOX_ENQUEUE_IN_TRANSACTION setting (on with the ORM broker on the default database), and
    not in django-q2's sync mode (Q_CLUSTER "sync", the test settings), where an enqueued task runs
    at once, before the commit."""
    from django_q.conf import Conf

    return settings.OUTBOX_ENQUEUE_IN_TRANSACTION and not Conf.SYNC


class Periodic(NamedTuple):
    """A periodic schedule of a kind: its name (how it is found again after each migrate), its task,
    and for a daily one the time of day (the store's clock)."""

    name: str
    task: str
    at: time | None = None


class OutboxKind:
    """The lifecycle operations of one kind of outbox row; subclasses name the model, tasks and settings."""

    model = None
    # "notification": task names ("notification-12") and retry schedule names ("notification 12 attempt 2").
    label = ""
    # What the log lines call the rows ("notifications", "webhook deliveries").
    rows_label = ""
    task_group = ""
    # The delivery task: called with one id; with a list of ids when a batch task is named.
    deliver_task = ""
    deliver_many_task = ""
    # Rows per delivery task (1: one task a row).
    batch_size = 1
    # False: django-q2 keeps no success result for a delivery task (the row is the record).
    keep_task_results = True
    # True: with the ORM broker on this database, the task row is written in the rows' own
    # transaction (one commit, no window between the rows' commit and the task's).
    enqueue_in_transaction = False
    # The row's field that logs why it failed, was skipped or waits for a retry; with a
    # `code_field` too, the code says why and the message field holds the detail.
    message_field = "error"
    code_field = ""
    # Fields the worker set on the row instance that are saved with its final status or retry.
    carried_fields: tuple[str, ...] = ()

    # Settings, by name.
    claim_seconds_setting = ""
    max_attempts_setting = ""
    # Backoff: a list of delays (the last repeats), or a base that doubles at each attempt.
    retry_delays_setting = ""
    retry_base_setting = ""
    max_retry_delay_seconds = 6 * 60 * 60
    requeue_after_setting = ""
    retention_days_setting = ""

    # Purge: rows deleted per transaction; whether queued rows outlive the retention.
    purge_batch_size = 5000
    purge_keeps_queued = False

    # Periodic schedules, registered after migrate: the sweep every `sweep_every_minutes`, the purge daily
    # (none: the rows are kept).
    sweep_schedule: Periodic = None
    sweep_every_minutes = 1
    purge_schedule: Periodic = None

    # --- settings ----------------------------------------------------------------------------

    def _setting(self, name: str):
        return getattr(settings, name)

    @property
    def claim_seconds(self) -> int:
        return self._setting(self.claim_seconds_setting)

    @property
    def max_attempts(self) -> int:
        return self._setting(self.max_attempts_setting)

    def retry_delay(self, attempts: int) -> int:
        """Seconds to wait after the `attempts`-th attempt failed."""
        if self.retry_delays_setting:
            delays = self._setting(self.retry_delays_setting) or [60]
            return int(delays[min(attempts, len(delays)) - 1])
        return min(self._setting(self.retry_base_setting) * 2 ** (attempts - 1), self.max_retry_delay_seconds)

    @property
    def rows(self):
        return self.model._default_manager

    # --- enqueueing --------------------------------------------------------------------------

    def enqueue(self, ids) -> None:
        """One delivery task per `batch_size` rows (written to the broker now)."""
        from django_q.tasks import async_task

        options = {"group": self.task_group}
        if not self.keep_task_results:
            options["save"] = False
        ids = list(ids)
        for start in range(0, len(ids), self.batch_size):
            chunk = ids[start:start + self.batch_size]
            if len(chunk) == 1 or not self.deliver_many_task:
                for pk in chunk:
                    async_task(self.deliver_task, pk, task_name=f"{self.label}-{pk}", **options)
            else:
                async_task(self.deliver_many_task, chunk, task_name=f"{self.label}s-{chunk[0]}-{len(chunk)}",
                           **options)

    def enqueue_after_commit(self, ids) -> None:
        """Enqueue rows written in the current transaction so that their task runs once it commits.

        With OUTBOX_ENQUEUE_IN_TRANSACTION (the ORM broker on the default database) and
        `enqueue_in_transaction`, the task row is written in the same transaction: it commits, or
        rolls back, with the outbox rows. Otherwise the broker is
        written to after the commit; `robust`: a broker that is down must not break the request
        (the sweep re-enqueues).
        """
        ids = list(ids)
        if not ids:
            return
        if (
            self.enqueue_in_transaction and transaction.get_connection().in_atomic_block
            and enqueues_in_transaction()
        ):
            self.enqueue(ids)
        else:
            transaction.on_commit(partial(self.enqueue, ids), robust=True)

    # --- claiming ----------------------------------------------------------------------------

    def _claimable(self, now):
        return (
            self.rows.filter(status=QUEUED)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        )

    def _claim_fields(self, now) -> dict:
        return {"locked_until": now + timedelta(seconds=self.claim_seconds), "attempts": F("attempts") + 1}

    def claim(self, pk) -> bool:
        """Take one queued, due, unclaimed row for this worker (one UPDATE); False if another has it."""
        now = timezone.now()
        return bool(self._claimable(now).filter(pk=pk).update(**self._claim_fields(now)))

    def claim_batch(self, ids) -> list:
        """Take those of the rows that are queued, due and unclaimed: locked (skipping rows another
        worker is claiming), then marked, in one short transaction. Returns the ids taken."""
        now = timezone.now()
        with transaction.atomic():
            claimed = list(
                self._claimable(now).select_for_update(skip_locked=True).filter(pk__in=list(ids))
                .values_list("pk", flat=True)
            )
            self.rows.filter(pk__in=claimed).update(**self._claim_fields(now))
        return claimed

    def release(self, ids) -> None:
        """Give back rows this worker claimed but did not work on (the attempt is not spent)."""
        self.rows.filter(pk__in=list(ids), status=QUEUED).update(locked_until=None, attempts=F("attempts") - 1)

    def attempts_lost(self, row) -> bool:
        """Claimed more often than the attempts allowed: earlier attempts never reported back."""
        return row.attempts > self.max_attempts

    # --- outcomes ----------------------------------------------------------------------------

    def _carried(self, row) -> dict:
        return {name: getattr(row, name) for name in self.carried_fields}

    def _message_fields(self) -> tuple[str, ...]:
        return (self.code_field, self.message_field) if self.code_field else (self.message_field,)

    def finish(self, row, status: str, **fields) -> str:
        """Give a claimed row its final status (the message and code fields empty unless given), claim
        and due time cleared."""
        for name in self._message_fields():
            fields.setdefault(name, "")
        self.rows.filter(pk=row.pk).update(
            status=status, locked_until=None, next_attempt_at=None, **self._carried(row),
            updated_at=timezone.now(), **fields,
        )
        row.status = status
        for name in self._message_fields():
            setattr(row, name, fields[name])
        return status

    def retry_later(self, row, message: str, *, code: str = "") -> bool:
        """Keep a claimed row queued, due after the backoff, with a one-off schedule to run it then.

        False (nothing written) when the row has had all its attempts: the caller fails it.
        """
        if row.attempts >= self.max_attempts:
            return False
        now = timezone.now()
        when = now + timedelta(seconds=self.retry_delay(row.attempts))
        written = {self.message_field: message, **({self.code_field: code} if self.code_field else {})}
        self.rows.filter(pk=row.pk).update(
            **written, locked_until=None, next_attempt_at=when, **self._carried(row), updated_at=now,
        )
        for name, value in written.items():
            setattr(row, name, value)
        self.schedule_retry(row.pk, when, attempt=row.attempts + 1)
        return True

    def schedule_retry(self, pk, when, *, attempt: int) -> None:
        """A one-off django-q2 schedule that runs the delivery task again at `when` (deleted once run)."""
        from django_q.models import Schedule

        Schedule.objects.create(
            name=f"{self.label} {pk} attempt {attempt}"[:100],
            func=self.deliver_task,
            args=repr(pk),
            schedule_type=Schedule.ONCE,
            repeats=-1,
            next_run=when,
        )

    # --- periodic jobs -----------------------------------------------------------------------

    def requeue_stale(self, *, now=None, limit: int = 1000) -> int:
        """Enqueue again the queued rows whose delivery is overdue by the grace period."""
        now = now or timezone.now()
        overdue = now - timedelta(seconds=self._setting(self.requeue_after_setting))
        ids = list(
            self.rows.filter(status=QUEUED)
            .filter(Q(next_attempt_at__lte=overdue) | Q(next_attempt_at__isnull=True, created_at__lte=overdue))
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        # The grace period starts again: a long queue is not flooded with the same row every minute.
        self.rows.filter(pk__in=ids, status=QUEUED).update(next_attempt_at=now)
        self.enqueue(ids)
        if ids:
            logger.info("Re-enqueued %s overdue %s", len(ids), self.rows_label)
        return len(ids)

    def purge(self, *, now=None, batch_size: int | None = None, before_delete=None) -> int:
        """Delete rows older than the retention, batch by batch, each batch in its own transaction
        (locked, `before_delete(ids)` called, deleted); returns how many were deleted."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=self._setting(self.retention_days_setting))
        batch_size = batch_size or self.purge_batch_size
        deleted = 0
        while True:
            with transaction.atomic():
                old = self.rows.select_for_update().filter(created_at__lt=cutoff)
                if self.purge_keeps_queued:
                    old = old.exclude(status=QUEUED)
                ids = list(old.order_by("pk").values_list("pk", flat=True)[:batch_size])
                if not ids:
                    break
                if before_delete is not None:
                    before_delete(ids)
                self.rows.filter(pk__in=ids).delete()
            deleted += len(ids)
        if deleted:
            logger.info("Purged %s %s older than %s", deleted, self.rows_label, cutoff)
        return deleted

    def periodic_schedules(self) -> dict[str, dict]:
        """The sweep (every `sweep_every_minutes`) and the daily purge (at `purge_schedule.at`, store time);
        a kind without a `purge_schedule` keeps its rows (records such as payment links)."""
        from django_q.models import Schedule

        periodic = {
            self.sweep_schedule.name: {
                "func": self.sweep_schedule.task,
                "schedule_type": Schedule.MINUTES,
                "minutes": self.sweep_every_minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        }
        if self.purge_schedule is not None:
            periodic[self.purge_schedule.name] = {
                "func": self.purge_schedule.task,
                "schedule_type": Schedule.DAILY,
                "minutes": None,
                "repeats": -1,
                "next_run": schedules.next_local(self.purge_schedule.at or time(3, 30)),
            }
        return periodic

    def register_schedules(self, using: str = DEFAULT_DB_ALIAS) -> None:
        """Create or update the kind's periodic schedules (idempotent)."""
        schedules.register(self.periodic_schedules(), using=using)
