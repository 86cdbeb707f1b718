"""Which addresses an endpoint may have: https to the public internet (http and local addresses
only where settings.WEBHOOK_ALLOW_LOCAL_URLS allows them, in development and tests)."""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOCAL_NAMES = ("localhost", "localhost.localdomain")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain")


def _ip(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_public_ip(address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def is_local_host(host: str) -> bool:
    """localhost, a loopback or private address, or a name only a local network resolves."""
    host = host.lower().rstrip(".")
    address = _ip(host)
    if address is not None:
        return not is_public_ip(address)
    return host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES) or "." not in host


def validate_endpoint_url(value: str) -> None:
    allow_local = settings.WEBHOOK_ALLOW_LOCAL_URLS
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise ValidationError(_("Enter a valid URL."), code="invalid") from None
    if parts.scheme not in ("https", "http") or not host:
        raise ValidationError(_("Enter a full address starting with https://."), code="invalid")
    if parts.username or parts.password:
        raise ValidationError(
            _("The address must not carry a user name or password: check the signature instead."), code="invalid"
        )
    local = is_local_host(host)
    if local and not allow_local:
        raise ValidationError(
            _("The address must be reachable on the internet, not a local or private one."), code="local_address"
        )
    if parts.scheme == "http" and not (allow_local and local):
        raise ValidationError(_("The address must start with https://."), code="https_required")


def check_resolved_address(url: str) -> str | None:
    """Why the worker must not post to `url`'s host as it resolves now (a private address), or None.

    The address typed in was checked when saved; this catches a public name that points inside.
    Unresolvable names return None: the request itself then fails and is retried.
    """
    if settings.WEBHOOK_ALLOW_LOCAL_URLS:
        return None
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = _ip(info[4][0].split("%")[0])
        if address is not None and not is_public_ip(address):
            return str(address)
    return None
