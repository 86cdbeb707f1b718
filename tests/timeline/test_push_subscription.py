"""Web push opt-in: only a well-formed subscription for a real token is stored; "Stop" removes it."""
import json

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import PushSubscription
from orders.models import Status

from .factories import b64url, browser_keys, order_at, subscription_json

pytestmark = pytest.mark.django_db

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdC1kZXZpY2U:APA91bH"
MOZILLA = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABexample"


def subscribe(client, order, payload, **extra):
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    extra.setdefault("content_type", "application/json")
    return client.post(reverse("timeline:push-subscribe", args=[order.public_token]), body, **extra)


def unsubscribe(client, order, payload):
    return client.post(
        reverse("timeline:push-unsubscribe", args=[order.public_token]), json.dumps(payload),
        content_type="application/json",
    )


def test_a_well_formed_subscription_is_stored_for_the_order(client):
    order = order_at(Status.ACCEPTED)
    payload = subscription_json(FCM)

    response = subscribe(client, order, payload, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/126")

    assert response.status_code == 201
    assert response.json() == {"subscribed": True}
    stored = PushSubscription.objects.get(order=order)
    assert stored.endpoint == FCM
    assert stored.p256dh == payload["keys"]["p256dh"]
    assert stored.auth == payload["keys"]["auth"]
    assert stored.user_agent == "Mozilla/5.0 (Linux; Android 14) Chrome/126"


def test_subscribing_again_is_idempotent_and_refreshes_the_keys(client):
    order = order_at(Status.ACCEPTED)
    subscribe(client, order, subscription_json(FCM))
    renewed = subscription_json(FCM)

    response = subscribe(client, order, renewed)

    assert response.status_code == 200
    assert PushSubscription.objects.filter(order=order).count() == 1
    assert PushSubscription.objects.get(order=order).p256dh == renewed["keys"]["p256dh"]


def test_padded_base64url_keys_are_accepted_and_stored_unpadded(client):
    order = order_at(Status.ACCEPTED)
    key, secret = browser_keys()

    response = subscribe(client, order, subscription_json(MOZILLA, p256dh=key + "=", auth=secret + "=="))

    assert response.status_code == 201
    assert PushSubscription.objects.get(order=order).p256dh == key


def test_the_same_browser_can_follow_two_orders(client):
    first, second = order_at(Status.ACCEPTED), order_at(Status.PREPARING)

    assert subscribe(client, first, subscription_json(FCM)).status_code == 201
    assert subscribe(client, second, subscription_json(FCM)).status_code == 201

    assert PushSubscription.objects.filter(endpoint=FCM).count() == 2


def _keys(point=None, auth=None):
    key, secret = browser_keys()
    return {"p256dh": key if point is None else point, "auth": secret if auth is None else auth}


NOT_ON_CURVE = b64url(b"\x04" + b"\x01" * 64)
COMPRESSED = b64url(b"\x02" + b"\x01" * 32)


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"endpoint": "http://fcm.googleapis.com/fcm/send/x", "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": "not a url", "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": "https://127.0.0.1/push", "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": "https://[::1]/push", "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": "https://localhost/push", "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": "https://printer.local/push", "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": "https://intranet/push", "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": "https://user:pass@fcm.googleapis.com/x", "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": FCM + "x" * 1000, "keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": 42, "keys": _keys()}, "invalid_endpoint"),
        ({"keys": _keys()}, "invalid_endpoint"),
        ({"endpoint": FCM}, "invalid_keys"),
        ({"endpoint": FCM, "keys": "p256dh"}, "invalid_keys"),
        ({"endpoint": FCM, "keys": _keys(point=b64url(b"\x04" + b"\x01" * 63))}, "invalid_p256dh"),
        ({"endpoint": FCM, "keys": _keys(point=COMPRESSED)}, "invalid_p256dh"),
        ({"endpoint": FCM, "keys": _keys(point=NOT_ON_CURVE)}, "invalid_p256dh"),
        ({"endpoint": FCM, "keys": _keys(point="BP+/" + "A" * 83)}, "invalid_p256dh"),
        ({"endpoint": FCM, "keys": _keys(point="")}, "invalid_p256dh"),
        ({"endpoint": FCM, "keys": _keys(point=12345)}, "invalid_p256dh"),
        ({"endpoint": FCM, "keys": _keys(auth=b64url(b"x" * 15))}, "invalid_auth"),
        ({"endpoint": FCM, "keys": _keys(auth=b64url(b"x" * 17))}, "invalid_auth"),
        ({"endpoint": FCM, "keys": _keys(auth="not base64!")}, "invalid_auth"),
        ({"endpoint": FCM, "expirationTime": "tomorrow", "keys": _keys()}, "invalid_subscription"),
        (["not", "an", "object"], "invalid_subscription"),
        ("{not json", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
    ],
)
def test_anything_but_a_well_formed_subscription_is_refused_with_400(client, payload, error):
    order = order_at(Status.ACCEPTED)

    response = subscribe(client, order, payload)

    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://169.254.169.254.nip.io/x",  # a public name for the cloud metadata address
        "https://fcm.googleapis.com:6379/fcm/send/x",  # a known push service, on another port
        "https://push.example.net/m/0123",  # not a browser's push service
        "https://fcm.googleapis.com.evil.example/x",
        "https://evilpush.services.mozilla.com.example/x",
    ],
)
def test_an_endpoint_outside_the_known_push_services_is_refused_when_saved(client, endpoint):
    order = order_at(Status.ACCEPTED)

    response = subscribe(client, order, subscription_json(endpoint))

    assert response.status_code == 400
    assert response.json() == {"error": "unknown_push_service"}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        FCM,
        "https://android.googleapis.com/gcm/send/abc",
        MOZILLA,
        "https://web.push.apple.com/QGuQyavXutnMH5DcmRe0mhAg",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
    ],
)
def test_each_browsers_push_service_is_accepted(client, endpoint):
    order = order_at(Status.ACCEPTED)

    response = subscribe(client, order, subscription_json(endpoint))

    assert response.status_code == 201
    assert PushSubscription.objects.get(order=order).endpoint == endpoint


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"])
def test_only_json_is_accepted_so_no_cross_site_form_can_subscribe(client, content_type):
    order = order_at(Status.ACCEPTED)
    body = json.dumps(subscription_json(FCM))

    response = client.post(reverse("timeline:push-subscribe", args=[order.public_token]), body,
                           content_type=content_type)

    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_oversized_body_is_refused(client):
    order = order_at(Status.ACCEPTED)
    payload = subscription_json(FCM)
    payload["padding"] = "x" * 5000

    assert subscribe(client, order, payload).status_code == 400


