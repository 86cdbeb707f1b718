"""Signed outbound webhooks: write the outbox rows, post them, disable failing endpoints.

The row's lifecycle (claim, retries, sweep, purge) is the outbox engine's (outbox/engine.py),
with the webhooks' settings (webhooks/outbox.py):
1. A receiver of an orders signal calls `record_events()` inside the order's transaction: one
   `Delivery` row per active endpoint of the order's storefront subscribed to the event, with what
   the event itself says (taken from the signal's arguments) but no body yet. A rolled-back change
   leaves nothing and sends nothing.
2. Once the transaction commits, `payloads.build_bodies()` reads the order afresh and builds each
   event's body from what was committed, so it shows every reaction to the change (the stock's
   oversold SKUs...) whatever the order in which the receivers ran, and none of them reads what
   another wrote on the shared `order` instance. The body is stored once (a conditional `UPDATE` of the
   event's rows without one), then `webhooks.tasks.deliver_webhook(id)` is enqueued. If the process
   dies between the commit and the build, the rows are there, queued: the sweep enqueues them and
   the first worker that claims one builds the body. Either way every endpoint and every attempt
   (and redelivery) get the same bytes. An event built late shows the order as committed then.
3. The worker calls `deliver()`: it claims the row (`WEBHOOKS.claim`), so a task that runs twice,
   or twice at once, posts once.
4. Timeouts, connection errors, 429 and 5xx are retried on `WEBHOOK_RETRY_DELAYS` (about a day)
   through one-off django-q2 schedules; any other answer fails the delivery at once.
5. A delivery that fails adds one to the endpoint's consecutive failures (a success resets them);
   at `WEBHOOK_DISABLE_AFTER_FAILURES` the endpoint is disabled and staff get an email.
6. The sweep re-enqueues queued rows overdue by the grace period; a daily purge deletes old rows.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import time
import uuid
from dataclasses import dataclass
from functools import partial

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

import safehttp

from . import payloads, validators
from .models import Attempt, Delivery, Endpoint
from .outbox import WEBHOOKS
from .reasons import REASONS, Reason

logger = logging.getLogger(__name__)

Status = Delivery.Status

MAX_RESPONSE_BYTES = 4096
RESPONSE_BODY_CHARS = 1000
USER_AGENT = "OrderBackOffice-Webhooks/1.0"
SIGNATURE_HEADER = "X-Webhook-Signature"

DISABLED_REASON = _("Disabled after %(count)s failed deliveries in a row; the last one: %(error)s")


def _text(message, **params) -> str:
    """A reason as stored in the log: in the store's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


# --- signing -------------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: receivers recompute it and check t."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


# --- the outbox ----------------------------------------------------------------------------


def record_events(order, events) -> list[Delivery]:
    """Write the outbox rows of one or more events of `order` (call it inside the order's transaction).

    events: [(event_type, extra)] where extra is a dict, or a callable returning one, of what the
    event itself says (from the signal's arguments, never from the shared `order` instance), merged
    next to "order" in the body's data (called only when some endpoint subscribes). One row per
    event and subscribed active endpoint of the order's own storefront; nothing otherwise. The body
    is not built here: once the transaction commits, `payloads.build_bodies()` builds it from the
    committed order; if the process dies before that, the first worker that claims a row builds it.
    """
    if order.storefront_id is None:
        return []
    endpoints = list(Endpoint.objects.filter(storefront_id=order.storefront_id, active=True).order_by("pk"))
    if not endpoints:
        return []
    rows = []
    now = timezone.now()
    for event_type, extra in events:
        subscribed = [endpoint for endpoint in endpoints if endpoint.subscribes_to(event_type)]
        if not subscribed:
            continue
        # Names (custom statuses) in the store's language: the body must not depend on the language
        # of whoever made the change (a staff member's admin, a storefront's request).
        with translation.override(settings.LANGUAGE_CODE):
            data = (extra() if callable(extra) else extra) or {}
        event_id = uuid.uuid4()
        event_data = {"created_at": payloads.timestamp(now), "data": data}
        rows.extend(
            Delivery(
                endpoint=endpoint, order=order, event_id=event_id, event_type=event_type, event_data=event_data,
                next_attempt_at=now,
            )
            for endpoint in subscribed
        )
    if rows:
        Delivery.objects.bulk_create(rows)
        # Registered before the enqueue, so the commit builds the bodies before the tasks run.
        transaction.on_commit(partial(payloads.build_bodies, [row.pk for row in rows]), robust=True)
        WEBHOOKS.enqueue_after_commit(row.pk for row in rows)
    return rows


