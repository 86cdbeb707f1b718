"""The order list at scale: each search field finds what it did (an index can answer it), the count
stops at its cap, sorting keeps ties in the column's direction, and the indexes exist."""
import pytest
from django.db import connection
from django.urls import reverse

from config.admin import AtLeast, CappedCountPaginator
from orders.models import Order, Status
from tests.factories import OrderFactory, carrier

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:orders_order_changelist")


def found(client, query) -> set[str]:
    response = client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    return {order.number for order in response.context["cl"].result_list}


@pytest.fixture
def wanted():
    order = OrderFactory(
        customer_name="Lucía Gutiérrez", customer_email="Cliente-Buscado@example.com",
        customer_phone="+5491144443210", status=Status.SHIPPED, carrier=carrier("andreani"),
        tracking_code="360000123456780",
    )
    Order.objects.filter(pk=order.pk).update(external_id="SHOP-1001")
    OrderFactory(customer_name="Juan Gómez", customer_email="otro@example.com", customer_phone="+5491155550000")
    return order


@pytest.mark.parametrize("query", ["{number}", "{lower}", "{compact}", " {number} "])
def test_search_by_number(staff_client, wanted, query):
    number = wanted.number
    term = query.format(number=number, lower=number.lower(), compact=number.replace("-", "").lower())
    assert found(staff_client, term) == {number}


@pytest.mark.parametrize("query", ["cliente-buscado@example.com", "CLIENTE-BUSCADO@EXAMPLE.COM"])
def test_search_by_email_exact_any_case(staff_client, wanted, query):
    assert found(staff_client, query) == {wanted.number}
    assert found(staff_client, "buscado@example.com") == set()  # a whole address, not a fragment


@pytest.mark.parametrize("query", ["11 4444-3210", "+54 9 11 4444 3210", "011 4444-3210", "(11) 4444-3210", "44443210"])
def test_search_by_phone_digits_in_any_layout(staff_client, wanted, query):
    assert found(staff_client, query) == {wanted.number}


@pytest.mark.parametrize("query", ["360000123456780", "3600 0012 3456 780", "3600-0012-3456-780"])
def test_search_by_tracking_code(staff_client, wanted, query):
    assert found(staff_client, query) == {wanted.number}


@pytest.mark.parametrize("query", ["SHOP-1001", "shop-1001"])
def test_search_by_storefront_order_id(staff_client, wanted, query):
    assert found(staff_client, query) == {wanted.number}


@pytest.mark.parametrize(
    "query", ["Gutiérrez", "gutiérrez", "Lucía", "utiérr", "Gutiérrez Lucía", '"Lucía Gutiérrez"']
)
def test_search_by_name_or_part_of_it(staff_client, wanted, query):
    assert found(staff_client, query) == {wanted.number}


def test_search_by_name_needs_every_word(staff_client, wanted):
    assert found(staff_client, "Lucía Gómez") == set()


def test_count_stops_at_the_cap(staff_client, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    OrderFactory.create_batch(5)

    response = staff_client.get(LIST_URL)

    assert isinstance(response.context["cl"].result_count, AtLeast)
    assert len(response.context["cl"].result_list) == 5
    assert "3+ orders" in response.content.decode()
    assert "3+ orders" in staff_client.get(LIST_URL, {"status__exact": "pending"}).content.decode()
    assert "1 order" in staff_client.get(LIST_URL, {"q": Order.objects.first().number}).content.decode()


def test_a_search_counts_to_a_lower_cap(staff_client, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "search_cap", 2)
    OrderFactory.create_batch(4, customer_name="Lucía Gutiérrez")

    searched = staff_client.get(LIST_URL, {"q": "Gutiérrez"})
    listed = staff_client.get(LIST_URL)

    assert "2+ orders" in searched.content.decode() and len(searched.context["cl"].result_list) == 4
    assert "4 orders" in listed.content.decode()


def test_capped_count_is_grouped_the_staff_way():
    assert str(AtLeast(10_000)) == "10,000+"


def test_sorted_by_a_column_ties_follow_its_direction(staff_client):
    orders = OrderFactory.create_batch(3)  # the same total
    ascending = staff_client.get(LIST_URL, {"o": "5"}).context["cl"]
    descending = staff_client.get(LIST_URL, {"o": "-5"}).context["cl"]

    assert [o.pk for o in ascending.result_list] == [o.pk for o in orders]
    assert [o.pk for o in descending.result_list] == [o.pk for o in reversed(orders)]


def test_postgresql_has_the_trigram_and_partial_indexes():
    names = {"order_search_name_trgm_idx", "order_search_phone_trgm_idx", "order_list_oversold_idx"}
    with connection.cursor() as cursor:
        present = set(connection.introspection.get_constraints(cursor, Order._meta.db_table)) & names
    assert present == (names if connection.vendor == "postgresql" else set())
