"""The page speaks the reader's language when they choose one (?lang=), remembers it for that page in a
cookie, and otherwise speaks the order's; a cancelled order's page says why it was cancelled."""
import re

import pytest
from django.urls import reverse

from orders.models import Status
from timeline.views import LANGUAGE_COOKIE

from .factories import order_at, rendered_steps

pytestmark = pytest.mark.django_db


def url(order):
    return reverse("timeline:order", args=[order.public_token])


def test_the_page_offers_each_language_as_a_link_and_marks_the_one_it_speaks(client):
    order = order_at(Status.PENDING, language="es")

    html = client.get(url(order)).content.decode()

    link = r'<a class="langs__link" href="([^"]+)" hreflang="([^"]+)" lang="[^"]+"( aria-current="true")?>([^<]+)</a>'
    links = re.findall(link, html)
    assert [(href, code, bool(current), name) for href, code, current, name in links] == [
        (f"{url(order)}?lang=es", "es", True, "Español"),
        (f"{url(order)}?lang=pt-br", "pt-br", False, "Português"),
        (f"{url(order)}?lang=en", "en", False, "English"),
    ]


@pytest.mark.parametrize(
    ("lang", "expected", "first_step"),
    [("en", "en", "Order received"), ("pt-br", "pt-br", "Pedido recebido"), ("pt-BR", "pt-br", "Pedido recebido")],
)
def test_a_chosen_language_is_spoken_and_remembered_for_this_page_only(client, lang, expected, first_step):
    order = order_at(Status.PENDING, language="es")

    response = client.get(url(order), {"lang": lang})

    assert response["Content-Language"] == expected
    assert rendered_steps(response.content.decode())[0]["label"] == first_step
    cookie = response.cookies[LANGUAGE_COOKIE]
    assert cookie.value == expected
    assert cookie["path"] == url(order)  # not every order's page, not the admin
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) >= 30 * 24 * 3600
    assert response["Cache-Control"] == "private, no-store"

    again = client.get(url(order))  # the cookie comes back

    assert again["Content-Language"] == expected
    assert LANGUAGE_COOKIE not in again.cookies  # nothing new to remember


def test_a_new_reader_gets_the_orders_language_whatever_the_browser_says(client):
    order = order_at(Status.PENDING, language="pt-br")

    response = client.get(url(order), HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "pt-br"
    assert LANGUAGE_COOKIE not in response.cookies


@pytest.mark.parametrize("lang", ["fr", "", "es-xx", "../admin"])
def test_a_language_the_page_does_not_offer_is_ignored(client, lang):
    order = order_at(Status.PENDING, language="en")

    response = client.get(url(order), {"lang": lang})

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert LANGUAGE_COOKIE not in response.cookies


def test_a_forged_cookie_value_is_ignored(client):
    order = order_at(Status.PENDING, language="en")
    client.cookies[LANGUAGE_COOKIE] = "xx"

    assert client.get(url(order))["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("es", "Motivo: Sin stock del talle pedido"), ("pt-br", "Motivo: Sin stock del talle pedido"),
     ("en", "Reason: Sin stock del talle pedido")],
)
def test_a_cancelled_orders_page_shows_the_cancel_reason(client, lang, words):
    order = order_at(Status.CANCELLED, cancelled_from=Status.ACCEPTED, language="es")

    html = client.get(url(order), {"lang": lang}).content.decode()

    assert words in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_an_open_order_shows_no_reason(client):
    order = order_at(Status.ACCEPTED, language="en")

    assert "Reason:" not in client.get(url(order)).content.decode()
