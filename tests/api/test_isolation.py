import pytest

from orders.models import Order


def test_another_storefronts_order_answers_404_exactly_like_a_missing_one(api, other_api, placed):
    foreign = other_api.get(f"/api/v1/orders/{placed['number']}/")
    missing = other_api.get("/api/v1/orders/ZZZZ-ZZZZ/")

    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert api.get(f"/api/v1/orders/{placed['number']}/").status_code == 200


@pytest.mark.parametrize("action,body", [
    ("payments", {"amount": "100.00"}),
    ("accept", {}),
    ("prepare", {}),
    ("ship", {"carrier": "andreani", "tracking_code": "360000123456780"}),
    ("ready-for-pickup", {}),
    ("finalize", {}),
    ("cancel", {"reason": "Intruso"}),
])
def test_another_storefront_cannot_change_an_order(api, other_api, placed, action, body):
    response = other_api.post(f"/api/v1/orders/{placed['number']}/{action}/", body, format="json")

    assert response.status_code == 404
    order = Order.objects.get(number=placed["number"])
    assert (order.status, order.payment_status, order.payments.count()) == ("pending", "unpaid", 0)


def test_the_list_shows_only_the_storefronts_own_orders(api, other_api, placed):
    other_api.create_order(external_id="TR-1")

    mine = [o["number"] for o in api.get("/api/v1/orders/").json()["results"]]
    theirs = [o["external_id"] for o in other_api.get("/api/v1/orders/").json()["results"]]

    assert mine == [placed["number"]]
    assert theirs == ["TR-1"]


def test_external_ids_are_per_storefront(api, other_api, placed):
    response = other_api.create_order()  # same external_id TN-1001, other storefront

    assert response.status_code == 201
    assert response.json()["number"] != placed["number"]
    assert Order.objects.filter(external_id="TN-1001").count() == 2
