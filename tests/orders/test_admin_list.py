"""The order list: columns, search, filters, a query count that does not grow, and the bulk actions' report."""
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from orders.models import Order, OrderEvent, PaymentMethod, Status
from tests.factories import OrderFactory, carrier
from tests.orders.admin_factories import dispatcher

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:orders_order_changelist")


def numbers_listed(response) -> set[str]:
    return {order.number for order in response.context["cl"].result_list}


def count_list_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, params or {})
    assert response.status_code == 200
    return len(queries)


def mixed_orders(count: int):
    kinds = [
        dict(payment_method=PaymentMethod.TRANSFER),
        dict(payment_method=PaymentMethod.CASH_ON_DELIVERY, status=Status.SHIPPED),
        dict(payment_method=PaymentMethod.ONLINE, paid=True, status=Status.PREPARING, pickup=True),
        dict(payment_method=PaymentMethod.PAYMENT_LINK, paid=True, status=Status.SHIPPED,
             carrier=carrier("andreani"), tracking_code="360000123456780"),
        dict(status=Status.CANCELLED),
    ]
    return [OrderFactory(**kinds[index % len(kinds)]) for index in range(count)]


def test_list_query_count_is_the_same_for_5_and_50_orders(staff_client):
    mixed_orders(5)
    staff_client.get(LIST_URL)  # warm the content-type and session caches
    with_5 = count_list_queries(staff_client)
    mixed_orders(45)
    with_50 = count_list_queries(staff_client)

    assert with_5 == with_50 <= 8
    assert len(numbers_listed(staff_client.get(LIST_URL))) == 50


def test_filtered_and_searched_list_query_count_does_not_grow(staff_client):
    mixed_orders(5)
    params = {"status__exact": "pending", "q": "Pérez"}
    staff_client.get(LIST_URL, params)
    with_5 = count_list_queries(staff_client, params)
    mixed_orders(45)

    assert count_list_queries(staff_client, params) == with_5


def test_each_row_checkbox_is_the_one_django_writes():
    order = OrderFactory()
    model_admin = admin.site._registry[Order]

    assert model_admin.action_checkbox(order) == admin.ModelAdmin.action_checkbox(model_admin, order)


def test_a_filtered_list_links_each_order_back_to_the_same_list(staff_client):
    order = OrderFactory(customer_name="Lucía Gutiérrez")
    params = {"status__exact": "pending", "q": "Lucía Gutiérrez", "o": "-5"}
    link = reverse("admin:orders_order_change", args=[order.pk])

    filtered = staff_client.get(LIST_URL, params).content.decode()
    unfiltered = staff_client.get(LIST_URL).content.decode()

    back = urlencode({"_changelist_filters": urlencode(params)})
    assert f'<a href="{link}?{back}">{order.number}</a>' in filtered
    assert f'<a href="{link}">{order.number}</a>' in unfiltered


@pytest.mark.parametrize("field", ["status", "payment_status", "payment_method", "fulfillment_method", "language"])
def test_choice_labels_are_djangos_in_each_language(field):
    order = OrderFactory.build()
    model_field = Order._meta.get_field(field)
    for language in ["en", "es", "pt-br", "en"]:
        with translation.override(language):
            for value, _label in model_field.flatchoices:
                setattr(order, field, value)
                assert getattr(order, f"get_{field}_display")() == Model._get_FIELD_display(order, model_field)
            setattr(order, field, "not-a-choice")
            assert getattr(order, f"get_{field}_display")() == "not-a-choice"


def test_list_shows_total_with_currency_status_and_next_step(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER, city="Rosario")

    page = staff_client.get(LIST_URL).content.decode()

    for text in (order.number, "María Pérez", "Rosario", "ARS11,500.00", "Bank transfer", "Unpaid", "Pending",
                 "Waiting for payment"):
        assert text in page


def test_list_speaks_spanish_to_spanish_staff(staff_client):
    OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY, status=Status.PREPARING, pickup=True)

    page = staff_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    for text in ("En preparación", "$11.500,00", "Pago contra entrega", "Marcar como listo para retirar"):
        assert text in page, text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cliente-buscado@example.com", "customer_email"),
        ("Gutiérrez", "customer_name"),
        ("11 4444-3210", "customer_phone"),
        ("+5491144443210", "customer_phone"),
        ("3600 0012 3456 780", "tracking_code"),
        ("360000123456780", "tracking_code"),
    ],
)
def test_search_finds_the_order_by_customer_or_tracking_code(staff_client, query, field):
    wanted = OrderFactory(
        customer_name="Lucía Gutiérrez", customer_email="cliente-buscado@example.com",
        customer_phone="+5491144443210", status=Status.SHIPPED, carrier=carrier("andreani"),
        tracking_code="360000123456780",
    )
    OrderFactory()

    assert numbers_listed(staff_client.get(LIST_URL, {"q": query})) == {wanted.number}


def test_search_by_number_with_or_without_the_dash(staff_client):
    wanted = OrderFactory()
    OrderFactory()

    assert numbers_listed(staff_client.get(LIST_URL, {"q": wanted.number.lower()})) == {wanted.number}
    assert numbers_listed(staff_client.get(LIST_URL, {"q": wanted.number.replace("-", "")})) == {wanted.number}


