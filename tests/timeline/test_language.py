"""The page speaks the order's language; the browser's Accept-Language only when the project does not speak it."""
import pytest
from django.urls import reverse

from orders.models import Order, Status

from .factories import order_at, rendered_steps

pytestmark = pytest.mark.django_db


def get(client, order, accept_language):
    return client.get(reverse("timeline:order", args=[order.public_token]), HTTP_ACCEPT_LANGUAGE=accept_language)


@pytest.mark.parametrize(
    ("order_language", "accept_language", "lang", "labels", "payment"),
    [
        ("es", "en-US,en;q=0.9", "es",
         ["Pedido recibido", "Confirmado", "En preparación", "Enviado", "Finalizado"], "Estamos esperando tu transferencia"),
        ("pt-br", "es-AR,es;q=0.9", "pt-br",
         ["Pedido recebido", "Confirmado", "Em preparação", "Enviado", "Concluído"], "Estamos aguardando sua transferência"),
        ("en", "pt-BR", "en",
         ["Order received", "Accepted", "Preparing", "Shipped", "Finalized"], "We are waiting for your transfer"),
    ],
)
def test_order_language_beats_the_browser_language(client, order_language, accept_language, lang, labels, payment):
    order = order_at(Status.PENDING, language=order_language, payment_method="transfer", paid=False)

    response = get(client, order, accept_language)
    html = response.content.decode()

    assert response["Content-Language"] == lang
    assert f'<html lang="{lang}">' in html
    assert [s["label"] for s in rendered_steps(html)] == labels
    assert payment in html


def test_track_button_and_dates_are_translated(client):
    order = order_at(Status.SHIPPED, language="es")

    html = get(client, order, "en").content.decode()

    assert "Seguir mi envío" in html
    assert "Código de seguimiento" in html
    # Django's own Spanish month names: "22 de noviembre de 2026"
    assert " de 20" in html


@pytest.mark.parametrize(
    ("accept_language", "lang", "first_step"),
    [("pt-BR,pt;q=0.9", "pt-br", "Pedido recebido"), ("en-GB,en;q=0.8", "en", "Order received")],
)
def test_browser_language_is_used_when_the_order_language_is_not_one_we_speak(
    client, accept_language, lang, first_step
):
    order = order_at(Status.PENDING)
    Order.objects.filter(pk=order.pk).update(language="fr")  # e.g. imported from a storefront

    response = get(client, order, accept_language)

    assert response["Content-Language"] == lang
    assert rendered_steps(response.content.decode())[0]["label"] == first_step


def test_a_generic_order_language_uses_our_regional_variant(client):
    order = order_at(Status.PENDING)
    Order.objects.filter(pk=order.pk).update(language="pt")

    response = get(client, order, "en")

    assert response["Content-Language"] == "pt-br"


def test_catalogues_are_complete_and_compiled():
    import gettext
    from pathlib import Path

    from babel.messages.pofile import read_po

    import timeline

    locale = Path(timeline.__file__).parent / "locale"
    for language in ("es", "pt_BR"):
        po = locale / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} is missing: run compilemessages"
        with po.open("rb") as handle:
            catalog = read_po(handle)
        untranslated = [m.id for m in catalog if m.id and (not m.string or "fuzzy" in m.flags)]
        assert untranslated == [], language
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for message in catalog:
            if message.id:
                key = f"{message.context}\x04{message.id}" if message.context else message.id
                assert compiled._catalog.get(key) == message.string, f"{mo} is stale: run compilemessages"
