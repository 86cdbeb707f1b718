"""Anymail tracking webhooks (delivered, bounced, complained, rejected) move the email's log row on, once per event."""
import base64

import pytest
from django.test import override_settings

from notifications.models import Notification
from notifications.views import tracking_esp
from .helpers import pay, place, switch

pytestmark = pytest.mark.django_db

URL = "/notifications/anymail/postmark/tracking/"
SECRET = "anymail:s3cret-webhook"
POSTMARK = "anymail.backends.postmark.EmailBackend"
# anymail's providers with a tracking webhook (each a module of anymail.backends).
PROVIDERS = ["amazon_ses", "brevo", "mailersend", "mailgun", "mailjet", "mailtrap", "mandrill", "postal",
             "postmark", "resend", "sendgrid", "sendinblue", "sparkpost", "unisender_go"]


@pytest.fixture
def webhook(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()

    def post(event, authorization=auth):
        headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
        # The store sends through Postmark (the emails of the fixtures went through anymail's test backend).
        with override_settings(EMAIL_BACKEND=POSTMARK):
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
    assert sent_email.status == "delivered"
    assert sent_email.reported_at.year == 2026


def test_a_bounce_marks_the_row_undelivered_and_the_same_event_posted_again_is_ignored(webhook, sent_email):
    assert webhook(bounce(sent_email.provider_message_id)).status_code == 200
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.reason_code) == ("undelivered", "bounced")
    assert sent_email.reason.startswith("the email bounced: The server was unable to deliver")

    # Arrange: the row is sent again under the same provider id; the provider re-posts the old event.
    Notification.objects.filter(pk=sent_email.pk).update(status="sent", reason_code="", reason_detail="")
    assert webhook(bounce(sent_email.provider_message_id)).status_code == 200
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.reason_code) == ("sent", "")


def test_a_rejection_fails_the_row(webhook, sent_email):
    rejected = {"RecordType": "Bounce", "ID": 99, "Type": "ManuallyDeactivated", "TypeCode": 16,
                "MessageID": sent_email.provider_message_id, "Email": "maria@example.com",
                "BouncedAt": "2026-11-20T16:40:00Z", "Description": "The address was deactivated."}
    assert webhook(rejected).status_code == 200
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.reason_code) == ("failed", "rejected")


def test_a_bounce_after_the_delivery_report_is_ignored(webhook, sent_email):
    webhook(delivery(sent_email.provider_message_id))
    webhook(bounce(sent_email.provider_message_id))
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.reason_code) == ("delivered", "")


def test_a_complaint_is_recorded_and_a_late_delivery_report_does_not_hide_it(webhook, sent_email):
    complaint = {"RecordType": "SpamComplaint", "ID": 42, "Type": "SpamComplaint",
                 "MessageID": sent_email.provider_message_id, "Email": "maria@example.com",
                 "BouncedAt": "2026-11-20T17:00:00Z"}
    webhook(complaint)
    webhook(delivery(sent_email.provider_message_id))
    sent_email.refresh_from_db()
    assert sent_email.status == "delivered"
    assert sent_email.complained_at.year == 2026


def test_the_webhook_refuses_calls_without_the_secret(webhook, sent_email):
    assert webhook(bounce(sent_email.provider_message_id), authorization=None).status_code == 400
    wrong = "Basic " + base64.b64encode(b"anymail:guess").decode()
    assert webhook(bounce(sent_email.provider_message_id), authorization=wrong).status_code == 400
    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.reason_code) == ("sent", "")


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


# --- who may post ----------------------------------------------------------------------------


