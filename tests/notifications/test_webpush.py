"""Web push through pywebpush to a local stub push service: the payload is decrypted with the browser's keys."""
import base64
import json
import os

import http_ece
import pytest
import safehttp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.management import call_command

from notifications.models import Notification, PushSubscription
from orders import services

from .helpers import TRACKING_CODE, StubServer, pay, place, ship, switch

pytestmark = pytest.mark.django_db

CREATED = (201, {"Location": "https://push.example.net/m/0123"}, b"")
GONE = (410, {}, b"push subscription has unsubscribed or expired.")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """What a browser keeps for one push subscription: an ECDH P-256 key pair and an auth secret."""

    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(public)
        self.auth = b64url(self.auth_secret)

    def subscribe(self, order, endpoint):
        return PushSubscription.objects.create(order=order, endpoint=endpoint, p256dh=self.p256dh, auth=self.auth)

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        return json.loads(plain)


@pytest.fixture
def vapid(settings):
    """A fresh VAPID key pair from our own management command, put in the settings."""
    import io

    out = io.StringIO()
    call_command("generate_vapid_keys", stdout=out)
    values = dict(line.split("=", 1) for line in out.getvalue().splitlines() if line and not line.startswith("#"))
    settings.VAPID_PUBLIC_KEY = values["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = values["VAPID_PRIVATE_KEY"]
    settings.VAPID_SUBJECT = "mailto:tienda@example.com"
    settings.PUSH_BACKEND = "notifications.backends.push.webpush.PushBackend"
    settings.WEBPUSH_ALLOW_LOCAL_ENDPOINTS = True  # the push service is a stub on 127.0.0.1
    return values


def preparing_order(staff):
    order = pay(place(by=staff, language="pt-br"), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    return order


def assert_vapid_signed(headers, vapid, audience):
    scheme, params = headers["authorization"].split(" ", 1)
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == vapid["VAPID_PUBLIC_KEY"]
    header, claims, signature = fields["t"].split(".")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(fields["k"]))
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public_key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    claims = json.loads(b64url_decode(claims))
    assert claims["aud"] == audience and claims["sub"] == "mailto:tienda@example.com"


def test_the_encrypted_payload_reaching_the_push_service_decrypts_to_the_message(staff, commit, vapid):
    browser = Browser()
    order = preparing_order(staff)
    with StubServer([CREATED]) as push_service:
        browser.subscribe(order, f"{push_service.url}/push/v1/abc")
        with commit():
            ship(order, by=staff)
    order.refresh_from_db()

    assert len(push_service.requests) == 1
    request = push_service.requests[0]
    assert request["path"] == "/push/v1/abc"
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert int(request["headers"]["ttl"]) > 0
    assert_vapid_signed(request["headers"], vapid, push_service.url)
    assert browser.decrypt(request["body"]) == {
        "title": "O seu pedido está a caminho",
        "body": f"Enviado pela Correo Argentino. Código de rastreamento: {TRACKING_CODE}.",
        "url": order.get_tracking_redirect_url(),
        "tag": f"{order.number}-shipped",
    }
    row = Notification.objects.get(order=order, milestone="shipped", channel="push")
    assert (row.status, row.provider_message_id) == ("sent", "https://push.example.net/m/0123")


def test_an_expired_subscription_is_deleted_and_the_push_fails_at_once(staff, commit, vapid, credits, sms_outbox):
    switch("shipped", email=False, sms=False, push=True, fallback_channel="sms")
    order = preparing_order(staff)
    with StubServer([GONE]) as push_service:
        Browser().subscribe(order, f"{push_service.url}/push/v1/gone")
        with commit():
            ship(order, by=staff)

    row = Notification.objects.get(order=order, milestone="shipped", channel="push")
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.reason.startswith("Push service HTTP 410")
    assert len(push_service.requests) == 1
    assert not PushSubscription.objects.filter(order=order).exists()
    # The milestone's fallback tells the customer anyway.
    assert Notification.objects.get(order=order, milestone="shipped", channel="sms").fallback_for == "push"
    assert len(sms_outbox) == 1


def test_one_expired_browser_does_not_stop_the_others(staff, commit, vapid):
    order = preparing_order(staff)
    alive, gone = Browser(), Browser()
    with StubServer([GONE]) as old_service, StubServer([CREATED]) as new_service:
        gone.subscribe(order, f"{old_service.url}/push/old")
        alive.subscribe(order, f"{new_service.url}/push/new")
        with commit():
            ship(order, by=staff)

    assert Notification.objects.get(order=order, milestone="shipped", channel="push").status == "sent"
    assert list(PushSubscription.objects.filter(order=order).values_list("endpoint", flat=True)) == [
        f"{new_service.url}/push/new"
    ]
    assert alive.decrypt(new_service.requests[0]["body"])["title"] == "O seu pedido está a caminho"


def test_an_endpoint_that_is_not_a_known_push_service_is_never_posted_to(staff, commit, vapid, settings):
    settings.WEBPUSH_ALLOW_LOCAL_ENDPOINTS = False  # production
    order = preparing_order(staff)
    with StubServer([CREATED]) as push_service:
        # Stored before endpoints were checked when saved: checked again when sending.
        Browser().subscribe(order, f"{push_service.url}/push/v1/abc")
        with commit():
            ship(order, by=staff)

    assert push_service.requests == []
    row = Notification.objects.get(order=order, milestone="shipped", channel="push")
    assert row.status == "failed"
    assert row.reason == "Push endpoint not allowed: not https"


def test_a_push_service_name_resolving_to_a_private_address_is_not_posted_to(staff, commit, vapid, settings):
    settings.WEBPUSH_ALLOW_LOCAL_ENDPOINTS = False
    order = preparing_order(staff)
    Browser().subscribe(order, "https://fcm.googleapis.com/fcm/send/abc")
    asked = []

    def resolver(host, port):
        asked.append((host, port))
        return ["10.20.30.40"]

    with safehttp.use_resolver(resolver), commit():
        ship(order, by=staff)

    assert asked == [("fcm.googleapis.com", 443)]
    row = Notification.objects.get(order=order, milestone="shipped", channel="push")
    assert row.status == "failed"
    assert "fcm.googleapis.com resolves to 10.20.30.40: private" in row.reason


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_from_the_push_service_is_not_followed(staff, commit, vapid, status):
    order = preparing_order(staff)
    with StubServer([(status, {"Location": "/push/v1/elsewhere"}, b"")]) as push_service:
        Browser().subscribe(order, f"{push_service.url}/push/v1/abc")
        with commit():
            ship(order, by=staff)

    assert [request["path"] for request in push_service.requests] == ["/push/v1/abc"]
    row = Notification.objects.get(order=order, milestone="shipped", channel="push")
    assert row.status == "failed"
    assert row.reason.startswith(f"Push service HTTP {status}")
