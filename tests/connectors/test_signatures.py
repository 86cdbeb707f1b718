"""A webhook whose signature is missing or wrong answers 401 and changes nothing."""
import pytest

from connectors.models import PlatformAccount, PlatformEvent
from orders.models import Order

from .conftest import APP_SECRET, TN_STORE, shopify_order, tiendanube_order

pytestmark = pytest.mark.django_db

BODY = {"store_id": int(TN_STORE), "event": "order/created", "id": 450789469}


@pytest.mark.parametrize("signature", [False, "0" * 64, "not-a-signature"])
def test_tiendanube_refuses_a_missing_or_bad_signature(tn_account, stub, post_tiendanube, signature):
    stub.tiendanube_orders["450789469"] = tiendanube_order()

    response = post_tiendanube(BODY, signature=signature)

    assert response.status_code == 401
    assert not PlatformEvent.objects.exists() and not Order.objects.exists()
    assert not stub.calls("GET", "/orders/")


def test_tiendanube_refuses_a_body_signed_with_another_secret(tn_account, stub, post_tiendanube):
    response = post_tiendanube(BODY, secret="someone-else")

    assert response.status_code == 401
    assert not PlatformEvent.objects.exists()


def test_tiendanube_accepts_the_documented_hex_signature(tn_account, stub, post_tiendanube):
    stub.tiendanube_orders["450789469"] = tiendanube_order()

    assert post_tiendanube(BODY, secret=APP_SECRET).status_code == 200
    assert Order.objects.count() == 1


def test_the_uninstall_webhook_turns_the_connection_off(tn_account, stub, post_tiendanube):
    response = post_tiendanube({"store_id": int(TN_STORE), "event": "app/uninstalled", "id": 4321})

    assert response.status_code == 200
    account = PlatformAccount.objects.get()
    assert not account.active and "uninstalled" in account.problem


@pytest.mark.parametrize("signature", [False, "AAAA", "bm90IHRoZSBzaWduYXR1cmU="])
def test_shopify_refuses_a_missing_or_bad_signature(shopify_account, post_shopify, signature):
    response = post_shopify(shopify_order(), signature=signature)

    assert response.status_code == 401
    assert not PlatformEvent.objects.exists() and not Order.objects.exists()


def test_shopify_refuses_a_shop_not_connected(shopify_account, post_shopify):
    response = post_shopify(shopify_order(), shop="other-shop.myshopify.com")

    assert response.status_code == 401
    assert not PlatformEvent.objects.exists()


def test_the_hooks_answer_only_posts(client):
    assert client.get("/hooks/tiendanube/").status_code == 405
    assert client.get("/hooks/shopify/").status_code == 405
