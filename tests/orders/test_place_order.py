from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders import services
from orders.models import Order, PaymentStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def order_data(**overrides):
    data = dict(
        customer_name="João Silva",
        customer_email="joao@example.com",
        customer_phone="+55 11 98765-4321",
        language="pt-br",
        payment_method="transfer",
        fulfillment_method="carrier",
        city="São Paulo",
        address="Rua Augusta 500, ap. 12",
        currency="brl",
        shipping_cost="25.50",
        lines=[
            {"sku": "CAM-1", "name": "Camiseta", "quantity": 2, "unit_price": "59.90"},
            {"sku": "BON-1", "name": "Boné", "quantity": 1, "unit_price": Decimal("45")},
        ],
    )
    data.update(overrides)
    return data


def test_place_order_computes_totals_stores_e164_and_writes_the_first_event():
    order = services.place_order(by=UserFactory(), **order_data())
    assert (order.lines_total, order.shipping_cost, order.total) == (
        Decimal("164.80"), Decimal("25.50"), Decimal("190.30"),
    )
    assert order.customer_phone.as_e164 == "+5511987654321"
    assert order.currency == "BRL"
    assert [line.line_total for line in order.lines.all()] == [Decimal("119.80"), Decimal("45.00")]
    assert order.events.get().kind == "placed"
    assert len(order.number) == 9 and order.number != str(order.pk)
    assert len(order.public_token) >= 43


def test_place_order_with_an_online_payment_arrives_paid():
    order = services.place_order(
        by=UserFactory(), **order_data(payment_method="online", payment={"amount": "190.30", "reference": "MP-1"})
    )
    assert order.payment_status == PaymentStatus.PAID
    assert order.payments.get().reference == "MP-1"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"customer_phone": "12"}, "customer_phone"),
        ({"customer_email": "not-an-email"}, "customer_email"),
        ({"currency": "XYZ"}, "currency"),
        ({"payment_method": "bitcoin"}, "payment_method"),
        ({"fulfillment_method": "drone"}, "fulfillment_method"),
        ({"address": ""}, "address"),
        ({"fulfillment_method": "pickup", "address": ""}, "pickup_point"),
        ({"shipping_cost": "-1"}, "shipping_cost"),
        ({"lines": []}, "lines"),
        ({"lines": [{"name": "X", "quantity": 0, "unit_price": "1"}]}, "lines"),
        ({"lines": [{"name": "X", "quantity": 1, "unit_price": "-1"}]}, "lines"),
        ({"lines": [{"name": "X", "quantity": "many", "unit_price": "1"}]}, "lines"),
        ({"customer_name": ""}, "customer_name"),
        ({"language": "fr"}, "language"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(overrides, field):
    with pytest.raises(ValidationError) as error:
        services.place_order(by=UserFactory(), **order_data(**overrides))
    assert field in error.value.message_dict
    assert Order.objects.count() == 0
