import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from checkouts import signals
# The storefront API clients of the API tests: `api`, `other_api`, and the throttle counts cleared.
from tests.api.conftest import _clear_throttle_counts, api, make_client, other_api  # noqa: F401

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


@pytest.fixture
def abandoned_signals():
    """The checkouts each checkout_abandoned signal was sent for (by primary key), in order."""
    sent: list[int] = []

    def receiver(sender, checkout, **kwargs):
        sent.append(checkout.pk)

    signals.checkout_abandoned.connect(receiver, dispatch_uid="tests.checkouts.record")
    yield sent
    signals.checkout_abandoned.disconnect(dispatch_uid="tests.checkouts.record")
