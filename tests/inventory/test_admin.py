"""The stock admin: products, their movements, the oversold order flag and the low-stock widget."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from inventory.models import StockItem, StockMovement
from tests.factories import UserFactory
from tests.inventory.factories import assert_quantities_equal_movements, cancel, on_hand, place, stock

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:inventory_stockitem_changelist")
ORDERS_URL = reverse("admin:orders_order_changelist")


def skus_listed(response) -> set[str]:
    return {item.sku for item in response.context["cl"].result_list}


def change_url(item) -> str:
    return reverse("admin:inventory_stockitem_change", args=[item.pk])


def form_data(item, **changes) -> dict:
    data = {
        "name": item.name, "track_stock": "on" if item.track_stock else "",
        "low_stock_threshold": item.low_stock_threshold, "on_hand": item.quantity, "shown_quantity": item.quantity,
        "note": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


# --- the product list --------------------------------------------------------------------------

def test_list_filters_low_out_of_stock_oversold_and_tracked(staff_client):
    stock("PLENTY", 50, threshold=5)
    stock("LOW", 3, threshold=5)
    stock("EMPTY", 0, threshold=5)
    stock("UNTRACKED", 0, threshold=5, track_stock=False)
    stock("OVERSOLD", 1, threshold=5)
    place(("OVERSOLD", 3))

    assert skus_listed(staff_client.get(LIST_URL, {"stock": "low"})) == {"LOW", "EMPTY", "OVERSOLD"}
    assert skus_listed(staff_client.get(LIST_URL, {"stock": "out"})) == {"EMPTY", "OVERSOLD"}
    assert skus_listed(staff_client.get(LIST_URL, {"stock": "oversold"})) == {"OVERSOLD"}
    assert skus_listed(staff_client.get(LIST_URL, {"track_stock__exact": "0"})) == {"UNTRACKED"}
    assert "(2 owed)" in staff_client.get(LIST_URL).content.decode()


def test_search_by_sku_or_name(staff_client):
    stock("REM-001", 5, name="Remera de algodón")
    stock("GOR-002", 5, name="Gorra")

    assert skus_listed(staff_client.get(LIST_URL, {"q": "rem-001"})) == {"REM-001"}
    assert skus_listed(staff_client.get(LIST_URL, {"q": "gorra"})) == {"GOR-002"}


# --- adding and counting -----------------------------------------------------------------------

def test_staff_add_a_product_with_its_quantity_as_a_movement(staff_client, admin_user):
    response = staff_client.post(reverse("admin:inventory_stockitem_add"), {
        "sku": "  MED-003 ", "name": "Medias", "track_stock": "on", "low_stock_threshold": 2, "on_hand": 12,
        "note": "First count",
    })

    assert response.status_code == 302, response.context["adminform"].form.errors
    item = StockItem.objects.get(sku="MED-003")
    assert (item.name, item.quantity, item.low_stock_threshold) == ("Medias", 12, 2)
    movement = item.movements.get()
    assert (movement.delta, movement.reason, movement.by, movement.note) == (
        12, StockMovement.Reason.MANUAL_SET, admin_user, "First count",
    )


def test_a_count_records_the_difference_and_the_note(staff_client, admin_user):
    item = stock("REM-001", 10)

    response = staff_client.post(change_url(item), form_data(item, on_hand=7, note="Monthly count"))

    assert response.status_code == 302
    assert on_hand("REM-001") == 7
    movement = item.movements.order_by("id").last()
    assert (movement.delta, movement.quantity_after, movement.reason, movement.by, movement.note) == (
        -3, 7, StockMovement.Reason.MANUAL_SET, admin_user, "Monthly count",
    )


def test_saving_the_page_without_a_new_count_keeps_what_orders_took_meanwhile(staff_client):
    item = stock("REM-001", 10)
    shown = form_data(item, name="Remera roja")  # the page as it was opened, with 10 on hand
    place(("REM-001", 2))  # an order arrives while the page is open

    staff_client.post(change_url(item), shown)

    item.refresh_from_db()
    assert (item.name, item.quantity) == ("Remera roja", 8)
    assert_quantities_equal_movements()


def test_the_quantity_cannot_be_typed_below_zero(staff_client):
    item = stock("REM-001", 10)

    response = staff_client.post(change_url(item), form_data(item, on_hand=-1))

    assert response.status_code == 200
    assert "on_hand" in response.context["adminform"].form.errors
    assert on_hand("REM-001") == 10


def test_the_product_page_lists_recent_movements_with_order_links(staff_client):
    item = stock("REM-001", 10)
    order = place(("REM-001", 2))

    page = staff_client.get(change_url(item)).content.decode()

    assert reverse("admin:orders_order_change", args=[order.pk]) in page
    assert order.number in page
    assert "Order placed" in page
    assert f"?item__id__exact={item.pk}" in page


def test_a_product_with_movements_cannot_be_deleted(staff_client):
    used = stock("REM-001", 10)
    unused = StockItem.objects.create(sku="TYPO")

    assert staff_client.get(reverse("admin:inventory_stockitem_delete", args=[used.pk])).status_code == 403
    deleted = staff_client.post(reverse("admin:inventory_stockitem_delete", args=[unused.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert list(StockItem.objects.values_list("sku", flat=True)) == ["REM-001"]


# --- movements -----------------------------------------------------------------------------------

def test_movements_are_read_only_and_filterable_by_product(staff_client):
    item = stock("REM-001", 10)
    stock("GOR-002", 10)
    place(("REM-001", 1))
    movement = item.movements.order_by("id").first()
    url = reverse("admin:inventory_stockmovement_changelist")

    listed = staff_client.get(url, {"item__id__exact": item.pk}).context["cl"].result_list

    assert {m.item.sku for m in listed} == {"REM-001"} and len(listed) == 2
    assert staff_client.get(reverse("admin:inventory_stockmovement_add")).status_code == 403
    response = staff_client.post(reverse("admin:inventory_stockmovement_change", args=[movement.pk]), {"delta": 99})
    assert response.status_code == 403
    assert staff_client.get(reverse("admin:inventory_stockmovement_delete", args=[movement.pk])).status_code == 403
    movement.refresh_from_db()
    assert movement.delta == 10


def test_movements_refuse_to_be_edited_or_deleted_in_code():
    item = stock("REM-001", 10)
    movement = item.movements.get()

    with pytest.raises(ValueError):
        movement.save()
    with pytest.raises(ValueError):
        movement.delete()


# --- oversold orders in the orders admin -------------------------------------------------------

def test_the_order_list_shows_and_filters_oversold_orders(staff_client):
    stock("REM-001", 1)
    fine = place(("REM-001", 1))
    oversold = place(("REM-001", 2), ("GOR-002", 1))

    page = staff_client.get(ORDERS_URL).content.decode()
    only_oversold = staff_client.get(ORDERS_URL, {"oversold": "yes"}).context["cl"].result_list
    not_oversold = staff_client.get(ORDERS_URL, {"oversold": "no"}).context["cl"].result_list

    assert "⚠ REM-001" in page
    assert [order.number for order in only_oversold] == [oversold.number]
    assert [order.number for order in not_oversold] == [fine.number]


def test_the_order_page_warns_about_the_oversold_skus(staff_client):
    stock("REM-001", 0)
    stock("GOR-002", 0)
    oversold = place(("REM-001", 1), ("GOR-002", 1))
    fine = place(("UNKNOWN", 1))

    page = staff_client.get(reverse("admin:orders_order_change", args=[oversold.pk])).content.decode()
    other = staff_client.get(reverse("admin:orders_order_change", args=[fine.pk])).content.decode()

    assert 'id="oversold-warning"' in page
    assert "GOR-002, REM-001" in page
    assert 'id="oversold-warning"' not in other


def test_a_cancelled_oversold_order_is_no_longer_flagged_for_staff_to_act(staff_client):
    stock("REM-001", 0)
    oversold = place(("REM-001", 1))
    cancel(oversold)  # its unit went back to the stock: nothing is owed any more

    page = staff_client.get(ORDERS_URL).content.decode()
    only_oversold = staff_client.get(ORDERS_URL, {"oversold": "yes"}).context["cl"].result_list
    not_oversold = staff_client.get(ORDERS_URL, {"oversold": "no"}).context["cl"].result_list
    order_page = staff_client.get(reverse("admin:orders_order_change", args=[oversold.pk])).content.decode()

    assert on_hand("REM-001") == 0
    assert "⚠ REM-001" not in page
    assert list(only_oversold) == []
    assert [order.number for order in not_oversold] == [oversold.number]
    assert 'id="oversold-warning"' not in order_page


# --- the admin index widget --------------------------------------------------------------------

def test_the_admin_index_lists_products_running_low(staff_client):
    stock("PLENTY", 50, threshold=5)
    low = stock("LOW", 3, threshold=5, name="Gorra")
    stock("UNTRACKED", 0, threshold=5, track_stock=False)

    response = staff_client.get(reverse("admin:index"))
    widget = response.content.decode().split('id="low-stock"', 1)[1].split("</div>", 1)[0]

    assert reverse("admin:inventory_stockitem_change", args=[low.pk]) in widget
    assert "Gorra" in widget
    assert "PLENTY" not in widget and "UNTRACKED" not in widget
    assert f"{LIST_URL}?stock=low" in widget


def test_the_widget_is_hidden_from_staff_who_may_not_see_stock(client):
    stock("LOW", 3, threshold=5)
    user = UserFactory(username="clerk")
    user.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(user)

    assert 'id="low-stock"' not in client.get(reverse("admin:index")).content.decode()


def test_the_stock_admin_speaks_spanish_and_portuguese(staff_client):
    stock("REM-001", 1, threshold=5)
    place(("REM-001", 3))

    spanish = staff_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    portuguese = staff_client.get(LIST_URL, {"stock": "low"}, HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()

    assert "Sobrevendido (bajo cero)" in spanish and "(2 adeudadas)" in spanish
    assert "Importar CSV" in spanish
    assert "Estoque baixo" in portuguese and "(2 devidas)" in portuguese


def test_the_widget_says_so_when_nothing_is_low(staff_client):
    stock("PLENTY", 50, threshold=5)

    page = staff_client.get(reverse("admin:index")).content.decode()

    assert "Every product is above its low-stock alert level." in page


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_stock_and_movement_lists_cost_the_same_queries_at_any_size(staff_client):
    movements_url = reverse("admin:inventory_stockmovement_changelist")

    def add(first, count):
        for n in range(first, first + count):
            stock(f"SKU-{n:03}", 5)
            place((f"SKU-{n:03}", 1), by=UserFactory(username=f"shop-{n}"))

    add(0, 3)
    small = (count_queries(staff_client, LIST_URL), count_queries(staff_client, movements_url))
    add(3, 20)
    large = (count_queries(staff_client, LIST_URL), count_queries(staff_client, movements_url))

    assert small == large
