"""Delivering claimed rows: one (`deliver`) or a task's batch (`deliver_many`), each checked still
due, rendered in its language (both asked of the row's kind, notifications/kinds.py), sent on its
channel and recorded; claims through the outbox engine."""
from __future__ import annotations

import logging
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
from ..reasons import Reason
from ..rendering import TemplateMissing
from ..whatsapp import WhatsAppTemplateMissing, render_for_notification as render_whatsapp
from .channels import NoPushSubscription, _charge_sms, _charge_whatsapp, _send_email, _send_push, _send_sms
from .channels import _send_whatsapp
from .common import Status, _execute_with_values
from .outcomes import _fail, _finish, _retry_or_fail, _skip
from .receipts import apply_waiting_receipts
from .recording import _fallback, enqueue_deliveries

logger = logging.getLogger(__name__)


def deliver_many(notification_ids) -> dict[str, int]:
    """Send many queued rows (one task for a backlog or a transaction's rows), like deliver() each.

    The rows are claimed together (locked, then marked, in one short transaction, so no other
    worker claims them meanwhile) and read with one query; then each is sent in turn, and a row
    that raises does not stop the rest. The provider message ids of the rows sent are written
    together at the end, in one statement. Returns how many reached each status.
    """
    ids = list(notification_ids)
    claimed = NOTIFICATIONS.claim_batch(ids)
    reached: dict[str, int] = {"None": len(ids) - len(claimed)} if len(claimed) < len(ids) else {}
    # Stop well before the task's timeout and the rows' claim run out (a slow provider): the rest
    # is released and handed to a new task, never left to a second worker while this one sends.
    deadline = time.monotonic() + min(settings.NOTIFICATION_BATCH_SECONDS, NOTIFICATIONS.claim_seconds / 2)
    provider_ids: list[tuple[int, str]] = []
    try:
        rows = list(_for_delivery().filter(pk__in=claimed).order_by("pk"))
        for index, notification in enumerate(rows):
            if index and time.monotonic() > deadline:  # at least one row per task: always progress
                reached["deferred"] = _hand_over([row.pk for row in rows[index:]])
                break
            try:
                status, provider_id = _deliver_claimed(notification)
                if provider_id:
                    provider_ids.append((notification.pk, provider_id))
            except Exception:  # left claimed: sent again once the claim expires (the sweep enqueues it)
                logger.exception("Notification %s could not be delivered", notification.pk)
                status = "error"
            reached[str(status)] = reached.get(str(status), 0) + 1
    finally:
        _write_provider_ids(provider_ids)
        _apply_waiting([provider_id for _pk, provider_id in provider_ids])
    return reached


def _apply_waiting(provider_ids: list[str]) -> None:
    """Apply the delivery reports the provider posted before these ids were written (one query when
    there are none). The messages are sent whatever happens here: an error is logged, and the sweep
    applies the reports later."""
    provider_ids = [provider_id for provider_id in provider_ids if provider_id]
    if not provider_ids:
        return
    try:
        apply_waiting_receipts(provider_ids)
    except Exception:
        logger.exception("Delivery reports waiting for %s messages could not be applied", len(provider_ids))


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
    status, provider_id = _deliver_claimed(_for_delivery().get(pk=notification_id))
    if provider_id:
        Notification.objects.filter(pk=notification_id).update(provider_message_id=provider_id)
        _apply_waiting([provider_id])
    return status


def _for_delivery():
    return Notification.objects.select_related(
        "order", "order__carrier", "order__storefront", "checkout", "rule", "refund"
    )


