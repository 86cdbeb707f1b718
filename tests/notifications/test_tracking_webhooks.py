"""Anymail tracking webhooks (delivered, bounced, complained) update the email's log row, once per event."""
import base64

import pytest

from notifications.models import Notification
from .helpers import pay, place, switch

pytestmark = pytest.mark.django_db

URL = "/notifications/anymail/postmark/tracking/"
SECRET = "anymail:s3cret-webhook"


@pytest.fixture
def webhook(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()

    def post(event, authorization=auth):
        headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
        return client.post(URL, event, content_type="application/json", **headers)

    return post


@pytest.fixture
def sent_email(staff, commit):
    switch("new_order", email=False)
    with commit():
        order = place(by=staff)
    row = Notification.objects.get(order=order, milestone="order_placed", channel="email")
    assert row.status == "sent" and row.provider_message_id != ""
    return row


def delivery(message_id):
    return {"RecordType": "Delivery", "MessageID": message_id, "Recipient": "maria@example.com",
            "DeliveredAt": "2026-11-20T16:33:54.9070259Z", "Details": "Test delivery webhook details"}


def bounce(message_id, event_id=4323372036854775807):
    return {"RecordType": "Bounce", "ID": event_id, "Type": "HardBounce", "MessageID": message_id,
            "Email": "maria@example.com", "BouncedAt": "2026-11-20T16:40:00Z",
            "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found)."}


def test_a_delivery_report_marks_the_email_delivered(webhook, sent_email):
    assert webhook(delivery(sent_email.provider_message_id)).status_code == 200
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.delivery_status) == ("sent", "delivered")
    assert sent_email.delivery_status_at.year == 2026


def test_a_bounce_fails_the_row_and_the_same_event_posted_again_is_ignored(webhook, sent_email):
    assert webhook(bounce(sent_email.provider_message_id)).status_code == 200
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.delivery_status) == ("failed", "bounced")
    assert sent_email.reason.startswith("the email bounced: The server was unable to deliver")

    # Arrange: the row is sent again under the same provider id; the provider re-posts the old event.
    Notification.objects.filter(pk=sent_email.pk).update(status="sent", reason="", delivery_status="")
    assert webhook(bounce(sent_email.provider_message_id)).status_code == 200
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.delivery_status) == ("sent", "")


def test_a_complaint_is_recorded_and_a_late_delivery_report_does_not_hide_it(webhook, sent_email):
    complaint = {"RecordType": "SpamComplaint", "ID": 42, "Type": "SpamComplaint",
                 "MessageID": sent_email.provider_message_id, "Email": "maria@example.com",
                 "BouncedAt": "2026-11-20T17:00:00Z"}
    webhook(complaint)
    webhook(delivery(sent_email.provider_message_id))
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.delivery_status) == ("sent", "complained")


def test_the_webhook_refuses_calls_without_the_secret(webhook, sent_email):
    assert webhook(bounce(sent_email.provider_message_id), authorization=None).status_code == 400
    wrong = "Basic " + base64.b64encode(b"anymail:guess").decode()
    assert webhook(bounce(sent_email.provider_message_id), authorization=wrong).status_code == 400
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.delivery_status) == ("sent", "")


def test_a_bounced_email_falls_back_to_sms_when_the_milestone_says_so(webhook, staff, commit, credits, sms_outbox):
    switch("payment_approved", email=True, sms=False, push=False, fallback_channel="sms")
    order = place(by=staff)
    with commit():
        pay(order, by=staff)
    row = Notification.objects.get(order=order, milestone="payment_approved", channel="email")
    with commit():
        webhook(bounce(row.provider_message_id, event_id=7))
    sms = Notification.objects.get(order=order, milestone="payment_approved", channel="sms")
    assert (sms.status, sms.fallback_for) == ("sent", "email")
    assert len(sms_outbox) == 1
