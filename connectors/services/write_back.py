"""Tracking back to the platform: an outbox kind (outbox.py), like the outbound webhooks.

1. When staff ship (or mark ready for pickup) an order that came from a connected store, the
   receiver of `order_status_changed` calls `record()` inside the move's transaction: one
   `WriteBack` row per order and move, with the carrier, tracking code and our carrier's tracking
   page. A move rolled back writes nothing; the task is enqueued when it commits.
2. `send(id)` claims the row (`WRITE_BACKS.claim`: a task run twice calls the platform once) and
   calls the platform: Tiendanube `POST /orders/{id}/fulfill`, Shopify `fulfillmentCreate` for the
   fulfillment orders still open, always with the platform's own customer email off (ours is the
   one message the customer gets). Each call is logged as a `WriteBackAttempt`.
3. Timeouts, connection errors, 429 and 5xx are retried on PLATFORM_WRITEBACK_RETRY_DELAYS; a
   refusal fails at once (the staff see why and send it again from the admin, `resend`). An order
   the platform already shows fulfilled (an attempt whose answer was lost) counts as sent.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orders.models import Order, Status

from .. import http
from ..models import OrderLink, Platform, WriteBack, WriteBackAttempt
from ..outbox import WRITE_BACKS
from .connecting import client_for

logger = logging.getLogger(__name__)

Move = WriteBack.Move
MOVES = {Status.SHIPPED: Move.SHIPPED, Status.READY_FOR_PICKUP: Move.READY_FOR_PICKUP}
TIENDANUBE_FULFILLED = {"fulfilled", "shipped"}


def _text(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def record(order_id: int, to_status: str) -> WriteBack | None:
    """Write the row for a move of a connected order (inside the move's transaction); None otherwise."""
    move = MOVES.get(to_status)
    if move is None:
        return None
    link = OrderLink.objects.select_related("account").filter(order_id=order_id).first()
    if link is None or not link.account.active:
        return None
    order = Order.objects.select_related("carrier").get(pk=order_id)  # as the move saved it
    row = WriteBack(
        account=link.account, order=order, platform_order_id=link.platform_order_id, move=move,
        next_attempt_at=timezone.now(),
    )
    if move == Move.SHIPPED and order.carrier_id:
        row.carrier_name = order.carrier.name[:100]
        row.tracking_code = order.tracking_code
        row.tracking_url = order.tracking_url[:500]
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None  # this move of this order was already written
    WRITE_BACKS.enqueue_after_commit([row.pk])
    return row


@dataclass
class Result:
    ok: bool
    error: str = ""
    retry: bool = False
    note: str = ""


def call_platform(row: WriteBack, client) -> Result:
    try:
        if row.account.platform == Platform.TIENDANUBE:
            try:
                client.fulfill(row.platform_order_id, tracking_number=row.tracking_code, tracking_url=row.tracking_url)
            except http.Refused as refused:
                if isinstance(refused, http.Unauthorized) or not _tiendanube_already_fulfilled(client, row):
                    raise
                return Result(True, note=_text(_("The platform already showed the order fulfilled.")))
            return Result(True)
        fulfilled = client.fulfill(row.platform_order_id, company=row.carrier_name, number=row.tracking_code,
                                   url=row.tracking_url)
        if fulfilled is None:
            return Result(True, note=_text(_("The platform already showed the order fulfilled.")))
        return Result(True)
    except http.Transient as error:
        return Result(False, _text(_("The platform could not be reached: %(error)s"), error=error), retry=True)
    except http.Unauthorized as error:
        return Result(False, _text(_("The platform refused the access token (%(error)s): connect the store again."),
                                   error=error))
    except http.PlatformError as error:
        return Result(False, _text(_("The platform refused it: %(error)s"), error=error))


def _tiendanube_already_fulfilled(client, row: WriteBack) -> bool:
    """After a refusal: does the platform show the order fulfilled already (with our code, if any)?"""
    try:
        data = client.get_order(row.platform_order_id)
    except http.PlatformError:
        return False
    status = str(data.get("shipping_status") or "") if isinstance(data, dict) else ""
    number = str(data.get("shipping_tracking_number") or "") if isinstance(data, dict) else ""
    return status in TIENDANUBE_FULFILLED and (not row.tracking_code or number == row.tracking_code)


def send(write_back_id: int, *, session=None) -> str | None:
    """Send one queued write-back; the status it reached, or None if there was nothing to do."""
    if not WRITE_BACKS.claim(write_back_id):
        return None
    row = WriteBack.objects.select_related("account").filter(pk=write_back_id).first()
    if row is None:
        return None
    if WRITE_BACKS.attempts_lost(row):
        return _fail(row, _text(_("Gave up after %(attempts)s attempts: %(error)s"), attempts=row.attempts - 1,
                                error=row.error))
    account = row.account
    if not account.active or not account.access_token:
        return _fail(row, _text(_("Not sent: the store's connection is inactive; connect it again and send it "
                                  "again.")))
    started = timezone.now()
    try:
        client = client_for(account, session=session)
    except http.PlatformError as error:  # a Shopify token that could not be renewed
        client = http.Client(session=session)
        result = Result(False, _text(_("The platform could not give an access token: %(error)s"), error=error),
                        retry=isinstance(error, http.Transient))
    else:
        result = call_platform(row, client)
    last = client.last
    WriteBackAttempt.objects.create(
        write_back=row, number=row.attempts, started_at=started, response_status=last.status,
        duration_ms=last.duration_ms, response_body=last.body, error=result.error or result.note,
    )
    row.last_attempt_at = started
    row.response_status = last.status
    row.response_body = last.body
    if result.ok:
        WRITE_BACKS.finish(row, WriteBack.Status.DELIVERED, error=result.note, delivered_at=timezone.now())
        return WriteBack.Status.DELIVERED
    if result.retry:
        if WRITE_BACKS.retry_later(row, result.error):
            return WriteBack.Status.QUEUED
        return _fail(row, _text(_("Gave up after %(attempts)s attempts: %(error)s"), attempts=row.attempts,
                                error=result.error))
    return _fail(row, result.error)


def _fail(row: WriteBack, error: str) -> str:
    logger.warning("Tracking write-back %s failed: %s", row.pk, error)
    WRITE_BACKS.finish(row, WriteBack.Status.FAILED, error=error)
    return WriteBack.Status.FAILED


def resend(ids) -> int:
    """Queue write-backs again (a new attempt, due now); one being sent right now is left alone."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            WriteBack.objects.select_for_update().filter(pk__in=list(ids)).exclude(status=WriteBack.Status.DELIVERED)
            .values_list("pk", "status", "locked_until")
        )
        queued = [pk for pk, status, locked in rows
                  if not (status == WriteBack.Status.QUEUED and locked is not None and locked > now)]
        WriteBack.objects.filter(pk__in=queued).update(
            status=WriteBack.Status.QUEUED, attempts=0, next_attempt_at=now, locked_until=None, error="",
            updated_at=now,
        )
        WRITE_BACKS.enqueue_after_commit(queued)
    return len(queued)


def purge(*, now=None, batch_size: int | None = None) -> int:
    return WRITE_BACKS.purge(
        now=now, batch_size=batch_size,
        before_delete=lambda ids: WriteBackAttempt.objects.filter(write_back_id__in=ids).delete(),
    )