# --- delivery ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int | None = None
    body: str = ""
    # Why it failed (webhooks/reasons.py) and the detail.
    error_code: str = ""
    error: str = ""
    retry: bool = False
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def deliver(delivery_id: int) -> str | None:
    """Post one queued delivery. Returns the status it reached, or None if there was nothing to do.

    Safe to call any number of times, at once or in turn: only the caller that claims the
    queued, due row posts it.
    """
    now = timezone.now()
    if not WEBHOOKS.claim(delivery_id):
        return None
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        return None  # its endpoint was deleted meanwhile
    endpoint = delivery.endpoint
    if not endpoint.active:
        code = Reason.ENDPOINT_DISABLED if endpoint.is_disabled else Reason.ENDPOINT_INACTIVE
        return _fail(delivery, code, count=False)
    if WEBHOOKS.attempts_lost(delivery):
        # Earlier attempts never reported back (a worker died while posting): the last claim was no attempt.
        return _fail(delivery, Reason.GAVE_UP, REASONS.gave_up_detail(delivery.error_code, delivery.error),
                     attempts=delivery.attempts - 1)
    if not delivery.body:
        # The process that committed the event stopped before building its body: build it now.
        delivery.body = payloads.build_body(delivery)
        if not delivery.body:
            return _fail(delivery, Reason.ORDER_GONE, count=False)

    response = post(endpoint, delivery)
    Attempt.objects.create(
        delivery=delivery, number=delivery.attempts, started_at=now, response_status=response.status,
        duration_ms=response.duration_ms, response_body=response.body, error_code=response.error_code,
        error=response.error,
    )
    delivery.last_attempt_at = now
    delivery.response_status = response.status
    delivery.duration_ms = response.duration_ms
    delivery.response_body = response.body
    if response.ok:
        _finish(delivery, Status.DELIVERED, delivered_at=timezone.now())
        Endpoint.objects.filter(pk=endpoint.pk, consecutive_failures__gt=0).update(consecutive_failures=0)
        return Status.DELIVERED
    if response.retry:
        return _retry_or_fail(delivery, response.error_code, response.error)
    return _fail(delivery, response.error_code, response.error)


def post(endpoint: Endpoint, delivery: Delivery) -> Response:
    """One signed POST of the delivery's body; never raises for what the network or receiver does."""
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Webhook-Id": str(delivery.event_id),
        "X-Webhook-Event": delivery.event_type,
        "X-Webhook-Attempt": str(delivery.attempts),
        SIGNATURE_HEADER: signature(endpoint.secret, int(time.time()), body),
    }
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()
    result = Response()
    try:
        # The one place a delivery reaches the network: through the guard, without following redirects.
        with validators.session() as session, session.post(
            endpoint.url, data=body, headers=headers, timeout=timeout, allow_redirects=False, stream=True
        ) as answer:
            result.status = answer.status_code
            result.body = _read_start(answer)
    except safehttp.Refused as error:
        if error.address:
            result.error_code, result.error = Reason.PRIVATE_ADDRESS, str(error.address)
        else:
            result.error_code, result.error = Reason.REFUSED, _short(error)
    except requests.Timeout:
        result.error_code, result.error, result.retry = Reason.TIMED_OUT, f"{timeout:g}", True
    except requests.ConnectionError as error:
        result.error_code, result.error, result.retry = Reason.UNREACHABLE, _short(error), True
    except requests.RequestException as error:
        result.error_code, result.error = Reason.BAD_REQUEST, _short(error)
    result.duration_ms = int((time.monotonic() - started) * 1000)
    if result.status is not None and not result.ok:
        status = result.status
        result.retry = status == 429 or status >= 500
        result.error_code = Reason.REDIRECTED if 300 <= status < 400 else Reason.HTTP_ERROR
        result.error = str(status)
    return result


def _read_start(answer) -> str:
    """The first bytes of the answer (a receiver's error message), never the whole of a large one."""
    chunks, size = [], 0
    try:
        for chunk in answer.iter_content(chunk_size=1024):
            chunks.append(chunk)
            size += len(chunk)
            if size >= MAX_RESPONSE_BYTES:
                break
    except requests.RequestException:
        pass  # the status line is what counts; a body cut short is still recorded as far as it came
    return b"".join(chunks)[:MAX_RESPONSE_BYTES].decode("utf-8", "replace")[:RESPONSE_BODY_CHARS]


def _short(error) -> str:
    text = str(error)
    return text if len(text) <= 300 else text[:298] + "…"


def _finish(delivery: Delivery, status: str, **fields) -> str:
    """The final status, with the last attempt's response (WEBHOOKS.carried_fields)."""
    return WEBHOOKS.finish(delivery, status, **fields)


