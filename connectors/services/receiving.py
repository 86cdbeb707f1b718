"""Receiving the platforms' webhooks: check the signature on the raw body, record, answer.

Nothing is done in the request but recording: the platforms give little time (Shopify 5 seconds,
Tiendanube 40) and retry what is not answered. A bad or missing signature changes nothing (401).
A delivery already recorded is recorded once: Shopify's by its `X-Shopify-Event-Id`, Tiendanube's
(which says only "order N changed") while an identical one still waits for a worker, since the
worker reads the order as it is when it gets to it. Each recorded row is worked on by
`services.processing` once the recording commits.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import shopify, tiendanube
from ..models import Platform, PlatformAccount, PlatformEvent
from ..outbox import EVENTS
from .connecting import webhook_secret

logger = logging.getLogger(__name__)

UNINSTALLED = "app/uninstalled"


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


OK = Answer(200, "ok")
BAD_SIGNATURE = Answer(401, "bad or missing signature")


def _json(body: bytes):
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def record(account: PlatformAccount, *, topic: str, resource_id: str = "", event_id: str = "",
           body: bytes | str = b"") -> PlatformEvent | None:
    """Record one delivery for the worker; None if it was already recorded (a duplicate)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        with transaction.atomic():
            event = PlatformEvent.objects.create(
                account=account, topic=topic[:60], resource_id=str(resource_id)[:100], event_id=event_id[:100],
                body=text, next_attempt_at=timezone.now(),
            )
            EVENTS.enqueue_after_commit([event.pk])
    except IntegrityError:
        logger.info("Duplicate %s delivery %s %s ignored", account.platform, topic, event_id or resource_id)
        return None
    return event


def body_id(body: bytes) -> str:
    """An id for a delivery that names none: the same body is the same request (a privacy request)."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _uninstalled(account: PlatformAccount) -> None:
    PlatformAccount.objects.filter(pk=account.pk).update(
        active=False, problem=_("The app was uninstalled from the store: connect it again to receive its orders."),
        updated_at=timezone.now(),
    )


def tiendanube_hook(body: bytes, signature: str, *, topic: str | None = None) -> Answer:
    """An order webhook (topic from the body) or a privacy webhook (topic given by its address)."""
    data = _json(body)
    store_id = str(data.get("store_id", "")) if isinstance(data, dict) else ""
    account = PlatformAccount.objects.filter(platform=Platform.TIENDANUBE, store_id=store_id).first() \
        if store_id else None
    secret = webhook_secret(account) if account is not None else tiendanube.app_secret()
    if not tiendanube.verify(body, signature, secret):
        return BAD_SIGNATURE
    if not isinstance(data, dict):
        return Answer(400, "the body is not a JSON object")
    if account is None:
        logger.info("Tiendanube webhook for store %r, which is not connected: ignored", store_id)
        return OK
    topic = topic or str(data.get("event", ""))
    if topic in tiendanube.ORDER_TOPICS:
        record(account, topic=topic, resource_id=str(data.get("id", "")), body=body)
    elif topic in tiendanube.PRIVACY_TOPICS:
        record(account, topic=topic, event_id=body_id(body), body=body)
    elif topic == UNINSTALLED:
        _uninstalled(account)
    return OK


def shopify_hook(body: bytes, headers) -> Answer:
    shop = shopify.clean_shop(headers.get("X-Shopify-Shop-Domain", ""))
    account = PlatformAccount.objects.filter(platform=Platform.SHOPIFY, store_id=shop).first() if shop else None
    if account is None or not shopify.verify(body, headers.get(shopify.SIGNATURE_HEADER, ""), webhook_secret(account)):
        return BAD_SIGNATURE
    data = _json(body)
    if not isinstance(data, dict):
        return Answer(400, "the body is not a JSON object")
    topic = headers.get("X-Shopify-Topic", "")
    # Every delivery of one event has its id; a body without one is told apart by its content.
    event_id = headers.get("X-Shopify-Event-Id", "") or headers.get("X-Shopify-Webhook-Id", "") or body_id(body)
    if topic in shopify.ORDER_TOPICS:
        record(account, topic=topic, resource_id=str(data.get("id", "")), event_id=event_id, body=body)
    elif topic in shopify.PRIVACY_TOPICS:
        record(account, topic=topic, event_id=event_id, body=body)
    elif topic == UNINSTALLED:
        _uninstalled(account)
    return OK
