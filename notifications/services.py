"""Milestone and rule notifications: write the outbox rows, deliver them, retry, sweep, purge.

The flow (see DESIGN.md):
1. A receiver of an orders signal calls `record_milestone()` inside the order's transaction:
   one `Notification` row per enabled channel (the outbox, one INSERT ... ON CONFLICT DO
   NOTHING), and one delivery task for the transaction's rows, enqueued so that it runs only
   after the commit (with the ORM broker, written in the same transaction; with others, on
   commit). A rolled-back change leaves nothing.
   Staff-made notification rules (`record_rules()`) and the checkout recovery message
   (`record_checkout_recovery()`) write rows to the same outbox, delivered the same way.
2. The worker calls `deliver()`: it claims the row (a conditional UPDATE on `status=queued`
   and an expired claim), so a task that runs twice, or twice at once, sends once.
3. Transient failures are retried with exponential backoff: the row stays `queued` with
   `next_attempt_at` set, and a one-off django-q2 schedule runs the task again at that time.
   The periodic sweep re-enqueues any queued row overdue by the grace period (a process
   that died between commit and enqueue, a lost schedule), so nothing is lost silently.
4. A daily purge deletes rows older than the retention, in batches, adding each batch to
   `DailyNotificationCount` in the same transaction that deletes it.
"""
from __future__ import annotations

import hashlib
import logging
import smtplib
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from functools import lru_cache, partial

import phonenumbers
from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.template import TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import to_python as to_phone_number

from orders.models import Status as OrderStatus

from .backends import PermanentError, PushMessage, SmsMessage, SubscriptionGone, TransientError
from .backends import get_push_backend, get_sms_backend
from .defaults import DEFAULT_SWITCHES, MILESTONE_CHANNELS
from .models import (
    RULE,
    Channel,
    DailyNotificationCount,
    EmailTrackingEvent,
    Milestone,
    MilestoneSetting,
    Notification,
    NotificationRule,
    PurchaseExperienceChange,
    PushSubscription,
    RuleFiring,
)
from .rendering import TemplateMissing, cached, render_for_checkout, render_for_order, render_for_rule

logger = logging.getLogger(__name__)

Status = Notification.Status

DELIVER_TASK = "notifications.tasks.deliver_notification"
# How long a worker holds a claimed row by default; longer than any backend's network timeout
# (settings.NOTIFICATION_CLAIM_SECONDS).
CLAIM_SECONDS = 120
# Rows sent by one delivery task (a backlog, a transaction's rows): fewer tasks, less broker work.
DELIVERY_BATCH = 50
DELIVER_MANY_TASK = "notifications.tasks.deliver_notifications"
PURGE_BATCH_SIZE = 5000
MAX_RETRY_DELAY_SECONDS = 6 * 60 * 60

NOT_NOTIFIED = _("not notified at staff's request")
SENT_BY_PLATFORM = _("sent by the store platform")
NO_EMAIL = _("no email address")
NO_MOBILE = _("no valid mobile number")
NO_PUSH = _("no push subscription")
NO_CREDITS = _("no SMS credits")
SMS_TOO_LONG = _("the SMS would take %(segments)s segments; the limit is %(limit)s")
GAVE_UP = _("gave up after %(attempts)s attempts: %(error)s")
NO_TEMPLATE = _("the message template cannot be used: %(error)s")
BOUNCED = _("the email bounced: %(detail)s")
REJECTED = _("the email provider rejected it: %(detail)s")
CHECKOUT_RECOVERED = _("the checkout was recovered")
RULE_TURNED_OFF = _("the rule was turned off before the message was due")
MOVED_ON = _("the order is no longer “%(status)s”: it moved on before the delay passed")
CANCELLED_MEANWHILE = _("the order was cancelled before the delay passed")

# Reasons that mean "this channel cannot reach the customer": the milestone's fallback is used.
UNREACHABLE = {NO_EMAIL, NO_MOBILE, NO_PUSH}

# Order status reached -> milestone told to the customer.
STATUS_MILESTONES = {
    "preparing": Milestone.PREPARING,
    "shipped": Milestone.SHIPPED,
    "ready_for_pickup": Milestone.READY_FOR_PICKUP,
    "finalized": Milestone.FINALIZED,
    "cancelled": Milestone.CANCELLED,
}


def _text(message, **params) -> str:
    """A reason as stored in the log: in the store's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


# --- settings -------------------------------------------------------------------------------


def milestone_setting(milestone: str) -> MilestoneSetting:
    """The milestone's switches (read once per NOTIFICATION_CACHE_SECONDS per process). Do not change it."""
    return cached(("milestone_setting", milestone), lambda: MilestoneSetting.objects.get_or_create(
        milestone=milestone, defaults=DEFAULT_SWITCHES.get(milestone, {})
    )[0])