def _deliver_claimed(notification: Notification) -> tuple[str, str]:
    """Send a row this worker has claimed (status queued, attempts counted).

    Returns the status reached and, for a row marked sent in the send's own transaction
    (_send_marked), the provider's message id still to be written ('' otherwise): the caller
    writes it at once, or with the rest of its batch (a worker that dies first loses only the ids).
    """
    notification_id = notification.pk
    if NOTIFICATIONS.attempts_lost(notification):
        # Earlier attempts never reported back (a worker died while sending): the last claim was no attempt.
        return _fail(notification, Reason.GAVE_UP, notification.reason_detail, attempts=notification.attempts - 1), ""
    kind = kind_of(notification)
    # Staff resent it on purpose: only a missing address (checked when it was written) stops it.
    no_longer_due = (
        None if notification.resent_from_id and not kind.resend_checks_due else kind.no_longer_due(notification)
    )
    if no_longer_due:
        return _skip(notification, *no_longer_due), ""

    language = kind.language(notification)
    notification.language = language
    try:
        if notification.channel == Channel.WHATSAPP:
            return _deliver_whatsapp(notification, language)
        message = kind.render(notification, language)
        notification.subject = message.subject[:300]
        notification.body = message.body
        if notification.channel == Channel.SMS:
            refused = _charge_sms(notification)
            if refused is not None:
                return refused, ""
            provider_id = _send_marked(notification, partial(_send_sms, notification))
        elif notification.channel == Channel.PUSH:
            provider_id = _send_push(notification, message)
        else:
            provider_id = _send_marked(notification, partial(_send_email, notification, message))
    except (TemplateMissing, TemplateSyntaxError) as error:
        return _fail(notification, Reason.NO_TEMPLATE, str(error)), ""
    except NoPushSubscription:
        return _fail(notification, Reason.NO_PUSH_SUBSCRIPTION), ""
    except PermanentError as error:
        return _fail(notification, Reason.PROVIDER_ERROR, str(error)), ""
    except TransientError as error:
        return _retry_or_fail(notification, Reason.PROVIDER_ERROR, str(error)), ""
    except Exception as error:  # an unexpected error is retried like a transient one, then recorded
        logger.exception("Notification %s could not be sent", notification_id)
        return _retry_or_fail(notification, Reason.UNEXPECTED_ERROR, f"{type(error).__name__}: {error}"), ""
    if notification.status == Status.SENT:  # marked in the send's own transaction: the id is the caller's to write
        notification.provider_message_id = provider_id or ""
        return Status.SENT, provider_id or ""
    _finish(notification, Status.SENT, provider_message_id=provider_id or "", sent_at=timezone.now())
    _apply_waiting([provider_id])
    return Status.SENT, ""


def _deliver_whatsapp(notification: Notification, language: str) -> tuple[str, str]:
    """A WhatsApp row: its Meta-approved template (never free text; none set: skipped, and the
    fallback channel tried), paid at its country's price, sent like an SMS. Errors go up to
    _deliver_claimed's handlers.

    The customer's consent is read again first: one who opted out since the row was written (while
    it waited or was retried) gets nothing more on WhatsApp, even a message staff resend."""
    if kind_of(notification).address(notification)[1] == Reason.NO_WHATSAPP_OPT_IN:
        status = _skip(notification, Reason.NO_WHATSAPP_OPT_IN)
        _fallback(notification)
        return status, ""
    try:
        message = render_whatsapp(notification, language)
    except WhatsAppTemplateMissing as missing:
        status = _skip(notification, Reason.NO_WHATSAPP_TEMPLATE, str(missing))
        _fallback(notification)
        return status, ""
    notification.subject = message.template.name[:300]
    notification.body = message.body
    refused = _charge_whatsapp(notification)
    if refused is not None:
        return refused, ""
    provider_id = _send_marked(notification, partial(_send_whatsapp, notification, message))
    if notification.status == Status.SENT:
        notification.provider_message_id = provider_id or ""
        return Status.SENT, provider_id or ""
    return _finish(notification, Status.SENT, provider_message_id=provider_id or "", sent_at=timezone.now()), ""


def _send_marked(notification: Notification, send) -> str:
    """Call send() (one provider call) in a transaction that has already marked the row sent.

    The mark commits right after the provider took the message, so a worker killed in between
    (kill -9, out of memory) cannot leave a sent message queued, to be sent again once its claim
    expires; an error rolls the mark back. On SQLite a transaction would lock the whole database
    during the provider call, so there the row is marked after it, as before.
    """
    if transaction.get_connection().vendor != "postgresql":
        return send()
    reason = notification.reason_code, notification.reason_detail
    with transaction.atomic():
        _finish(notification, Status.SENT, sent_at=timezone.now())
        try:
            provider_id = send()
        except BaseException:
            notification.status = Status.QUEUED
            notification.reason_code, notification.reason_detail = reason
            raise
    return provider_id


def _write_provider_ids(pending: list) -> None:
    """The batch's provider message ids in one UPDATE ... FROM (VALUES ...)."""
    _execute_with_values(
        Notification,
        "UPDATE {table} SET provider_message_id = ids.provider_message_id "
        "FROM (VALUES {values}) AS ids (id, provider_message_id) WHERE {table}.id = ids.id",
        "(CAST(%s AS BIGINT), %s)", pending,
    )
