"""The customer's timeline page: steps, dates, shipping, pickup, payment, privacy and headers."""
from datetime import datetime, timezone as dt_timezone

import phonenumbers
import pytest
from django.urls import reverse

from orders.models import FulfillmentMethod, Order, OrderEvent, OrderLine, PaymentMethod, Status

from .factories import TRACKING_CODE, order_at, rendered_steps

pytestmark = pytest.mark.django_db

C, P, T = FulfillmentMethod.CARRIER, FulfillmentMethod.PICKUP, FulfillmentMethod.TO_BE_AGREED
CARRIER_STEPS = ["pending", "accepted", "preparing", "shipped", "finalized"]
PICKUP_STEPS = ["pending", "accepted", "preparing", "ready_for_pickup", "finalized"]


def page(client, order, **headers):
    response = client.get(reverse("timeline:order", args=[order.public_token]), **headers)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("fulfillment", "status", "expected"),
    [
        (C, Status.PENDING, "C...."),
        (C, Status.ACCEPTED, "dC..."),
        (C, Status.PREPARING, "ddC.."),
        (C, Status.SHIPPED, "dddC."),
        (C, Status.FINALIZED, "ddddC"),
        (P, Status.PENDING, "C...."),
        (P, Status.ACCEPTED, "dC..."),
        (P, Status.PREPARING, "ddC.."),
        (P, Status.READY_FOR_PICKUP, "dddC."),
        (P, Status.FINALIZED, "ddddC"),
        (T, Status.PREPARING, "ddC.."),
        (T, Status.READY_FOR_PICKUP, "dddC."),
        (T, Status.FINALIZED, "ddddC"),
    ],
)
def test_each_status_and_fulfillment_renders_its_steps_with_the_current_one_marked(
    client, fulfillment, status, expected
):
    order = order_at(status, fulfillment)

    steps = rendered_steps(page(client, order).content.decode())

    assert [s["code"] for s in steps] == (CARRIER_STEPS if fulfillment == C else PICKUP_STEPS)
    states = "".join({"done": "d", "current": "C", "upcoming": "."}[s["state"]] for s in steps)
    assert states == expected
    assert [s["current"] for s in steps] == [s["state"] == "current" for s in steps]
    assert sum(s["current"] for s in steps) == 1
    # Reached steps carry their date; steps still to come have none.
    assert all(s["date"] for s in steps if s["state"] != "upcoming")
    assert not any(s["date"] for s in steps if s["state"] == "upcoming")


def test_step_labels_are_the_customer_words(client):
    carrier_steps = rendered_steps(page(client, order_at(Status.SHIPPED, C, language="en")).content.decode())
    pickup_steps = rendered_steps(page(client, order_at(Status.PREPARING, P, language="en")).content.decode())

    assert [s["label"] for s in carrier_steps] == ["Order received", "Accepted", "Preparing", "Shipped", "Finalized"]
    assert [s["label"] for s in pickup_steps] == [
        "Order received", "Accepted", "Preparing", "Ready for pickup", "Finalized",
    ]


def test_each_reached_step_shows_the_date_it_was_reached(client):
    order = order_at(Status.PREPARING, C, language="en")
    dates = {
        Status.PENDING: datetime(2026, 3, 2, 13, 5, tzinfo=dt_timezone.utc),
        Status.ACCEPTED: datetime(2026, 3, 3, 14, 10, tzinfo=dt_timezone.utc),
        Status.PREPARING: datetime(2026, 3, 4, 15, 20, tzinfo=dt_timezone.utc),
    }
    OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.PLACED).update(created_at=dates[Status.PENDING])
    for status in (Status.ACCEPTED, Status.PREPARING):
        OrderEvent.objects.filter(order=order, to_status=status).update(created_at=dates[status])

    html = page(client, order).content.decode()

    steps = {s["code"]: s for s in rendered_steps(html)}
    for status, when in dates.items():
        assert datetime.fromisoformat(steps[status]["date"]) == when
    # Shown in the store's time zone (Buenos Aires, UTC-3) in words.
    assert "March 3, 2026, 11:10" in html


