"""A customer whose cancelled order was refunded reads it on a phone, in a real headless Chromium."""
from decimal import Decimal

import pytest
from django.urls import reverse

from orders import services
from orders.models import Payment, Status
from tests.factories import UserFactory

from .factories import order_at
from .test_browser import PHONE, browser, pytestmark  # noqa: F401 (the module's browser and its skip)

@pytest.fixture
def store_contact(settings):
    settings.STORE_EMAIL = "hola@tiendademo.com.ar"
    settings.STORE_PHONE = "+54 11 5555-0000"


def test_a_refunded_cancelled_order_shows_the_refund_and_the_stores_contact_on_a_phone(
    browser, live_server, store_contact
):
    staff = UserFactory(username="tienda")
    order = order_at(Status.ACCEPTED, language="es", customer_name="Lucía Fernández")
    Payment.objects.create(order=order, amount=order.total, reference="MP-1")
    order = services.cancel(order, by=staff, reason="Sin stock del talle pedido", notify_customer=False)
    services.register_refund(order, by=staff, amount=Decimal("11500.00"), notify_customer=False)
    context = browser.new_context(**PHONE, locale="es-AR")
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(live_server.url + reverse("timeline:order", args=[order.public_token]))

    payment = page.locator("#payment-title").locator("xpath=..")
    assert payment.locator(".payment").inner_text() == "Reintegrado"
    assert payment.get_by_text("Reintegrado", exact=True).is_visible()
    assert payment.locator(".refunds li").count() == 1
    assert "Reintegro de" in payment.locator(".refunds li").inner_text()
    assert page.get_by_text("Pagado", exact=True).count() == 0
    email = page.get_by_role("link", name="hola@tiendademo.com.ar")
    assert email.is_visible() and email.get_attribute("href") == "mailto:hola@tiendademo.com.ar"
    assert page.get_by_role("link", name="+54 11 5555-0000").get_attribute("href") == "tel:+541155550000"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
