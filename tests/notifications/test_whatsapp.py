"""WhatsApp through Meta's Cloud API, against a local stub server: the template, its parameters and
language; refusals, retries, credits priced per country; consent and missing templates."""
import json

import pytest
from django_q.models import Schedule
from django_q.scheduler import scheduler

from billing import services as billing
from billing.models import LedgerEntry, WhatsAppPrice
from notifications.backends import PermanentError, TransientError, WhatsAppMessage
from notifications.backends.whatsapp.cloud import WhatsAppBackend
from notifications.models import Notification
from notifications.services import set_whatsapp_template
from orders import services

from .helpers import StubServer, pay, place, ship, switch

pytestmark = pytest.mark.django_db

JSON = {"Content-Type": "application/json"}
ACCEPTED = (200, JSON, {"messaging_product": "whatsapp", "contacts": [{"input": "5491155550000", "wa_id": "5491155550000"}],
                        "messages": [{"id": "wamid.HBgNNTQ5MTE1NTU1MDAwMBUCABEYEjM1"}]})
TEMPLATE_MISSING = (404, JSON, {"error": {
    "message": "(#132001) Template name does not exist in the translation", "type": "OAuthException", "code": 132001,
    "error_data": {"messaging_product": "whatsapp", "details": "template name (envio_en_camino) does not exist in es_AR"},
    "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam"}})
RATE_LIMITED = (429, JSON, {"error": {"message": "(#130429) Rate limit hit", "type": "OAuthException", "code": 130429,
                                      "fbtrace_id": "A1"}})
META_DOWN = (500, JSON, {"error": {"message": "(#131000) Something went wrong", "code": 131000, "fbtrace_id": "A2"}})
NOT_ON_WHATSAPP = (400, JSON, {"error": {"message": "(#131026) Message undeliverable", "code": 131026}})
SHIPPED_TEXT = "Hola {{1}}, tu pedido {{2}} salió. Seguilo acá: {{3}}"


@pytest.fixture
def cloud(settings):
    """Point the Cloud API backend at a stub server: `cloud(responses)` returns the running stub."""
    stubs = []

    def start(*responses):
        stub = StubServer(responses).__enter__()
        stubs.append(stub)
        settings.WHATSAPP_BACKEND = "notifications.backends.whatsapp.cloud.WhatsAppBackend"
        settings.WHATSAPP_API_BASE = stub.url
        settings.WHATSAPP_API_VERSION = "v23.0"
        settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
        settings.WHATSAPP_ACCESS_TOKEN = "EAAG-token"
        return stub

    yield start
    for stub in stubs:
        stub.__exit__()


@pytest.fixture
def shipped_template(db):
    return set_whatsapp_template(
        milestone="shipped", language="es", name="envio_en_camino", language_code="es_AR",
        parameters=["customer_first_name", "order_number", "tracking_link"], text=SHIPPED_TEXT,
    )


def ship_order(staff, commit, *, opted_in=True, phone="+5491155550000", fallback="", **switches):
    switch("shipped", email=False, sms=False, push=False, whatsapp=True, fallback_channel=fallback, **switches)
    order = pay(place(by=staff, phone=phone, whatsapp_opt_in_source="storefront" if opted_in else ""), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    with commit():
        ship(order, by=staff)
    order.refresh_from_db()
    return order


def whatsapp_row(order):
    return Notification.objects.get(order=order, milestone="shipped", channel="whatsapp")


def test_the_backend_posts_the_template_with_its_language_and_parameters(cloud):
    stub = cloud(ACCEPTED)
    message = WhatsAppMessage(to="+5491155550000", template_name="envio_en_camino", language_code="es_AR",
                              parameters=["María", "K7QH-2M9X"])
    assert WhatsAppBackend().send_messages([message]) == 1

    assert message.provider_message_id == "wamid.HBgNNTQ5MTE1NTU1MDAwMBUCABEYEjM1"
    request = stub.requests[0]
    assert request["path"] == "/v23.0/106540352242922/messages"
    assert request["headers"]["authorization"] == "Bearer EAAG-token"
    assert json.loads(request["body"]) == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "5491155550000", "type": "template",
        "template": {"name": "envio_en_camino", "language": {"code": "es_AR"}, "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "María"}, {"type": "text", "text": "K7QH-2M9X"}]},
        ]},
    }


