"""Wrong, tampered and unknown tokens all get the very same plain 404: nobody can enumerate orders."""
import pytest
from django.urls import reverse

from orders.models import Status

from .factories import order_at, subscription_json

pytestmark = pytest.mark.django_db

# Headers that could tell one 404 from another.
COMPARED_HEADERS = [
    "Content-Type", "Content-Length", "Content-Language", "Cache-Control", "X-Robots-Tag", "Referrer-Policy",
    "Content-Security-Policy", "Vary", "Location", "Set-Cookie", "ETag", "Last-Modified",
]


def signature(response):
    return response.status_code, response.content, {name: response.get(name) for name in COMPARED_HEADERS}


def bad_tokens(order):
    real = order.public_token
    flipped = ("A" if real[-1] != "A" else "B")
    return {
        "unknown": "Q" * 43,
        "tampered": real[:-1] + flipped,
        "truncated": real[:-1],
        "extended": real + "x",
        "too short": "abc",
        "not base64url": real[:20] + "!$*" + real[23:],
        "order number": order.number,
        "primary key": str(order.pk),
        "upper-cased": real.upper() if real.upper() != real else real.lower(),
    }


def test_every_bad_token_gets_the_same_plain_404_as_an_unknown_one(client):
    order = order_at(Status.SHIPPED)
    responses = {name: client.get(reverse("timeline:order", args=[token])) for name, token in bad_tokens(order).items()}

    reference = signature(responses["unknown"])
    assert reference[0] == 404
    for name, response in responses.items():
        assert signature(response) == reference, name
    body = reference[1].decode()
    assert "Page not found" in body
    assert order.number not in body
    assert reference[2]["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in reference[2]["Cache-Control"]


@pytest.mark.parametrize("debug", [True, False])
def test_the_404_does_not_depend_on_debug(client, settings, debug):
    order = order_at(Status.PENDING)
    settings.DEBUG = False
    production = signature(client.get(reverse("timeline:order", args=["Q" * 43])))

    settings.DEBUG = debug
    response = client.get(reverse("timeline:order", args=[order.public_token[:-1] + "-"]))

    assert signature(response) == production
    assert b"technical" not in response.content.lower() and b"urlconf" not in response.content.lower()


def test_tracking_link_and_push_endpoints_answer_the_same_404_for_bad_tokens(client):
    order = order_at(Status.SHIPPED)
    page_404 = signature(client.get(reverse("timeline:order", args=["Q" * 43])))

    for token in bad_tokens(order).values():
        assert signature(client.get(reverse("timeline:track", args=[token]))) == page_404
        for name in ("timeline:push-subscribe", "timeline:push-unsubscribe"):
            response = client.post(reverse(name, args=[token]), subscription_json(), content_type="application/json")
            assert response.status_code == 404
            assert response.content == page_404[1]


def test_the_404_speaks_the_browser_language(client):
    response = client.get(reverse("timeline:order", args=["Q" * 43]), HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9,en;q=0.5")

    assert response.status_code == 404
    assert "Página não encontrada" in response.content.decode()
    assert '<html lang="pt-br">' in response.content.decode()
    assert response["Content-Language"] == "pt-br"