def active_rules() -> list[NotificationRule]:
    """The active notification rules with their carriers (read once per NOTIFICATION_CACHE_SECONDS
    per process, like the switches: every status change looks at them). Do not change them."""
    return cached(("active_rules",), lambda: list(
        NotificationRule.objects.active().prefetch_related("carriers")
    ))


def all_milestone_settings() -> list[MilestoneSetting]:
    existing = {s.milestone: s for s in MilestoneSetting.objects.all()}
    return [existing.get(m) or milestone_setting(m) for m in Milestone.values]


# --- addresses ------------------------------------------------------------------------------


def mobile_number(phone) -> str:
    """The number in E.164 if it is a valid mobile number (SMS can reach it), else ''."""
    if not phone:
        return ""
    number = to_phone_number(phone)
    if not isinstance(number, phonenumbers.PhoneNumber) or not phonenumbers.is_valid_number(number):
        return ""
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def customer_address(order, channel: str) -> tuple[str, str | None]:
    """(recipient, None) when the channel can reach the customer, else ('', reason)."""
    if channel == Channel.EMAIL:
        return (order.customer_email, None) if order.customer_email else ("", _text(NO_EMAIL))
    if channel == Channel.SMS:
        number = mobile_number(order.customer_phone)
        return (number, None) if number else ("", _text(NO_MOBILE))
    endpoints = list(order.push_subscriptions.values_list("endpoint", flat=True))
    return (" ".join(endpoints)[:500], None) if endpoints else ("", _text(NO_PUSH))


def checkout_address(checkout, channel: str) -> tuple[str, str | None]:
    """Like customer_address, for a checkout's customer (a checkout has no push subscription)."""
    if channel == Channel.EMAIL:
        return (checkout.customer_email, None) if checkout.customer_email else ("", _text(NO_EMAIL))
    if channel == Channel.SMS:
        number = mobile_number(checkout.customer_phone)
        return (number, None) if number else ("", _text(NO_MOBILE))
    return "", _text(NO_PUSH)


def platform_sends_email(order, milestone: str) -> bool:
    """Whether the storefront's platform emails this milestone itself (order or checkout)."""
    storefront = order.storefront
    return storefront is not None and milestone in (storefront.emails_sent_by_platform or [])


# --- the outbox -----------------------------------------------------------------------------


def enqueue_deliveries(notification_ids) -> None:
    """One delivery task per DELIVERY_BATCH rows; the task sends them in turn.

    A delivery task's success is not kept as a django-q2 result (`save=False`): the row is the
    record, and keeping one result per message made the cluster's monitor prune the result
    table once per message. Failed tasks are still kept.
    """
    from django_q.tasks import async_task

    ids = list(notification_ids)
    for start in range(0, len(ids), DELIVERY_BATCH):
        chunk = ids[start:start + DELIVERY_BATCH]
        if len(chunk) == 1:
            async_task(DELIVER_TASK, chunk[0], task_name=f"notification-{chunk[0]}", group="notifications",
                       save=False)
        else:
            async_task(DELIVER_MANY_TASK, chunk, task_name=f"notifications-{chunk[0]}-{len(chunk)}",
                       group="notifications", save=False)


_collecting = threading.local()


def _broker_shares_transaction() -> bool:
    """Whether django-q2's broker is the ORM broker on this database, outside sync mode."""
    from django_q.conf import Conf

    return (
        Conf.ORM == DEFAULT_DB_ALIAS and not Conf.SYNC
        and not (Conf.BROKER_CLASS or Conf.IRON_MQ or isinstance(Conf.SQS, dict))
    )


def _enqueue_after_commit(notification_ids: list[int]) -> None:
    """Enqueue the delivery of rows written in the current transaction, to run once it commits.

    With the ORM broker the task row is written in the same transaction: it commits, or rolls
    back, with the outbox rows (one commit instead of two, and no window in which the rows are
    committed but their task is not yet). Other brokers are written to after the commit;
    `robust`: a broker that is down must not break the staff's request (the sweep re-enqueues).
    """
    if transaction.get_connection().in_atomic_block and _broker_shares_transaction():
        enqueue_deliveries(notification_ids)
    else:
        transaction.on_commit(partial(enqueue_deliveries, notification_ids), robust=True)


def _enqueue_delivery(notification_id: int) -> None:
    """Enqueue a row written in the current transaction (see _enqueue_after_commit)."""
    if getattr(_collecting, "ids", None) is not None:
        _collecting.ids.append(notification_id)  # inside one_task(): enqueued with the others
        return
    _enqueue_after_commit([notification_id])


@contextmanager
def one_task():
    """The rows recorded inside are enqueued together, in one task, once the transaction commits
    (one broker write per transaction instead of one per row). Usable as a decorator."""
    if getattr(_collecting, "ids", None) is not None:  # nested: the outermost one enqueues
        yield
        return
    _collecting.ids = []
    try:
        yield
        ids = _collecting.ids
    finally:
        _collecting.ids = None
    if ids:
        _enqueue_after_commit(ids)


