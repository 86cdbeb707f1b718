"""Money is written one way per reader's language, by Babel, on every screen and in every message; an
order's pages write their dates one way; Portuguese months are lower case (docs/glossary.md)."""
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from checkouts.models import Checkout
from notifications.rendering import render_for_checkout, render_for_order
from orders import services
from orders.display import format_money, money
from orders.models import Order
from tests.factories import OrderFactory, storefront
from tests.orders.admin_factories import change_url, sheet_url

pytestmark = pytest.mark.django_db

TOTAL = Decimal("11500.00")
# How 11,500 pesos read in each language, with the store in Argentina (the default region).
WRITTEN = {"es": "$11.500,00", "pt-br": "ARS\xa011.500,00", "en": "ARS11,500.00"}
# The other ways they were written before: the language without the store's country, and so on.
OTHER_WAYS = ["11.500,00\xa0ARS", "ARS\xa011.500,00", "ARS11,500.00", "$11.500,00", "$\xa011.500,00"]


@pytest.mark.parametrize(("language", "written"), WRITTEN.items())
def test_one_function_writes_money_for_each_language(language, written):
    assert format_money(TOTAL, "ARS", language) == written
    with translation.override(language):
        assert format_money(TOTAL, "ARS") == written
        assert money(OrderFactory.build(currency="ARS"), TOTAL) == written


def test_the_store_country_decides_the_regional_way(settings):
    settings.PHONENUMBER_DEFAULT_REGION = "MX"
    assert format_money(TOTAL, "MXN", "es") == "$11,500.00"
    settings.PHONENUMBER_DEFAULT_REGION = "FR"  # no Spanish of France in Babel: Spanish as such
    assert format_money(TOTAL, "BRL", "es") == "11.500,00\xa0BRL"
    assert format_money(TOTAL, "BRL", "pt-br") == "R$\xa011.500,00"


@pytest.mark.parametrize("language", ["es", "pt-br", "en", "fr", "de-ch", "ja", "ar", "hi"])
def test_amounts_read_exactly_as_babel_writes_them(language):
    """format_money keeps Babel's pattern per currency and language: the same text as Babel's own
    format_currency, whatever the sign, the currency's digits or a code Babel has no symbol for."""
    from babel.numbers import format_currency

    from orders.display import money_locale

    for currency in ["ARS", "BRL", "USD", "EUR", "JPY", "CLP", "KWD", "XYZ"]:
        for amount in [Decimal("0"), Decimal("1.5"), Decimal("-1234.567"), TOTAL, Decimal("0.005"), 1234567]:
            babel = format_currency(amount, currency, locale=money_locale(language))
            assert format_money(amount, currency, language) == babel, (currency, amount)


def others(language):
    return [way for way in OTHER_WAYS if way != WRITTEN[language]]


@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_an_order_total_reads_the_same_on_every_screen_and_message(client, admin_user, language):
    """The customer's messages and page and the staff's list, order page and sheet, in one language."""
    order = OrderFactory(language=language, total=TOTAL)
    with translation.override(language):
        email = render_for_order(order, milestone="order_placed", channel="email", language=language).body
        staff_email = render_for_order(order, milestone="new_order", channel="email", language=language).body
    client.force_login(admin_user)
    pages = {
        "customer's email": email,
        "staff email": staff_email,
        "timeline page": client.get(reverse("timeline:order", args=[order.public_token])).content.decode(),
    }
    for name, url in [("order list", reverse("admin:orders_order_changelist")), ("order page", change_url(order)),
                      ("sheet", sheet_url(order)), ("admin index", reverse("admin:index"))]:
        pages[name] = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    for name, text in pages.items():
        assert WRITTEN[language] in text, name
        assert not [way for way in others(language) if way in text], name


def test_a_checkout_total_reads_like_an_order_total():
    checkout = Checkout.objects.create(
        storefront=storefront(), external_id="c-1", customer_name="Ana", customer_email="ana@example.com",
        language="es", currency="ARS", total=TOTAL, resume_url="https://tienda.example.com/r/1",
    )

    body = render_for_checkout(checkout, milestone="checkout_recovery", channel="email", language="es").body

    assert "Total: $11.500,00" in body


def test_portuguese_months_are_written_in_lower_case(client):
    order = OrderFactory(language="pt-br")
    placed = datetime(2026, 12, 7, 14, 5, tzinfo=ZoneInfo("America/Argentina/Buenos_Aires"))
    Order.objects.filter(pk=order.pk).update(created_at=placed)

    page = client.get(reverse("timeline:order", args=[order.public_token])).content.decode()

    assert "7 de dezembro de 2026" in page
    assert "Dezembro" not in page


SHORT = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
LONG = re.compile(r"\b\d{1,2} de [a-z]+ de \d{4} a las \d{2}:\d{2}\b")


def test_an_order_page_writes_every_date_one_way(staff_client, admin_user):
    order = OrderFactory()
    services.register_payment(order, by=admin_user, amount=TOTAL, reference="TRF-1")
    services.accept(order, by=admin_user)
    services.set_custom_status(order, by=admin_user, status_type="general", code="agreed_with_customer")
    order = services.cancel(order, by=admin_user, reason="Sin stock", notify_customer=False)
    services.register_refund(order, by=admin_user, amount=TOTAL, notify_customer=False)  # the refunds' table too

    for url in (change_url(order), sheet_url(order)):
        page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert SHORT.findall(page) == [], url
        # created, updated, the payment, three timeline events and the custom status (the sheet: fewer).
        assert len(LONG.findall(page)) >= 5, url
