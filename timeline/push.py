"""Checking a browser's web push subscription before it is stored.

A subscription is what `PushSubscription.toJSON()` gives in the browser:
    {"endpoint": "https://...", "expirationTime": null, "keys": {"p256dh": "...", "auth": "..."}}
`p256dh` is the browser's P-256 public key as an uncompressed point (65 bytes), `auth` its
16-byte secret, both base64url. Anything else is refused before it reaches the database.
"""
from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from notifications.backends.push.endpoints import endpoint_refusal

MAX_ENDPOINT_LENGTH = 1000  # PushSubscription.endpoint's max_length
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_https_url = URLValidator(schemes=["https"])
# Host names that never belong to a push service: the server will POST to the endpoint,
# so an endpoint must not point it at itself or at the local network.
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan")


class InvalidSubscription(ValueError):
    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def _b64url_decode(value) -> bytes | None:
    if not isinstance(value, str) or not _BASE64URL.fullmatch(value):
        return None
    raw = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        return None


def clean_endpoint(value) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ENDPOINT_LENGTH:
        raise InvalidSubscription("invalid_endpoint")
    try:
        _https_url(value)
    except ValidationError:
        raise InvalidSubscription("invalid_endpoint") from None
    parts = urlsplit(value)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.username or parts.password or "." not in host or host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        raise InvalidSubscription("invalid_endpoint")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:  # push services are reached by name, never by address
        raise InvalidSubscription("invalid_endpoint")
    if endpoint_refusal(value) is not None:  # https on port 443 of a browser's push service only
        raise InvalidSubscription("unknown_push_service")
    return value


def clean_subscription(data) -> Subscription:
    """Return the subscription's parts, or raise InvalidSubscription saying what is wrong."""
    if not isinstance(data, dict):
        raise InvalidSubscription("invalid_subscription")
    endpoint = clean_endpoint(data.get("endpoint"))
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise InvalidSubscription("invalid_keys")
    expiration = data.get("expirationTime")
    if expiration is not None and (isinstance(expiration, bool) or not isinstance(expiration, (int, float))):
        raise InvalidSubscription("invalid_subscription")

    p256dh = _b64url_decode(keys.get("p256dh"))
    if p256dh is None or len(p256dh) != 65 or p256dh[0] != 0x04:
        raise InvalidSubscription("invalid_p256dh")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError:  # not a point on the curve
        raise InvalidSubscription("invalid_p256dh") from None

    auth = _b64url_decode(keys.get("auth"))
    if auth is None or len(auth) != 16:
        raise InvalidSubscription("invalid_auth")

    # Stored in the unpadded base64url form pywebpush and the browsers use.
    return Subscription(
        endpoint=endpoint,
        p256dh=base64.urlsafe_b64encode(p256dh).rstrip(b"=").decode(),
        auth=base64.urlsafe_b64encode(auth).rstrip(b"=").decode(),
    )