def _outbox_row(order, milestone: str, channel: str, *, notify_customer: bool, fallback_for: str = "",
                checkout=None) -> Notification:
    """The outbox row (not saved) telling the order's (or checkout's) customer of a milestone on a channel.

    Queued when the channel can reach the customer; otherwise skipped, with the reason. A
    checkout's row (checkout recovery) has no order.
    """
    skip_reason = None
    if milestone == Milestone.NEW_ORDER:
        recipient = settings.STORE_EMAIL
        if not recipient:
            skip_reason = _text(NO_EMAIL)
    else:
        about = checkout if checkout is not None else order
        if checkout is not None:
            recipient, skip_reason = checkout_address(checkout, channel)
        else:
            recipient, skip_reason = customer_address(order, channel)
        if not notify_customer:
            skip_reason = _text(NOT_NOTIFIED)
        elif channel == Channel.EMAIL and platform_sends_email(about, milestone):
            skip_reason = _text(SENT_BY_PLATFORM)
    return Notification(
        order=order, checkout=checkout, milestone=milestone, channel=channel, recipient=recipient,
        status=Status.SKIPPED if skip_reason else Status.QUEUED, reason=skip_reason or "",
        fallback_for=fallback_for, next_attempt_at=None if skip_reason else timezone.now(),
    )


def _write(rows: list[Notification]) -> list[Notification]:
    """Insert the rows not written before (one statement) and enqueue the queued ones; returns those inserted."""
    inserted = Notification.objects.insert_new(rows)
    for row in inserted:
        if row.status != Status.QUEUED:
            continue
        if row.rule_id and row.rule.delay_minutes:
            # A delayed rule's row waits: a one-off schedule (written in this transaction) runs the task when due.
            schedule_retry(row.pk, row.next_attempt_at, attempt=1)
        else:
            _enqueue_delivery(row.pk)
    return inserted


@one_task()
def record_milestone(order, milestone: str, *, notify_customer: bool = True, checkout=None) -> list[Notification]:
    """Write the outbox rows of a milestone for an order (call it inside the order's transaction).

    One row per enabled channel, in one statement; a row already written for (order, milestone,
    channel) is left alone, so a repeated signal never sends twice. Channels that cannot reach
    the customer are logged as skipped and the milestone's fallback channel, if any, is tried
    instead.
    """
    setting = milestone_setting(milestone)
    allowed = MILESTONE_CHANNELS.get(milestone, ())
    rows = _write([
        _outbox_row(order, milestone, channel, notify_customer=notify_customer, checkout=checkout)
        for channel in setting.enabled_channels
        if channel in allowed
    ])
    unreachable = _unreachable_texts()
    fallbacks = [
        fallback for fallback in (
            _fallback_row(row, setting) for row in rows
            if row.status == Status.SKIPPED and row.reason in unreachable
        )
        if fallback is not None
    ]
    if fallbacks:
        rows += _write(fallbacks)
    return rows


def record_checkout_recovery(checkout) -> list[Notification]:
    """Write the outbox rows of a checkout's recovery message (call it in the sender's transaction).

    One row per channel the staff enabled for `checkout_recovery`; never a second one for the
    same checkout and channel.
    """
    return record_milestone(None, Milestone.CHECKOUT_RECOVERY, checkout=checkout)


@one_task()
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
            notification, created = _record_rule(order, rule, notify_customer=notify_customer)
            if created:
                rows.append(notification)
    return rows


def _record_rule(order, rule: NotificationRule, *, notify_customer: bool):
    # The lasting record comes first: the log rows go after 5 days, the promise of "once" does not.
    _firing, first = RuleFiring.objects.get_or_create(rule=rule, order=order, channel=rule.channel)
    if not first:
        return None, False
    recipient, skip_reason = customer_address(order, rule.channel)
    if not notify_customer:
        skip_reason = _text(NOT_NOTIFIED)
    due = timezone.now() + timedelta(minutes=rule.delay_minutes)
    row = Notification(
        order=order, rule=rule, milestone=RULE, channel=rule.channel, recipient=recipient,
        status=Status.SKIPPED if skip_reason else Status.QUEUED, reason=skip_reason or "",
        next_attempt_at=None if skip_reason else due,
    )
    inserted = _write([row])
    return (inserted[0], True) if inserted else (None, False)


def _unreachable_texts() -> frozenset[str]:
    return _unreachable_texts_in(settings.LANGUAGE_CODE)


@lru_cache(maxsize=8)
def _unreachable_texts_in(language: str) -> frozenset[str]:
    with translation.override(language):
        return frozenset(str(reason) for reason in UNREACHABLE)


def _fallback_row(notification: Notification, setting: MilestoneSetting | None = None) -> Notification | None:
    """The row (not saved) on the milestone's fallback channel for a row that could not reach the customer."""
    if notification.rule_id:
        return None  # a rule says its one channel; it has no fallback
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
        checkout=notification.checkout,
    )


