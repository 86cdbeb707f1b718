"""Where web push messages may go: https on port 443 of a known push service, through the outbound guard.

A browser's subscription names its push service's endpoint; the server then posts there. Only the
push services the browsers use are accepted, when the subscription is saved and again when sending.
`WEBPUSH_ALLOW_LOCAL_ENDPOINTS` (tests and development only) lets a push service stub on this
machine through instead.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

import safehttp

# Exact host names, and suffixes (".example") any name below which is accepted.
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",  # Chrome, Edge on Android, Opera, Samsung Internet
    "android.googleapis.com",  # Chrome's older endpoints
    ".push.services.mozilla.com",  # Firefox (updates.push.services.mozilla.com)
    ".push.apple.com",  # Safari (web.push.apple.com)
    ".notify.windows.com",  # Edge on Windows (wns2-*.notify.windows.com)
)


def is_push_service(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host.endswith(known) if known.startswith(".") else host == known for known in PUSH_SERVICE_HOSTS)


def allow_local() -> bool:
    return bool(getattr(settings, "WEBPUSH_ALLOW_LOCAL_ENDPOINTS", False))


def endpoint_refusal(url: str) -> str | None:
    """Why a subscription's endpoint is not accepted (without resolving it), or None."""
    if allow_local():
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "not a valid URL"
    if parts.scheme != "https":
        return "not https"
    if port not in (None, 443):
        return f"port {port} is not allowed"
    if not is_push_service(parts.hostname or ""):
        return f"{parts.hostname} is not a known push service"
    return None


def session() -> safehttp.Session:
    """The session push messages are posted with: known push services only, pinned to the vetted address."""
    local = allow_local()
    return safehttp.Session(allow_http=local, allow_local=local, allowed_host=is_push_service)
