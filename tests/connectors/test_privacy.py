"""The mandatory privacy webhooks answer and act: a customer's data erased, reported, a store's erased."""
import pytest
from django.core import mail

from connectors.models import PlatformAccount, PlatformEvent
from orders.models import Order

from .conftest import TN_STORE, fixture, shopify_order, tiendanube_order

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