def _fallback(notification: Notification, setting: MilestoneSetting | None = None) -> Notification | None:
    """Try the milestone's fallback channel for a row that could not reach the customer: the new row, if written."""
    row = _fallback_row(notification, setting)
    if row is None:
        return None
    inserted = _write([row])
    return inserted[0] if inserted else None


# --- delivery -------------------------------------------------------------------------------


def _claim_seconds() -> int:
    return getattr(settings, "NOTIFICATION_CLAIM_SECONDS", CLAIM_SECONDS)


def deliver_many(notification_ids) -> dict[str, int]:
    """Send many queued rows (one task for a backlog or a transaction's rows), like deliver() each.

    The rows are claimed together (locked, then marked, in one short transaction, so no other
    worker claims them meanwhile) and read with one query; then each is sent in turn, and a row
    that raises does not stop the rest. Returns how many reached each status.
    """
    ids = list(notification_ids)
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Status.QUEUED)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=claimed).update(
            locked_until=now + timedelta(seconds=_claim_seconds()), attempts=F("attempts") + 1
        )
    reached: dict[str, int] = {"None": len(ids) - len(claimed)} if len(claimed) < len(ids) else {}
    # Stop well before the task's timeout and the rows' claim run out (a slow provider): the rest
    # is released and handed to a new task, never left to a second worker while this one sends.
    deadline = time.monotonic() + min(settings.NOTIFICATION_BATCH_SECONDS, _claim_seconds() / 2)
    _provider_ids.pending = []
    try:
        rows = list(_for_delivery().filter(pk__in=claimed).order_by("pk"))
        for index, notification in enumerate(rows):
            if index and time.monotonic() > deadline:  # at least one row per task: always progress
                reached["deferred"] = _hand_over([row.pk for row in rows[index:]])
                break
            try:
                status = _deliver_claimed(notification)
            except Exception:  # left claimed: sent again once the claim expires (the sweep enqueues it)
                logger.exception("Notification %s could not be delivered", notification.pk)
                status = "error"
            reached[str(status)] = reached.get(str(status), 0) + 1
    finally:
        pending, _provider_ids.pending = _provider_ids.pending, None
        _write_provider_ids(pending)
    return reached


def _hand_over(notification_ids: list[int]) -> int:
    """Release rows this worker claimed but did not send (the attempt is not spent); enqueue them anew."""
    Notification.objects.filter(pk__in=notification_ids, status=Status.QUEUED).update(
        locked_until=None, attempts=F("attempts") - 1
    )
    enqueue_deliveries(notification_ids)
    return len(notification_ids)


def deliver(notification_id: int) -> str | None:
    """Send one queued notification. Returns the status it reached, or None if there was nothing to do.

    Safe to call any number of times, at once or in turn: only the caller that claims the
    queued row sends it.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, status=Status.QUEUED)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(locked_until=now + timedelta(seconds=_claim_seconds()), attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return _deliver_claimed(_for_delivery().get(pk=notification_id))


def _for_delivery():
    return Notification.objects.select_related("order", "order__carrier", "order__storefront", "checkout", "rule")


def _deliver_claimed(notification: Notification) -> str:
    """Send a row this worker has claimed (status queued, attempts counted); returns the status reached."""
    notification_id = notification.pk
    if notification.attempts > settings.NOTIFICATION_MAX_ATTEMPTS:
        # Earlier attempts never reported back (a worker died while sending).
        return _fail(notification, _text(GAVE_UP, attempts=notification.attempts - 1, error=notification.reason))
    no_longer_due = _no_longer_due(notification)
    if no_longer_due:
        return _finish(notification, Status.SKIPPED, reason=no_longer_due)

    language = _language(notification)
    notification.language = language
    try:
        message = _render(notification, language)
        notification.subject = message.subject[:300]
        notification.body = message.body
        if notification.channel == Channel.SMS:
            refused = _charge_sms(notification)
            if refused is not None:
                return refused
            provider_id = _send_marked(notification, partial(_send_sms, notification))
        elif notification.channel == Channel.PUSH:
            provider_id = _send_push(notification, message)
        else:
            provider_id = _send_marked(notification, partial(_send_email, notification, message))
    except (TemplateMissing, TemplateSyntaxError) as error:
        return _fail(notification, _text(NO_TEMPLATE, error=error))
    except PermanentError as error:
        return _fail(notification, str(error))
    except TransientError as error:
        return _retry_or_fail(notification, str(error))
    except Exception as error:  # an unexpected error is retried like a transient one, then recorded
        logger.exception("Notification %s could not be sent", notification_id)
        return _retry_or_fail(notification, f"{type(error).__name__}: {error}")
    if notification.status == Status.SENT:  # marked in the send's own transaction
        if provider_id:
            _keep_provider_id(notification, provider_id)
        return Status.SENT
    return _finish(notification, Status.SENT, provider_message_id=provider_id or "", sent_at=timezone.now())


def _send_marked(notification: Notification, send) -> str:
    """Call send() (one provider call) in a transaction that has already marked the row sent.

    The mark commits right after the provider took the message, so a worker killed in between
    (kill -9, out of memory) cannot leave a sent message queued, to be sent again once its claim
    expires; an error rolls the mark back. On SQLite a transaction would lock the whole database
    during the provider call, so there the row is marked after it, as before.
    """
    if transaction.get_connection().vendor != "postgresql":
        return send()
    reason = notification.reason
    with transaction.atomic():
        _finish(notification, Status.SENT, sent_at=timezone.now())
        try:
            provider_id = send()
        except BaseException:
            notification.status, notification.reason = Status.QUEUED, reason
            raise
    return provider_id


_provider_ids = threading.local()


def _keep_provider_id(notification: Notification, provider_id: str) -> None:
    """Record the provider's message id of a row already marked sent: at once, or with the rest of
    the batch in one statement inside deliver_many() (a worker that dies first loses only the ids)."""
    notification.provider_message_id = provider_id
    pending = getattr(_provider_ids, "pending", None)
    if pending is not None:
        pending.append((notification.pk, provider_id))
    else:
        Notification.objects.filter(pk=notification.pk).update(provider_message_id=provider_id)


def _write_provider_ids(pending: list) -> None:
    """The batch's provider message ids in one UPDATE ... FROM (VALUES ...)."""
    _execute_with_values(
        Notification,
        "UPDATE {table} SET provider_message_id = ids.provider_message_id "
        "FROM (VALUES {values}) AS ids (id, provider_message_id) WHERE {table}.id = ids.id",
        "(CAST(%s AS BIGINT), %s)", pending,
    )


