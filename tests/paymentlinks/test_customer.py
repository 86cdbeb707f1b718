"""The customer gets the link: in the order_placed message, and as *Pay now* on the timeline page."""
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from orders import services
from paymentlinks.models import PaymentLink

from .conftest import place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    cache.clear()
    yield
    cache.clear()


def pay_url(order) -> str:
    return reverse("timeline:pay", args=[order.public_token])


@pytest.mark.parametrize("language, words", [
    ("es", "Puedes pagarlo aquí:"), ("pt-br", "Você pode pagá-lo aqui:"), ("en", "You can pay for it here:"),
])
def test_the_order_placed_email_carries_our_address_for_the_link(staff, stub, commit, language, words):
    with commit():
        order = place(by=staff, language=language)
    [email] = [m for m in mail.outbox if m.to == ["maria@example.com"]]
    address = f"https://shop.example.com/o/{order.public_token}/pay/"
    assert f"{words}\n{address}\n" in email.body


def test_other_orders_messages_leave_the_link_out(staff, stub, commit):
    with commit():
        place(by=staff, payment_method="transfer")
    [email] = [m for m in mail.outbox if m.to == ["maria@example.com"]]
    assert "/pay/" not in email.body and "Puedes pagarlo" not in email.body
    assert "\n\n\n" not in email.body


def test_payment_link_is_a_field_staff_can_use_and_preview():
    from notifications.rendering import FIELDS, SAMPLE_CONTEXT

    assert "payment_link" in FIELDS and SAMPLE_CONTEXT["payment_link"].endswith("/pay/")


def test_the_timeline_offers_pay_now_while_the_link_is_valid_and_the_order_unpaid(client, staff, stub, commit):
    with commit():
        order = place(by=staff)
    page = client.get(reverse("timeline:order", args=[order.public_token])).content.decode()
    assert "Pagar ahora" in page and f'href="{pay_url(order)}"' in page

    response = client.get(pay_url(order))
    assert response.status_code == 302
    assert response["Location"] == PaymentLink.objects.get(order=order).checkout_url
    assert response["Referrer-Policy"] == "no-referrer"

    PaymentLink.objects.filter(order=order).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = client.get(reverse("timeline:order", args=[order.public_token])).content.decode()
    assert "Pagar ahora" not in page and "Pide uno nuevo a la tienda" in page
    assert client.get(pay_url(order))["Location"] == reverse("timeline:order", args=[order.public_token])


def test_a_paid_order_shows_no_pay_now(client, staff, stub, commit):
    with commit():
        order = place(by=staff)
    services.register_payment(order, by=staff, amount=order.total, reference="transfer")
    page = client.get(reverse("timeline:order", args=[order.public_token])).content.decode()
    assert "Pagar ahora" not in page
    assert client.get(pay_url(order))["Location"] == reverse("timeline:order", args=[order.public_token])


def test_a_link_being_made_says_so(client, staff, stub, commit):
    stub.down = True
    with commit():
        order = place(by=staff, language="en")
    page = client.get(reverse("timeline:order", args=[order.public_token])).content.decode()
    assert "Your payment link is being prepared" in page and "Pay now" not in page


def test_an_unknown_token_is_the_same_404(client):
    assert client.get("/o/not-a-real-token-at-all-1234567890/pay/").status_code == 404
