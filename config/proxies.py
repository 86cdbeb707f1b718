"""The client's address, as the rate limits, the API throttle and the admin login throttle see it.

`X-Forwarded-For` is whatever the client wants it to be, except for the entries that proxies we run
appended. Each trusted proxy appends the address it saw, so with TRUSTED_PROXY_COUNT = n the client is
the n-th entry from the right (nginx's `$proxy_add_x_forwarded_for` keeps what the client sent in front).
With 0 (the default, no proxy in front) the header is ignored and REMOTE_ADDR is the client.
"""
from __future__ import annotations

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address, or None when the request has none (a request built in code)."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    # Fewer entries than trusted proxies: the farthest one is as close to the client as we can tell.
    return addresses[-min(count, len(addresses))]
