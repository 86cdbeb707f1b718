"""Writing the outbox rows: a milestone's, a rule's, a checkout's recovery message, and the
fallback channel's; enqueued once the transaction commits (NOTIFICATIONS.enqueue_after_commit)."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ..defaults import MILESTONE_CHANNELS
from ..kinds import kind_of
from ..models import RULE, Channel, Milestone, MilestoneSetting, Notification, NotificationRule, RuleFiring
from ..outbox import NOTIFICATIONS
from ..reasons import UNREACHABLE, Reason
from .common import Status
from .recipients import active_rules, customer_address, milestone_setting, platform_sends_email


# One delivery task per 50 rows, sent in turn; no django-q2 success result is kept for it (the row
# is the record, and keeping one result per message made the cluster's monitor prune the result
# table once per message). Failed tasks are still kept.
enqueue_deliveries = NOTIFICATIONS.enqueue


def _enqueue(rows: list[Notification]) -> None:
    """Enqueue the rows written in the current transaction that are due now, together (one broker
    write per call), so that their task runs once it commits: with the ORM broker the task row is
    written in the same transaction (NOTIFICATIONS.enqueue_after_commit). A delayed rule's rows wait
    for their one-off schedule (_write)."""
    NOTIFICATIONS.enqueue_after_commit([row.pk for row in rows if _due_now(row)])


def _due_now(row: Notification) -> bool:
    return row.status == Status.QUEUED and not kind_of(row).delayed(row)


def _outbox_row(order, milestone: str, channel: str, *, notify_customer: bool, fallback_for: str = "",
                checkout=None, refund=None) -> Notification:
    """The outbox row (not saved) telling the order's (or checkout's) customer of a milestone on a channel.

    Queued when the channel can reach the customer; otherwise skipped, with the reason. A
    checkout's row (checkout recovery) has no order.
    """
    row = Notification(
        order=order, checkout=checkout, refund=refund, milestone=milestone, channel=channel,
        fallback_for=fallback_for,
    )
    kind = kind_of(row)
    row.recipient, skip_reason = kind.address(row)
    if not kind.to_staff(row):
        if not notify_customer:
            skip_reason = Reason.NOT_NOTIFIED
        elif channel == Channel.EMAIL and platform_sends_email(kind.about(row), milestone):
            skip_reason = Reason.SENT_BY_PLATFORM
    row.status = Status.SKIPPED if skip_reason else Status.QUEUED
    row.reason_code = skip_reason or ""
    row.next_attempt_at = None if skip_reason else timezone.now()
    return row


def _write(rows: list[Notification]) -> list[Notification]:
    """Insert the rows not written before (one statement); returns those inserted. A delayed rule's
    queued row gets its one-off schedule here; the others are the caller's to enqueue (_enqueue)."""
    inserted = Notification.objects.insert_new(rows)
    for row in inserted:
        if row.status == Status.QUEUED and not _due_now(row):
            # A delayed rule's row waits: a one-off schedule (written in this transaction) runs the task when due.
            NOTIFICATIONS.schedule_retry(row.pk, row.next_attempt_at, attempt=1)
    return inserted


def record_milestone(order, milestone: str, *, notify_customer: bool = True, checkout=None,
                     refund=None) -> list[Notification]:
    """Write the outbox rows of a milestone for an order (call it inside the order's transaction).

    One row per enabled channel, in one statement; a row already written for (order, milestone,
    channel) is left alone, so a repeated signal never sends twice. A `refunded` message is about
    one refund (`refund`): its rows are once per (refund, channel), so every refund tells the
    customer. Channels that cannot reach the customer are logged as skipped and the milestone's
    fallback channel, if any, is tried instead. The queued rows are enqueued together, in one task,
    once the transaction commits.
    """
    setting = milestone_setting(milestone)
    allowed = MILESTONE_CHANNELS.get(milestone, ())
    rows = _write([
        _outbox_row(order, milestone, channel, notify_customer=notify_customer, checkout=checkout, refund=refund)
        for channel in setting.enabled_channels
        if channel in allowed
    ])
    fallbacks = [
        fallback for fallback in (
            _fallback_row(row, setting) for row in rows
            if row.status == Status.SKIPPED and row.reason_code in UNREACHABLE
        )
        if fallback is not None
    ]
    if fallbacks:
        rows += _write(fallbacks)
    _enqueue(rows)
    return rows


