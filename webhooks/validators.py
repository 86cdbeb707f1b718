"""Which addresses an endpoint may have: https on port 443 to the public internet (http, other ports
and local addresses only where settings.WEBHOOK_ALLOW_LOCAL_URLS allows them, in development and tests)."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import safehttp

LOCAL_NAMES = ("localhost", "localhost.localdomain")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain")


def _ip(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_local_host(host: str) -> bool:
    """localhost, a loopback or private address, or a name only a local network resolves."""
    host = host.lower().rstrip(".")
    address = _ip(host)
    if address is not None:
        return safehttp.refusal(address) is not None
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
    if parts.port not in (None, safehttp.DEFAULT_PORTS[parts.scheme]) and not (allow_local and local):
        raise ValidationError(
            _("The address must use the standard port (443 for https): leave the port out."), code="port"
        )


def session() -> safehttp.Session:
    """The session deliveries are posted with: the host is resolved once, checked, and connected to as checked.

    At delivery time this catches a public name that points inside (or was made to since it was saved).
    """
    allow_local = settings.WEBHOOK_ALLOW_LOCAL_URLS
    return safehttp.Session(allow_http=allow_local, allow_local=allow_local)
