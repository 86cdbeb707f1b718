"""The storefront API: an order's `payment_link`, and payments a storefront reports by Mercado Pago id."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Order
from paymentlinks.models import PaymentCheck
from tests.api.conftest import make_client

pytestmark = pytest.mark.django_db

PAYMENT = "1319234567"


@pytest.fixture
def api(db):
    return make_client("Tienda Palermo")


def create(api, commit, **changes):
    with commit():
        response = api.create_order(**changes)
    assert response.status_code == 201, response.json()
    return Order.objects.get(number=response.json()["number"])


def test_the_order_json_shows_its_payment_link(api, stub, commit):
    order = create(api, commit, payment_method="payment_link")
    detail = api.get(f"/api/v1/orders/{order.number}/").json()
    link = order.payment_links.get()
    assert detail["payment_link"]["url"] == link.checkout_url
    assert detail["payment_link"]["status"] == "active"
    assert detail["payment_link"]["expires_at"].startswith(link.expires_at.astimezone().strftime("%Y-%m-%d"))
    [listed] = api.get("/api/v1/orders/").json()["results"]
    assert listed["payment_link"] == detail["payment_link"]

    transfer = create(api, commit, external_id="TN-2", payment_method="transfer")
    assert api.get(f"/api/v1/orders/{transfer.number}/").json()["payment_link"] is None


def test_a_link_being_made_shows_without_its_address(api, stub, commit):
    stub.down = True
    order = create(api, commit, payment_method="payment_link")
    assert api.get(f"/api/v1/orders/{order.number}/").json()["payment_link"] == {
        "url": None, "status": "creating", "expires_at": None,
    }


def test_the_list_reads_every_link_of_a_page_in_one_query(api, stub, commit):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/orders/?page_size=100")
        return len(response.json()["results"]), len(queries)

    create(api, commit, external_id="A-1", payment_method="payment_link")
    shown_1, queries_1 = count()
    for n in range(4):
        create(api, commit, external_id=f"B-{n}", payment_method="payment_link")
    shown_5, queries_5 = count()
    assert (shown_1, shown_5) == (1, 5)
    assert queries_1 == queries_5


def test_a_storefront_reports_a_mercado_pago_payment_that_is_checked_before_it_counts(api, stub, commit):
    order = create(api, commit, payment_method="online")
    stub.pay(PAYMENT, order=order, reference="TN-1001")  # the storefront's own id
    with commit():
        response = api.post(f"/api/v1/orders/{order.number}/mercadopago-payments/",
                            {"mercadopago_payment_id": PAYMENT}, format="json")
    assert response.status_code == 202
    assert response.json() == {"mercadopago_payment_id": PAYMENT, "status": "queued"}

    order.refresh_from_db()
    assert order.is_paid
    payment = order.payments.get()
    assert (payment.reference, payment.recorded_by) == (f"MP-{PAYMENT}", api.storefront.user)

    with commit():  # reported again: counted once
        api.post(f"/api/v1/orders/{order.number}/mercadopago-payments/", {"mercadopago_payment_id": PAYMENT},
                 format="json")
    assert order.payments.count() == 1


def test_a_reported_payment_of_another_order_does_not_count(api, stub, commit):
    order = create(api, commit, payment_method="online")
    stub.pay(PAYMENT, order=order, reference="SOMETHING-ELSE")
    with commit():
        api.post(f"/api/v1/orders/{order.number}/mercadopago-payments/", {"mercadopago_payment_id": PAYMENT},
                 format="json")
    assert not Order.objects.get(pk=order.pk).payments.exists()
    check = PaymentCheck.objects.get()
    assert check.status == "ignored" and "names neither order" in check.outcome_text


def test_one_payment_counts_for_one_order_only(api, stub, commit):
    first = create(api, commit, external_id="TN-1", payment_method="online")
    second = create(api, commit, external_id="TN-2", payment_method="online")
    stub.pay(PAYMENT, order=first)
    for order in (first, second):
        with commit():
            api.post(f"/api/v1/orders/{order.number}/mercadopago-payments/", {"mercadopago_payment_id": PAYMENT},
                     format="json")
    assert Order.objects.get(pk=first.pk).is_paid
    assert not Order.objects.get(pk=second.pk).payments.exists()
    assert PaymentCheck.objects.order_by("pk").last().outcome_text == f"ignored: this payment belongs to order {first.number}"


def test_bad_input_and_other_storefronts_orders(api, stub, commit):
    order = create(api, commit, payment_method="online")
    url = f"/api/v1/orders/{order.number}/mercadopago-payments/"
    assert api.post(url, {"mercadopago_payment_id": "12 34"}, format="json").status_code == 400
    assert list(api.post(url, {"payment_id": "1234"}, format="json").json()) == ["mercadopago_payment_id", "payment_id"]
    other = make_client("Tienda Recoleta")
    assert other.post(url, {"mercadopago_payment_id": "1234"}, format="json").status_code == 404
    assert not PaymentCheck.objects.exists()


def test_without_a_token_the_report_is_refused(api, stub, commit, settings):
    order = create(api, commit, payment_method="online")
    settings.MERCADOPAGO_ACCESS_TOKEN = ""
    response = api.post(f"/api/v1/orders/{order.number}/mercadopago-payments/",
                        {"mercadopago_payment_id": PAYMENT}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "mercadopago_not_configured"
