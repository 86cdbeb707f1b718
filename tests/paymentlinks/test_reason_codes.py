"""What became of a link or a payment check, and why a payment needs the staff, are stored as codes
with their detail and told in the reader's language on the admin; the sentences stored before were
turned into codes."""
import html
import importlib
import json

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from paymentlinks.models import MercadoPagoPayment, PaymentCheck, PaymentLink

from .conftest import notify, place

pytestmark = pytest.mark.django_db

PAYMENT = "1319234567"
MIGRATION = importlib.import_module("paymentlinks.migrations.0003_reason_codes")


def page(client, url, language) -> str:
    return html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())


@pytest.fixture
def order(staff, commit):
    with commit():
        placed = place(by=staff)
    mail.outbox = []
    return placed


def test_a_registered_payment_is_told_in_each_readers_words_and_money(client, staff_client, order, stub, commit):
    stub.pay(PAYMENT, order=order)
    with commit():
        notify(client, PAYMENT)
    check = PaymentCheck.objects.get()
    assert check.outcome_code == "registered"
    assert json.loads(check.outcome) == {"currency": "ARS", "money": "11500.00", "number": order.number}

    url = reverse("admin:paymentlinks_paymentcheck_changelist")
    assert f"registrado $11.500,00 en el pedido {order.number}" in page(staff_client, url, "es").replace("\xa0", "")
    assert f"registrado ARS 11.500,00 no pedido {order.number}" in page(staff_client, url, "pt-br").replace(
        "\xa0", " ")
    assert f"registered ARS11,500.00 on order {order.number}" in page(staff_client, url, "en").replace("\xa0", "")


def test_a_flag_is_told_in_the_readers_language_on_the_order_page(client, staff_client, order, stub, commit):
    stub.pay(PAYMENT, order=order, currency="BRL")
    with commit():
        notify(client, PAYMENT)
    seen = MercadoPagoPayment.objects.get(payment_id=PAYMENT)
    assert seen.attention_code == "currency"
    assert json.loads(seen.attention) == {"amount": "11500.00", "currency": "BRL", "order_currency": "ARS"}

    order_url = reverse("admin:orders_order_change", args=[order.pk])
    assert "pero el pedido está en ARS: no se registró." in page(staff_client, order_url, "es")
    assert "mas o pedido está em ARS: não foi registrado." in page(staff_client, order_url, "pt-br")
    check_url = reverse("admin:paymentlinks_paymentcheck_changelist")
    assert "flagged for staff: Mercado Pago approved 11500.00 BRL, but the order is in ARS" in page(
        staff_client, check_url, "en")
    # The staff's email is written in the store's language (en in the tests).
    [alert] = [m for m in mail.outbox if "needs you" in m.subject]
    assert "Mercado Pago approved 11500.00 BRL, but the order is in ARS" in alert.body


def test_a_failed_link_is_told_in_the_readers_language(staff, staff_client, stub, commit, settings):
    settings.MERCADOPAGO_MAX_ATTEMPTS = 1
    stub.down = True
    with commit():
        order = place(by=staff)
    link = PaymentLink.objects.get(order=order)
    assert (link.status, link.error_code, link.error) == ("failed", "gave_up", "unavailable:Mercado Pago answered HTTP 503")

    order_url = reverse("admin:orders_order_change", args=[order.pk])
    assert "se abandonó después de 1 intentos: Mercado Pago answered HTTP 503" in page(staff_client, order_url, "es")
    assert "desistimos depois de 1 tentativas: Mercado Pago answered HTTP 503" in page(staff_client, order_url, "pt-br")


@pytest.mark.parametrize(("text", "expected"), [
    ("no creado: el pedido ya está pagado o cancelado", ("order_closed", "")),
    ("não lido: os links de pagamento estão desligados (sem MERCADOPAGO_ACCESS_TOKEN)", ("turned_off", "")),
    ("ignorado: ningún pedido tiene la referencia “ZZZZ-9999”", ("unknown_reference", "ZZZZ-9999")),
    ("ignored: this payment belongs to order K7QH-2M9X", ("other_order", "K7QH-2M9X")),
    ("anotado: o pagamento está pending", ("recorded", "pending")),
    ("ignorado: la referencia del pago “X-1” no es el pedido K7QH-2M9X ni su id en la tienda online",
     ("wrong_order", '{"number": "K7QH-2M9X", "reference": "X-1"}')),
    ("registrado $ 11.500,00 en el pedido K7QH-2M9X", ("registered", '{"money": "$ 11.500,00", "number": "K7QH-2M9X"}')),
    ("desistimos depois de 5 tentativas: Mercado Pago answered HTTP 503", ("gave_up", "Mercado Pago answered HTTP 503")),
    ("se abandonó después de 5 intentos: Mercado Pago respondió sin una dirección de pago", ("gave_up", "no_checkout:")),
    ("marcado para el equipo: Mercado Pago informa un contracargo de este pago (100.00 ARS). El pago registrado en "
     "el pedido sigue contando: gestioná el contracargo.",
     ("flagged", '{"amount": "100.00", "attention": "charged_back", "currency": "ARS"}')),
    ("Mercado Pago answered HTTP 400: invalid items.unit_price", ("other", "Mercado Pago answered HTTP 400: invalid items.unit_price")),
])
def test_the_migration_knows_the_sentences_written_in_each_language(text, expected):
    assert MIGRATION.reason_code(text) == expected


def test_the_migration_turns_the_stored_sentences_into_codes(client, order, stub, commit):
    stub.pay(PAYMENT, order=order, currency="BRL")
    with commit():
        notify(client, PAYMENT)
    link = PaymentLink.objects.get(order=order)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks while the tables are altered
    before = ("paymentlinks", "0002_staff_group_permissions")
    executor = MigrationExecutor(connection)
    [latest] = executor.loader.graph.leaf_nodes("paymentlinks")
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    old.get_model("paymentlinks", "PaymentLink").objects.filter(pk=link.pk).update(
        error="no creado: el pedido ya está pagado o cancelado")
    old.get_model("paymentlinks", "PaymentCheck").objects.update(outcome="anotado: el pago está pending")
    old.get_model("paymentlinks", "MercadoPagoPayment").objects.update(
        attention="Mercado Pago aprobó 11500.00 BRL, pero el pedido está en ARS: no se registró.")

    executor = MigrationExecutor(connection)
    executor.migrate([latest])

    link.refresh_from_db()
    check = PaymentCheck.objects.get()
    seen = MercadoPagoPayment.objects.get()
    with translation.override("en"):
        assert (link.error_code, link.error_text) == ("order_closed", "not made: the order is already paid or cancelled")
        assert (check.outcome_code, check.outcome_text) == ("recorded", "recorded: the payment is pending")
        assert seen.attention_text == "Mercado Pago approved 11500.00 BRL, but the order is in ARS: it was not registered."
