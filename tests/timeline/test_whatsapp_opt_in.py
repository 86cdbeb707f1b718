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


def browser_post(client, order, value):
    """Post the page's form over HTTPS the way a browser does under the page's Referrer-Policy: with
    "no-referrer" it sends `Origin: null` and no Referer; with "same-origin" its own origin and page."""
    page_url = reverse("timeline:order", args=[order.public_token])
    response = client.get(page_url, secure=True)
    policy = response["Referrer-Policy"]
    html = response.content.decode()
    meta = html.split('<meta name="referrer" content="', 1)[1].split('"', 1)[0]
    if "no-referrer" in (policy, meta):
        headers = {"HTTP_ORIGIN": "null"}
    else:
        headers = {"HTTP_ORIGIN": "https://testserver", "HTTP_REFERER": f"https://testserver{page_url}"}
    data = {"whatsapp": value, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    return client.post(reverse("timeline:whatsapp", args=[order.public_token]), data, secure=True, **headers)


def test_the_form_works_over_https_in_a_browser(whatsapp_on):
    client = Client(enforce_csrf_checks=True)
    order = order_at(Status.ACCEPTED)

    assert browser_post(client, order, "on").status_code == 303
    order.refresh_from_db()
    assert order.whatsapp_opt_in


def test_over_https_a_post_from_no_origin_or_another_site_changes_nothing(whatsapp_on):
    client = Client(enforce_csrf_checks=True)
    order = order_at(Status.ACCEPTED)
    page_url = reverse("timeline:order", args=[order.public_token])
    client.get(page_url, secure=True)
    data = {"whatsapp": "on", "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    url = reverse("timeline:whatsapp", args=[order.public_token])

    assert client.post(url, data, secure=True, HTTP_ORIGIN="null").status_code == 403
    assert client.post(url, data, secure=True).status_code == 403  # neither Origin nor Referer
    assert client.post(url, data, secure=True, HTTP_ORIGIN="https://evil.example").status_code == 403
    order.refresh_from_db()
    assert not order.whatsapp_opt_in
    # The page's own origin, as the browser sends it under "same-origin", is accepted.
    assert client.post(url, data, secure=True, HTTP_ORIGIN="https://testserver").status_code == 303


def test_an_opt_out_reaches_the_customers_other_open_orders_not_their_opt_in(whatsapp_on, settings):
    from orders.services import set_whatsapp_opt_in

    settings.LANGUAGE_CODE = "es"  # the store's language: the notes' one
    client = Client(enforce_csrf_checks=True)
    first, second, closed, stranger = (order_at(status) for status in (
        Status.ACCEPTED, Status.SHIPPED, Status.FINALIZED, Status.ACCEPTED))
    stranger.customer_phone = "+5491144443210"
    stranger.save(update_fields=["customer_phone"])
    for order in (first, second, closed, stranger):
        set_whatsapp_opt_in(order, opt_in=True, source="storefront")
    page(client, first)

    answer(client, first, "off")

    for order in (first, second, closed, stranger):
        order.refresh_from_db()
    assert (first.whatsapp_opt_in, second.whatsapp_opt_in) == (False, False)
    assert (second.whatsapp_opt_in_source, closed.whatsapp_opt_in, stranger.whatsapp_opt_in) == ("timeline", True, True)
    note = second.events.filter(kind="note").order_by("-created_at", "-pk").first()
    assert note.note.startswith(f"El cliente dejó de recibir novedades por WhatsApp en el pedido {first.number} (")
    assert note.data == {"whatsapp_opt_in": False, "source": "timeline", "given_on": first.number}

    answer(client, first, "on")  # opting in again is this order's alone
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.whatsapp_opt_in, second.whatsapp_opt_in) == (True, False)