def _execute_with_values(model, sql: str, row: str, rows: list) -> None:
    """One statement for many rows, on PostgreSQL and SQLite alike: `sql` with `{table}` (the model's
    table) and `{values}` (one `row` placeholder per row, comma-separated). Nothing is run for no rows."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table, values=", ".join([row] * len(rows))),
                       [value for values in rows for value in values])


def _language(notification: Notification) -> str:
    if notification.milestone == Milestone.NEW_ORDER:
        return settings.LANGUAGE_CODE
    if notification.checkout_id:
        return notification.checkout.language
    return notification.order.language


def _render(notification: Notification, language: str):
    if notification.rule_id:
        return render_for_rule(notification.order, rule=notification.rule, language=language)
    if notification.checkout_id:
        return render_for_checkout(
            notification.checkout, milestone=notification.milestone, channel=notification.channel, language=language
        )
    return render_for_order(
        notification.order, milestone=notification.milestone, channel=notification.channel, language=language
    )


def _no_longer_due(notification: Notification) -> str | None:
    """Why a queued row must not be sent any more (the reason logged), or None to send it.

    A checkout recovered since the row was written; a rule turned off; a delayed rule's order
    that has left the status the rule is about (or, for a custom status, was cancelled).
    """
    if notification.checkout_id:
        checkout = notification.checkout
        if checkout.status == checkout.Status.RECOVERED or checkout.order_id:
            return _text(CHECKOUT_RECOVERED)
        return None
    rule = notification.rule
    if rule is None:
        return None
    if not rule.active:
        return _text(RULE_TURNED_OFF)
    if rule.delay_minutes and not _still_in_rule_status(notification.order, rule):
        with translation.override(settings.LANGUAGE_CODE):
            return _text(MOVED_ON, status=rule.status_label("to"))
    if rule.delay_minutes and not rule.is_core and notification.order.status == OrderStatus.CANCELLED:
        # A cancelled order keeps its custom statuses: "out for delivery" no longer holds.
        return _text(CANCELLED_MEANWHILE)
    return None


def _still_in_rule_status(order, rule: NotificationRule) -> bool:
    if rule.is_core:
        return order.status == rule.to_status
    from orders.models import OrderCustomStatus

    return OrderCustomStatus.objects.filter(
        order=order, type=rule.status_type, status_id=rule.to_custom_status_id
    ).exists()


def _log_label(notification: Notification) -> str:
    """What a notification is about, for the SMS ledger: milestone or rule, and order or checkout."""
    if notification.checkout_id:
        return f"{notification.milestone} {notification.checkout.external_id}"
    if notification.rule_id:
        return f"{notification.rule.name} {notification.order.number}"
    return f"{notification.milestone} {notification.order.number}"


def _finish(notification: Notification, status: str, *, reason: str = "", **fields) -> str:
    Notification.objects.filter(pk=notification.pk).update(
        status=status,
        reason=reason,
        locked_until=None,
        next_attempt_at=None,
        language=notification.language,
        subject=notification.subject,
        body=notification.body,
        updated_at=timezone.now(),
        **fields,
    )
    notification.status = status
    notification.reason = reason
    return status


def _fail(notification: Notification, reason: str) -> str:
    _finish(notification, Status.FAILED, reason=reason)
    if notification.channel == Channel.SMS:
        _refund_sms(notification, reason)
    _fallback(notification)
    return Status.FAILED


def _retry_or_fail(notification: Notification, error: str) -> str:
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        return _fail(notification, _text(GAVE_UP, attempts=notification.attempts, error=error))
    delay = min(settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1), MAX_RETRY_DELAY_SECONDS)
    next_attempt_at = timezone.now() + timedelta(seconds=delay)
    Notification.objects.filter(pk=notification.pk).update(
        reason=error, locked_until=None, next_attempt_at=next_attempt_at, language=notification.language,
        subject=notification.subject, body=notification.body, updated_at=timezone.now(),
    )
    schedule_retry(notification.pk, next_attempt_at, attempt=notification.attempts + 1)
    return Status.QUEUED


def schedule_retry(notification_id: int, when, *, attempt: int) -> None:
    """A one-off django-q2 schedule that runs the delivery task again at `when` (deleted once run)."""
    from django_q.models import Schedule

    Schedule.objects.create(
        name=f"notification {notification_id} attempt {attempt}"[:100],
        func=DELIVER_TASK,
        args=repr(notification_id),
        schedule_type=Schedule.ONCE,
        repeats=-1,
        next_run=when,
    )


# --- channels -------------------------------------------------------------------------------


def _charge_sms(notification: Notification) -> str | None:
    """Pay the SMS with credits. Returns the final status if it must not be sent, else None."""
    from billing import services as billing
    from billing.sms import count_segments

    segments = count_segments(notification.body).segments
    if segments > billing.MAX_SMS_SEGMENTS:
        return _fail(notification, _text(SMS_TOO_LONG, segments=segments, limit=billing.MAX_SMS_SEGMENTS))
    try:
        billing.charge_sms(
            segments=segments,
            notification_id=notification.pk,
            reason=_log_label(notification),
        )
    except billing.InsufficientCredits:
        _finish(notification, Status.SKIPPED, reason=_text(NO_CREDITS))
        _fallback(notification)
        return Status.SKIPPED
    except billing.MessageTooLong as error:
        _finish(notification, Status.FAILED, reason=str(error))
        _fallback(notification)
        return Status.FAILED
    return None


def _refund_sms(notification: Notification, reason: str) -> None:
    from billing import services as billing

    billing.refund_sms(notification_id=notification.pk, reason=reason[:200])


def _send_sms(notification: Notification) -> str:
    message = SmsMessage(to=notification.recipient, body=notification.body)
    with get_sms_backend() as backend:
        backend.send_messages([message])
    return message.provider_message_id


def _send_push(notification: Notification, rendered) -> str:
    subscriptions = list(notification.order.push_subscriptions.all())
    if not subscriptions:
        raise PermanentError(_text(NO_PUSH))
    payload = {
        "title": rendered.subject,
        "body": rendered.body,
        "url": rendered.url or notification.order.get_timeline_url(),
        "tag": f"{notification.order.number}-{notification.milestone}"
        + (f"-{notification.rule_id}" if notification.rule_id else ""),
    }
    if settings.STORE_LOGO_URL:
        payload["icon"] = settings.STORE_LOGO_URL
    sent_ids, transient, permanent = [], None, None
    with get_push_backend() as backend:
        for subscription in subscriptions:
            message = PushMessage(subscription_info=subscription.as_subscription_info(), payload=payload)
            try:
                backend.send_messages([message])
            except SubscriptionGone as error:
                subscription.delete()
                permanent = error
            except PermanentError as error:
                permanent = error
            except TransientError as error:
                transient = error
            else:
                sent_ids.append(message.provider_message_id)
    if sent_ids:
        # Several browsers may follow the order: it counts as sent once any took it.
        return sent_ids[0]
    raise transient or permanent


def _send_email(notification: Notification, rendered) -> str:
    order = notification.order
    reply_to = []
    if notification.milestone == Milestone.NEW_ORDER:
        reply_to = [order.customer_email] if order.customer_email else []
    elif settings.STORE_EMAIL and settings.STORE_EMAIL != settings.DEFAULT_FROM_EMAIL:
        reply_to = [settings.STORE_EMAIL]
    email = EmailMultiAlternatives(
        subject=rendered.subject, body=rendered.body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient], reply_to=reply_to,
    )
    if rendered.html_body:
        email.attach_alternative(rendered.html_body, "text/html")
    # Read by anymail backends (ignored by Django's own).
    email.tags = [notification.milestone]
    if notification.checkout_id:
        email.metadata = {"notification_id": str(notification.pk), "checkout": notification.checkout.external_id}
    else:
        email.metadata = {"notification_id": str(notification.pk), "order": order.number}
    try:
        email.send()
    except AnymailRecipientsRefused as error:
        raise PermanentError(str(error)) from error
    except AnymailAPIError as error:
        status = getattr(error, "status_code", None)
        if status is None or status == 429 or status >= 500:
            raise TransientError(str(error)) from error
        raise PermanentError(str(error)) from error
    except AnymailError as error:
        raise PermanentError(str(error)) from error
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        raise PermanentError(str(error)) from error
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            raise PermanentError(str(error)) from error
        raise TransientError(str(error)) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(str(error)) from error
    status = getattr(email, "anymail_status", None)
    message_id = getattr(status, "message_id", None) if status is not None else None
    return "" if message_id is None else str(message_id)[:200]


# --- staff actions --------------------------------------------------------------------------


def resend(notification_ids) -> int:
    """Queue failed notifications again (an SMS is paid again). Returns how many were queued."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), status=Status.FAILED)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Status.QUEUED, reason="", attempts=0, provider_message_id="", sent_at=None,
            next_attempt_at=timezone.now(), locked_until=None, delivery_status="", delivery_status_at=None,
            updated_at=timezone.now(),
        )
        for pk in ids:
            _enqueue_delivery(pk)
    return len(ids)


