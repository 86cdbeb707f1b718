"""Checking the `x-signature` of a Mercado Pago notification (Webhooks; IPN cannot be verified).

Mercado Pago signs each notification with the application's webhook secret:

    x-signature: ts=<timestamp>,v1=<hex HMAC-SHA256 of the manifest>
    manifest:    id:<data.id from the query string>;request-id:<x-request-id header>;ts:<ts>;

A part whose value the notification lacks is left out of the manifest, and an alphanumeric
`data.id` is used in lower case. `ts` is documented in milliseconds, yet examples carry seconds:
both are accepted. A signature older (or further ahead) than `TOLERANCE_SECONDS` is refused, so a
captured notification cannot be replayed later.
"""
from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 10 * 60
# Above this, `ts` counts milliseconds (1e11 seconds is the year 5138).
MILLISECONDS_FROM = 10**11


class InvalidSignature(Exception):
    """The notification is not Mercado Pago's (or is too old); `reason` says which check failed."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def manifest(*, data_id: str | None, request_id: str | None, ts: str) -> str:
    parts = []
    if data_id:
        parts.append(f"id:{data_id.lower() if data_id.isalnum() else data_id}")
    if request_id:
        parts.append(f"request-id:{request_id}")
    parts.append(f"ts:{ts}")
    return ";".join(parts) + ";"


def sign(secret: str, *, data_id: str | None, request_id: str | None, ts: str) -> str:
    return hmac.new(
        secret.encode(), manifest(data_id=data_id, request_id=request_id, ts=ts).encode(), hashlib.sha256,
    ).hexdigest()


def _parse(header: str) -> dict[str, str]:
    fields = {}
    for part in header.split(","):
        key, equals, value = part.partition("=")
        if equals and key.strip() and value.strip():
            fields[key.strip().lower()] = value.strip()
    return fields


def timestamp_seconds(ts: str) -> float:
    value = int(ts)
    return value / 1000 if value >= MILLISECONDS_FROM else float(value)


def verify(header: str | None, *, request_id: str | None, data_id: str | None, secret: str,
           now: float | None = None) -> int:
    """Raise InvalidSignature unless `header` signs this notification, recently; returns its time (seconds)."""
    if not secret:
        raise InvalidSignature("no webhook secret is set")
    if not header or not header.strip():
        raise InvalidSignature("missing x-signature")
    fields = _parse(header)
    ts, received = fields.get("ts", ""), fields.get("v1", "")
    if not ts.isdigit() or not received:
        raise InvalidSignature("malformed x-signature")
    expected = sign(secret, data_id=(data_id or "").strip() or None, request_id=(request_id or "").strip() or None,
                    ts=ts)
    if not hmac.compare_digest(expected, received.lower()):
        raise InvalidSignature("signature mismatch")
    signed_at = timestamp_seconds(ts)
    now = time.time() if now is None else now
    if abs(now - signed_at) > TOLERANCE_SECONDS:
        raise InvalidSignature("signature too old" if signed_at < now else "signature from the future")
    return int(signed_at)
