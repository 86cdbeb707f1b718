"""Tiendanube's OAuth install: /connect/tiendanube/ → the platform → /connect/tiendanube/callback/."""
from urllib.parse import parse_qs, urlsplit

import pytest

from connectors.models import PlatformAccount
from storefronts.models import Storefront

pytestmark = pytest.mark.django_db


def start(staff_client, name=""):
    response = staff_client.get("/connect/tiendanube/" + (f"?name={name}" if name else ""))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://www.tiendanube.com/apps/4321/authorize"
    return parse_qs(location.query)["state"][0]


def test_the_install_connects_the_store_that_authorized_the_app(stub, staff_client):
    state = start(staff_client, name="Tienda Palermo")

    response = staff_client.get("/connect/tiendanube/callback/", {"code": "auth-code-1", "state": state}, follow=True)

    exchange = stub.calls("POST", "/tn-token")[0]["json"]
    assert exchange == {"client_id": "4321", "client_secret": "tn-app-client-secret",
                        "grant_type": "authorization_code", "code": "auth-code-1"}
    account = PlatformAccount.objects.get()
    assert account.storefront.name == "Tienda Palermo"
    assert account.store_id == "123456" and account.access_token == "tn-oauth-token"
    assert account.scope == "read_orders,write_orders"
    assert len(stub.tiendanube_webhooks) == 5
    assert "Webhooks registered" in response.content.decode()


def test_without_a_name_the_storefront_takes_the_store_s_name(stub, staff_client):
    state = start(staff_client)

    staff_client.get("/connect/tiendanube/callback/", {"code": "auth-code-1", "state": state})

    assert PlatformAccount.objects.get().storefront.name == "Tienda Demo"


def test_an_install_started_elsewhere_is_confirmed_before_anything_is_connected(stub, staff_client):
    page = staff_client.get("/connect/tiendanube/callback/", {"code": "auth-code-2"})

    assert page.status_code == 200
    assert "Tiendanube store 123456 installed the app" in page.content.decode()
    assert not PlatformAccount.objects.exists()
    assert "tn-oauth-token" not in str(dict(staff_client.session))

    staff_client.post("/connect/tiendanube/callback/", {"confirm": "yes", "name": "Tienda Confirmada"})

    account = PlatformAccount.objects.get()
    assert account.storefront.name == "Tienda Confirmada" and account.access_token == "tn-oauth-token"


def test_a_state_that_is_not_ours_is_not_trusted(stub, staff_client):
    start(staff_client, name="Tienda Palermo")

    page = staff_client.get("/connect/tiendanube/callback/", {"code": "auth-code-3", "state": "forged"})

    assert "installed the app" in page.content.decode()  # asked to confirm, not connected
    assert not Storefront.objects.exists()


def test_a_refused_code_connects_nothing(stub, staff_client):
    stub.answer("POST", "/tn-token", (400, {"error": "invalid_grant", "error_description": "The code has expired"}))
    state = start(staff_client)

    response = staff_client.get("/connect/tiendanube/callback/", {"code": "old", "state": state}, follow=True)

    assert "Tiendanube did not give the store&#x27;s token" in response.content.decode()
    assert not PlatformAccount.objects.exists()


def test_the_install_needs_the_app_credentials_and_a_staff_login(stub, settings, client, staff_client):
    assert client.get("/connect/tiendanube/").status_code == 302  # to the admin login
    assert not stub.calls()
    settings.TIENDANUBE_CLIENT_ID = ""
    response = staff_client.get("/connect/tiendanube/", follow=True)
    assert "TIENDANUBE_CLIENT_ID" in response.content.decode()