def record_checkout_recovery(checkout) -> list[Notification]:
    """Write the outbox rows of a checkout's recovery message (call it in the sender's transaction).

    One row per channel the staff enabled for `checkout_recovery`; never a second one for the
    same checkout and channel.
    """
    return record_milestone(None, Milestone.CHECKOUT_RECOVERY, checkout=checkout)


def record_rules(
    order, *, status_type: str, from_status, to_status, notify_customer: bool = True
) -> list[Notification]:
    """Write the outbox rows of the active rules this status change triggers (inside its transaction).

    status_type "order": from_status/to_status are the order's status codes (from None: a new
    order); a custom type: the CustomStatus objects (from None: the order had none of that type).
    One row per (order, rule, channel), ever: a repeated change never sends twice. Rules have no
    fallback channel.

    The rules kept per process only say whether any rule may fire (most changes fire none, and
    then no query is made); those that may are read again, so a rule turned off or deleted a
    moment ago in another process never fires.
    """
    candidates = [
        rule.pk for rule in active_rules()
        if rule.fires_on(status_type, from_status, to_status) and rule.matches(order)
    ]
    if not candidates:
        return []
    rows = []
    for rule in NotificationRule.objects.active().filter(pk__in=candidates).prefetch_related("carriers"):
        if rule.fires_on(status_type, from_status, to_status) and rule.matches(order):
            notification = _record_rule(order, rule, notify_customer=notify_customer)
            if notification is not None:
                rows.append(notification)
    _enqueue(rows)  # one task for the change's rows
    return rows


def _record_rule(order, rule: NotificationRule, *, notify_customer: bool) -> Notification | None:
    """The rule's row for the order (written, not enqueued), or None if it fired for it before."""
    # The lasting record comes first: the log rows go after 5 days, the promise of "once" does not.
    _firing, first = RuleFiring.objects.get_or_create(rule=rule, order=order, channel=rule.channel)
    if not first:
        return None
    recipient, skip_reason = customer_address(order, rule.channel)
    if not notify_customer:
        skip_reason = Reason.NOT_NOTIFIED
    due = timezone.now() + timedelta(minutes=rule.delay_minutes)
    row = Notification(
        order=order, rule=rule, milestone=RULE, channel=rule.channel, recipient=recipient,
        status=Status.SKIPPED if skip_reason else Status.QUEUED, reason_code=skip_reason or "",
        next_attempt_at=None if skip_reason else due,
    )
    inserted = _write([row])
    return inserted[0] if inserted else None


def _fallback_row(notification: Notification, setting: MilestoneSetting | None = None) -> Notification | None:
    """The row (not saved) on the milestone's fallback channel for a row that could not reach the customer."""
    if not kind_of(notification).falls_back:
        return None  # a rule says its one channel
    setting = setting or milestone_setting(notification.milestone)
    channel = setting.fallback_channel
    if (
        not channel
        or channel == notification.channel
        or notification.fallback_for
        or channel not in MILESTONE_CHANNELS.get(notification.milestone, ())
    ):
        return None
    return _outbox_row(
        notification.order, notification.milestone, channel, notify_customer=True, fallback_for=notification.channel,
        checkout=notification.checkout, refund=notification.refund,
    )


def _fallback(notification: Notification, setting: MilestoneSetting | None = None) -> Notification | None:
    """Try the milestone's fallback channel for a row that could not reach the customer: the new row, if written."""
    row = _fallback_row(notification, setting)
    if row is None:
        return None
    inserted = _write([row])
    _enqueue(inserted)
    return inserted[0] if inserted else None
