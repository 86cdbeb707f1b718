import pytest
from django.db import transaction

from checkouts.models import Checkout
from orders import services as order_services
from tests.api.conftest import order_body

from .conftest import report


def place(client, **changes):
    response = client.post("/api/v1/orders/", order_body(**changes), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_an_order_with_the_checkout_id_marks_the_checkout_recovered(api):
    report(api)

    order = place(api, checkout_id="CHK-1001")

    checkout = Checkout.objects.select_related("order").get()
    assert checkout.status == Checkout.Status.RECOVERED
    assert checkout.order.number == order["number"]
    assert checkout.recovered_at is not None
    read = api.get("/api/v1/checkouts/CHK-1001/").json()
    assert (read["status"], read["order"]) == ("recovered", order["number"])


def test_a_reminded_checkout_is_recovered_by_a_later_order(api):
    report(api)
    Checkout.objects.update(status=Checkout.Status.REMINDED)

    place(api, checkout_id="CHK-1001")

    assert Checkout.objects.get().status == Checkout.Status.RECOVERED


def test_an_order_placed_before_the_checkout_report_records_it_recovered_at_once(api):
    order = place(api, checkout_id="CHK-1001")

    response = report(api)

    assert response.status_code == 201
    assert response.json()["status"] == "recovered"
    assert response.json()["order"] == order["number"]
    checkout = Checkout.objects.get()
    assert checkout.recovered_at == checkout.order.created_at


def test_an_order_of_another_storefront_does_not_recover_the_checkout(api, other_api):
    report(api)

    place(other_api, checkout_id="CHK-1001")

    assert Checkout.objects.get().status == Checkout.Status.OPEN


def test_an_order_without_the_checkout_id_does_not_recover_it(api):
    report(api)

    place(api)

    assert Checkout.objects.get().status == Checkout.Status.OPEN


def test_a_second_order_for_the_same_checkout_keeps_the_first_as_the_recovering_order(api):
    report(api)
    first = place(api, checkout_id="CHK-1001")

    place(api, external_id="TN-1002", checkout_id="CHK-1001")

    assert Checkout.objects.select_related("order").get().order.number == first["number"]


def test_an_order_rolled_back_leaves_the_checkout_open(api):
    report(api)

    with pytest.raises(RuntimeError), transaction.atomic():
        order_services.place_order(
            by=api.storefront.user, storefront=api.storefront, external_checkout_id="CHK-1001",
            customer_name="María", payment_method="transfer", fulfillment_method="to_be_agreed", currency="ARS",
            lines=[{"name": "Remera", "quantity": 1, "unit_price": "10.00"}],
        )
        assert Checkout.objects.get().status == Checkout.Status.RECOVERED  # inside the order's transaction
        raise RuntimeError("the order fails later in its transaction")

    assert Checkout.objects.get().status == Checkout.Status.OPEN
