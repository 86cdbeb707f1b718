"""Mercado Pago's REST API, the two calls we make: create a Checkout Pro preference, read a payment.

A thin `requests` client rather than the official SDK (`mercadopago` on PyPI, read at 3.6.0):
- its base address is fixed: `mercadopago.config.Config` keeps "https://api.mercadopago.com" in a
  private, name-mangled class attribute with no setter, and every resource builds its URLs from a
  new `Config()`. Pointing it at a stub (tests, staging) would take patching that private name or
  rewriting every URL in a custom HTTP client; MERCADOPAGO_API_BASE here is one setting.
- its HTTP client retries 429 and 5xx inside the call (urllib3 `Retry`, three times by default),
  while our retries belong to the outbox (a worker must not sit in a backoff, and a retry must be
  visible on the row).
- its webhook validator checks the age of `ts` as seconds only (Mercado Pago documents
  milliseconds) and puts `data.id` in the manifest as received, where the documentation asks for
  alphanumeric ids in lower case: see paymentlinks/signatures.py.

Errors: `Unavailable` (timeout, connection error, 429, 5xx: worth trying again later), `NotFound`
(404: no such payment for this account), `Refused` (any other answer: bad data or credentials).
Redirects are never followed.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import quote

import requests
from django.conf import settings

USER_AGENT = "OrderBackOffice-PaymentLinks/1.0"
ERROR_CHARS = 300


class ApiError(Exception):
    def __init__(self, message: str, *, status: int | None = None):
        self.status = status
        super().__init__(message)


class Unavailable(ApiError):
    """Mercado Pago did not answer usefully now (timeout, connection, 429, 5xx): try again later."""


class NotFound(ApiError):
    """404: the resource does not exist for this account (e.g. another seller's payment)."""


class Refused(ApiError):
    """Any other 4xx, or an answer we cannot read: trying again will not help."""


@dataclass
class Answer:
    status: int
    data: dict
    duration_ms: int


def configured() -> bool:
    """Whether payment links are on: an access token is set."""
    return bool(settings.MERCADOPAGO_ACCESS_TOKEN)


def _url(path: str) -> str:
    return settings.MERCADOPAGO_API_BASE.rstrip("/") + path


def _headers(idempotency_key: str = "") -> dict:
    headers = {
        "Authorization": f"Bearer {settings.MERCADOPAGO_ACCESS_TOKEN}",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    if idempotency_key:
        headers["X-Idempotency-Key"] = idempotency_key
    return headers


def _short(text) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def _call(method: str, path: str, *, body: dict | None = None, idempotency_key: str = "") -> Answer:
    timeout = settings.MERCADOPAGO_TIMEOUT_SECONDS
    headers = _headers(idempotency_key)
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    started = time.monotonic()
    try:
        with requests.Session() as session:
            session.trust_env = False  # no proxy or .netrc from the environment
            response = session.request(
                method, _url(path), data=data, headers=headers, timeout=timeout, allow_redirects=False,
            )
    except requests.Timeout:
        raise Unavailable(f"Mercado Pago did not answer within {timeout:g} seconds") from None
    except requests.ConnectionError as error:
        raise Unavailable(f"Mercado Pago could not be reached: {_short(error)}") from None
    except requests.RequestException as error:
        raise Refused(f"the request to Mercado Pago could not be made: {_short(error)}") from None
    duration_ms = int((time.monotonic() - started) * 1000)
    status = response.status_code
    if status == 429 or status >= 500:
        raise Unavailable(f"Mercado Pago answered HTTP {status}", status=status)
    try:
        payload = response.json() if response.content else {}
    except ValueError:
        payload = None
    if status == 404:
        raise NotFound("Mercado Pago answered HTTP 404", status=status)
    if not 200 <= status < 300:
        message = payload.get("message") if isinstance(payload, dict) else ""
        raise Refused(
            f"Mercado Pago answered HTTP {status}" + (f": {_short(message)}" if message else ""), status=status,
        )
    if not isinstance(payload, dict):
        raise Refused(f"Mercado Pago answered HTTP {status} without a JSON object", status=status)
    return Answer(status=status, data=payload, duration_ms=duration_ms)


def create_preference(body: dict) -> dict:
    """POST /checkout/preferences: the preference, with its `id` and `init_point` (the link)."""
    return _call("POST", "/checkout/preferences", body=body).data


def get_payment(payment_id: str) -> dict:
    """GET /v1/payments/{id}: status, transaction_amount, currency_id, external_reference..."""
    return _call("GET", f"/v1/payments/{quote(str(payment_id), safe='')}").data
