"""/t/<token>/ counts the click and sends the customer to the carrier's page for the order's code."""
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from orders.models import Order, Status

from .factories import TRACKING_CODE, order_at, timeline_carrier


requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serializes every write, so lost updates cannot happen there; "
    "run `bash .ci/run` or set DATABASE_URL=postgres://... to run it",
)


def track_url(order):
    return reverse("timeline:track", args=[order.public_token])


@pytest.mark.django_db
def test_redirects_to_the_carrier_page_built_from_its_template_and_counts_the_click(client):
    order = order_at(Status.SHIPPED)

    response = client.get(track_url(order))

    assert response.status_code == 302
    assert response["Location"] == f"https://tracking.example.com/envio/{TRACKING_CODE}"
    assert response["Location"] == order.carrier.tracking_url(order.tracking_code)
    order.refresh_from_db()
    assert order.tracking_clicks == 1
    assert order.tracking_first_clicked_at is not None
    assert order.tracking_first_clicked_at == order.tracking_last_clicked_at


@pytest.mark.django_db
def test_later_clicks_move_the_last_click_and_keep_the_first(client):
    order = order_at(Status.SHIPPED)
    client.get(track_url(order))
    first = Order.objects.get(pk=order.pk).tracking_first_clicked_at

    client.get(track_url(order))
    client.get(track_url(order))

    order.refresh_from_db()
    assert order.tracking_clicks == 3
    assert order.tracking_first_clicked_at == first
    assert order.tracking_last_clicked_at > first


@pytest.mark.django_db
def test_click_does_not_touch_the_order_modification_time(client):
    order = order_at(Status.SHIPPED)
    updated_at = Order.objects.get(pk=order.pk).updated_at

    client.get(track_url(order))

    assert Order.objects.get(pk=order.pk).updated_at == updated_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["?next=https://evil.example/", "?url=https://evil.example/", "?destination=//evil.example", "?code=XX"],
)
def test_is_never_an_open_redirect(client, query):
    order = order_at(Status.SHIPPED)

    response = client.get(track_url(order) + query, HTTP_REFERER="https://evil.example/", HTTP_HOST="127.0.0.1")

    assert response["Location"] == f"https://tracking.example.com/envio/{TRACKING_CODE}"


@pytest.mark.django_db
def test_the_code_is_escaped_into_the_carrier_template(client):
    carrier = timeline_carrier("https://tracking.example.com/search?id={code}&lang=es")
    order = order_at(Status.SHIPPED, carrier=carrier)
    Order.objects.filter(pk=order.pk).update(tracking_code="12 34&x=1")

    response = client.get(track_url(order))

    assert response["Location"] == "https://tracking.example.com/search?id=12%2034%26x%3D1&lang=es"


@pytest.mark.django_db
def test_redirect_headers_keep_the_token_private(client):
    response = client.get(track_url(order_at(Status.SHIPPED)))

    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["carrier", "tracking_code"])
def test_order_without_carrier_or_tracking_code_answers_the_plain_404(client, missing):
    order = order_at(Status.SHIPPED)
    Order.objects.filter(pk=order.pk).update(**{missing: None if missing == "carrier" else ""})
    unknown = client.get(reverse("timeline:track", args=["Q" * 43]))

    response = client.get(track_url(order))

    assert response.status_code == 404
    assert response.content == unknown.content
    assert Order.objects.get(pk=order.pk).tracking_clicks == 0


@pytest.mark.django_db
def test_pending_order_has_no_tracking_link(client):
    order = order_at(Status.PREPARING)

    assert client.get(track_url(order)).status_code == 404


@pytest.mark.django_db
def test_a_head_request_from_a_link_preview_is_not_counted(client):
    order = order_at(Status.SHIPPED)

    response = client.head(track_url(order))

    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).tracking_clicks == 0


@pytest.mark.django_db
def test_post_is_not_allowed(client):
    assert client.post(track_url(order_at(Status.SHIPPED))).status_code == 405


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_clicks_are_all_counted():
    """The counters are updated in the database (UPDATE ... SET n = n + 1), never read-modify-write."""
    order = order_at(Status.SHIPPED)
    url = track_url(order)
    clicks, threads_count = 5, 6
    barrier = threading.Barrier(threads_count)
    statuses = []

    def click():
        try:
            barrier.wait(timeout=10)
            browser = Client(REMOTE_ADDR="10.9.0.1")
            for _ in range(clicks):
                statuses.append(browser.get(url).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [302] * (clicks * threads_count)
    assert Order.objects.get(pk=order.pk).tracking_clicks == clicks * threads_count
