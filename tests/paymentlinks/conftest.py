import hashlib
import hmac
import json
import time

import pytest
from django.core import mail

from orders import services
from tests.factories import UserFactory, storefront

from .stub import MercadoPagoStub

SECRET = "a-webhook-secret-from-your-integrations"
TOKEN = "APP_USR-1234567890123456-120710-0123456789abcdef0123456789abcdef-987654321"


@pytest.fixture
def stub():
    server = MercadoPagoStub().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _mercadopago(settings, stub):
    """Payment links on, against the local stub; short timeouts; retries due at once (the tests run them)."""
    settings.MERCADOPAGO_ACCESS_TOKEN = TOKEN
    settings.MERCADOPAGO_WEBHOOK_SECRET = SECRET
    settings.MERCADOPAGO_API_BASE = stub.url
    settings.MERCADOPAGO_TIMEOUT_SECONDS = 0.5
    settings.MERCADOPAGO_RETRY_DELAYS = [0]
    settings.MERCADOPAGO_MAX_ATTEMPTS = 3
    settings.STORE_EMAIL = "staff@example.com"
    mail.outbox = []


@pytest.fixture
def staff(db):
    return UserFactory(username="vendedora", first_name="Lucía", last_name="Gómez")


@pytest.fixture
def shop(db):
    return storefront(name="Tienda Palermo")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the code, then what it left for the commit (the worker's tasks, run inline)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def place(*, by, storefront=None, **extra):
    fields = dict(
        by=by, storefront=storefront, customer_name="María Pérez", customer_email="maria@example.com",
        customer_phone="+5491155550000", language="es", payment_method="payment_link", fulfillment_method="carrier",
        currency="ARS", address="Av. Colón 1234, Córdoba", city="Córdoba",
        lines=[{"sku": "REM-001", "name": "Remera de algodón", "quantity": 2, "unit_price": "5000.00"}],
        shipping_cost="1500.00",
    )
    fields.update(extra)
    return services.place_order(**fields)


def signature(data_id, request_id, ts, secret=SECRET) -> str:
    """`x-signature` as Mercado Pago documents it, computed here with hmac (not with the app's code)."""
    manifest = f"id:{str(data_id).lower()};request-id:{request_id};ts:{ts};"
    return f"ts={ts},v1={hmac.new(secret.encode(), manifest.encode(), hashlib.sha256).hexdigest()}"


def notify(client, payment_id, *, request_id="bb56a2f1-6aae-46ac-982e-9dcd3581d08e", ts=None, sign=True,
           header=None, action="payment.updated", topic="payment"):
    """POST a Mercado Pago Webhooks notification of `payment_id`, signed unless told otherwise."""
    ts = str(int(time.time())) if ts is None else str(ts)
    headers = {"HTTP_X_REQUEST_ID": request_id}
    if header is not None:
        headers["HTTP_X_SIGNATURE"] = header
    elif sign:
        headers["HTTP_X_SIGNATURE"] = signature(payment_id, request_id, ts)
    body = {
        "action": action, "api_version": "v1", "data": {"id": str(payment_id)}, "date_created": "2026-12-07T10:00:00Z",
        "id": 112233445566, "live_mode": True, "type": topic, "user_id": "987654321",
    }
    return client.post(f"/hooks/mercadopago/?data.id={payment_id}&type={topic}", json.dumps(body),
                       content_type="application/json", **headers)
