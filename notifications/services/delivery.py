"""Delivering claimed rows: one (`deliver`) or a task's batch (`deliver_many`), each checked still
due, rendered in its language (both asked of the row's kind, notifications/kinds.py), sent on its
channel and recorded; claims through the outbox engine."""
from __future__ import annotations

import logging
import threading
import time
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils import timezone

from ..backends import PermanentError, TransientError
from ..kinds import kind_of
from ..models import Channel, Notification
from ..outbox import NOTIFICATIONS
from ..rendering import TemplateMissing
from .channels import _charge_sms, _send_email, _send_push, _send_sms
from .common import GAVE_UP, NO_TEMPLATE, Status, _execute_with_values, _text
from .outcomes import _fail, _finish, _retry_or_fail
from .recording import enqueue_deliveries

logger = logging.getLogger(__name__)


def deliver_many(notification_ids) -> dict[str, int]:
    """Send many queued rows (one task for a backlog or a transaction's rows), like deliver() each.

    The rows are claimed together (locked, then marked, in one short transaction, so no other
    worker claims them meanwhile) and read with one query; then each is sent in turn, and a row
    that raises does not stop the rest. Returns how many reached each status.
    """
    ids = list(notification_ids)
    claimed = NOTIFICATIONS.claim_batch(ids)
    reached: dict[str, int] = {"None": len(ids) - len(claimed)} if len(claimed) < len(ids) else {}
    # Stop well before the task's timeout and the rows' claim run out (a slow provider): the rest
    # is released and handed to a new task, never left to a second worker while this one sends.
    deadline = time.monotonic() + min(settings.NOTIFICATION_BATCH_SECONDS, NOTIFICATIONS.claim_seconds / 2)
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
    NOTIFICATIONS.release(notification_ids)
    enqueue_deliveries(notification_ids)
    return len(notification_ids)


def deliver(notification_id: int) -> str | None:
    """Send one queued notification. Returns the status it reached, or None if there was nothing to do.

    Safe to call any number of times, at once or in turn: only the caller that claims the
    queued row sends it.
    """
    if not NOTIFICATIONS.claim(notification_id):
        return None
    return _deliver_claimed(_for_delivery().get(pk=notification_id))


def _for_delivery():
    return Notification.objects.select_related("order", "order__carrier", "order__storefront", "checkout", "rule")


def _deliver_claimed(notification: Notification) -> str:
    """Send a row this worker has claimed (status queued, attempts counted); returns the status reached."""
    notification_id = notification.pk
    if NOTIFICATIONS.attempts_lost(notification):
        # Earlier attempts never reported back (a worker died while sending).
        return _fail(notification, _text(GAVE_UP, attempts=notification.attempts - 1, error=notification.reason))
    kind = kind_of(notification)
    no_longer_due = kind.no_longer_due(notification)
    if no_longer_due:
        return _finish(notification, Status.SKIPPED, reason=no_longer_due)

    language = kind.language(notification)
    notification.language = language
    try:
        message = kind.render(notification, language)
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