@pytest.mark.parametrize("response, error", [
    (RATE_LIMITED, TransientError), (META_DOWN, TransientError), (TEMPLATE_MISSING, PermanentError),
    (NOT_ON_WHATSAPP, PermanentError),
])
def test_the_backend_tells_transient_from_permanent_refusals_by_metas_codes(cloud, response, error):
    cloud(response)
    with pytest.raises(error) as raised:
        WhatsAppBackend().send_messages([WhatsAppMessage(to="+5491155550000", template_name="x", language_code="es")])
    assert str(response[2]["error"]["code"]) in str(raised.value)


def test_a_shipped_order_gets_its_template_filled_in_and_pays_its_countrys_price(
    staff, commit, credits, cloud, shipped_template
):
    WhatsAppPrice.objects.create(country="AR", credits=3)
    stub = cloud(ACCEPTED)
    before = credits()
    order = ship_order(staff, commit)

    row = whatsapp_row(order)
    assert (row.status, row.recipient, row.attempts) == ("sent", "+5491155550000", 1)
    assert row.provider_message_id == "wamid.HBgNNTQ5MTE1NTU1MDAwMBUCABEYEjM1"
    link = order.get_tracking_redirect_url()
    assert row.body == f"Hola María, tu pedido {order.number} salió. Seguilo acá: {link}"
    sent = json.loads(stub.requests[0]["body"])["template"]
    assert sent["name"] == "envio_en_camino" and sent["language"] == {"code": "es_AR"}
    assert [p["text"] for p in sent["components"][0]["parameters"]] == ["María", order.number, link]
    assert credits() == before - 3
    assert LedgerEntry.objects.get(notification_id=row.pk).reason == f"shipped {order.number}"


def test_a_template_meta_rejects_fails_at_once_is_refunded_and_falls_back_to_sms(
    staff, commit, credits, cloud, shipped_template, sms_outbox
):
    stub = cloud(TEMPLATE_MISSING)
    before = credits()
    order = ship_order(staff, commit, fallback="sms")

    row = whatsapp_row(order)
    assert (row.status, row.attempts, row.reason_code) == ("failed", 1, "provider_error")
    assert "132001" in row.reason and "does not exist in es_AR" in row.reason
    assert len(stub.requests) == 1
    assert not Schedule.objects.filter(func="notifications.tasks.deliver_notification").exists()
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    assert (sms.status, sms.fallback_for) == ("sent", "whatsapp")
    assert len(sms_outbox) == 1
    assert credits() == before - 1  # the WhatsApp message refunded; the SMS paid


def test_a_rate_limit_is_retried_by_the_outbox_and_paid_once(staff, commit, credits, cloud, shipped_template, settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0
    stub = cloud(RATE_LIMITED, ACCEPTED)
    before = credits()
    order = ship_order(staff, commit)
    row = whatsapp_row(order)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "130429" in row.reason

    scheduler()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.reason) == ("sent", 2, "")
    assert len(stub.requests) == 2
    assert credits() == before - 1


def test_without_the_customers_opt_in_nothing_is_sent_and_the_fallback_goes(
    staff, commit, credits, cloud, shipped_template, sms_outbox
):
    stub = cloud(ACCEPTED)
    order = ship_order(staff, commit, opted_in=False, fallback="sms")
    row = whatsapp_row(order)
    assert (row.status, row.reason_code) == ("skipped", "no_whatsapp_opt_in")
    assert str(row.reason) == "the customer did not opt in to WhatsApp"
    assert stub.requests == []
    assert Notification.objects.get(order=order, channel="sms").status == "sent"


def test_an_opt_out_stops_a_message_waiting_for_its_retry_and_refunds_it(
    staff, commit, credits, cloud, shipped_template, settings, sms_outbox
):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0
    stub = cloud(RATE_LIMITED, ACCEPTED)
    before = credits()
    order = ship_order(staff, commit, fallback="sms")
    row = whatsapp_row(order)
    assert (row.status, row.attempts) == ("queued", 1)
    assert credits() == before - 1  # paid on its first attempt

    services.set_whatsapp_opt_in(order, opt_in=False, source="timeline")
    scheduler()

    row.refresh_from_db()
    assert (row.status, row.reason_code) == ("skipped", "no_whatsapp_opt_in")
    assert len(stub.requests) == 1  # never sent again
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    assert (sms.status, sms.fallback_for) == ("queued", "whatsapp")  # the fallback channel takes over
    assert credits() == before  # the WhatsApp message refunded


def test_an_opt_out_stops_even_a_message_staff_resend(staff, commit, credits, cloud, shipped_template):
    from notifications.services import resend

    stub = cloud(ACCEPTED)
    order = ship_order(staff, commit)
    assert whatsapp_row(order).status == "sent"
    before = credits()
    with commit():
        [again] = resend([whatsapp_row(order).pk], sms_confirmed=True).rows
        assert again.status == "queued"
        services.set_whatsapp_opt_in(order, opt_in=False, source="timeline")  # before it goes out
    again.refresh_from_db()
    assert (again.status, again.reason_code) == ("skipped", "no_whatsapp_opt_in")
    assert len(stub.requests) == 1
    assert credits() == before


