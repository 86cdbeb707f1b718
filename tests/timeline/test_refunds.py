"""A cancelled order that was paid: the customer's page says what happens to the money, shows each refund,
and gives the store's contact where it asks to contact the store."""
from decimal import Decimal

import pytest
from django.urls import reverse

from orders import services
from orders.models import Payment, Status
from tests.factories import UserFactory

from .factories import order_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def store_contact(settings):
    settings.STORE_EMAIL = "hola@tiendademo.com.ar"
    settings.STORE_PHONE = "+54 11 5555-0000"


def cancelled_paid_order(**fields):
    """An online order paid in full (its payment recorded), accepted, then cancelled by the store."""
    order = order_at(Status.ACCEPTED, **fields)
    Payment.objects.create(order=order, amount=order.total, reference="MP-1")
    return services.cancel(order, by=UserFactory(username="tienda"), reason="Sin stock del talle pedido",
                           notify_customer=False)


def page(client, order, **params) -> str:
    response = client.get(reverse("timeline:order", args=[order.public_token]), params)
    assert response.status_code == 200
    return response.content.decode()


def refund(order, amount):
    services.register_refund(order, by=UserFactory(username="tienda"), amount=Decimal(amount), notify_customer=False)
    order.refresh_from_db()
    return order


def test_a_cancelled_paid_order_says_the_money_will_be_refunded_and_how_to_reach_the_store(client):
    order = cancelled_paid_order(language="es")

    html = page(client, order)

    assert "Tu pedido fue cancelado: te vamos a reintegrar lo que pagaste." in html
    assert "Si tenés alguna duda, comunicate con la tienda:" in html
    assert '<a class="contact__link" href="mailto:hola@tiendademo.com.ar">hola@tiendademo.com.ar</a>' in html
    assert '<a class="contact__link" href="tel:+541155550000">+54 11 5555-0000</a>' in html
    assert "comunicate con la tienda." not in html  # never the sentence without a contact


def test_a_refunded_order_shows_the_refund_instead_of_paid(client):
    order = refund(cancelled_paid_order(language="es"), order_total := "11500.00")

    html = page(client, order)

    amount = order.format_money(Decimal(order_total), "es")
    assert '<p class="payment payment--refunded">Reintegrado</p>' in html
    assert f"Te reintegramos {amount}." in html
    assert f"Reintegro de {amount}" in html
    assert ">Pagado<" not in html and "te vamos a reintegrar" not in html
    assert "mailto:hola@tiendademo.com.ar" in html


@pytest.mark.parametrize(("language", "headline", "line"), [
    ("pt-br", "Reembolsado em parte", "Reembolso de {amount}"),
    ("en", "Partially refunded", "Refund of {amount}"),
])
def test_each_part_refund_is_listed_in_the_readers_language(client, language, headline, line):
    order = refund(refund(cancelled_paid_order(language="es"), "1500.00"), "2000.00")

    html = page(client, order, lang=language)

    assert f'<p class="payment payment--refunded">{headline}</p>' in html
    for amount in ("1500.00", "2000.00"):
        assert line.format(amount=order.format_money(Decimal(amount), language)) in html
    assert order.format_money(Decimal("3500.00"), language) in html  # what was refunded in all


def test_without_a_store_contact_the_page_still_asks_to_contact_the_store(client, settings):
    settings.STORE_EMAIL = ""
    settings.STORE_PHONE = ""
    order = cancelled_paid_order(language="en")

    html = page(client, order)

    assert "If you have any questions, please contact the store." in html
    assert "mailto:" not in html


def test_an_open_order_with_a_part_refund_keeps_its_steps(client):
    order = order_at(Status.PREPARING, language="en")
    Payment.objects.create(order=order, amount=order.total)
    order = refund(order, "500.00")

    html = page(client, order)

    assert "Partially refunded" in html
    assert "was cancelled" not in html
