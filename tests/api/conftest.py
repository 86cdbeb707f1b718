import copy

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from storefronts.services import create_api_key, create_storefront

ORDER_BODY = {
    "external_id": "TN-1001",
    "customer": {
        "name": "María Pérez",
        "email": "maria@example.com",
        "phone": "+5491155550000",
        "language": "es",
    },
    "payment_method": "transfer",
    "fulfillment": {"method": "carrier", "address": "Av. Colón 1234", "city": "Córdoba", "pickup_point": ""},
    "currency": "ARS",
    "lines": [
        {"sku": "REM-001", "name": "Remera de algodón", "quantity": 2, "unit_price": "5000.00"},
        {"sku": "GOR-002", "name": "Gorra", "quantity": 1, "unit_price": "3500.50"},
    ],
    "shipping_cost": "1500.00",
}

NOT_AN_AMOUNT = ("Enter an amount of ASCII digits with at most two decimals, such as 1500.00 "
                 "(no sign, exponent, spaces or leading zeros).")


def order_body(**changes) -> dict:
    """A valid create body; keyword arguments replace top-level fields."""
    body = copy.deepcopy(ORDER_BODY)
    body.update(changes)
    return body


class StorefrontClient(APIClient):
    """An API client authenticated as one storefront, with its key and storefront at hand."""

    def __init__(self, storefront, key):
        super().__init__()
        self.storefront = storefront
        self.key = key
        self.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")

    def create_order(self, **changes):
        return self.post("/api/v1/orders/", order_body(**changes), format="json")


def make_client(name: str) -> StorefrontClient:
    storefront = create_storefront(name=name, platform="tiendanube")
    _, key = create_api_key(storefront=storefront, name="test")
    return StorefrontClient(storefront, key)


@pytest.fixture(autouse=True)
def _clear_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(db) -> StorefrontClient:
    return make_client("Tienda Palermo")


@pytest.fixture
def other_api(db) -> StorefrontClient:
    return make_client("Tienda Recoleta")


@pytest.fixture
def placed(api):
    """An order the `api` storefront created (transfer, carrier, unpaid, pending)."""
    response = api.create_order()
    assert response.status_code == 201, response.json()
    return response.json()