@pytest.mark.parametrize(
    ("fulfillment", "cancelled_from", "reached"),
    [
        (C, Status.PENDING, ["pending"]),
        (C, Status.PREPARING, ["pending", "accepted", "preparing"]),
        (C, Status.SHIPPED, ["pending", "accepted", "preparing", "shipped"]),
        (P, Status.READY_FOR_PICKUP, ["pending", "accepted", "preparing", "ready_for_pickup"]),
    ],
)
def test_cancelled_order_says_so_with_the_date_and_shows_no_steps_to_come(client, fulfillment, cancelled_from, reached):
    order = order_at(Status.CANCELLED, fulfillment, cancelled_from=cancelled_from, language="en")
    cancelled_at = datetime(2026, 5, 20, 18, 0, tzinfo=dt_timezone.utc)
    OrderEvent.objects.filter(order=order, to_status=Status.CANCELLED).update(created_at=cancelled_at)

    html = page(client, order).content.decode()

    assert "This order was cancelled on May 20, 2026." in html
    steps = rendered_steps(html)
    assert [s["code"] for s in steps] == [*reached, "cancelled"]
    assert [s["state"] for s in steps] == ["done"] * len(reached) + ["current"]
    assert steps[-1]["label"] == "Cancelled"
    assert "Track my package" not in html
    # The reason given when cancelling is for the customer too (the cancel form says so).
    assert "Reason: Sin stock del talle pedido" in html


def test_shipped_order_shows_the_carrier_a_copyable_tracking_code_and_our_tracking_link(client):
    order = order_at(Status.SHIPPED, C, language="en")

    html = page(client, order).content.decode()

    assert "Correo Rápido" in html
    assert (
        f'<input class="copy__input" id="tracking-code" type="text" value="{TRACKING_CODE}" readonly' in html
    )
    assert '<label class="field-label" for="tracking-code">Tracking code</label>' in html
    # The copy button needs JavaScript, so it starts hidden: without JS the readonly field is selectable.
    assert 'type="button" hidden data-copy="tracking-code"' in html
    track = reverse("timeline:track", args=[order.public_token])
    assert f'href="{track}" rel="noopener noreferrer">Track my package</a>' in html
    # Never the carrier's address directly: every click goes through our counter.
    assert "tracking.example.com" not in html


def test_finalized_carrier_order_still_shows_how_to_track_it(client):
    html = page(client, order_at(Status.FINALIZED, C, language="en")).content.decode()

    assert "Track my package" in html


def test_carrier_order_not_yet_shipped_has_no_tracking_button(client):
    html = page(client, order_at(Status.PREPARING, C, language="en")).content.decode()

    assert "Track my package" not in html
    assert "tracking-code" not in html


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.READY_FOR_PICKUP])
def test_pickup_order_shows_the_pickup_point_address_and_hours(client, status):
    order = order_at(status, P, language="en")

    html = page(client, order).content.decode()

    assert "Pickup point" in html
    assert "Local Palermo, Honduras 4800, CABA<br>Lunes a viernes de 10 a 19 h" in html
    assert ("you can pick it up now" in html) == (status == Status.READY_FOR_PICKUP)
    assert "Track my package" not in html


def test_to_be_agreed_order_says_the_store_will_get_in_touch(client):
    order = order_at(Status.PREPARING, T, language="en", pickup_point="")

    html = page(client, order).content.decode()

    assert "The store will get in touch with you to agree on the delivery." in html


@pytest.mark.parametrize(
    ("payment_method", "paid", "fulfillment", "expected"),
    [
        (PaymentMethod.TRANSFER, False, C, "We are waiting for your transfer"),
        (PaymentMethod.PAYMENT_LINK, False, C, "We are waiting for your payment"),
        (PaymentMethod.CASH_ON_DELIVERY, False, C, "Pay on delivery"),
        (PaymentMethod.CASH_ON_DELIVERY, False, P, "Pay on delivery"),
        (PaymentMethod.ONLINE, False, C, "We are waiting for your payment"),
        (PaymentMethod.TRANSFER, True, C, "Paid"),
        (PaymentMethod.CASH_ON_DELIVERY, True, C, "Paid"),
    ],
)
def test_payment_is_said_in_customer_words(client, payment_method, paid, fulfillment, expected):
    order = order_at(Status.PENDING, fulfillment, payment_method=payment_method, paid=paid, language="en")

    html = page(client, order).content.decode()

    assert f'class="payment payment--{"paid" if paid else "pending"}">{expected}</p>' in html
    assert f"Total: <strong>{order.format_money(order.total, 'en')}</strong>" in html


def test_cancelled_unpaid_order_asks_for_no_payment(client):
    order = order_at(Status.CANCELLED, C, payment_method=PaymentMethod.TRANSFER, paid=False, language="en")

    html = page(client, order).content.decode()

    assert "We are waiting for your transfer" not in html


