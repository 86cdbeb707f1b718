"""Writing the outbox row of a kind of message an app registered (notifications/app_kinds.py): one
email, sent, retried and logged like every other row."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..kinds import registered_kinds
from ..models import Channel, Notification
from ..outbox import NOTIFICATIONS
from .common import Status


@dataclass
class Recorded:
    """What record_message() did: the row written (None if none was), and the queued row that is why
    none was, if one is on its way."""

    row: Notification | None
    on_its_way: Notification | None = None


def record_message(code: str, *, order=None, source: str = "", subject: str = "", body: str = "",
                   language: str = "", again: bool = False) -> Recorded:
    """Write the row of the registered kind `code` about `order` (or about `source`, for what is no
    order: "platform-event:12"), enqueued once the transaction commits; call it inside the caller's.

    Once per order (or source): a second call writes nothing. With `again` (staff asked to send it
    once more), a new row beside the last one (`resent_from`), unless one is still queued: two clicks
    send one message, and a later one sends it again. `subject` and `body` are written on the row,
    for a kind that sends them as they are.
    """
    kind = registered_kinds()[code]
    with transaction.atomic():
        row = _row(kind, code, order=order, source=source, subject=subject, body=body, language=language)
        inserted = Notification.objects.insert_new([row])
        if not inserted and again:
            inserted = _again(row)
        if not inserted:
            return Recorded(None, _queued(row))
        NOTIFICATIONS.enqueue_after_commit([r.pk for r in inserted if r.status == Status.QUEUED])
    return Recorded(inserted[0])


def _row(kind, code: str, *, order, source: str, subject: str, body: str, language: str) -> Notification:
    row = Notification(
        order=order, milestone=code, channel=Channel.EMAIL, source=source, subject=subject[:300], body=body,
        language=language,
    )
    row.recipient, skip_reason = kind.address(row)
    row.status = Status.SKIPPED if skip_reason else Status.QUEUED
    row.reason_code = skip_reason or ""
    row.next_attempt_at = None if skip_reason else timezone.now()
    return row


def _same(row: Notification):
    rows = Notification.objects.filter(milestone=row.milestone, channel=row.channel)
    if row.order_id is not None:
        return rows.filter(order_id=row.order_id)
    return rows.filter(order__isnull=True, checkout__isnull=True, source=row.source)


def _latest(row: Notification) -> Notification | None:
    """The last row of the same message, locked until the transaction ends."""
    return _same(row).order_by("-created_at", "-id").select_for_update(of=("self",)).first()


def _queued(row: Notification) -> Notification | None:
    return _same(row).filter(status=Status.QUEUED).order_by("-created_at", "-id").first()


def _again(row: Notification) -> list[Notification]:
    """The row once more, beside the last one; none while one is queued. The last row is locked
    first, then the queued ones read afresh: a second click waits for the first and finds its row."""
    latest = _latest(row)
    if latest is None or _queued(row) is not None:
        return []
    row.resent_from = latest
    return Notification.objects.insert_new([row])


def on_its_way(code: str, *, order=None, source: str = "") -> Notification | None:
    """The queued row of the registered kind `code` about `order` (or `source`), if one is waiting."""
    return _queued(Notification(order=order, milestone=code, channel=Channel.EMAIL, source=source))
