"""Per-client-address rate limits for the public pages, kept in Django's cache.

A fixed window per scope and address: the first request of a window creates the counter
with `cache.add`, every request increments it atomically with `cache.incr`. Past the limit
the view answers 429 with Retry-After (seconds until the window ends).

The counters live in the default cache: in production point CACHE_URL at a cache shared
by every web process (Redis, Memcached or the database), or each process counts on its own
(a system check warns when DEBUG is off and the cache is process-local, config/checks.py).
"""
from __future__ import annotations

import functools
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from config.proxies import client_address as _client_address

_UNITS = {
    "s": 1, "sec": 1, "second": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hour": 3600,
    "d": 86400, "day": 86400,
}
_clock = time.time  # the windows' clock (tests hold it still)

_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*", re.IGNORECASE)


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """"120/min" -> (120, 60); "10/5min" -> (10, 300); empty -> None (no limit)."""
    if not rate:
        return None
    match = _RATE.fullmatch(rate)
    if not match or match.group(3).lower() not in _UNITS:
        raise ValueError(f"Not a rate like 120/min: {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNITS[unit.lower()]


def client_address(request) -> str:
    # REMOTE_ADDR, or X-Forwarded-For through TRUSTED_PROXY_COUNT proxies only (config/proxies.py):
    # the same address the API throttle and the admin login throttle count.
    return _client_address(request) or "unknown"


def retry_after(scope: str, request) -> int | None:
    """Count this request; return the seconds to wait if it is over the limit, else None."""
    parsed = parse_rate(settings.PUBLIC_PAGE_RATE_LIMIT)
    if parsed is None:
        return None
    limit, period = parsed
    now = _clock()
    window = int(now // period)
    key = f"timeline:rate:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, int((window + 1) * period - now + 0.999))


def too_many_requests(seconds: int) -> HttpResponse:
    response = HttpResponse(
        "Too many requests. Please try again in a moment.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(scope: str):
    """Decorate a view: at most PUBLIC_PAGE_RATE_LIMIT requests per client address and scope."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = retry_after(scope, request)
            if seconds is not None:
                return too_many_requests(seconds)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