def test_page_shows_first_name_and_city_but_no_phone_email_address_or_last_name(client):
    order = order_at(
        Status.SHIPPED, C, language="en", customer_name="María José Pérez", customer_email="maria.perez@example.com",
        customer_phone="+5493515550123", city="Córdoba", address="Av. Colón 4821, piso 3, X5000 Córdoba",
    )

    html = page(client, order).content.decode()

    assert "Hi, María!" in html
    assert "Córdoba" in html
    phone = phonenumbers.parse("+5493515550123")
    for fmt in (phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                phonenumbers.PhoneNumberFormat.NATIONAL):
        assert phonenumbers.format_number(phone, fmt) not in html
    assert "5550123" not in html
    assert "@" not in html
    assert "maria.perez" not in html
    assert "Colón" not in html and "piso 3" not in html and "X5000" not in html
    assert "Pérez" not in html and "José" not in html


def test_page_is_not_indexed_not_kept_by_shared_caches_and_leaks_no_referrer(client):
    response = page(client, order_at(Status.SHIPPED, C))
    html = response.content.decode()

    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
    # Its own site only: the token never reaches another site, and its forms post with a real Origin.
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in html
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert not response.cookies


def test_page_is_readable_without_javascript(client):
    """Everything a customer needs is in the HTML itself; the script only adds the copy and push buttons."""
    order = order_at(Status.SHIPPED, C, language="en")

    html = page(client, order).content.decode()

    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main
    assert "Order received" in main and "Shipped" in main and TRACKING_CODE in main
    assert '<ol class="steps">' in main


def test_page_makes_at_most_five_queries(client, django_assert_max_num_queries):
    order = order_at(Status.FINALIZED, C)
    for n in range(6):
        OrderLine.objects.create(order=order, name=f"Producto {n}", quantity=1, unit_price=100)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("timeline:order", args=[order.public_token]))

    assert response.status_code == 200
    assert "Producto 5" in response.content.decode()


def test_push_button_is_offered_only_with_a_vapid_key_and_while_the_order_is_open(client, settings):
    open_order = order_at(Status.ACCEPTED, C, language="en")
    finalized = order_at(Status.FINALIZED, C, language="en")

    settings.VAPID_PUBLIC_KEY = ""
    assert "Notify me on this device" not in page(client, open_order).content.decode()

    settings.VAPID_PUBLIC_KEY = "BExampleVapidPublicKey"
    html = page(client, open_order).content.decode()
    assert "Notify me on this device" in html
    assert "Stop notifications" in html
    # Hidden until the script finds a browser that supports web push.
    assert 'aria-labelledby="push-title" hidden data-push' in html
    assert 'data-vapid-key="BExampleVapidPublicKey"' in html
    assert 'data-sw-scope="/o/"' in html
    assert "Notify me on this device" not in page(client, finalized).content.decode()


def test_page_counts_no_tracking_click(client):
    order = order_at(Status.SHIPPED, C)

    page(client, order)

    assert Order.objects.get(pk=order.pk).tracking_clicks == 0


def test_service_worker_is_served_with_a_scope_covering_the_timeline_pages(client):
    response = client.get(reverse("timeline:service-worker"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/o/"
    body = response.content.decode()
    assert 'addEventListener("push"' in body and 'addEventListener("notificationclick"' in body
    assert reverse("timeline:order", args=["x" * 43]).startswith("/o/")


BANK = "Banco Demo · CBU 0000003100010000000001\nAlias: TIENDA.DEMO"


@pytest.mark.parametrize(("language", "title"), [
    ("es", "Cómo pagar por transferencia"), ("pt-br", "Como pagar por transferência"),
    ("en", "How to pay by bank transfer"),
])
def test_an_unpaid_transfer_order_shows_the_bank_details(client, settings, language, title):
    settings.STORE_TRANSFER_DETAILS = BANK
    order = order_at(Status.PENDING, payment_method=PaymentMethod.TRANSFER, paid=False, language=language)

    html = page(client, order).content.decode()

    assert f'<h3 class="bank__title">{title}</h3>' in html
    assert '<p class="bank" data-transfer-details>Banco Demo · CBU 0000003100010000000001<br>Alias: TIENDA.DEMO</p>' in html


@pytest.mark.parametrize(("payment_method", "paid", "status", "details"), [
    (PaymentMethod.TRANSFER, True, Status.ACCEPTED, BANK),  # paid: nothing left to transfer
    (PaymentMethod.TRANSFER, False, Status.CANCELLED, BANK),  # cancelled: nothing to pay
    (PaymentMethod.CASH_ON_DELIVERY, False, Status.PENDING, BANK),  # not a transfer
    (PaymentMethod.TRANSFER, False, Status.PENDING, ""),  # the store set no bank details
])
def test_no_bank_details_where_no_transfer_is_due(client, settings, payment_method, paid, status, details):
    settings.STORE_TRANSFER_DETAILS = details
    order = order_at(status, payment_method=payment_method, paid=paid, language="en")

    html = page(client, order).content.decode()

    assert "data-transfer-details" not in html and "CBU" not in html
