"""Everything under /api/ answers errors as JSON {"code", "detail"}: bodies over the limit, bodies
without a length, and addresses that name no endpoint."""
import http.client
import json
import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from orders.models import Order, Payment
from tests.factories import OrderFactory
from tests.orders.admin_factories import payment_url, png_bytes, upload

from .conftest import order_body

pytestmark = pytest.mark.django_db


def test_the_body_limit_defaults_to_two_and_a_half_megabytes():
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2621440


def test_a_body_over_the_limit_answers_a_json_413_before_it_is_read(api):
    body = json.dumps(order_body(customer={"name": "x" * (10 * 1024 * 1024)})).encode()

    response = api.generic("POST", "/api/v1/orders/", body, content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="big-1")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "request_too_large", "detail": f"The body is {len(body)} bytes; the limit is 2621440 bytes.",
    }
    assert not Order.objects.exists()


def test_the_limit_is_read_from_the_setting(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps(order_body(external_id="x" * 1000)).encode()

    response = api.generic("POST", "/api/v1/orders/", body, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (413, "request_too_large")


@pytest.mark.parametrize("path", ["/api/v1/", "/api/", "/api", "/api/v2/orders/", "/api/v1/nothing/here/", "/api/v1/orders/X/nope/"])
def test_an_address_that_names_no_endpoint_answers_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_the_json_404_follows_the_request_language(client):
    response = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json() == {"code": "not_found", "detail": "No encontrado."}


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_a_payment_proof_of_almost_5_mb_still_uploads_in_the_admin(staff_client, settings, tmp_path):
    """Uploaded files do not count toward DATA_UPLOAD_MAX_MEMORY_SIZE: they are streamed to disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
    order = OrderFactory(payment_method="transfer")
    proof = png_bytes() + b"\x00" * (5 * 1024 * 1024 - 1024)
    assert len(proof) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = staff_client.post(payment_url(order), {
        "amount": str(order.total), "reference": "TRF-1", "proof": upload("comprobante.png", proof, "image/png"),
    })

    assert response.status_code == 302
    assert Payment.objects.get(order=order).proof.size == len(proof)


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_through_a_real_server_answers_a_json_411(live_server):
    """The test client cannot send a chunked body: this goes through a real HTTP server."""
    from .conftest import make_client

    api = make_client("Tienda Chunked")
    address = urlsplit(live_server.url)
    body = json.dumps(order_body()).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 100]), body[i:i + 100]) for i in range(0, len(body), 100))
    request = (
        b"POST /api/v1/orders/ HTTP/1.1\r\nHost: %s\r\nAuthorization: Api-Key %s\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ) % (address.netloc.encode(), api.key.encode()) + chunks + b"0\r\n\r\n"
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(request)  # the whole request at once: the server may answer before reading it
        response = http.client.HTTPResponse(sock)
        response.begin()
        status, content_type, data = response.status, response.getheader("Content-Type"), json.loads(response.read())

    assert (status, content_type) == (411, "application/json")
    assert data == {
        "code": "length_required",
        "detail": "Send the body with a Content-Length header; bodies sent in chunks (Transfer-Encoding) are not read.",
    }
    assert not Order.objects.exists()
