"""Connected stores: a local stub plays the platforms; webhooks are signed here with hmac, as the
platforms document it (never with the app's own signing code)."""
import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from connectors.services.connecting import connect

from .stub import PlatformStub

FIXTURES = Path(__file__).parent / "fixtures"
APP_SECRET = "tn-app-client-secret"
SHOPIFY_SECRET = "shpss_0123456789abcdef"
TN_STORE = "123456"
SHOP = "tienda-demo.myshopify.com"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def tiendanube_order(**changes) -> dict:
    order = copy.deepcopy(fixture("tiendanube_order.json"))
    order.update(changes)
    return order


def shopify_order(**changes) -> dict:
    order = copy.deepcopy(fixture("shopify_order.json"))
    order.update(changes)
    return order


def tiendanube_signature(body: bytes, secret: str = APP_SECRET) -> str:
    """Hex HMAC-SHA256 of the raw body keyed by the app's client secret (Tiendanube's own example)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def shopify_signature(body: bytes, secret: str = SHOPIFY_SECRET) -> str:
    """Base64 HMAC-SHA256 of the raw body keyed by the app's secret (Shopify's documentation)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@pytest.fixture
def stub(settings):
    with PlatformStub() as server:
        settings.TIENDANUBE_API_BASE = server.url("/tn")
        settings.TIENDANUBE_TOKEN_URL = server.url("/tn-token")
        settings.TIENDANUBE_CLIENT_ID = "4321"
        settings.TIENDANUBE_CLIENT_SECRET = APP_SECRET
        settings.SHOPIFY_GRAPHQL_URL = server.url("/shopify/{shop}/graphql.json")
        settings.SHOPIFY_TOKEN_URL = server.url("/shopify/{shop}/oauth/access_token")
        settings.PLATFORM_TIMEOUT_SECONDS = 3
        yield server


@pytest.fixture
def tn_account(db, stub):
    return connect(platform="tiendanube", name="Tienda Nube Palermo", store_id=TN_STORE,
                   access_token="tn-access-token").account


@pytest.fixture
def shopify_account(db, stub):
    return connect(platform="shopify", name="Shopify Demo", store_id=SHOP, access_token="shpat_access_token",
                   webhook_secret=SHOPIFY_SECRET).account


@pytest.fixture
def post_tiendanube(client, django_capture_on_commit_callbacks):
    """Post a Tiendanube webhook the way the platform does; the worker's task runs once it commits."""

    def post(body: dict, *, secret: str = APP_SECRET, path: str = "/hooks/tiendanube/", signature=None):
        raw = json.dumps(body).encode()
        headers = {}
        if signature is not False:
            headers["HTTP_X_LINKEDSTORE_HMAC_SHA256"] = signature or tiendanube_signature(raw, secret)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, raw, content_type="application/json", **headers)

    return post


@pytest.fixture
def post_shopify(client, django_capture_on_commit_callbacks):
    """Post a Shopify webhook with its headers; the worker's task runs once it commits."""

    def post(order: dict, *, topic: str = "orders/create", event_id: str = "evt-1", secret: str = SHOPIFY_SECRET,
             shop: str = SHOP, signature=None):
        raw = json.dumps(order).encode()
        headers = {
            "HTTP_X_SHOPIFY_TOPIC": topic, "HTTP_X_SHOPIFY_SHOP_DOMAIN": shop,
            "HTTP_X_SHOPIFY_EVENT_ID": event_id, "HTTP_X_SHOPIFY_WEBHOOK_ID": f"delivery-{event_id}",
            "HTTP_X_SHOPIFY_API_VERSION": "2026-10", "HTTP_X_SHOPIFY_TRIGGERED_AT": "2025-06-02T13:05:18Z",
        }
        if signature is not False:
            headers["HTTP_X_SHOPIFY_HMAC_SHA256"] = signature or shopify_signature(raw, secret)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/hooks/shopify/", raw, content_type="application/json", **headers)

    return post
