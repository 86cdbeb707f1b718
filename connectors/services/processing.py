"""The worker's side of a received platform webhook (an outbox row, see outbox.py).

1. `process(id)` claims the row (`EVENTS.claim`): a task run twice works once.
2. The platform order is read: Tiendanube's webhook says only which order changed, so the order is
   fetched now, as it is now (out-of-order deliveries cannot undo anything); Shopify's body is
   the order.
3. `applying.apply()` makes our order agree with it; a privacy request goes to `privacy`.
4. The row ends `done` (with what happened), `held` (it needs the staff: an order no rule maps,
   a refused token; tried again by `retry_held` when a rule is saved, the store is connected
   again, or staff ask), or `failed` (the platform could not be reached on any attempt).
A platform that does not answer, answers 5xx or rate-limits us is tried again on
PLATFORM_EVENT_RETRY_DELAYS.
"""
from __future__ import annotations

import json
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import http, shopify, tiendanube
from ..models import OrderLink, Platform, PlatformAccount, PlatformEvent
from ..outbox import EVENTS
from . import applying, privacy
from .connecting import client_for

logger = logging.getLogger(__name__)

Status = PlatformEvent.Status


def _text(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def _finish(event: PlatformEvent, status: str, message: str, *, link: OrderLink | None = None) -> str:
    fields = {"processed_at": timezone.now()}
    if link is not None:
        fields["link"] = link
    EVENTS.finish(event, status, message=message[:4000], **fields)
    return status


def _retry_or_fail(event: PlatformEvent, error: http.PlatformError) -> str:
    message = _text(_("The platform could not be reached: %(error)s"), error=error)
    if EVENTS.retry_later(event, message):
        return Status.QUEUED
    return _finish(event, Status.FAILED, _text(_("Gave up after %(attempts)s attempts: %(error)s"),
                                               attempts=event.attempts, error=error))


def read_order(event: PlatformEvent, account: PlatformAccount, *, session=None):
    if account.platform == Platform.TIENDANUBE:
        data = client_for(account, session=session).get_order(event.resource_id)
        return tiendanube.parse_order(data if isinstance(data, dict) else {})
    data = json.loads(event.body or "{}")
    return shopify.parse_order(data if isinstance(data, dict) else {})


def process(event_id: int, *, session=None) -> str | None:
    """Work on one recorded platform event; the status it reached, or None if there was nothing to do."""
    if not EVENTS.claim(event_id):
        return None
    event = PlatformEvent.objects.select_related("account__storefront__user").filter(pk=event_id).first()
    if event is None:
        return None
    account = event.account
    if EVENTS.attempts_lost(event):
        return _finish(event, Status.FAILED, _text(_("Gave up after %(attempts)s attempts: %(error)s"),
                                                   attempts=event.attempts - 1, error=event.message))
    if event.topic in tiendanube.PRIVACY_TOPICS or event.topic in shopify.PRIVACY_TOPICS:
        message = privacy.handle(event)
        PlatformEvent.objects.filter(pk=event.pk).update(body="")  # what it named is not kept
        return _finish(event, Status.DONE, message)
    if not account.active or not account.access_token and account.platform == Platform.TIENDANUBE:
        return _finish(event, Status.HELD, _text(_(
            "The store's connection is inactive: connect it again and this event is processed.")))
    try:
        incoming = read_order(event, account, session=session)
    except http.Unauthorized as error:
        problem = _text(_("The platform refused the access token (%(error)s): connect the store again."), error=error)
        PlatformAccount.objects.filter(pk=account.pk).update(problem=problem, updated_at=timezone.now())
        return _finish(event, Status.HELD, problem)
    except http.NotFound:
        return _finish(event, Status.DONE, _text(_("The platform no longer has this order: nothing to do.")))
    except http.Transient as error:
        return _retry_or_fail(event, error)
    except http.Refused as error:
        return _finish(event, Status.FAILED, _text(_("The platform refused to give the order: %(error)s"),
                                                   error=error))
    except ValueError as error:
        return _finish(event, Status.FAILED, _text(_("The webhook's body could not be read: %(error)s"), error=error))
    if not incoming.platform_id:
        return _finish(event, Status.FAILED, _text(_("The platform's order has no id.")))
    outcome = applying.apply(account, incoming)
    status = _finish(event, outcome.status, outcome.message, link=outcome.link)
    if status == Status.DONE and outcome.link is not None:
        # Events of this order that waited (it could not be placed yet) may be newer: apply them too.
        _requeue([Status.HELD], link=outcome.link)
    return status


def retry_held(*, platform: str | None = None, account: PlatformAccount | None = None) -> int:
    """Queue held events again (a rule was saved, the store connected again); how many."""
    return _requeue([Status.HELD], platform=platform, account=account)


def retry(ids) -> int:
    """Queue the given held or failed events again (the staff asked); how many."""
    return _requeue([Status.HELD, Status.FAILED], ids=ids)


def _requeue(statuses, *, platform: str | None = None, account: PlatformAccount | None = None, ids=None,
             link: OrderLink | None = None) -> int:
    """Of Tiendanube's identical "order N changed" events only the newest is queued (the worker reads
    the order as it is), the others are done."""
    now = timezone.now()
    rows = PlatformEvent.objects.select_for_update().filter(status__in=statuses)
    if platform is not None:
        rows = rows.filter(account__platform=platform)
    if account is not None:
        rows = rows.filter(account=account)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    if link is not None:
        rows = rows.filter(link=link)
    with transaction.atomic():
        held = list(rows.order_by("-created_at", "-id").values("pk", "account_id", "topic", "resource_id", "event_id"))
        queued, superseded, seen = [], [], set()
        waiting = set(
            PlatformEvent.objects.filter(status=Status.QUEUED, event_id="", attempts=0, locked_until__isnull=True)
            .filter(Q(account_id__in={row["account_id"] for row in held}))
            .values_list("account_id", "topic", "resource_id")
        )
        for row in held:
            key = (row["account_id"], row["topic"], row["resource_id"])
            if not row["event_id"] and (key in seen or key in waiting):
                superseded.append(row["pk"])
                continue
            seen.add(key)
            queued.append(row["pk"])
        for pk in list(queued):
            try:
                with transaction.atomic():
                    PlatformEvent.objects.filter(pk=pk).update(
                        status=Status.QUEUED, attempts=0, next_attempt_at=now, locked_until=None, updated_at=now,
                    )
            except IntegrityError:  # an identical delivery came in meanwhile and waits already
                queued.remove(pk)
                superseded.append(pk)
        PlatformEvent.objects.filter(pk__in=superseded).update(
            status=Status.DONE, message=_text(_("Superseded by a later delivery of the same event.")),
            processed_at=now, updated_at=now,
        )
        transaction.on_commit(partial(EVENTS.enqueue, queued), robust=True)
    if queued:
        logger.info("Queued %s held platform events again", len(queued))
    return len(queued)


@transaction.atomic
def dismiss(ids) -> int:
    """Mark held events handled by the staff (nothing more will be done with them, nor asked)."""
    now = timezone.now()
    events = PlatformEvent.objects.filter(pk__in=list(ids), status=Status.HELD)
    OrderLink.objects.filter(pk__in=events.exclude(link=None).values("link_id")).update(problem="", updated_at=now)
    return events.update(
        status=Status.DONE, message=_text(_("Marked as handled by the staff.")), processed_at=now, updated_at=now,
    )
