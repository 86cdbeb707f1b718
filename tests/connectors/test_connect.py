"""Connecting a store by command and in the admin: the link, the webhooks registered on the platform,
the secrets encrypted at rest, and the platform's own emails."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from connectors.models import PlatformAccount
from storefronts.models import Storefront

from .conftest import SHOP, SHOPIFY_SECRET, TN_STORE

pytestmark = pytest.mark.django_db

HOOK = "https://shop.example.com/hooks/tiendanube/"
SHOPIFY_HOOK = "https://shop.example.com/hooks/shopify/"


def run(*args) -> str:
    out = StringIO()
    call_command("connect_storefront", *args, stdout=out, stderr=out)
    return out.getvalue()


def stored(column: str, account: PlatformAccount) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM connectors_platformaccount WHERE id = %s", [account.pk])
        return cursor.fetchone()[0]


def test_the_command_connects_a_new_tiendanube_storefront_and_registers_its_webhooks(stub):
    output = run("tiendanube", "Tienda Palermo", "--store-id", TN_STORE, "--access-token", "tn-secret-token")

    storefront = Storefront.objects.get(name="Tienda Palermo")
    account = storefront.platform_account
    assert storefront.platform == "tiendanube"
    assert account.store_id == TN_STORE and account.access_token == "tn-secret-token"
    registered = [(hook["event"], hook["url"]) for hook in stub.tiendanube_webhooks]
    assert registered == [(topic, HOOK) for topic in
                          ["order/created", "order/updated", "order/paid", "order/cancelled", "app/uninstalled"]]
    assert "Webhooks registered: order/created, order/updated, order/paid, order/cancelled, app/uninstalled" in output
    assert stub.calls("POST", "/webhooks")[0]["headers"]["authentication"] == "bearer tn-secret-token"
    # The platform's own order and payment confirmations: ours are skipped for this storefront.
    assert storefront.emails_sent_by_platform == ["order_placed", "payment_approved"]


def test_tokens_and_secrets_are_encrypted_at_rest(stub):
    run("shopify", "Shopify Demo", "--shop", SHOP, "--access-token", "shpat_plain", "--webhook-secret", SHOPIFY_SECRET)

    account = PlatformAccount.objects.get()
    assert account.access_token == "shpat_plain" and account.webhook_secret == SHOPIFY_SECRET
    for column, plain in [("access_token", "shpat_plain"), ("webhook_secret", SHOPIFY_SECRET)]:
        raw = stored(column, account)
        assert raw.startswith("fernet:") and plain not in raw


def test_the_command_connects_a_shopify_shop_and_registers_its_webhooks(stub):
    output = run("shopify", "Shopify Demo", "--shop", "https://Tienda-Demo.myshopify.com/admin",
                 "--access-token", "shpat_token", "--webhook-secret", SHOPIFY_SECRET)

    account = PlatformAccount.objects.get()
    assert account.store_id == SHOP
    assert [(hook["topic"], hook["uri"]) for hook in stub.shopify_webhooks] == [
        (topic, SHOPIFY_HOOK) for topic in ["ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_PAID", "ORDERS_CANCELLED",
                                            "APP_UNINSTALLED"]]
    call = stub.graphql_calls("webhookSubscriptionCreate")[0]
    assert call["path"] == f"/shopify/{SHOP}/graphql.json"
    assert call["headers"]["x-shopify-access-token"] == "shpat_token"
    assert call["json"]["variables"]["webhookSubscription"] == {"uri": SHOPIFY_HOOK, "format": "JSON"}
    assert "orders/create" in output


def test_connecting_again_registers_nothing_twice(stub):
    run("tiendanube", "Tienda Palermo", "--store-id", TN_STORE, "--access-token", "one")
    output = run("tiendanube", "Tienda Palermo", "--store-id", TN_STORE, "--access-token", "two")

    assert len(stub.tiendanube_webhooks) == 5
    assert "Webhooks already registered" in output
    assert PlatformAccount.objects.get().access_token == "two"


def test_an_existing_storefront_keeps_its_emails_choice_when_connected_again(stub):
    run("tiendanube", "Tienda Palermo", "--store-id", TN_STORE, "--access-token", "one")
    Storefront.objects.filter(name="Tienda Palermo").update(emails_sent_by_platform=["order_placed"])

    run("tiendanube", "Tienda Palermo", "--store-id", TN_STORE, "--access-token", "two")

    assert Storefront.objects.get().emails_sent_by_platform == ["order_placed"]


def test_the_command_refuses_bad_input(stub):
    with pytest.raises(CommandError, match="store_id"):
        run("tiendanube", "Tienda", "--store-id", "abc", "--access-token", "x")
    with pytest.raises(CommandError, match="myshopify.com"):
        run("shopify", "Tienda", "--shop", "example.com", "--access-token", "x", "--webhook-secret", "y")
    with pytest.raises(CommandError, match="webhook_secret"):
        run("shopify", "Tienda", "--shop", SHOP, "--access-token", "x")
    assert not Storefront.objects.exists()


def test_one_store_is_connected_to_one_storefront(stub):
    run("tiendanube", "Tienda Uno", "--store-id", TN_STORE, "--access-token", "x")

    with pytest.raises(CommandError, match="already connected"):
        run("tiendanube", "Tienda Dos", "--store-id", TN_STORE, "--access-token", "x")


def test_a_platform_that_refuses_the_registration_is_reported(stub):
    stub.answer("GET", f"/tn/{TN_STORE}/webhooks", (401, {"code": 401, "message": "Unauthorized"}))

    with pytest.raises(CommandError, match="webhooks are missing"):
        run("tiendanube", "Tienda Palermo", "--store-id", TN_STORE, "--access-token", "revoked")

    account = PlatformAccount.objects.get()  # linked all the same; the admin says what is missing
    assert "order/created could not be registered" in account.problem


def test_the_admin_connect_page_links_a_storefront(stub, staff_client):
    page = staff_client.get("/admin/storefronts/storefront/connect/")
    assert page.status_code == 200
    assert "Connect a Tiendanube or Shopify store" in page.content.decode()

    response = staff_client.post("/admin/storefronts/storefront/connect/", {
        "platform": "shopify", "name": "Shopify Admin", "store_id": SHOP, "access_token": "shpat_admin",
        "webhook_secret": SHOPIFY_SECRET,
    }, follow=True)

    storefront = Storefront.objects.get(name="Shopify Admin")
    assert response.redirect_chain[-1][0] == f"/admin/storefronts/storefront/{storefront.pk}/change/"
    text = response.content.decode()
    assert "Webhooks registered: orders/create" in text
    assert storefront.platform_account.access_token == "shpat_admin"
    assert "shpat_admin" not in text


def test_the_admin_connect_page_shows_field_errors(stub, staff_client):
    response = staff_client.post("/admin/storefronts/storefront/connect/", {
        "platform": "tiendanube", "name": "Tienda", "store_id": "not-a-number", "access_token": "x",
    })

    assert response.status_code == 200
    assert "The Tiendanube store id is a number" in response.content.decode()
    assert not Storefront.objects.exists()


def test_the_storefront_pages_show_the_connection(tn_account, staff_client):
    listing = staff_client.get("/admin/storefronts/storefront/").content.decode()
    assert "Tiendanube / Nuvemshop 123456" in listing
    change = staff_client.get(f"/admin/storefronts/storefront/{tn_account.storefront_id}/change/").content.decode()
    assert "Connect again" in change and "New API key" in change


def test_a_dev_dashboard_app_connects_with_its_client_credentials(stub):
    output = run("shopify", "Shopify Nueva", "--shop", SHOP, "--client-id", "client-123",
                 "--webhook-secret", SHOPIFY_SECRET)

    grant = stub.calls("POST", "/oauth/access_token")[0]
    assert grant["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert grant["body"].decode() == (
        f"grant_type=client_credentials&client_id=client-123&client_secret={SHOPIFY_SECRET}")
    account = PlatformAccount.objects.get()
    assert account.client_id == "client-123" and account.access_token == "shpat_issued_1"
    assert account.token_expires_at is not None
    assert stub.graphql_calls("webhookSubscriptionCreate")[0]["headers"]["x-shopify-access-token"] == "shpat_issued_1"
    assert "orders/create" in output


def test_refused_client_credentials_connect_nothing(stub):
    stub.answer("POST", f"/shopify/{SHOP}/oauth/access_token", (400, {"error": "invalid_client"}))

    with pytest.raises(CommandError, match="client_id"):
        run("shopify", "Shopify Nueva", "--shop", SHOP, "--client-id", "bad", "--webhook-secret", "bad")
    assert not Storefront.objects.exists()
