"""Delivery reports: Twilio's signed status callbacks posted to /hooks/twilio/status/ move an SMS
from sent to delivered (or undelivered / failed, with the fallback and the refund once); the same
rules for any channel through apply_receipt."""
import base64
import hashlib
import hmac
from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import LedgerEntry
from notifications import services as notifications
from notifications.models import Notification, ReceiptEvent

from .helpers import pay, place, switch

pytestmark = pytest.mark.django_db

TOKEN = "twilio-auth-token-123"
HOOK = "/hooks/twilio/status/"
PUBLIC_URL = "https://shop.example.com/hooks/twilio/status/"  # SITE_URL in the test settings


def twilio_signature(url, params, token=TOKEN):
    """As Twilio documents it: the full URL, then each POST parameter's name and value sorted by name,
    HMAC-SHA1 with the auth token, base64."""
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


@pytest.fixture
def hook(client, settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN

    def post(sid, status, error_code="", *, signature=None, url=PUBLIC_URL, **extra):
        params = {"AccountSid": "AC00000000000000000000000000000001", "MessageSid": sid, "SmsSid": sid,
                  "MessageStatus": status, "SmsStatus": status, "To": "+5491155550000", "From": "+15005550006",
                  "ApiVersion": "2010-04-01", **extra}
        if error_code:
            params["ErrorCode"] = error_code
        signed = twilio_signature(url, params) if signature is None else signature
        # Behind the proxy the request reaches Django as plain http on another host name (testserver).
        return client.post(HOOK, params, HTTP_X_TWILIO_SIGNATURE=signed)

    return post


@pytest.fixture
def sent_sms(staff, commit, credits, sms_outbox):
    """An SMS sent (and paid) for the payment approved, with email as the milestone's fallback."""
    switch("payment_approved", email=False, sms=True, push=False, fallback_channel="email")
    order = place(by=staff)
    with commit():
        pay(order, by=staff)
    row = Notification.objects.get(order=order, milestone="payment_approved", channel="sms")
    assert row.status == "sent" and row.provider_message_id.startswith("locmem-sms-")
    return row


def fallback_emails(row):
    return Notification.objects.filter(order=row.order, milestone=row.milestone, channel="email")


def refunds(row):
    return LedgerEntry.objects.filter(notification_id=row.pk, kind="refund")


# --- who may post ----------------------------------------------------------------------------


def test_a_signed_delivered_report_marks_the_sms_delivered(hook, sent_sms):
    response = hook(sent_sms.provider_message_id, "delivered")

    assert response.status_code == 204
    sent_sms.refresh_from_db()
    assert sent_sms.status == "delivered" and sent_sms.reported_at is not None


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSBzaWduYXR1cmU=", None, "éabc"])
def test_a_wrong_or_missing_signature_is_refused_and_changes_nothing(hook, sent_sms, signature):
    if signature is None:  # signed for another address than the public one
        signature = twilio_signature("http://testserver/hooks/twilio/status/", {"MessageSid": "x"})
    response = hook(sent_sms.provider_message_id, "undelivered", "30003", signature=signature)

    assert response.status_code == 403
    sent_sms.refresh_from_db()
    assert sent_sms.status == "sent"
    assert not fallback_emails(sent_sms).exists()


def test_a_report_signed_with_another_token_is_refused(client, settings, sent_sms):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    params = {"MessageSid": sent_sms.provider_message_id, "MessageStatus": "delivered"}
    signed = twilio_signature(PUBLIC_URL, params, token="someone-elses-token")
    assert client.post(HOOK, params, HTTP_X_TWILIO_SIGNATURE=signed).status_code == 403


def test_without_an_auth_token_every_report_is_refused(client, settings, sent_sms):
    settings.TWILIO_AUTH_TOKEN = ""
    params = {"MessageSid": sent_sms.provider_message_id, "MessageStatus": "delivered"}
    signed = twilio_signature(PUBLIC_URL, params, token="")
    assert client.post(HOOK, params, HTTP_X_TWILIO_SIGNATURE=signed).status_code == 403


def test_the_address_signed_with_the_default_port_is_accepted(hook, sent_sms):
    response = hook(sent_sms.provider_message_id, "delivered", url="https://shop.example.com:443/hooks/twilio/status/")
    assert response.status_code == 204


def test_only_post_and_a_report_without_sid_is_bad(client, hook, settings):
    assert client.get(HOOK).status_code == 405
    params = {"MessageStatus": "delivered"}
    response = client.post(HOOK, params, HTTP_X_TWILIO_SIGNATURE=twilio_signature(PUBLIC_URL, params))
    assert response.status_code == 400


# --- the states ------------------------------------------------------------------------------


def test_reports_out_of_order_and_twice_end_delivered(hook, sent_sms):
    for status in ["delivered", "sent", "queued", "delivered", "sent"]:
        assert hook(sent_sms.provider_message_id, status).status_code == 204

    sent_sms.refresh_from_db()
    assert (sent_sms.status, sent_sms.reason_code) == ("delivered", "")


def test_a_failure_after_delivered_is_ignored(hook, sent_sms, credits):
    balance = credits()
    hook(sent_sms.provider_message_id, "delivered")
    hook(sent_sms.provider_message_id, "undelivered", "30003")

    sent_sms.refresh_from_db()
    assert sent_sms.status == "delivered"
    assert not fallback_emails(sent_sms).exists()
    assert credits() == balance


def test_a_late_undelivered_report_falls_back_once_and_keeps_the_charge(hook, sent_sms, credits, commit):
    """Twilio charges an SMS it tried to deliver: the credits stay spent."""
    from django.core import mail

    balance = credits()
    with commit():  # the fallback email is sent once the report's transaction commits
        hook(sent_sms.provider_message_id, "sent")
        hook(sent_sms.provider_message_id, "undelivered", "30003")
        hook(sent_sms.provider_message_id, "undelivered", "30003")  # posted again
        hook(sent_sms.provider_message_id, "failed", "30008")  # another failure: the first stays

    sent_sms.refresh_from_db()
    assert (sent_sms.status, sent_sms.reason_code) == ("undelivered", "undelivered")
    assert sent_sms.reason == "the provider reported it undelivered: Twilio error 30003: unreachable destination handset"
    email = fallback_emails(sent_sms).get()
    assert (email.status, email.fallback_for) == ("sent", "sms")
    assert [message.to for message in mail.outbox] == [["maria@example.com"]]
    assert credits() == balance and not refunds(sent_sms).exists()


def test_a_late_failed_report_falls_back_once_and_refunds_once(hook, sent_sms, credits):
    """Twilio does not charge a message that never left it ("failed"): the credits come back, once."""
    balance = credits()
    hook(sent_sms.provider_message_id, "failed", "30002")
    hook(sent_sms.provider_message_id, "failed", "30002")

    sent_sms.refresh_from_db()
    assert (sent_sms.status, sent_sms.reason_code) == ("failed", "provider_failed")
    assert "Twilio error 30002: account suspended" in sent_sms.reason
    assert fallback_emails(sent_sms).count() == 1
    assert credits() == balance + 1
    assert refunds(sent_sms).count() == 1


def test_delivered_after_a_failure_is_the_providers_last_word(hook, sent_sms):
    """Reports that cross end the same way whatever came first (the fallback already sent stays)."""
    hook(sent_sms.provider_message_id, "undelivered", "30003")
    hook(sent_sms.provider_message_id, "delivered")

    sent_sms.refresh_from_db()
    assert (sent_sms.status, sent_sms.reason_code) == ("delivered", "")
    assert fallback_emails(sent_sms).count() == 1


def test_a_report_for_a_message_we_never_sent_waits_and_changes_nothing(hook, sent_sms):
    assert hook("SM_not_ours", "delivered").status_code == 204
    sent_sms.refresh_from_db()
    assert sent_sms.status == "sent"
    assert ReceiptEvent.objects.get(message_id="SM_not_ours").applied is False


def test_a_report_that_comes_before_the_id_is_written_is_applied_when_it_is(hook, sent_sms, credits):
    """The worker writes its batch's ids after sending it: the provider may report first."""
    message_id = sent_sms.provider_message_id
    Notification.objects.filter(pk=sent_sms.pk).update(provider_message_id="")
    hook(message_id, "failed", "30001")
    assert fallback_emails(sent_sms).count() == 0

    Notification.objects.filter(pk=sent_sms.pk).update(provider_message_id=message_id)
    assert notifications.apply_waiting_receipts([message_id]) == 1

    sent_sms.refresh_from_db()
    assert sent_sms.status == "failed"
    assert fallback_emails(sent_sms).count() == 1
    assert refunds(sent_sms).count() == 1
    assert notifications.apply_waiting_receipts() == 0  # applied once


def test_the_sweep_applies_waiting_reports_of_the_last_minutes(sent_sms):
    from notifications.tasks import sweep_queued_notifications

    message_id = sent_sms.provider_message_id
    Notification.objects.filter(pk=sent_sms.pk).update(provider_message_id="")
    notifications.apply_receipt(channel="sms", provider_message_id=message_id, state="read", at=timezone.now())
    Notification.objects.filter(pk=sent_sms.pk).update(provider_message_id=message_id)

    sweep_queued_notifications()

    sent_sms.refresh_from_db()
    assert sent_sms.status == "read"


def test_apply_receipt_refuses_an_unknown_state(sent_sms):
    with pytest.raises(ValueError):
        notifications.apply_receipt(channel="sms", provider_message_id=sent_sms.provider_message_id,
                                    state="bounced", at=timezone.now())


def test_a_queued_or_skipped_row_is_never_moved(sent_sms):
    Notification.objects.filter(pk=sent_sms.pk).update(status="skipped")
    changed = notifications.apply_receipt(channel="sms", provider_message_id=sent_sms.provider_message_id,
                                          state="delivered", at=timezone.now())
    assert changed is False
    sent_sms.refresh_from_db()
    assert sent_sms.status == "skipped"


# --- the backend asks for the reports ------------------------------------------------------


def test_the_backend_sends_the_status_callback_only_when_the_setting_says_so(settings):
    import urllib.parse

    from notifications.backends import SmsMessage
    from notifications.backends.sms.twilio import SmsBackend

    from .helpers import StubServer

    created = (201, {"Content-Type": "application/json"}, {"sid": "SM0123456789abcdef0123456789abcdef"})
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC00000000000000000000000000000001", TOKEN
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    with StubServer([created]) as stub:
        settings.TWILIO_API_BASE = stub.url
        settings.TWILIO_STATUS_CALLBACKS = False
        SmsBackend().send_messages([SmsMessage(to="+5491155550000", body="Hola")])
        settings.TWILIO_STATUS_CALLBACKS = True
        SmsBackend().send_messages([SmsMessage(to="+5491155550000", body="Hola")])
    first, second = (urllib.parse.parse_qs(request["body"].decode()) for request in stub.requests)
    assert "StatusCallback" not in first
    assert second["StatusCallback"] == [PUBLIC_URL]


# --- the log and the daily counts ------------------------------------------------------------


def test_a_delivered_row_is_counted_once_under_delivered_when_purged(hook, sent_sms):
    from notifications.models import DailyNotificationCount

    hook(sent_sms.provider_message_id, "delivered")
    Notification.objects.update(created_at=timezone.now() - timedelta(days=30))

    notifications.purge_log()

    counts = dict(DailyNotificationCount.objects.filter(channel="sms").values_list("status", "count"))
    assert counts == {"delivered": 1}
    assert not Notification.objects.exists()
    assert not ReceiptEvent.objects.filter(received_at__lt=timezone.now() - timedelta(days=6)).exists()


# --- what staff see ------------------------------------------------------------------------


def test_the_log_filters_and_shows_the_reported_states(hook, sent_sms, staff_client):
    hook(sent_sms.provider_message_id, "undelivered", "30005")
    email = Notification.objects.get(order=sent_sms.order, milestone="order_placed", channel="email")
    Notification.objects.filter(pk=email.pk).update(status="read")

    page = staff_client.get("/admin/notifications/notification/", {"status__exact": "undelivered"})
    assert [row.pk for row in page.context["cl"].result_list] == [sent_sms.pk]
    html = page.content.decode()
    assert ">Undelivered</strong>" in html
    assert "the provider reported it undelivered: Twilio error 30005: unknown destination" in html
    assert 'status__exact=delivered"' in html and 'status__exact=read"' in html  # the filter offers every state
    read = staff_client.get("/admin/notifications/notification/", {"status__exact": "read"})
    assert [row.pk for row in read.context["cl"].result_list] == [email.pk]

    detail = staff_client.get(f"/admin/notifications/notification/{sent_sms.pk}/change/").content.decode()
    assert "Undelivered" in detail and "Reported at" in detail


def test_the_order_page_lists_its_messages_with_the_reported_states(hook, sent_sms, staff_client):
    hook(sent_sms.provider_message_id, "delivered")

    html = staff_client.get(f"/admin/orders/order/{sent_sms.order_id}/change/").content.decode()

    assert "Messages to the customer" in html
    assert ">Delivered</strong>" in html
    assert "Payment approved" in html


def test_in_spanish_the_states_and_reasons_are_translated(hook, sent_sms, staff_client):
    hook(sent_sms.provider_message_id, "undelivered", "30003")
    html = staff_client.get(f"/admin/orders/order/{sent_sms.order_id}/change/",
                            HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">No entregada</strong>" in html
    assert "el proveedor informó que no se entregó: Twilio error 30003" in html


@pytest.mark.parametrize(("token", "site", "error"), [
    ("", "https://shop.example.com", "notifications.E004"),
    (TOKEN, "http://127.0.0.1:8000", "notifications.E005"),
    (TOKEN, "https://shop.example.com", None),
])
def test_the_checks_say_what_twilio_reports_still_need(settings, token, site, error):
    from notifications.checks import check_twilio_status_callbacks

    settings.DEBUG, settings.TWILIO_STATUS_CALLBACKS = False, True
    settings.TWILIO_AUTH_TOKEN, settings.SITE_URL = token, site
    assert [found.id for found in check_twilio_status_callbacks()] == ([error] if error else [])


def test_staff_who_may_not_view_the_log_do_not_see_the_messages_on_the_order_page(client, sent_sms):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    clerk = UserFactory(username="caja", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(clerk)

    response = client.get(f"/admin/orders/order/{sent_sms.order_id}/change/")

    assert response.status_code == 200
    assert "Messages to the customer" not in response.content.decode()