def test_without_a_secret_an_anonymous_bounce_changes_nothing(
    webhook, staff, commit, credits, sms_outbox, settings
):
    settings.ANYMAIL = {}  # ANYMAIL_WEBHOOK_SECRET unset, DEBUG off
    switch("payment_approved", email=True, sms=False, push=False, fallback_channel="sms")
    order = place(by=staff)
    with commit():
        pay(order, by=staff)
    row = Notification.objects.get(order=order, milestone="payment_approved", channel="email")
    balance = credits()

    with commit():
        response = webhook(bounce(row.provider_message_id, event_id=7), authorization=None)

    assert response.status_code == 403
    row.refresh_from_db()
    assert (row.status, row.reason_code) == ("sent", "")
    assert not Notification.objects.filter(order=order, milestone="payment_approved", channel="sms").exists()
    assert sms_outbox == []
    assert credits() == balance


@pytest.mark.parametrize("esp", PROVIDERS)
@pytest.mark.parametrize("body", [b"", b"{}"])
def test_without_a_secret_every_providers_webhook_answers_403_never_500(client, settings, esp, body):
    settings.ANYMAIL = {}
    settings.DEBUG = False
    settings.EMAIL_BACKEND = f"anymail.backends.{esp}.EmailBackend"
    client.raise_request_exception = False

    response = client.post(f"/notifications/anymail/{esp}/tracking/", body, content_type="application/json")

    assert response.status_code == 403


@pytest.mark.parametrize("esp", ["mailgun", "postal", "mandrill", "unisender_go", "mailersend"])
def test_a_provider_missing_its_own_signing_key_answers_403_not_500(client, settings, esp):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.EMAIL_BACKEND = f"anymail.backends.{esp}.EmailBackend"
    client.raise_request_exception = False
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()

    response = client.post(f"/notifications/anymail/{esp}/tracking/", b"{}", content_type="application/json",
                           HTTP_AUTHORIZATION=auth)

    assert response.status_code == 403


@pytest.mark.parametrize(("esp", "body"), [("mailjet", b"{}"), ("resend", b"{}"), ("postmark", b"not json")])
def test_an_authenticated_body_that_cannot_be_read_answers_400_not_500(client, settings, esp, body):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.EMAIL_BACKEND = f"anymail.backends.{esp}.EmailBackend"
    client.raise_request_exception = False
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()

    response = client.post(f"/notifications/anymail/{esp}/tracking/", body, content_type="application/json",
                           HTTP_AUTHORIZATION=auth)

    assert response.status_code == 400


def test_in_development_without_a_secret_the_webhook_still_works(webhook, sent_email, settings):
    settings.ANYMAIL = {}
    settings.DEBUG = True
    assert webhook(delivery(sent_email.provider_message_id), authorization=None).status_code == 200
    sent_email.refresh_from_db()
    assert sent_email.status == "delivered"


@pytest.mark.parametrize(
    ("backend", "path"),
    [
        (POSTMARK, "/notifications/anymail/mailgun/tracking/"),  # another provider than the store's
        (POSTMARK, "/notifications/anymail/nosuchesp/tracking/"),
        (POSTMARK, "/notifications/anymail/postmark/inbound/"),  # inbound mail is not received
        ("anymail.backends.test.EmailBackend", URL),
        ("django.core.mail.backends.smtp.EmailBackend", URL),
    ],
)
def test_only_the_configured_providers_tracking_webhook_is_mounted(client, settings, backend, path):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.EMAIL_BACKEND = backend
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()
    assert client.post(path, b"{}", content_type="application/json", HTTP_AUTHORIZATION=auth).status_code == 404


@pytest.mark.parametrize(
    ("backend", "esp"),
    [
        ("anymail.backends.mailgun.EmailBackend", "mailgun"),
        ("anymail.backends.amazon_ses.EmailBackend", "amazon_ses"),
        ("anymail.backends.test.EmailBackend", None),
        ("anymail.backends.console.EmailBackend", None),
        ("django.core.mail.backends.console.EmailBackend", None),
        ("myshop.backends.mailgun.EmailBackend", None),
    ],
)
def test_the_provider_is_the_one_email_backend_sends_through(backend, esp):
    assert tracking_esp(backend) == esp