def test_filters_by_status_payment_and_fulfillment(staff_client):
    pending = OrderFactory(payment_method=PaymentMethod.TRANSFER)
    pickup_paid = OrderFactory(payment_method=PaymentMethod.ONLINE, paid=True, pickup=True, status=Status.ACCEPTED)

    assert numbers_listed(staff_client.get(LIST_URL, {"status__exact": "pending"})) == {pending.number}
    assert numbers_listed(staff_client.get(LIST_URL, {"payment_status__exact": "paid"})) == {pickup_paid.number}
    assert numbers_listed(staff_client.get(LIST_URL, {"payment_method__exact": "transfer"})) == {pending.number}
    assert numbers_listed(staff_client.get(LIST_URL, {"fulfillment_method__exact": "pickup"})) == {pickup_paid.number}
    today = timezone.localdate(pending.created_at)
    # Bounds as the admin's own date filter writes them: midnight in the store's time zone.
    def midnight(day):
        return str(timezone.make_aware(datetime.combine(day, time.min)))

    this_month = {"created_at__gte": midnight(today.replace(day=1)), "created_at__lt": midnight(today + timedelta(days=1))}
    assert numbers_listed(staff_client.get(LIST_URL, this_month)) == {pending.number, pickup_paid.number}
    before = {"created_at__gte": midnight(today - timedelta(days=60)), "created_at__lt": midnight(today - timedelta(days=30))}
    assert numbers_listed(staff_client.get(LIST_URL, before)) == set()


def run_action(client, action, orders):
    return client.post(
        LIST_URL, {"action": action, "_selected_action": [order.pk for order in orders], "index": 0}, follow=True
    )


def test_bulk_accept_moves_what_it_can_and_reports_each_refusal(staff_client, admin_user):
    paid_transfer = OrderFactory(payment_method=PaymentMethod.TRANSFER, paid=True)
    unpaid_transfer = OrderFactory(payment_method=PaymentMethod.TRANSFER)
    cash = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    already = OrderFactory(payment_method=PaymentMethod.ONLINE, paid=True, status=Status.SHIPPED)

    response = run_action(staff_client, "accept_selected", [paid_transfer, unpaid_transfer, cash, already])

    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        f"2 orders accepted: {paid_transfer.number}, {cash.number}.",
        f"{unpaid_transfer.number}: Transfer orders can be accepted once the payment is registered.",
        f"{already.number}: Only pending orders can be accepted; this one is shipped.",
    ]
    for order, expected in [
        (paid_transfer, Status.ACCEPTED), (cash, Status.ACCEPTED),
        (unpaid_transfer, Status.PENDING), (already, Status.SHIPPED),
    ]:
        order.refresh_from_db()
        assert order.status == expected
    events = OrderEvent.objects.filter(kind=OrderEvent.Kind.STATUS_CHANGED)
    assert sorted(events.values_list("order_id", flat=True)) == sorted([paid_transfer.pk, cash.pk])
    assert {event.actor for event in events} == {admin_user}


def test_bulk_start_preparation_reports_each_refusal(staff_client):
    accepted = OrderFactory(status=Status.ACCEPTED)
    pending = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY)

    response = run_action(staff_client, "start_preparation_selected", [accepted, pending])

    assert [str(m) for m in response.context["messages"]] == [
        f"1 order in preparation: {accepted.number}.",
        f"{pending.number}: Only accepted orders can start preparation; this one is pending.",
    ]


def test_dispatch_user_has_no_bulk_accept(client):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    client.force_login(dispatcher())

    response = client.get(LIST_URL)
    offered = [name for name, _label in response.context["action_form"].fields["action"].choices]
    run_action(client, "accept_selected", [order])

    assert "accept_selected" not in offered
    assert "start_preparation_selected" in offered
    order.refresh_from_db()
    assert order.status == Status.PENDING


def test_orders_are_not_added_or_deleted_by_hand(staff_client):
    order = OrderFactory()

    assert staff_client.get(reverse("admin:orders_order_add")).status_code == 403
    assert staff_client.get(reverse("admin:orders_order_delete", args=[order.pk])).status_code == 403


def test_the_next_step_says_since_when_an_order_waits_for_its_payment(staff_client):
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    from orders.models import Order

    waiting = OrderFactory(payment_method=PaymentMethod.TRANSFER)
    reminded = OrderFactory(payment_method=PaymentMethod.PAYMENT_LINK)
    Order.objects.filter(pk=reminded.pk).update(payment_reminded_at=timezone.now())
    html = staff_client.get(LIST_URL).content.decode()
    since = date_format(localtime(waiting.created_at), "SHORT_DATETIME_FORMAT")
    assert f"Waiting for payment since {since}" in html
    assert f"Waiting for payment since {date_format(localtime(reminded.created_at), 'SHORT_DATETIME_FORMAT')} · reminded" in html

    spanish = staff_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Esperando el pago desde el" in spanish