def _fail(delivery: Delivery, code: str, detail: str = "", *, count: bool = True, **fields) -> str:
    _finish(delivery, Status.FAILED, error_code=code, error=detail, **fields)
    if count:
        _count_failure(delivery.endpoint, code, detail)
    return Status.FAILED


# Seconds to wait after the `attempts`-th attempt failed (WEBHOOK_RETRY_DELAYS; the last repeats).
retry_delay = WEBHOOKS.retry_delay


def _retry_or_fail(delivery: Delivery, code: str, detail: str) -> str:
    if not WEBHOOKS.retry_later(delivery, detail, code=code):
        return _fail(delivery, Reason.GAVE_UP, REASONS.gave_up_detail(code, detail))
    return Status.QUEUED


# --- endpoint health -----------------------------------------------------------------------


def _count_failure(endpoint: Endpoint, code: str, detail: str) -> None:
    """One more failed delivery in a row; at the limit the endpoint is disabled, once, and staff told."""
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
        failures = Endpoint.objects.filter(pk=endpoint.pk).values_list("consecutive_failures", flat=True).first()
        if failures is None or failures < settings.WEBHOOK_DISABLE_AFTER_FAILURES:
            return
        with translation.override(settings.LANGUAGE_CODE):  # the endpoint's reason, in the store's language
            last = REASONS.sentence(code, detail)
        reason = _text(DISABLED_REASON, count=failures, error=last)
        disabled = Endpoint.objects.filter(pk=endpoint.pk, disabled_at__isnull=True).update(
            active=False, disabled_at=timezone.now(), disabled_reason=reason[:2000], updated_at=timezone.now(),
        )
        if disabled:
            logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)
            transaction.on_commit(partial(tell_staff_endpoint_disabled, endpoint.pk), robust=True)


def tell_staff_endpoint_disabled(endpoint_id: int) -> None:
    endpoint = Endpoint.objects.select_related("storefront").filter(pk=endpoint_id).first()
    if endpoint is None or not settings.STORE_EMAIL:
        return
    admin_url = settings.SITE_URL + reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url}
        body = _(
            "%(storefront)s's webhook endpoint %(url)s kept failing and was disabled: no more events are sent "
            "to it.\n\n%(reason)s\n\nOnce the storefront fixes it, enable it again (and redeliver what it "
            "missed) here:\n%(admin_url)s\n"
        ) % {
            "storefront": endpoint.storefront.name, "url": endpoint.url, "reason": endpoint.disabled_reason,
            "admin_url": admin_url,
        }
    send_mail(str(subject)[:200], str(body), settings.DEFAULT_FROM_EMAIL, [settings.STORE_EMAIL])


# --- staff and storefront actions ----------------------------------------------------------


def enable(endpoint: Endpoint) -> None:
    """Turn an endpoint on again (after it was paused or disabled); its failure count starts over."""
    Endpoint.objects.filter(pk=endpoint.pk).update(
        active=True, consecutive_failures=0, disabled_at=None, disabled_reason="", updated_at=timezone.now(),
    )
    endpoint.refresh_from_db()


def rotate_secret(endpoint: Endpoint) -> str:
    from .models import new_secret

    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint.secret


@dataclass
class Redelivered:
    queued: int = 0
    endpoint_off: int = 0
    in_flight: int = 0


def redeliver(delivery_ids) -> Redelivered:
    """Queue deliveries again: a new attempt of the same event id and body, due now.

    Deliveries of an inactive or disabled endpoint are left alone (enable it first), and so is a
    delivery a worker is posting right now.
    """
    result = Redelivered()
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(of=("self",)).select_related("endpoint")
            .filter(pk__in=list(delivery_ids)).order_by("pk")
        )
        ids = []
        for row in rows:
            if not row.endpoint.active:
                result.endpoint_off += 1
            elif row.status == Status.QUEUED and row.locked_until is not None and row.locked_until > now:
                result.in_flight += 1
            else:
                ids.append(row.pk)
        Delivery.objects.filter(pk__in=ids).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=now, locked_until=None, error_code="", error="",
            delivered_at=None, updated_at=now,
        )
        WEBHOOKS.enqueue_after_commit(ids)
        result.queued = len(ids)
    return result


# --- periodic jobs (the outbox engine's) ---------------------------------------------------

requeue_stale = WEBHOOKS.requeue_stale


def purge_deliveries(*, now=None, batch_size: int | None = None) -> int:
    """Delete deliveries (and their attempts) older than WEBHOOK_RETENTION_DAYS, batch by batch; queued ones stay."""
    return WEBHOOKS.purge(
        now=now, batch_size=batch_size, before_delete=lambda ids: Attempt.objects.filter(delivery_id__in=ids).delete()
    )
