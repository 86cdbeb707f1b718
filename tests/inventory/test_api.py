"""PUT and GET /api/v1/stock/{sku}/: storefronts set and read a SKU's on-hand quantity."""
import pytest
from django.urls import reverse

from inventory.models import StockItem, StockMovement
from tests.api.conftest import _clear_throttle_counts, api, make_client, order_body  # noqa: F401 (fixtures)
from tests.inventory.factories import assert_quantities_equal_movements, on_hand, place, stock

pytestmark = pytest.mark.django_db


def url(sku: str) -> str:
    return reverse("api:stock", args=[sku])


def test_put_creates_a_sku_with_its_quantity(api, settings):
    settings.STOCK_LOW_THRESHOLD = 4

    response = api.put(url("REM-001"), {"quantity": 12, "name": "Remera de algodón"}, format="json")

    assert response.status_code == 201
    body = response.json()
    fields = ("sku", "name", "quantity", "track_stock", "low_stock_threshold", "low_stock")
    assert {key: body[key] for key in fields} == {
        "sku": "REM-001", "name": "Remera de algodón", "quantity": 12, "track_stock": True,
        "low_stock_threshold": 4, "low_stock": False,
    }
    movement = StockMovement.objects.get()
    assert (movement.delta, movement.reason, movement.by) == (12, StockMovement.Reason.API_SET, api.storefront.user)


def test_put_sets_an_existing_sku_and_records_the_difference(api):
    stock("REM-001", 10, threshold=3, name="Remera")
    place(("REM-001", 2))

    response = api.put(url("REM-001"), {"quantity": 5, "low_stock_threshold": 1, "track_stock": True}, format="json")

    assert response.status_code == 200
    assert response.json()["quantity"] == 5
    assert response.json()["name"] == "Remera"  # unchanged when absent
    item = StockItem.objects.get(sku="REM-001")
    assert (item.quantity, item.low_stock_threshold) == (5, 1)
    assert item.movements.order_by("id").last().delta == -3
    assert_quantities_equal_movements()


def test_the_same_put_twice_changes_nothing_the_second_time(api):
    body = {"quantity": 7, "name": "Gorra"}

    first = api.put(url("GOR-002"), body, format="json")
    second = api.put(url("GOR-002"), body, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert StockMovement.objects.count() == 1


def test_put_can_stop_tracking_a_sku(api):
    stock("GIFT-CARD", 0)

    api.put(url("GIFT-CARD"), {"quantity": 0, "track_stock": False}, format="json")
    order = place(("GIFT-CARD", 3))

    assert on_hand("GIFT-CARD") == 0
    assert order.oversold_skus == []


def test_get_reads_the_quantity_back_including_units_owed(api):
    stock("REM-001", 1, threshold=2, name="Remera")
    place(("REM-001", 3))

    response = api.get(url("REM-001"))

    assert response.status_code == 200
    assert response.json()["quantity"] == -2
    assert response.json()["low_stock"] is True


def test_an_unknown_sku_answers_404_in_the_api_error_format(api):
    response = api.get(url("NOPE"))

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "No product with this SKU."}


@pytest.mark.parametrize(("body", "field"), [
    ({}, "quantity"),
    ({"quantity": -1}, "quantity"),
    ({"quantity": "5"}, "quantity"),
    ({"quantity": 1.5}, "quantity"),
    ({"quantity": 1_000_000_001}, "quantity"),
    ({"quantity": 1, "low_stock_threshold": -1}, "low_stock_threshold"),
    ({"quantity": 1, "track_stock": "yes"}, "track_stock"),
    ({"quantity": 1, "name": "x" * 256}, "name"),
    ({"quantity": 1, "name": None}, "name"),
])
def test_invalid_bodies_answer_400_per_field_and_save_nothing(api, body, field):
    response = api.put(url("REM-001"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert isinstance(response.json()[field], list)
    assert not StockItem.objects.exists()


def test_a_sku_too_long_or_with_control_characters_answers_400(api):
    too_long = api.put(url("A" * 65), {"quantity": 1}, format="json")
    control = api.put("/api/v1/stock/REM%00001/", {"quantity": 1}, format="json")

    assert too_long.status_code == 400
    assert too_long.json() == {"sku": ["A SKU has at most 64 characters."]}
    assert control.status_code == 400
    assert api.get("/api/v1/stock/REM%00001/").status_code == 404
    assert not StockItem.objects.exists()


def test_a_body_that_is_not_an_object_answers_400(api):
    response = api.put(url("REM-001"), [1, 2], format="json")

    assert response.status_code == 400


def test_stock_needs_a_storefront_api_key(client):
    stock("REM-001", 3)

    assert client.get(url("REM-001")).status_code == 401
    response = client.put(url("REM-001"), {"quantity": 1}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert on_hand("REM-001") == 3


def test_stock_is_the_stores_whichever_storefront_sets_it(api):
    other = make_client("Tienda Recoleta")
    api.put(url("REM-001"), {"quantity": 4}, format="json")

    assert other.get(url("REM-001")).json()["quantity"] == 4


def test_the_routes_are_documented(api):
    schema = api.get("/api/v1/schema/?format=json").json()

    operations = schema["paths"]["/api/v1/stock/{sku}/"]
    assert operations["get"]["operationId"] == "stock_retrieve"
    assert operations["put"]["operationId"] == "stock_set"
    assert {"200", "201", "400", "401"} <= set(operations["put"]["responses"])


def test_an_oversold_order_reads_back_its_skus_and_its_checkout_over_the_api(api):
    stock("TAZA-01", 0)
    body = order_body(checkout_id="CHK-77")
    body["lines"][0]["sku"] = "TAZA-01"

    created = api.post("/api/v1/orders/", body, format="json").json()
    detail = api.get(f"/api/v1/orders/{created['number']}/").json()

    assert created["oversold_skus"] == detail["oversold_skus"] == ["TAZA-01"]
    assert detail["checkout_id"] == "CHK-77"
