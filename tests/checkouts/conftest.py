import copy
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from checkouts import signals
from storefronts.services import create_api_key, create_storefront

CHECKOUT_BODY = {
    "checkout_id": "CHK-1001",
    "customer": {"name": "María Pérez", "email": "maria@example.com", "phone": "+5491155550000", "language": "es"},
    "currency": "ARS",
    "lines": [
        {"sku": "REM-001", "name": "Remera de algodón", "quantity": 2, "unit_price": "5000.00"},
        {"sku": "GOR-002", "name": "Gorra", "quantity": 1, "unit_price": "3500.50"},
    ],
    "total": "15000.50",
    "resume_url": "https://tienda.example.com/checkout/1001/resume?token=abc",
}


def checkout_body(**changes) -> dict:
    """A valid report body; keyword arguments replace top-level fields."""
    body = copy.deepcopy(CHECKOUT_BODY)
    body.update(changes)
    return body


def report(client, **changes):
    return client.post("/api/v1/checkouts/", checkout_body(**changes), format="json")


def after_delay(minutes: int = 1):
    """A moment just past the recovery delay from now."""
    from checkouts.services import recovery_delay

    return timezone.now() + recovery_delay() + timedelta(minutes=minutes)


class StorefrontClient(APIClient):
    """An API client authenticated as one storefront."""

    def __init__(self, storefront, key):
        super().__init__()
        self.storefront, self.key = storefront, key
        self.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")


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
def api(db):
    return make_client("Tienda Palermo")


@pytest.fixture
def other_api(db):
    return make_client("Tienda Recoleta")


@pytest.fixture
def abandoned_signals():
    """The checkouts each checkout_abandoned signal was sent for (by primary key), in order."""
    sent: list[int] = []

    def receiver(sender, checkout, **kwargs):
        sent.append(checkout.pk)

    signals.checkout_abandoned.connect(receiver, dispatch_uid="tests.checkouts.record")
    yield sent
    signals.checkout_abandoned.disconnect(dispatch_uid="tests.checkouts.record")
