"""Register refund from the order page: staff with the permission give back what a paid order was paid,
and the order page, its sheet and the order list show it."""
from decimal import Decimal

import pytest

from orders import services
from orders.display import money
from orders.models import OrderEvent, PaymentMethod, PaymentStatus, Refund, Status
from tests.factories import OrderFactory, UserFactory
from tests.orders.admin_factories import buttons, change_url, dispatcher, manager, refund_url, sheet_url

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/orders/order/"


def cancelled_paid_order(by, **fields):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER, **fields)
    services.register_payment(order, by=by, amount=order.total, reference="TRF-1", notify_customer=False)
    return services.cancel(order, by=by, reason="Sin stock", notify_customer=False)


def test_a_cancelled_paid_order_offers_register_refund_and_says_refund_is_next(staff_client, admin_user):
    order = cancelled_paid_order(admin_user)

    response = staff_client.get(change_url(order))

    assert buttons(response)["register_refund"] is None
    assert response.context["next_step"] == "Refund"
    assert refund_url(order) in response.content.decode()
    row = next(line for line in staff_client.get(LIST_URL).content.decode().split("<tr") if order.number in line)
    assert "Refund" in row and "Paid" in row and "Cancelled" in row


def test_an_unpaid_order_has_no_refund_button(staff_client):
    assert "register_refund" not in buttons(staff_client.get(change_url(OrderFactory())))


def test_staff_register_a_refund_and_the_order_page_shows_it(staff_client, admin_user):
    order = cancelled_paid_order(admin_user)

    page = staff_client.get(refund_url(order))
    response = staff_client.post(refund_url(order), {
        "amount": "11500.00", "reference": "DEV-2231", "note": "Devuelto por transferencia", "notify_customer": "on",
    })

    assert page.status_code == 200
    assert page.context["form"]["amount"].value() == Decimal("11500.00")
    assert f"Paid {money(order, order.total)}; refunded so far {money(order, 0)}" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == change_url(order)
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.reference, refund.note, refund.recorded_by) == (
        Decimal("11500.00"), "DEV-2231", "Devuelto por transferencia", admin_user,
    )
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.REFUNDED

    order_page = staff_client.get(response["Location"])
    content = order_page.content.decode()
    assert [str(m) for m in order_page.context["messages"]] == [
        f"Refund of {money(order, order.total)} registered for order {order.number}. Everything paid was refunded."
    ]
    assert buttons(order_page)["register_refund"] == "This order was already refunded in full."
    assert order_page.context["next_step"] is None
    for text in ("Refunds", "DEV-2231", "Devuelto por transferencia", "Refund registered", "Refunded"):
        assert text in content, text
    assert order_page.context["adminform"].form.instance == order
    assert "refunded_display" in str(order_page.context["adminform"].fieldsets)


def test_a_refund_above_what_was_paid_is_shown_above_the_form_and_saves_nothing(staff_client, admin_user):
    order = cancelled_paid_order(admin_user)

    response = staff_client.post(refund_url(order), {"amount": "11500.01", "reference": ""})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"This refund of {money(order, Decimal('11500.01'))} is more than the {money(order, order.total)} paid "
        "and not refunded yet; refund at most that."
    ]
    assert not Refund.objects.exists()
    assert not order.events.filter(kind=OrderEvent.Kind.REFUND_REGISTERED).exists()


def test_part_refund_leaves_the_rest_to_refund(staff_client, admin_user):
    order = cancelled_paid_order(admin_user)

    staff_client.post(refund_url(order), {"amount": "1500"})
    page = staff_client.get(refund_url(order))

    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    assert page.context["form"]["amount"].value() == Decimal("10000.00")
    assert staff_client.get(change_url(order)).context["next_step"] == "Refund"


def test_refunds_need_the_permission(client, admin_user):
    order = cancelled_paid_order(admin_user)
    client.force_login(dispatcher())

    assert client.get(refund_url(order)).status_code == 403
    assert client.post(refund_url(order), {"amount": "1"}).status_code == 403
    assert buttons(client.get(change_url(order)))["register_refund"] == "Your user cannot register refunds."
    cashier = UserFactory(username="cajera")
    cashier.user_permissions.add(*_permissions("view_order", "register_refund"))
    client.force_login(cashier)
    assert client.post(refund_url(order), {"amount": "100"}).status_code == 302
    assert not Refund.objects.exclude(recorded_by=cashier).exists()


def test_order_managers_register_refunds_and_dispatch_does_not(client, admin_user):
    order = cancelled_paid_order(admin_user)

    client.force_login(manager())
    assert buttons(client.get(change_url(order)))["register_refund"] is None
    assert client.post(refund_url(order), {"amount": "100"}).status_code == 302
    client.force_login(dispatcher())
    assert buttons(client.get(change_url(order)))["register_refund"] == "Your user cannot register refunds."


def test_the_sheet_lists_the_refunds_and_what_was_refunded(staff_client, admin_user):
    order = cancelled_paid_order(admin_user)
    services.register_refund(order, by=admin_user, amount=Decimal("4000"), reference="DEV-9", note="Parcial")

    page = staff_client.get(sheet_url(order)).content.decode()

    for text in ("Partially refunded", "Amount refunded", money(order, Decimal("4000")), "DEV-9", "Parcial",
                 "Refund registered", "Next step:"):
        assert text in page, text


def test_the_list_filters_by_the_new_payment_statuses(staff_client, admin_user):
    refunded = cancelled_paid_order(admin_user)
    services.register_refund(refunded, by=admin_user, amount=refunded.total)
    paid = OrderFactory(paid=True, status=Status.ACCEPTED)

    page = staff_client.get(LIST_URL, {"payment_status__exact": "refunded"}).content.decode()

    assert refunded.number in page and paid.number not in page


def _permissions(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
