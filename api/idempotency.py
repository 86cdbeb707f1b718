"""`Idempotency-Key` on POST requests, as Stripe does it.

The first request with a key is processed and its response (status and body) is kept for
24 hours; a retry with the same key and the same request gets that response again, marked
`Idempotent-Replayed: true`, and changes nothing. The same key with a different request is
refused (422); while the first request is still running, a retry gets 409. Requests that
fail validation (400) or fail on our side (5xx) keep nothing, so they can be fixed and retried.

A request whose worker died (killed at gunicorn's timeout, a crash) leaves its key "in flight";
once it is older than IDEMPOTENCY_IN_FLIGHT_SECONDS (longer than any request may run) a retry
takes the key over and runs the request. The takeover is a compare-and-set on the key's claim,
so of several retries racing for a dead request's key exactly one runs it.

A view may name response fields that are secrets shown once (`idempotency_secret_fields`): they
are stored as null, and a replay answers null with a `<field>_note` saying so.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .exceptions import IdempotencyKeyInUse, IdempotencyKeyReused
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255

logger = logging.getLogger(__name__)


class Replay(Exception):
    """Raised to short-circuit a request whose key already has a stored response."""

    def __init__(self, record: IdempotencyKey):
        self.record = record


def request_hash(request) -> str:
    body = request.body
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        canonical = body
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), canonical):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


KEY_PATTERN = re.compile(r"[!-~]{1,%d}" % MAX_KEY_LENGTH)  # visible ASCII, no spaces


def clean_key(value: str) -> str:
    if not KEY_PATTERN.fullmatch(value):
        raise ValidationError(
            {HEADER: [_("Send a key of 1 to 255 visible ASCII characters, such as a UUID.")]}, code="invalid"
        )
    return value


def purge_expired(storefront=None) -> int:
    expired = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - TTL)
    if storefront is not None:
        expired = expired.filter(storefront=storefront)
    return expired.delete()[0]


def in_flight_limit() -> timedelta:
    """How long a request may hold its key before it is taken for dead."""
    return timedelta(seconds=settings.IDEMPOTENCY_IN_FLIGHT_SECONDS)


def begin(*, storefront, key: str, fingerprint: str) -> IdempotencyKey:
    """Claim `key` for this request, or raise Replay / IdempotencyKeyReused / IdempotencyKeyInUse."""
    purge_expired(storefront)
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(storefront=storefront, key=key, request_hash=fingerprint)
    except IntegrityError:
        pass
    record = IdempotencyKey.objects.filter(storefront=storefront, key=key).first()
    if record is None:  # the first request just gave the key up (it failed validation)
        raise IdempotencyKeyInUse()
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    if record.response_status is not None:
        raise Replay(record)
    if record.created_at >= timezone.now() - in_flight_limit():
        raise IdempotencyKeyInUse()
    return take_over(record)


def take_over(record: IdempotencyKey) -> IdempotencyKey:
    """Claim the key of a request that died in flight; only one of several racing retries wins."""
    dead_claim, claim, now = record.claim, uuid.uuid4(), timezone.now()
    won = IdempotencyKey.objects.filter(pk=record.pk, claim=dead_claim, response_status__isnull=True).update(
        claim=claim, created_at=now,
    )
    if not won:
        # Another retry took it over first (then it is in flight again), or it was answered meanwhile.
        current = IdempotencyKey.objects.filter(pk=record.pk).first()
        if current is not None and current.response_status is not None:
            raise Replay(current)
        raise IdempotencyKeyInUse()
    logger.warning(
        "Idempotency-Key %r of storefront %s was in flight since %s: taken over by a retry.",
        record.key, record.storefront_id, record.created_at.isoformat(),
    )
    record.claim, record.created_at = claim, now
    return record


def _held(record: IdempotencyKey):
    """The key's row, if this request still holds it."""
    return IdempotencyKey.objects.filter(pk=record.pk, claim=record.claim, response_status__isnull=True)


def without_secrets(body, secret_fields):
    if not secret_fields or not isinstance(body, dict):
        return body
    return {**body, **{field: None for field in secret_fields if field in body}}


def finish(record: IdempotencyKey, response, secret_fields=()) -> None:
    """Keep the response for replays (without its secrets), or give the key up if the request should
    be retried. Does nothing if a retry took the key over meanwhile."""
    if response.status_code == status.HTTP_400_BAD_REQUEST or response.status_code >= 500:
        _held(record).delete()
        return
    body = without_secrets(response.data, secret_fields)
    if not _held(record).update(response_status=response.status_code, response_body=body):
        logger.warning("Idempotency-Key %r was taken over while its request ran; its response is not kept.",
                       record.key)


def replay_response(record: IdempotencyKey, secret_fields=()) -> Response:
    body = record.response_body
    if isinstance(body, dict):
        hidden = [field for field in secret_fields if field in body and body[field] is None]
        if hidden:
            body = dict(body)
            for field in hidden:
                body[f"{field}_note"] = gettext(
                    "Answered only once, to the first request with this Idempotency-Key, and not kept. "
                    "Staff can reveal or replace it in the admin."
                )
    return Response(body, status=record.response_status, headers={"Idempotent-Replayed": "true"})


class IdempotentPostMixin:
    # For APIViews: honours an `Idempotency-Key` header on POST.

    # Response fields that are secrets shown once: never stored, null (with a note) in a replay.
    idempotency_secret_fields: tuple[str, ...] = ()
    _idempotency_record: IdempotencyKey | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raw_key = request.headers.get(HEADER)
        if request.method != "POST" or raw_key is None:
            return
        key = clean_key(raw_key)
        self._idempotency_record = begin(
            storefront=request.auth.storefront, key=key, fingerprint=request_hash(request)
        )

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            return replay_response(exc.record, self.idempotency_secret_fields)
        try:
            return super().handle_exception(exc)
        except Exception:
            if self._idempotency_record is not None:
                _held(self._idempotency_record).delete()
                self._idempotency_record = None
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._idempotency_record is not None:
            finish(self._idempotency_record, response, self.idempotency_secret_fields)
            self._idempotency_record = None
        return response
