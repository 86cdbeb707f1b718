"""SMS through Twilio's Messages API, against a local stub server: retries, permanent refusals, refunds."""
import base64
import urllib.parse

import pytest
from django_q.models import Schedule
from django_q.scheduler import scheduler

from notifications.backends import PermanentError, SmsMessage, TransientError
from notifications.backends.sms.twilio import SmsBackend
from notifications.models import Notification
from orders import services

from .helpers import StubServer, pay, place, ship

pytestmark = pytest.mark.django_db

CREATED = (201, {"Content-Type": "application/json"}, {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"})
UNAVAILABLE = (503, {"Content-Type": "application/json"}, {"code": 20503, "message": "Service unavailable", "status": 503})
INVALID_NUMBER = (400, {"Content-Type": "application/json"},
                  {"code": 21211, "message": "The 'To' number +5491155550000 is not a valid phone number.",
                   "status": 400})
TOO_MANY = (429, {"Content-Type": "application/json"}, {"code": 20429, "message": "Too Many Requests", "status": 429})


@pytest.fixture
def twilio(settings):
    """Point the Twilio backend at a stub server: `twilio(responses)` returns the running stub."""
    stubs = []

    def start(*responses):
        stub = StubServer(responses).__enter__()
        stubs.append(stub)
        settings.SMS_BACKEND = "notifications.backends.sms.twilio.SmsBackend"
        settings.TWILIO_API_BASE = stub.url
        settings.TWILIO_ACCOUNT_SID = "AC00000000000000000000000000000001"
        settings.TWILIO_AUTH_TOKEN = "token-123"
        settings.TWILIO_FROM_NUMBER = "+15005550006"
        return stub

    yield start
    for stub in stubs:
        stub.__exit__()


def shipped_sms(staff, commit):
    order = pay(place(by=staff), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    with commit():
        ship(order, by=staff)
    return Notification.objects.get(order=order, milestone="shipped", channel="sms")


def test_the_backend_posts_a_form_with_basic_auth_and_reads_the_message_sid(twilio):
    stub = twilio(CREATED)
    message = SmsMessage(to="+5491155550000", body="Tu pedido salió ✓")
    assert SmsBackend().send_messages([message]) == 1

    assert message.provider_message_id == "SM0123456789abcdef0123456789abcdef"
    request = stub.requests[0]
    assert request["path"] == "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json"
    expected_auth = base64.b64encode(b"AC00000000000000000000000000000001:token-123").decode()
    assert request["headers"]["authorization"] == f"Basic {expected_auth}"
    assert request["headers"]["content-type"].startswith("application/x-www-form-urlencoded")
    assert urllib.parse.parse_qs(request["body"].decode()) == {
        "To": ["+5491155550000"], "From": ["+15005550006"], "Body": ["Tu pedido salió ✓"],
    }


@pytest.mark.parametrize("response, error", [
    (UNAVAILABLE, TransientError), (TOO_MANY, TransientError), (INVALID_NUMBER, PermanentError),
])
def test_the_backend_tells_transient_from_permanent_refusals(twilio, response, error):
    twilio(response)
    with pytest.raises(error) as raised:
        SmsBackend().send_messages([SmsMessage(to="+5491155550000", body="Hola")])
    assert str(response[2]["code"]) in str(raised.value)


def test_an_unreachable_provider_is_transient(settings, twilio):
    twilio(CREATED)
    settings.TWILIO_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    with pytest.raises(TransientError):
        SmsBackend(timeout=2).send_messages([SmsMessage(to="+5491155550000", body="Hola")])


def test_a_failing_sms_is_retried_with_backoff_then_failed_and_refunded_once(
    staff, commit, credits, twilio, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0  # due at once, so the scheduler below runs each retry
    stub = twilio(UNAVAILABLE)
    before = credits()
    sms = shipped_sms(staff, commit)

    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("queued", 1)
    assert "Twilio HTTP 503 error 20503" in sms.reason
    assert credits() == before - 1  # paid while a retry is pending
    retry = Schedule.objects.get(func="notifications.tasks.deliver_notification")
    assert (retry.schedule_type, retry.args) == (Schedule.ONCE, str(sms.pk))

    scheduler()  # the worker's scheduler runs the due retry (inline under sync tests)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("queued", 2)
    assert credits() == before - 1  # the retry is not charged twice

    scheduler()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("failed", 3)
    assert sms.reason.startswith("gave up after 3 attempts: Twilio HTTP 503")
    assert len(stub.requests) == 3
    assert credits() == before  # refunded
    assert not Schedule.objects.filter(func="notifications.tasks.deliver_notification").exists()

    scheduler()
    assert len(stub.requests) == 3 and credits() == before  # nothing more


def test_a_transient_failure_then_success_is_sent_and_paid_once(staff, commit, credits, twilio, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0
    stub = twilio(UNAVAILABLE, CREATED)
    before = credits()
    sms = shipped_sms(staff, commit)
    scheduler()

    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.reason) == ("sent", 2, "")
    assert sms.provider_message_id == "SM0123456789abcdef0123456789abcdef"
    assert len(stub.requests) == 2
    assert credits() == before - 1


def test_the_retry_waits_for_its_backoff(staff, commit, credits, twilio, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    stub = twilio(UNAVAILABLE)
    sms = shipped_sms(staff, commit)
    sms.refresh_from_db()
    retry = Schedule.objects.get(func="notifications.tasks.deliver_notification")
    delay = (retry.next_run - sms.updated_at).total_seconds()
    assert 29 <= delay <= 31
    assert sms.next_attempt_at == retry.next_run

    scheduler()  # not due yet
    from notifications.tasks import deliver_notification

    assert deliver_notification(sms.pk) is None  # a stray early run does nothing either
    assert len(stub.requests) == 1


def test_an_invalid_number_fails_at_once_and_is_refunded(staff, commit, credits, twilio):
    stub = twilio(INVALID_NUMBER)
    before = credits()
    sms = shipped_sms(staff, commit)

    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("failed", 1)
    assert sms.reason == "Twilio HTTP 400 error 21211: The 'To' number +5491155550000 is not a valid phone number."
    assert len(stub.requests) == 1
    assert not Schedule.objects.filter(func="notifications.tasks.deliver_notification").exists()
    assert credits() == before


def test_a_retried_sms_no_longer_due_gets_its_credits_back_once(staff, commit, credits, twilio, settings):
    """Charged on its first attempt, which the provider refused for now; the order is paid before the
    retry: the reminder is skipped and its credits come back, once."""
    from billing.models import LedgerEntry
    from django.utils import timezone

    from notifications.services import deliver
    from orders.models import Order

    from .helpers import switch

    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0
    settings.UNPAID_REMINDER_HOURS = 24
    settings.UNPAID_CANCEL_DAYS = None
    switch("payment_reminder", email=False, sms=True)
    stub = twilio(UNAVAILABLE, CREATED)
    before = credits()
    order = place(by=staff)
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timezone.timedelta(hours=25))
    with commit():
        services.sweep_unpaid()
    sms = Notification.objects.get(order=order, milestone="payment_reminder", channel="sms")
    assert (sms.status, sms.attempts) == ("queued", 1)
    assert credits() == before - 1

    pay(order, by=staff)
    scheduler()
    sms.refresh_from_db()
    assert (sms.status, sms.reason_code, sms.attempts) == ("skipped", "paid_meanwhile", 2)
    assert len(stub.requests) == 1
    assert credits() == before
    deliver(sms.pk)  # nothing more to do: no second refund
    assert credits() == before
    assert LedgerEntry.objects.filter(notification_id=sms.pk, kind="refund").count() == 1