def test_the_endpoints_need_no_csrf_cookie_the_token_in_the_address_is_the_key():
    order = order_at(Status.ACCEPTED)
    browser = Client(enforce_csrf_checks=True)

    assert subscribe(browser, order, subscription_json(FCM)).status_code == 201
    assert unsubscribe(browser, order, {"endpoint": FCM}).status_code == 200


def test_subscribe_only_accepts_post(client):
    order = order_at(Status.ACCEPTED)

    assert client.get(reverse("timeline:push-subscribe", args=[order.public_token])).status_code == 405


def test_stop_notifications_removes_only_this_order_subscription_and_is_idempotent(client):
    order, other = order_at(Status.ACCEPTED), order_at(Status.ACCEPTED)
    subscribe(client, order, subscription_json(FCM))
    subscribe(client, order, subscription_json(MOZILLA))
    subscribe(client, other, subscription_json(FCM))

    first = unsubscribe(client, order, {"endpoint": FCM})
    again = unsubscribe(client, order, {"endpoint": FCM})

    assert first.status_code == again.status_code == 200
    assert first.json() == {"subscribed": False}
    assert list(PushSubscription.objects.filter(order=order).values_list("endpoint", flat=True)) == [MOZILLA]
    assert PushSubscription.objects.filter(order=other, endpoint=FCM).exists()


def test_stop_notifications_accepts_the_whole_subscription_object(client):
    order = order_at(Status.ACCEPTED)
    payload = subscription_json(FCM)
    subscribe(client, order, payload)

    assert unsubscribe(client, order, payload).status_code == 200
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"endpoint": "http://fcm.googleapis.com/x"}, ["x"]])
def test_stop_notifications_refuses_a_malformed_request(client, payload):
    order = order_at(Status.ACCEPTED)

    assert unsubscribe(client, order, payload).status_code == 400


def test_an_order_follows_at_most_ten_devices(client):
    order = order_at(Status.ACCEPTED)
    for n in range(10):
        assert subscribe(client, order, subscription_json(f"{FCM}{n}")).status_code == 201

    refused = subscribe(client, order, subscription_json(f"{FCM}new"))
    renewed = subscribe(client, order, subscription_json(f"{FCM}3"))

    assert refused.status_code == 400
    assert refused.json() == {"error": "too_many_devices"}
    assert renewed.status_code == 200
    assert PushSubscription.objects.filter(order=order).count() == 10
