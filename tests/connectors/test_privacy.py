"""The mandatory privacy webhooks answer and act: a customer's data erased, reported, a store's erased."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from connectors.models import PlatformAccount, PlatformEvent
from connectors.tasks import process_event
from notifications.models import Notification
from notifications.tasks import deliver_notification
from orders.models import Order

from .conftest import TN_STORE, fixture, shopify_order, tiendanube_order
from tests.utils import closed_port

pytestmark = pytest.mark.django_db

# The bodies Tiendanube documents for its mandatory privacy webhooks.
BODIES = fixture("tiendanube_webhooks.json")


@pytest.fixture
def tn_order(tn_account, stub, post_tiendanube):
    stub.tiendanube_orders["450789469"] = tiendanube_order()
    post_tiendanube({"store_id": int(TN_STORE), "event": "order/created", "id": 450789469})
    return Order.objects.get(external_id="450789469")


def test_customers_redact_erases_the_customer_from_their_orders(tn_order, post_tiendanube):
    response = post_tiendanube(BODIES["customers/redact"], path="/hooks/tiendanube/customers-redact/")

    assert response.status_code == 200
    tn_order.refresh_from_db()
    assert (tn_order.customer_name, tn_order.customer_email, str(tn_order.customer_phone), tn_order.address,
            tn_order.city) == ("—", "", "", "", "")
    assert tn_order.total and tn_order.lines.exists()  # the store's records stay
    assert tn_order.events.filter(kind="note", note__icontains="erased").exists()
    event = PlatformEvent.objects.get(topic="customers/redact")
    assert event.status == "done" and event.body == "" and "erased from 1 order." in event.message


def test_customers_data_request_emails_the_store_what_we_hold(tn_order, post_tiendanube):
    mail.outbox.clear()

    response = post_tiendanube(BODIES["customers/data_request"], path="/hooks/tiendanube/customers-data-request/")

    assert response.status_code == 200
    [email] = mail.outbox
    assert email.to == ["orders@example.com"]
    assert tn_order.number in email.body and "maria.perez@example.com" in email.body
    # Sent as a row of the notification log, addressed to the staff, about the request.
    event = PlatformEvent.objects.get(topic="customers/data_request")
    row = Notification.objects.get(milestone="data_request")
    assert (row.order, row.source, row.recipient, row.status) == (None, f"platform-event:{event.pk}",
                                                                   "orders@example.com", "sent")
    assert row.subject == email.subject == "Customer data request from Tiendanube / Nuvemshop"
    assert email.tags == ["data_request"]
    assert "is being emailed to orders@example.com" in event.message


def test_a_data_request_worked_on_again_sends_one_report(tn_order, post_tiendanube, django_capture_on_commit_callbacks):
    post_tiendanube(BODIES["customers/data_request"], path="/hooks/tiendanube/customers-data-request/")
    event = PlatformEvent.objects.get(topic="customers/data_request")
    mail.outbox.clear()

    # The worker died after the report was written, before the event was marked done: it is worked on again.
    PlatformEvent.objects.filter(pk=event.pk).update(status="queued", locked_until=None, body="{}")
    with django_capture_on_commit_callbacks(execute=True):
        assert process_event(event.pk) == "done"

    assert mail.outbox == []
    assert Notification.objects.filter(milestone="data_request").count() == 1
    event.refresh_from_db()
    assert "written before" in event.message


def test_the_report_waits_for_the_email_provider_and_is_retried(tn_order, post_tiendanube, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    mail.outbox.clear()

    response = post_tiendanube(BODIES["customers/data_request"], path="/hooks/tiendanube/customers-data-request/")

    assert response.status_code == 200
    row = Notification.objects.get(milestone="data_request")
    assert (row.status, row.attempts, row.reason_code) == ("queued", 1, "provider_error")
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"  # the provider is back
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver_notification(row.pk) == "sent"
    [email] = mail.outbox
    assert tn_order.number in email.body


def test_without_a_store_email_the_report_is_kept_in_the_log(tn_order, post_tiendanube, settings):
    settings.STORE_EMAIL = ""
    mail.outbox.clear()

    post_tiendanube(BODIES["customers/data_request"], path="/hooks/tiendanube/customers-data-request/")

    row = Notification.objects.get(milestone="data_request")
    assert (row.status, row.reason_code) == ("skipped", "no_email")
    assert tn_order.number in row.body
    assert mail.outbox == []
    assert "STORE_EMAIL is not set" in PlatformEvent.objects.get(topic="customers/data_request").message


def test_the_log_names_the_report_and_links_the_request(tn_order, post_tiendanube, staff_client):
    post_tiendanube(BODIES["customers/data_request"], path="/hooks/tiendanube/customers-data-request/")
    row = Notification.objects.get(milestone="data_request")
    event = PlatformEvent.objects.get(topic="customers/data_request")

    page = staff_client.get(reverse("admin:notifications_notification_change", args=[row.pk]),
                            HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Solicitud de datos de un cliente (equipo)" in page
    assert reverse("admin:connectors_platformevent_change", args=[event.pk]) in page
    listed = staff_client.get(reverse("admin:notifications_notification_changelist") + "?milestone__exact=data_request",
                              HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()
    assert "Solicitação de dados de um cliente (equipe)" in listed


def test_store_redact_erases_the_connection_but_keeps_the_store_s_orders(tn_order, post_tiendanube):
    response = post_tiendanube(BODIES["store/redact"], path="/hooks/tiendanube/store-redact/")

    assert response.status_code == 200
    account = PlatformAccount.objects.get()
    assert not account.active and account.access_token == "" and "erased" in account.problem
    assert set(PlatformEvent.objects.values_list("body", flat=True)) == {""}
    assert Order.objects.filter(pk=tn_order.pk).exists()


def test_a_privacy_webhook_needs_the_signature(tn_order, post_tiendanube):
    response = post_tiendanube(BODIES["customers/redact"], path="/hooks/tiendanube/customers-redact/",
                               signature="0" * 64)

    assert response.status_code == 401
    tn_order.refresh_from_db()
    assert tn_order.customer_email == "maria.perez@example.com"


def test_shopify_compliance_topics_act_the_same(shopify_account, post_shopify):
    post_shopify(shopify_order())
    order = Order.objects.get()

    post_shopify({"shop_id": 954889, "shop_domain": "tienda-demo.myshopify.com",
                  "customer": {"id": 207119551, "email": "joao.silva@example.com", "phone": "+5491166660000"},
                  "orders_to_redact": [5678901234567]}, topic="customers/redact", event_id="privacy-1")

    order.refresh_from_db()
    assert order.customer_email == "" and order.customer_name == "—"
    # The order's webhook body (the whole order, with the customer in it) is erased too.
    assert PlatformEvent.objects.get(topic="orders/create").body == ""


def test_two_privacy_requests_waiting_together_are_both_kept(tn_account):
    from connectors.services import receiving

    from .conftest import tiendanube_signature

    for customer_id in (1, 2):
        body = (f'{{"store_id": {TN_STORE}, "customer": {{"id": {customer_id}}}, '
                f'"orders_to_redact": []}}').encode()
        answer = receiving.tiendanube_hook(body, tiendanube_signature(body), topic="customers/redact")
        assert answer.status == 200
    receiving.tiendanube_hook(body, tiendanube_signature(body), topic="customers/redact")  # the last one again

    assert PlatformEvent.objects.filter(topic="customers/redact").count() == 2