def update_purchase_experience(*, by, switches: dict, fallbacks: dict, platform_emails: dict | None = None) -> int:
    """Save the purchase experience page; log each change with who made it. Returns how many changed.

    switches: {milestone: {channel: bool}}; fallbacks: {milestone: channel or ""};
    platform_emails: {storefront: [milestone, ...]} (the emails that storefront's platform sends).
    """
    changes = []
    on, off = _text(_("on")), _text(_("off"))
    all_milestone_settings()  # rows exist for every milestone
    with transaction.atomic():
        for setting in MilestoneSetting.objects.select_for_update().filter(milestone__in=list(switches) + list(fallbacks)):
            milestone_label = _text(Milestone(setting.milestone).label)
            fields = []
            for channel, enabled in switches.get(setting.milestone, {}).items():
                if channel not in MILESTONE_CHANNELS.get(setting.milestone, ()):
                    continue
                if getattr(setting, channel) != bool(enabled):
                    changes.append(PurchaseExperienceChange(
                        changed_by=by, setting=f"{milestone_label} · {_text(Channel(channel).label)}",
                        old_value=on if getattr(setting, channel) else off, new_value=on if enabled else off,
                    ))
                    setattr(setting, channel, bool(enabled))
                    fields.append(channel)
            if setting.milestone in fallbacks:
                fallback = fallbacks[setting.milestone] or ""
                if fallback != setting.fallback_channel:
                    changes.append(PurchaseExperienceChange(
                        changed_by=by, setting=f"{milestone_label} · {_text(_('fallback channel'))}",
                        old_value=_text(Channel(setting.fallback_channel).label) if setting.fallback_channel else off,
                        new_value=_text(Channel(fallback).label) if fallback else off,
                    ))
                    setting.fallback_channel = fallback
                    fields.append("fallback_channel")
            if fields:
                setting.save(update_fields=[*fields, "updated_at"])
        for storefront, milestones in (platform_emails or {}).items():
            milestones = sorted(set(milestones))
            before = sorted(storefront.emails_sent_by_platform or [])
            if milestones != before:
                changes.append(PurchaseExperienceChange(
                    changed_by=by,
                    setting=_text(_("Emails %(storefront)s's platform sends"), storefront=storefront.name),
                    old_value=", ".join(before) or off, new_value=", ".join(milestones) or off,
                ))
                storefront.emails_sent_by_platform = milestones
                storefront.save(update_fields=["emails_sent_by_platform"])
        PurchaseExperienceChange.objects.bulk_create(changes)
    return len(changes)


