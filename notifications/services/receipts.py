"""The providers' delivery reports (receipts): a sent message followed to delivered and read, or to
undelivered / failed with the provider's reason, on any channel.

`apply_receipt()` is the one way a report reaches a log row: the email provider's tracking events
(tracking.py) and the SMS provider's status callbacks (hooks.py) call it.

- A report is kept once per event key (ReceiptEvent): the same report posted again changes nothing.
  Without a key of the provider's, the key is (channel, message id, state): one report per state.
- A row only moves forward: sent < undelivered/failed < delivered < read. A failure reported after
  delivered or read is ignored; a delivered report after a failure is taken (the provider's later
  word), so reports that arrive out of order end in the same status. Between two failures the first
  one stays.
- A failure (undelivered, failed) after sending sets the row's status and reason, tries the
  milestone's fallback channel once and gives the credits back once, unless the provider charged
  for the attempt (`provider_charges`).
- A report for a message id no row has yet (the id is written just after the send, with the rest of
  the worker's batch) waits, and is applied when the id is written, or by the sweep.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Notification, ReceiptEvent
from ..reasons import Reason
from .common import Status
from .outcomes import _refund
from .recording import _fallback

logger = logging.getLogger(__name__)

STATES = (Status.SENT, Status.DELIVERED, Status.READ, Status.UNDELIVERED, Status.FAILED)
FAILURES = frozenset({Status.UNDELIVERED, Status.FAILED})
# How far each status is along the way; a report moves a row only to a higher rank. Queued and
# skipped rows are not reported on (a queued row is not sent yet; a skipped one never is).
_RANK = {Status.SENT: 1, Status.UNDELIVERED: 2, Status.FAILED: 2, Status.DELIVERED: 3, Status.READ: 4}
_DEFAULT_REASON = {Status.UNDELIVERED: Reason.UNDELIVERED, Status.FAILED: Reason.PROVIDER_FAILED}
# A waiting report is looked for again by the sweep for this long (the id is written within a
# worker's batch, NOTIFICATION_BATCH_SECONDS); then it stays until the purge.
WAITING_WINDOW = timedelta(minutes=15)


def apply_receipt(
    *, channel: str, provider_message_id: str, state: str, at: datetime, reason_code: str = "", detail: str = "",
    provider_charges: bool = False, event_key: str = "",
) -> bool:
    """Apply a provider's delivery report to the row of (channel, provider_message_id), once.

    `state` is one of STATES; `at` when the provider says it happened; `reason_code` (a
    notifications.reasons code) and `detail` (the provider's words) tell a failure; `event_key`
    the provider's id of the report (duplicates are recognised by it). Returns True when a row changed.
    """
    if state not in STATES:
        raise ValueError(f"unknown delivery report state {state!r}; expected one of {', '.join(STATES)}")
    if reason_code and reason_code not in Reason.values:
        raise ValueError(f"unknown reason code {reason_code!r}")
    if not provider_message_id:
        return False
    provider_message_id = str(provider_message_id)[:200]
    key = f"{channel}:{event_key or f'{provider_message_id}:{state}'}"[:255]
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = ReceiptEvent.objects.create(
                    event_key=key, channel=channel, event_type=state, message_id=provider_message_id,
                    reported_at=at, reason_code=reason_code, detail=detail[:1000], provider_charges=provider_charges,
                )
        except IntegrityError:
            return False  # the provider posted this report before
        row = _locked_row(channel, provider_message_id)
        if row is None:
            # No row has this id yet (or ever: a message sent by something else): it waits.
            ReceiptEvent.objects.filter(pk=event.pk).update(applied=False)
            return False
        return _apply(row, event)


def apply_waiting_receipts(message_ids=None, *, now=None) -> int:
    """Apply the reports that came before their row had the message id: those of `message_ids`
    (ids a worker just wrote), or all of the last WAITING_WINDOW (the sweep). Returns how many rows changed."""
    waiting = ReceiptEvent.objects.filter(applied=False)
    if message_ids is not None:
        message_ids = [str(message_id) for message_id in message_ids if message_id]
        if not message_ids:
            return 0
        waiting = waiting.filter(message_id__in=message_ids)
    else:
        waiting = waiting.filter(received_at__gte=(now or timezone.now()) - WAITING_WINDOW)
    changed = 0
    for pk in waiting.order_by("reported_at", "pk").values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            event = ReceiptEvent.objects.select_for_update().filter(pk=pk, applied=False).first()
            if event is None:
                continue  # another process applied it meanwhile
            row = _locked_row(event.channel, event.message_id)
            if row is None:
                continue
            ReceiptEvent.objects.filter(pk=pk).update(applied=True)
            changed += _apply(row, event)
    return changed


def _locked_row(channel: str, provider_message_id: str) -> Notification | None:
    # order is nullable (a checkout's row): lock the notification row only, not the outer join.
    return (
        Notification.objects.select_for_update(of=("self",)).select_related("order", "checkout")
        .filter(channel=channel, provider_message_id=provider_message_id).order_by("pk").first()
    )


def _apply(row: Notification, event: ReceiptEvent) -> bool:
    state = event.event_type
    if row.status not in _RANK or _RANK[state] <= _RANK[row.status]:
        return False  # not sent, or the row already went as far (duplicates, late or lesser reports)
    row.status = state
    row.reported_at = event.reported_at or timezone.now()
    if state in FAILURES:
        row.reason_code = event.reason_code or _DEFAULT_REASON[state]
        row.reason_detail = event.detail
    else:  # delivered or read after all: a failure reported before no longer stands
        row.reason_code, row.reason_detail = "", ""
    row.save(update_fields=["status", "reported_at", "reason_code", "reason_detail", "updated_at"])
    if state in FAILURES:
        if not event.provider_charges:
            _refund(row)
        _fallback(row)
    logger.info("Notification %s: %s (%s)", row.pk, state, row.channel)
    return True
