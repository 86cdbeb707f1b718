"""The timeline page's "Get updates on WhatsApp": shown only when the store sends WhatsApp and the order
has a number; a CSRF-protected POST records the opt-in (and the opt-out) with where and when."""
import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import MilestoneSetting
from orders.models import Status

from .factories import order_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def whatsapp_on(db):
    MilestoneSetting.objects.filter(milestone="shipped").update(whatsapp=True)


def page(client, order):
    return client.get(reverse("timeline:order", args=[order.public_token]))


def answer(client, order, value, *, csrf=True):
    data = {"whatsapp": value}
    if csrf:
        data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    return client.post(reverse("timeline:whatsapp", args=[order.public_token]), data)


def test_the_customer_opts_in_and_out_from_the_page(whatsapp_on):
    client = Client(enforce_csrf_checks=True)
    order = order_at(Status.ACCEPTED)
    html = page(client, order).content.decode()
    assert "Recibir novedades por WhatsApp" in html and 'name="whatsapp" value="on"' in html  # the order's Spanish

    response = answer(client, order, "on")
    assert response.status_code == 303
    assert response["Location"] == reverse("timeline:order", args=[order.public_token]) + "#whatsapp"
    order.refresh_from_db()
    assert (order.whatsapp_opt_in, order.whatsapp_opt_in_source) == (True, "timeline")
    assert order.whatsapp_opt_in_at is not None
    assert "Dejar de recibir novedades por WhatsApp" in page(client, order).content.decode()

    answer(client, order, "off")
    order.refresh_from_db()
    assert (order.whatsapp_opt_in, order.whatsapp_opt_in_source) == (False, "timeline")
    assert order.events.filter(kind="note").count() == 2


def test_a_post_without_the_csrf_token_changes_nothing(whatsapp_on):
    client = Client(enforce_csrf_checks=True)
    order = order_at(Status.ACCEPTED)
    page(client, order)
    assert answer(client, order, "on", csrf=False).status_code == 403
    order.refresh_from_db()
    assert not order.whatsapp_opt_in


def test_the_button_is_not_offered_while_the_store_sends_no_whatsapp(whatsapp_on):
    client = Client(enforce_csrf_checks=True)
    order = order_at(Status.ACCEPTED)
    page(client, order)  # the form's token, from when WhatsApp was on
    MilestoneSetting.objects.get(milestone="shipped").__class__.objects.update(whatsapp=False)
    from notifications.rendering import forget_cached

    forget_cached()
    assert 'name="whatsapp"' not in page(client, order).content.decode()
    answer(client, order, "on")
    order.refresh_from_db()
    assert not order.whatsapp_opt_in


def test_the_button_is_not_offered_to_an_order_without_a_phone(whatsapp_on):
    client = Client(enforce_csrf_checks=True)
    order = order_at(Status.ACCEPTED)
    order.customer_phone = ""
    order.save(update_fields=["customer_phone"])
    assert 'name="whatsapp"' not in page(client, order).content.decode()