# --- periodic jobs --------------------------------------------------------------------------


def requeue_stale(*, now=None, limit: int = 1000) -> int:
    """Enqueue again the queued rows whose delivery is overdue by the grace period."""
    now = now or timezone.now()
    overdue = now - timedelta(seconds=settings.NOTIFICATION_REQUEUE_AFTER_SECONDS)
    ids = list(
        Notification.objects.filter(status=Status.QUEUED)
        .filter(Q(next_attempt_at__lte=overdue) | Q(next_attempt_at__isnull=True, created_at__lte=overdue))
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    # The grace period starts again: a long queue is not flooded with the same row every minute.
    Notification.objects.filter(pk__in=ids, status=Status.QUEUED).update(next_attempt_at=now)
    enqueue_deliveries(ids)
    if ids:
        logger.info("Re-enqueued %s overdue notifications", len(ids))
    return len(ids)


def purge_log(*, now=None, batch_size: int = PURGE_BATCH_SIZE) -> int:
    """Delete log rows older than the retention, batch by batch; returns how many were deleted.

    Each batch is counted into DailyNotificationCount (per local day, milestone, channel and
    status) in the same transaction that deletes it, so the counts stay exact after the rows are gone.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NOTIFICATION_LOG_RETENTION_DAYS)
    tz = timezone.get_current_timezone()
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Notification.objects.select_for_update()
                .filter(created_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            counts = (
                Notification.objects.filter(pk__in=ids)
                .annotate(day=TruncDate("created_at", tzinfo=tz))
                .values("day", "milestone", "channel", "status")
                .annotate(n=Count("pk"))
                .order_by()
            )
            _add_daily_counts(counts)
            Notification.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    while True:
        ids = list(EmailTrackingEvent.objects.filter(received_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        EmailTrackingEvent.objects.filter(pk__in=ids).delete()
    if deleted:
        logger.info("Purged %s notification log rows older than %s", deleted, cutoff)
    return deleted


def _add_daily_counts(counts) -> None:
    """Add a batch's counts to DailyNotificationCount in one statement."""
    _execute_with_values(
        DailyNotificationCount,
        "INSERT INTO {table} (day, milestone, channel, status, count) VALUES {values} "
        "ON CONFLICT (day, milestone, channel, status) DO UPDATE SET count = {table}.count + EXCLUDED.count",
        "(%s, %s, %s, %s, %s)",
        [(row["day"], row["milestone"], row["channel"], row["status"], row["n"]) for row in counts],
    )


# --- email tracking (anymail webhooks) ------------------------------------------------------


def apply_tracking_event(event, esp_name: str = "") -> bool:
    """Record an ESP's delivered / bounced / complained report on the email's row, once per event.

    Returns True when a row was updated.
    """
    from anymail.signals import EventType

    handled = {EventType.DELIVERED, EventType.BOUNCED, EventType.COMPLAINED, EventType.REJECTED}
    if event.event_type not in handled or not event.message_id:
        return False
    key = event.event_id or hashlib.sha256(
        f"{esp_name}|{event.event_type}|{event.message_id}|{event.timestamp}|{event.recipient}".encode()
    ).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                EmailTrackingEvent.objects.create(
                    event_key=f"{esp_name}:{key}"[:255], event_type=event.event_type,
                    message_id=str(event.message_id)[:200],
                )
        except IntegrityError:
            return False  # the provider posted this event before
        notification = (
            # order is nullable (a checkout's row): lock the notification row only, not the outer join.
            Notification.objects.select_for_update(of=("self",)).select_related("order")
            .filter(channel=Channel.EMAIL, provider_message_id=str(event.message_id)).first()
        )
        if notification is None:
            return False
        when = event.timestamp or timezone.now()
        detail = event.description or event.mta_response or event.reject_reason or ""
        DeliveryStatus = Notification.DeliveryStatus
        if event.event_type == EventType.DELIVERED:
            if notification.delivery_status:
                return False  # a bounce or complaint already said more
            notification.delivery_status = DeliveryStatus.DELIVERED
        elif event.event_type == EventType.COMPLAINED:
            notification.delivery_status = DeliveryStatus.COMPLAINED
        else:
            bounced = event.event_type == EventType.BOUNCED
            notification.delivery_status = DeliveryStatus.BOUNCED if bounced else DeliveryStatus.REJECTED
            notification.status = Status.FAILED
            notification.reason = _text(BOUNCED if bounced else REJECTED, detail=detail)[:1000]
        notification.delivery_status_at = when
        notification.save(update_fields=["delivery_status", "delivery_status_at", "status", "reason", "updated_at"])
        if notification.status == Status.FAILED:
            _fallback(notification)
    return True


# --- push subscriptions ------------------------------------------------------------------------

MAX_PUSH_DEVICES_PER_ORDER = 10


class TooManyPushDevices(Exception):
    """The order already has MAX_PUSH_DEVICES_PER_ORDER browsers subscribed."""


def subscribe_push(order, *, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> bool:
    """Store a browser's push subscription for the order, or renew its keys (idempotent).

    Returns whether the subscription is new. A new browser beyond MAX_PUSH_DEVICES_PER_ORDER
    raises TooManyPushDevices; one already subscribed may always renew. The subscription is
    checked by the caller (timeline/push.py): an https endpoint of a push service and valid keys.
    """
    existing = PushSubscription.objects.filter(order=order, endpoint=endpoint)
    if not existing.exists() and PushSubscription.objects.filter(order=order).count() >= MAX_PUSH_DEVICES_PER_ORDER:
        raise TooManyPushDevices()
    values = {"p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]}
    try:
        _, created = PushSubscription.objects.update_or_create(order=order, endpoint=endpoint, defaults=values)
    except IntegrityError:  # the same browser asked twice at once: the other request stored it
        existing.update(**values)
        created = False
    return created


def unsubscribe_push(order, *, endpoint: str) -> None:
    """Forget a browser's push subscription for the order (idempotent)."""
    PushSubscription.objects.filter(order=order, endpoint=endpoint).delete()
