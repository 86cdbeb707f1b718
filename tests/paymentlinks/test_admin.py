"""The order page's payment link section, the staff's buttons, the lists and the alerts."""
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from paymentlinks.models import MercadoPagoPayment, PaymentLink
from tests.factories import UserFactory

from .conftest import notify, place

pytestmark = pytest.mark.django_db

PAYMENT = "1319234567"


def order_page(client, order) -> str:
    response = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def manager(client):
    user = UserFactory(username="encargada", groups=["Order managers"])
    client.force_login(user)
    return user


@pytest.fixture
def order(staff, commit):
    with commit():
        placed = place(by=staff, language="en")
    mail.outbox = []
    return placed


def test_the_order_page_shows_the_link_and_what_can_be_done(client, manager, order):
    page = order_page(client, order)
    link = PaymentLink.objects.get(order=order)
    assert 'id="payment-link"' in page and 'data-link-state="active"' in page
    assert link.checkout_url in page
    assert f"https://shop.example.com/o/{order.public_token}/pay/" in page
    assert "The current link can still be paid: send it again instead." in page  # no new link yet
    assert reverse("admin:paymentlinks_paymentlink_send", args=[order.pk]) in page


def test_staff_make_a_new_link_when_it_expired(client, manager, order, stub, commit):
    PaymentLink.objects.filter(order=order).update(expires_at=timezone.now() - timedelta(hours=1))
    assert 'data-link-state="expired"' in order_page(client, order)
    with commit():
        response = client.post(reverse("admin:paymentlinks_paymentlink_new", args=[order.pk]))
    assert response.status_code == 302
    current = PaymentLink.objects.exclude(status="replaced").get(order=order)
    assert (current.status, current.requested_by) == ("active", manager)
    assert PaymentLink.objects.filter(order=order, status="replaced").count() == 1


def test_a_refused_new_link_changes_nothing(client, manager, order):
    response = client.post(reverse("admin:paymentlinks_paymentlink_new", args=[order.pk]))
    assert response.status_code == 200
    assert "The current link can still be paid" in response.content.decode()
    assert PaymentLink.objects.filter(order=order).count() == 1


def test_dispatch_may_not_make_or_send_links(client, order):
    client.force_login(UserFactory(username="deposito", groups=["Dispatch"]))
    assert client.post(reverse("admin:paymentlinks_paymentlink_send", args=[order.pk])).status_code == 403
    assert client.post(reverse("admin:paymentlinks_paymentlink_new", args=[order.pk])).status_code == 403
    assert mail.outbox == []


def test_without_a_token_the_order_page_says_how_to_turn_links_on(client, manager, settings, order):
    settings.MERCADOPAGO_ACCESS_TOKEN = ""
    page = order_page(client, order)
    assert 'id="payment-links-off"' in page and "MERCADOPAGO_ACCESS_TOKEN" in page
    response = client.get(reverse("admin:paymentlinks_paymentlink_changelist"), follow=True)
    assert "Payment links are off" in response.content.decode()


def test_a_transfer_order_without_mercado_pago_payments_has_no_section(client, manager, staff, commit):
    with commit():
        transfer = place(by=staff, payment_method="transfer")
    assert 'id="payment-link"' not in order_page(client, transfer)


def test_a_flagged_payment_shows_on_the_order_page_and_the_index_until_handled(client, manager, order, stub, commit):
    stub.pay(PAYMENT, order=order)
    with commit():
        notify(client, PAYMENT)
    stub.pay(PAYMENT, order=order, status="charged_back")
    with commit():
        notify(client, PAYMENT)

    page = order_page(client, order)
    assert 'data-attention="charged_back"' in page
    index = client.get(reverse("admin:index")).content.decode()
    assert 'id="mercadopago-attention"' in index and order.number in index
    flagged = client.get(reverse("admin:paymentlinks_mercadopagopayment_changelist") + "?attention=yes")
    assert PAYMENT in flagged.content.decode()

    seen = MercadoPagoPayment.objects.get(payment_id=PAYMENT)
    response = client.post(reverse("admin:paymentlinks_mercadopagopayment_handled", args=[seen.pk]))
    assert response.status_code == 302
    seen.refresh_from_db()
    assert (seen.handled_by, seen.needs_attention) == (manager, False)
    assert 'data-attention=' not in order_page(client, order)
    assert 'id="mercadopago-attention"' not in client.get(reverse("admin:index")).content.decode()


def test_the_lists_open(client, manager, order):
    for name in ("paymentlink", "mercadopagopayment", "paymentcheck"):
        assert client.get(reverse(f"admin:paymentlinks_{name}_changelist")).status_code == 200
    link = PaymentLink.objects.get(order=order)
    assert client.get(reverse("admin:paymentlinks_paymentlink_change", args=[link.pk])).status_code == 200


def test_the_token_without_the_secret_is_a_warning(settings):
    from paymentlinks.checks import mercadopago_settings

    assert mercadopago_settings() == []
    settings.MERCADOPAGO_WEBHOOK_SECRET = ""
    assert [warning.id for warning in mercadopago_settings()] == ["paymentlinks.W001"]
