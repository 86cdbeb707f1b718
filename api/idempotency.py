"""`Idempotency-Key` on POST requests, as Stripe does it.

The first request with a key is processed and its response (status and body) is kept for
24 hours; a retry with the same key and the same request gets that response again, marked
`Idempotent-Replayed: true`, and changes nothing. The same key with a different request is
refused (422); while the first request is still running, a retry gets 409. Requests that
fail validation (400) or fail on our side (5xx) keep nothing, so they can be fixed and retried.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .exceptions import IdempotencyKeyInUse, IdempotencyKeyReused
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


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
    if record.response_status is None:
        raise IdempotencyKeyInUse()
    raise Replay(record)


def finish(record: IdempotencyKey, response) -> None:
    """Keep the response for replays, or give the key up if the request should be retried."""
    if response.status_code == status.HTTP_400_BAD_REQUEST or response.status_code >= 500:
        record.delete()
        return
    record.response_status = response.status_code
    record.response_body = response.data
    record.save(update_fields=["response_status", "response_body"])


def replay_response(record: IdempotencyKey) -> Response:
    return Response(record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"})


class IdempotentPostMixin:
    # For APIViews: honours an `Idempotency-Key` header on POST.

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
            return replay_response(exc.record)
        try:
            return super().handle_exception(exc)
        except Exception:
            if self._idempotency_record is not None:
                self._idempotency_record.delete()
                self._idempotency_record = None
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._idempotency_record is not None:
            finish(self._idempotency_record, response)
            self._idempotency_record = None
        return response
