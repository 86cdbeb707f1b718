"""The push subscription service: what the timeline page calls when a browser opts in or out."""
import pytest

from notifications.models import PushSubscription
from notifications.services import (
    MAX_PUSH_DEVICES_PER_ORDER,
    TooManyPushDevices,
    subscribe_push,
    unsubscribe_push,
)
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdC1kZXZpY2U:APA91bH"


def test_subscribing_again_renews_the_keys_of_the_one_subscription():
    order = OrderFactory()

    first = subscribe_push(order, endpoint=FCM, p256dh="key-1", auth="auth-1", user_agent="Firefox")
    again = subscribe_push(order, endpoint=FCM, p256dh="key-2", auth="auth-2", user_agent="x" * 400)

    assert (first, again) == (True, False)
    stored = PushSubscription.objects.get(order=order)
    assert (stored.p256dh, stored.auth, stored.user_agent) == ("key-2", "auth-2", "x" * 300)


def test_a_new_browser_beyond_the_limit_is_refused_but_a_subscribed_one_may_renew():
    order = OrderFactory()
    for device in range(MAX_PUSH_DEVICES_PER_ORDER):
        subscribe_push(order, endpoint=f"{FCM}-{device}", p256dh="key", auth="auth")

    with pytest.raises(TooManyPushDevices):
        subscribe_push(order, endpoint=f"{FCM}-new", p256dh="key", auth="auth")
    assert subscribe_push(order, endpoint=f"{FCM}-0", p256dh="renewed", auth="auth") is False
    assert PushSubscription.objects.filter(order=order).count() == MAX_PUSH_DEVICES_PER_ORDER
    assert subscribe_push(OrderFactory(), endpoint=f"{FCM}-new", p256dh="key", auth="auth") is True


def test_unsubscribing_forgets_only_that_browser_of_that_order():
    order, other = OrderFactory(), OrderFactory()
    subscribe_push(order, endpoint=FCM, p256dh="key", auth="auth")
    subscribe_push(order, endpoint=f"{FCM}-2", p256dh="key", auth="auth")
    subscribe_push(other, endpoint=FCM, p256dh="key", auth="auth")

    unsubscribe_push(order, endpoint=FCM)
    unsubscribe_push(order, endpoint=FCM)  # again: nothing to forget, no error

    assert list(PushSubscription.objects.filter(order=order).values_list("endpoint", flat=True)) == [f"{FCM}-2"]
    assert PushSubscription.objects.filter(order=other, endpoint=FCM).exists()
