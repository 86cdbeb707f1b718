"""The thin `requests` layer both platform clients share: timeouts, JSON, rate limits, errors.

A call either returns the decoded JSON or raises one of:
- `Transient`: worth trying again later (timeout, connection error, 5xx, a 429 that asks for a
  longer wait than we hold a worker for);
- `Refused`: the platform said no (4xx): trying again changes nothing until someone acts (a
  revoked token is `Unauthorized`).

A 429 is waited out as the platform says (`Retry-After`, in seconds) and the call repeated, at most
`RATE_LIMIT_RETRIES` times and for at most `MAX_WAIT_SECONDS` each; a longer wait becomes a
`Transient` whose `retry_after` the outbox honours.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3
MAX_WAIT_SECONDS = 10
RESPONSE_CHARS = 1000


class PlatformError(Exception):
    """A call to the platform that did not succeed. `status` is the HTTP code, if one came back."""

    def __init__(self, message: str, *, status: int | None = None, body: str = "", retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.body = body[:RESPONSE_CHARS]
        self.retry_after = retry_after


class Transient(PlatformError):
    """Try again later."""


class Refused(PlatformError):
    """The platform refused the request; repeating it gives the same answer."""


class Unauthorized(Refused):
    """The access token was refused (revoked, app uninstalled): the store must be connected again."""


class NotFound(Refused):
    """The platform has no such thing (an order deleted there)."""


@dataclass
class Call:
    """What the last request sent and got, for the write-back's attempt log."""

    status: int | None = None
    body: str = ""
    duration_ms: int = 0


def retry_after(response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 1.0


class Client:
    """A JSON API over `requests`; subclasses set the base URL and headers."""

    def __init__(self, *, session: requests.Session | None = None, sleep=time.sleep):
        self.session = session or requests.Session()
        self.session.trust_env = False  # no proxy from the environment
        self.sleep = sleep
        self.last = Call()

    def headers(self) -> dict:
        return {"Content-Type": "application/json", "Accept": "application/json"}

    def request(self, method: str, url: str, *, payload=None, form: dict | None = None) -> object:
        """Send one request (repeating it after the 429 waits the platform asks for); the decoded JSON.

        `payload` is sent as JSON, `form` as application/x-www-form-urlencoded.
        """
        body = None if payload is None else json.dumps(payload)
        headers = self.headers()
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            started = time.monotonic()
            try:
                response = self.session.request(
                    method, url, data=body, headers=headers, timeout=settings.PLATFORM_TIMEOUT_SECONDS,
                    allow_redirects=False,
                )
            except requests.Timeout:
                self._record(None, "", started)
                raise Transient(f"no answer within {settings.PLATFORM_TIMEOUT_SECONDS:g} seconds") from None
            except requests.RequestException as error:
                self._record(None, "", started)
                raise Transient(f"could not connect: {error}") from None
            text = response.text
            self._record(response.status_code, text, started)
            if response.status_code == 429:
                wait = retry_after(response)
                if attempt < RATE_LIMIT_RETRIES and wait <= MAX_WAIT_SECONDS:
                    logger.info("Rate limited by %s; waiting %.1f s as told", url, wait)
                    self.sleep(wait)
                    continue
                raise Transient("rate limited (HTTP 429)", status=429, body=text, retry_after=wait)
            self.throttle(response)
            return self.decode(response, text)
        raise AssertionError("unreachable")  # pragma: no cover

    def _record(self, status, text, started) -> None:
        self.last = Call(status=status, body=(text or "")[:RESPONSE_CHARS],
                         duration_ms=int((time.monotonic() - started) * 1000))

    def throttle(self, response) -> None:
        """Hook: wait before the next call when the platform says the bucket is empty."""

    def decode(self, response, text: str):
        status = response.status_code
        if 200 <= status < 300:
            if not text.strip():
                return {}
            try:
                return json.loads(text)
            except ValueError:
                raise Transient("the platform answered something that is not JSON", status=status, body=text) from None
        if status >= 500:
            raise Transient(f"the platform answered HTTP {status}", status=status, body=text)
        if status in (401, 403):
            raise Unauthorized(f"the platform refused the access token (HTTP {status})", status=status, body=text)
        if status == 404:
            raise NotFound("the platform has no such resource (HTTP 404)", status=status, body=text)
        if 300 <= status < 400:
            raise Refused(f"the platform answered HTTP {status} (a redirect: check the API address)", status=status,
                          body=text)
        raise Refused(f"the platform answered HTTP {status}: {text[:300]}", status=status, body=text)
