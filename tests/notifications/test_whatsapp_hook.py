"""Meta's WhatsApp status webhook: the handshake, the signature, reports parsed once and in order."""
import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from notifications.whatsapp_hook import parse_statuses, signature_is_valid

pytestmark = pytest.mark.django_db

SECRET = "app-secret-1234"
URL = "/hooks/whatsapp/"


@pytest.fixture(autouse=True)
def _whatsapp_settings(settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"


def status(message_id, state, timestamp, **extra):
    return {"id": message_id, "status": state, "timestamp": str(timestamp), "recipient_id": "5491155550000", **extra}


def body(*statuses):
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{
        "field": "messages",
        "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "106540352242922"},
                  "statuses": list(statuses)},
    }]}]}).encode()


def signed(raw, secret=SECRET):
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def test_the_url_is_the_one_the_readme_gives():
    assert reverse("whatsapp_webhook") == URL


def test_the_handshake_echoes_the_challenge_for_our_verify_token_only(client):
    ok = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    wrong = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert wrong.status_code == 403


def test_the_handshake_fails_while_no_verify_token_is_set(client, settings):
    settings.WHATSAPP_VERIFY_TOKEN = ""
    assert client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}).status_code == 403


@pytest.mark.parametrize("header", [
    "", "sha256=" + "0" * 64, signed(b"{}"), signed(body(), secret="other"), "sha256=é", "sha256=" + "é" * 64,
])
def test_a_post_without_the_right_signature_is_refused(client, header):
    raw = body(status("wamid.A", "delivered", 1765000000))
    extra = {"HTTP_X_HUB_SIGNATURE_256": header} if header else {}
    assert client.post(URL, raw, content_type="application/json", **extra).status_code == 403


def test_the_signature_is_the_hmac_of_the_raw_body():
    raw = body(status("wamid.A", "read", 1765000000))
    assert signature_is_valid(raw, signed(raw), SECRET)
    assert not signature_is_valid(raw + b" ", signed(raw), SECRET)
    assert not signature_is_valid(raw, signed(raw), "")


def test_reports_are_parsed_once_each_oldest_first_with_metas_error():
    payload = json.loads(body(
        status("wamid.A", "read", 1765000300),
        status("wamid.A", "delivered", 1765000200),
        status("wamid.A", "delivered", 1765000200),  # Meta delivers a report twice
        status("wamid.B", "failed", 1765000100, errors=[{
            "code": 131026, "title": "Message undeliverable",
            "error_data": {"details": "Message Undeliverable."}}]),
        status("wamid.C", "warning", 1765000100),  # not a status of ours
    ))
    reports = parse_statuses(payload)
    assert [(r.message_id, r.state) for r in reports] == [
        ("wamid.B", "failed"), ("wamid.A", "delivered"), ("wamid.A", "read"),
    ]
    assert reports[0].detail == "WhatsApp error 131026: Message Undeliverable."
    assert parse_statuses({"entry": "nonsense"}) == [] and parse_statuses([]) == []


# --- reports applied to the log (notifications.services.receipts) -------------------------------

@pytest.fixture
def sent_whatsapp(staff, commit, credits, whatsapp_outbox):
    """A shipped order's WhatsApp message, sent (SMS as the fallback channel); returns (row, credits)."""
    from notifications.models import Notification
    from notifications.services import set_whatsapp_template
    from orders import services

    from .helpers import pay, place, ship, switch

    set_whatsapp_template(milestone="shipped", language="es", name="envio", language_code="es_AR",
                          parameters=["order_number"], text="Tu pedido {{1}} salió.")
    switch("shipped", email=False, sms=False, push=False, whatsapp=True, fallback_channel="sms")
    order = pay(place(by=staff, whatsapp_opt_in_source="storefront"), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    with commit():
        ship(order, by=staff)
    row = Notification.objects.get(order=order, milestone="shipped", channel="whatsapp")
    assert row.status == "sent" and row.provider_message_id.startswith("wamid.")
    return row, credits


def post_reports(client, *statuses):
    raw = body(*statuses)
    return client.post(URL, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signed(raw))


def test_delivered_then_read_move_the_row_forward_and_never_back(client, sent_whatsapp):
    row, _credits = sent_whatsapp
    wamid = row.provider_message_id
    assert post_reports(client, status(wamid, "read", 1765000300), status(wamid, "delivered", 1765000200)).status_code == 200
    row.refresh_from_db()
    assert row.status == "read"
    post_reports(client, status(wamid, "delivered", 1765000200))  # late and repeated: changes nothing
    post_reports(client, status(wamid, "sent", 1765000100))
    row.refresh_from_db()
    assert row.status == "read"


def test_a_late_failure_refunds_once_and_falls_back_once(client, sent_whatsapp, commit):
    from notifications.models import Notification

    row, credits = sent_whatsapp
    before = credits()
    failed = status(row.provider_message_id, "failed", 1765000200, errors=[
        {"code": 131026, "title": "Message undeliverable", "error_data": {"details": "Message Undeliverable."}}])
    with commit():
        post_reports(client, failed)
        post_reports(client, failed)  # Meta repeats it
    from billing.models import LedgerEntry

    row.refresh_from_db()
    assert row.status == "failed" and "131026" in row.reason
    assert LedgerEntry.objects.filter(kind="refund", notification_id=row.pk).count() == 1
    assert credits() == before  # the WhatsApp message refunded, the fallback SMS paid
    fallbacks = Notification.objects.filter(order=row.order, milestone="shipped", channel="sms")
    assert [(f.fallback_for, f.status) for f in fallbacks] == [("whatsapp", "sent")]


def test_a_report_for_a_message_we_do_not_know_is_answered_and_ignored(client, db):
    assert post_reports(client, status("wamid.unknown", "delivered", 1765000200)).status_code == 200


@pytest.mark.parametrize("error_data", ["Message Undeliverable.", ["Message Undeliverable."], 7, None])
def test_an_error_shaped_otherwise_than_documented_is_left_out_and_the_report_applied(
    client, sent_whatsapp, error_data
):
    row, _credits = sent_whatsapp
    malformed = {"code": 131026, "title": ["not", "text"], "error_data": error_data}
    failed = status(row.provider_message_id, "failed", 1765000200, errors=[malformed, "junk", {"code": {"x": 1}}])
    assert post_reports(client, failed).status_code == 200
    row.refresh_from_db()
    assert row.status == "failed"
    assert "WhatsApp error 131026" in row.reason_detail


def test_a_body_nested_too_deep_is_bad_json_not_an_error(client):
    raw = b"[" * 100_000 + b"]" * 100_000
    response = client.post(URL, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signed(raw))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid JSON"}
