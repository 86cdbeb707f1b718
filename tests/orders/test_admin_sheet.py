"""The printable order sheet, one click from the order page."""
from decimal import Decimal

import pytest

from orders import services
from orders.models import OrderLine, PaymentMethod
from tests.factories import OrderFactory, UserFactory, carrier
from tests.orders.admin_factories import change_url, dispatcher, sheet_url

pytestmark = pytest.mark.django_db


def test_sheet_renders_lines_payments_totals_and_timeline(staff_client, admin_user):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER, city="Mendoza", external_id="TN-1042")
    OrderLine.objects.create(order=order, sku="GOR-01", name="Gorra bordada", quantity=1, unit_price=Decimal("1500"))
    services.register_payment(order, by=admin_user, amount=Decimal("11500.00"), reference="TRF-7781")
    services.accept(order, by=admin_user)
    services.start_preparation(order, by=admin_user)
    services.ship(order, by=admin_user, carrier=carrier("andreani"), tracking_code="360000123456780")

    response = staff_client.get(sheet_url(order))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        order.number, "Mendoza", "Bank transfer", "TRF-7781", "Av. Colón 1234",  # header, payment, delivery
        "María Pérez", "+5491155550000",  # customer
        "REM-001", "Remera de algodón", "Gorra bordada", "ARS5,000.00", "ARS1,500.00",  # lines
        "ARS11,500.00", "ARS1,500.00",  # totals
        "Andreani", "360000123456780",
        "Payment registered", "Pending → Accepted", "Accepted → Preparing", "Preparing → Shipped",  # timeline
        "@media print", "window.print()",
    ):
        assert text in page, text
    assert page.index("Pending → Accepted") < page.index("Preparing → Shipped")


def test_order_page_links_to_its_sheet(staff_client):
    order = OrderFactory()

    assert sheet_url(order) in staff_client.get(change_url(order)).content.decode()


def test_pickup_sheet_shows_the_pickup_point(staff_client):
    order = OrderFactory(pickup=True)

    page = staff_client.get(sheet_url(order)).content.decode()

    assert "Local Palermo, Honduras 4800" in page
    assert "Pickup point" in page


def test_dispatch_may_print_the_sheet_but_not_a_user_without_order_access(client):
    order = OrderFactory()
    client.force_login(dispatcher())
    assert client.get(sheet_url(order)).status_code == 200

    client.force_login(UserFactory(username="outsider"))
    assert client.get(sheet_url(order)).status_code == 403
