"""Two posts of the same failure report at once (Twilio retrying while the first is applied): one
fallback message, one refund."""
import base64
import hashlib
import hmac
import threading

import pytest
from django.db import connection
from django.test import Client

from billing.models import LedgerEntry
from notifications.models import Notification
from tests.utils import requires_postgres

from .helpers import pay, place, switch

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

TOKEN = "twilio-auth-token-123"
PUBLIC_URL = "https://shop.example.com/hooks/twilio/status/"
THREADS = 4


def signed_post(params):
    data = PUBLIC_URL + "".join(name + params[name] for name in sorted(params))
    signature = base64.b64encode(hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()
    return Client().post("/hooks/twilio/status/", params, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.mark.parametrize("statuses", [["failed"] * THREADS, ["undelivered"] * THREADS,
                                      ["failed", "undelivered", "failed", "undelivered"]])
def test_the_same_failure_posted_at_once_falls_back_once_and_refunds_at_most_once(staff, credits, settings, statuses):
    """Identical posts meet on the report's key; two different failures at once, on the row's lock."""
    settings.TWILIO_AUTH_TOKEN = TOKEN
    switch("payment_approved", email=False, sms=True, push=False, fallback_channel="email")
    balance = credits()
    order = pay(place(by=staff), by=staff)  # committed: the SMS is sent (sync worker) and paid
    sms = Notification.objects.get(order=order, milestone="payment_approved", channel="sms")
    assert sms.status == "sent" and credits() == balance - 1

    barrier = threading.Barrier(THREADS)
    answers, errors = [], []

    def post(status):
        try:
            barrier.wait()
            answers.append(signed_post({"MessageSid": sms.provider_message_id, "MessageStatus": status,
                                        "ErrorCode": "30003"}).status_code)
        except Exception as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(status,)) for status in statuses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and answers == [204] * THREADS
    sms.refresh_from_db()
    assert sms.status in statuses  # the first failure applied stays
    status = sms.status
    fallbacks = Notification.objects.filter(order=order, milestone="payment_approved", channel="email")
    assert [(row.status, row.fallback_for) for row in fallbacks] == [("sent", "sms")]
    refunds = LedgerEntry.objects.filter(notification_id=sms.pk, kind="refund").count()
    # Twilio does not charge a failed SMS (refunded once); it charges an undelivered one (kept).
    assert refunds == (1 if status == "failed" else 0)
    assert credits() == (balance if status == "failed" else balance - 1)
