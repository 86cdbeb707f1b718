"""The customer's timeline shows the delivery statuses between Shipped and Finalized, in their language."""
import pytest
from django.urls import reverse

from orders import services
from orders.models import FulfillmentMethod, OrderLine, Status

from .factories import order_at, rendered_steps

pytestmark = pytest.mark.django_db


def steps_of(client, order):
    response = client.get(reverse("timeline:order", args=[order.public_token]))
    assert response.status_code == 200
    return rendered_steps(response.content.decode())


def deliver(order, *codes):
    for code in codes:
        services.set_custom_status(order, by=None, status_type="delivery", code=code, notify_customer=False)


def test_a_shipped_order_shows_its_delivery_statuses_after_shipped_with_the_latest_as_current(client):
    order = order_at(Status.SHIPPED, language="en")
    deliver(order, "in_transit", "out_for_delivery")

    steps = steps_of(client, order)

    assert [(s["code"], s["state"]) for s in steps] == [
        ("pending", "done"), ("accepted", "done"), ("preparing", "done"), ("shipped", "done"),
        ("delivery:in_transit", "done"), ("delivery:out_for_delivery", "current"), ("finalized", "upcoming"),
    ]
    assert [s["label"] for s in steps[4:6]] == ["In transit", "Out for delivery"]
    assert all(s["date"] for s in steps[:6])
    assert sum(s["current"] for s in steps) == 1


@pytest.mark.parametrize(("language", "names"), [
    ("es", ["En camino", "Entregado"]),
    ("pt-br", ["Em trânsito", "Entregue"]),
    ("en", ["In transit", "Delivered"]),
])
def test_a_finalized_order_shows_them_between_shipped_and_finalized_in_the_customers_language(
    client, language, names
):
    order = order_at(Status.SHIPPED, language=language)
    deliver(order, "in_transit", "delivered")
    order = services.finalize(order, by=None, notify_customer=False)

    steps = steps_of(client, order)

    assert [s["code"] for s in steps] == [
        "pending", "accepted", "preparing", "shipped", "delivery:in_transit", "delivery:delivered", "finalized",
    ]
    assert [s["label"] for s in steps[4:6]] == names
    assert [s["state"] for s in steps] == ["done"] * 6 + ["current"]


def test_other_types_and_cleared_delivery_statuses_are_not_shown(client):
    order = order_at(Status.SHIPPED, language="es")
    deliver(order, "delivery_failed")
    services.clear_custom_status(order, by=None, status_type="delivery")
    services.set_custom_status(order, by=None, status_type="payment", code="invoice_issued")
    services.set_custom_status(order, by=None, status_type="general", code="agreed_with_customer")
    deliver(order, "out_for_delivery")

    codes = [s["code"] for s in steps_of(client, order)]

    assert codes == ["pending", "accepted", "preparing", "shipped", "delivery:out_for_delivery", "finalized"]


def test_an_order_without_delivery_statuses_shows_the_usual_steps(client):
    order = order_at(Status.SHIPPED)
    services.set_custom_status(order, by=None, status_type="payment", code="invoice_issued")

    steps = steps_of(client, order)

    assert [s["code"] for s in steps] == ["pending", "accepted", "preparing", "shipped", "finalized"]
    assert steps[3]["state"] == "current"


def test_a_pickup_order_shows_them_after_ready_for_pickup(client):
    order = order_at(Status.READY_FOR_PICKUP, FulfillmentMethod.PICKUP, language="pt-br")
    deliver(order, "at_pickup_point")

    steps = steps_of(client, order)

    assert [(s["code"], s["label"], s["state"]) for s in steps[3:]] == [
        ("ready_for_pickup", "Pronto para retirada", "done"),
        ("delivery:at_pickup_point", "No ponto de retirada", "current"),
        ("finalized", "Concluído", "upcoming"),
    ]


def test_a_name_missing_in_the_customers_language_falls_back_to_another(client):
    from orders.models import CustomStatus

    CustomStatus.objects.create(type="delivery", code="customs", name_es="En la aduana", position=15)
    order = order_at(Status.SHIPPED, language="pt-br")
    deliver(order, "customs")

    assert steps_of(client, order)[4]["label"] == "En la aduana"


def test_the_page_still_makes_at_most_five_queries(client, django_assert_max_num_queries):
    order = order_at(Status.SHIPPED)
    deliver(order, "in_transit", "out_for_delivery", "delivered")
    services.set_custom_status(order, by=None, status_type="payment", code="invoice_issued")
    for n in range(3):
        OrderLine.objects.create(order=order, name=f"Producto {n}", quantity=1, unit_price=100)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("timeline:order", args=[order.public_token]))

    assert "Entregado" in response.content.decode()
