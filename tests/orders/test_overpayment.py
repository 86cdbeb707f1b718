"""A payment is never more than what is still owed: the service refuses it (overpayment) and the admin shows why."""
from decimal import Decimal

import pytest
from django.utils import translation

from orders import services
from orders.models import Payment, PaymentMethod, PaymentStatus
from tests.factories import OrderFactory
from tests.orders.admin_factories import payment_url

pytestmark = pytest.mark.django_db


def test_a_payment_above_what_is_owed_is_refused_with_overpayment(admin_user):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)
    services.register_payment(order, by=admin_user, amount=order.total - Decimal("100"))

    with pytest.raises(services.TransitionNotAllowed) as refused:
        services.register_payment(order, by=admin_user, amount=Decimal("100.01"))

    assert refused.value.code == "overpayment"
    assert str(refused.value) == (
        "This payment of ARS100.01 is more than the ARS100.00 still owed on the order; register at most that."
    )
    assert Payment.objects.filter(order=order).count() == 1
    services.register_payment(order, by=admin_user, amount=Decimal("100.00"))
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID


def test_the_refusal_is_written_in_the_language_of_who_reads_it(admin_user):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY, language="en")

    with translation.override("pt-br"), pytest.raises(services.TransitionNotAllowed) as refused:
        services.register_payment(order, by=admin_user, amount=order.total + 1)

    assert str(refused.value) == (
        "Este pagamento de ARS\xa011.501,00 é maior que os ARS\xa011.500,00 ainda devidos no pedido; "
        "registre no máximo esse valor."
    )


def test_cash_on_delivery_collected_in_full_pays_the_order(admin_user):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY)

    services.register_payment(order, by=admin_user, amount=order.total)

    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID


def test_the_admin_payment_form_shows_the_refusal_above_the_form(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    response = staff_client.post(payment_url(order), {"amount": "11500.01", "reference": "TRF-1"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This payment of ARS11,500.01 is more than the ARS11,500.00 still owed on the order; register at most that."
    ]
    assert "is more than the ARS11,500.00 still owed" in response.content.decode()
    assert not Payment.objects.filter(order=order).exists()