def test_a_milestone_without_a_template_is_skipped_never_sent_free_form(staff, commit, credits, cloud):
    stub = cloud(ACCEPTED)
    before = credits()
    order = ship_order(staff, commit)
    row = whatsapp_row(order)
    assert (row.status, row.reason_code) == ("skipped", "no_whatsapp_template")
    assert stub.requests == []
    assert credits() == before


def test_without_credits_whatsapp_is_skipped_and_email_falls_back(
    staff, commit, no_credits, cloud, shipped_template
):
    from django.core import mail

    stub = cloud(ACCEPTED)
    order = ship_order(staff, commit, fallback="email")
    row = whatsapp_row(order)
    assert (row.status, row.reason_code) == ("skipped", "no_credits")
    assert stub.requests == []
    assert Notification.objects.get(order=order, milestone="shipped", channel="email").status == "sent"
    assert [m.subject for m in mail.outbox if order.number in m.subject][-1:]


def test_the_price_follows_the_destination_country_with_a_default_row(db):
    WhatsAppPrice.objects.update_or_create(country="", defaults={"credits": 2})
    WhatsAppPrice.objects.create(country="AR", credits=4)
    WhatsAppPrice.objects.create(country="BR", credits=1)
    assert billing.whatsapp_price("+5491155550000") == 4
    assert billing.whatsapp_price("+5511987654321") == 1
    assert billing.whatsapp_price("+12025550123") == 2  # no US row: the default


def test_the_language_picks_its_template_and_the_store_language_stands_in(
    staff, commit, credits, whatsapp_outbox, shipped_template
):
    set_whatsapp_template(milestone="shipped", language="pt-br", name="pedido_enviado", language_code="pt_BR",
                          parameters=["order_number", "tracking_link"], text="Seu pedido {{1}} foi enviado: {{2}}")
    switch("shipped", email=False, sms=False, push=False, whatsapp=True)
    for language in ("pt-br", "en"):
        order = pay(place(by=staff, language=language, whatsapp_opt_in_source="storefront"), by=staff)
        services.accept(order, by=staff)
        services.start_preparation(order, by=staff)
        with commit():
            ship(order, by=staff)
    assert [(m.template_name, m.language_code) for m in whatsapp_outbox] == [
        ("pedido_enviado", "pt_BR"), ("envio_en_camino", "es_AR"),  # no English template: the store's Spanish one
    ]


def test_a_whatsapp_rule_sends_the_template_set_for_it(staff, commit, credits, whatsapp_outbox):
    from notifications.models import WhatsAppTemplate

    from .factories import NotificationRuleFactory

    rule = NotificationRuleFactory(to_status="preparing", channel="whatsapp")
    set_whatsapp_template(milestone="rule", rule=rule, language="es", name="en_preparacion", language_code="es_AR",
                          parameters=["order_number"], text="Estamos preparando tu pedido {{1}}.")
    order = services.accept(pay(place(by=staff, whatsapp_opt_in_source="storefront"), by=staff), by=staff)
    with commit():
        services.start_preparation(order, by=staff)

    row = Notification.objects.get(rule=rule)
    assert (row.channel, row.status, row.body) == ("whatsapp", "sent", f"Estamos preparando tu pedido {order.number}.")
    assert [(m.template_name, m.parameters) for m in whatsapp_outbox] == [("en_preparacion", [order.number])]
    assert WhatsAppTemplate.objects.get(rule=rule).milestone == "rule"


def test_each_refund_is_told_on_whatsapp_with_its_own_amount(staff, commit, credits, whatsapp_outbox):
    from decimal import Decimal

    set_whatsapp_template(milestone="refunded", language="es", name="reintegro", language_code="es_AR",
                          parameters=["refund_amount", "order_number"], text="Te reintegramos {{1}} del pedido {{2}}.")
    switch("refunded", email=False, sms=False, push=False, whatsapp=True)
    order = pay(place(by=staff, whatsapp_opt_in_source="storefront"), by=staff)
    services.cancel(order, by=staff, reason="Sin stock")
    for amount in ("1000.00", "500.00"):
        with commit():
            services.register_refund(order, by=staff, amount=Decimal(amount))
    assert [m.parameters[0] for m in whatsapp_outbox] == ["$1.000,00", "$500,00"]
