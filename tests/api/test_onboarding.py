"""Creating storefronts and their keys: the command for scripts, the admin button for staff."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from storefronts.models import Storefront, StorefrontAPIKey


def run_create_storefront(*args) -> list[str]:
    out = StringIO()
    call_command("create_storefront", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def works(key: str) -> bool:
    return APIClient().get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200


@pytest.mark.django_db
def test_create_storefront_prints_a_working_key_as_its_last_line():
    lines = run_create_storefront("Tienda Nube Palermo", "--platform", "tiendanube")

    storefront = Storefront.objects.get(name="Tienda Nube Palermo")
    assert storefront.platform == "tiendanube"
    assert storefront.user.username == "storefront-tienda-nube-palermo"
    assert not storefront.user.has_usable_password()
    assert len(lines) > 1
    assert works(lines[-1])
    assert StorefrontAPIKey.objects.get(storefront=storefront).prefix == lines[-1].split(".")[0]


@pytest.mark.django_db
def test_create_storefront_refuses_a_name_already_taken():
    run_create_storefront("Tienda Uno")

    with pytest.raises(CommandError, match="name"):
        run_create_storefront("Tienda Uno")
    assert Storefront.objects.count() == 1


@pytest.mark.django_db
def test_create_storefront_refuses_an_unknown_platform():
    with pytest.raises(CommandError):
        run_create_storefront("Tienda Dos", "--platform", "myspace")


def test_the_admin_button_creates_a_key_and_shows_it_once(staff_client):
    run_create_storefront("Tienda Admin")
    storefront = Storefront.objects.get(name="Tienda Admin")
    change_url = reverse("admin:storefronts_storefront_change", args=[storefront.pk])
    new_key_url = reverse("admin:storefronts_storefront_new_api_key", args=[storefront.pk])

    assert new_key_url in staff_client.get(change_url).content.decode()
    assert staff_client.get(new_key_url).status_code == 200

    response = staff_client.post(new_key_url, {"name": "producción"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api_key = StorefrontAPIKey.objects.get(storefront=storefront, name="producción")
    key = response.context["key"]
    assert key.startswith(api_key.prefix + ".")
    assert key in response.content.decode()
    assert works(key)
    # Shown once: the storefront's page lists the key by prefix, never the key itself.
    page = staff_client.get(change_url).content.decode()
    assert api_key.prefix in page
    assert key not in page


def test_the_admin_revokes_a_key_from_the_storefront_page(staff_client):
    key = run_create_storefront("Tienda Revoca")[-1]
    storefront = Storefront.objects.get(name="Tienda Revoca")
    api_key = StorefrontAPIKey.objects.get(storefront=storefront)
    change_url = reverse("admin:storefronts_storefront_change", args=[storefront.pk])

    response = staff_client.post(change_url, {
        "name": storefront.name,
        "platform": storefront.platform,
        "emails_sent_by_platform": "[]",
        "api_keys-TOTAL_FORMS": "1",
        "api_keys-INITIAL_FORMS": "1",
        "api_keys-MIN_NUM_FORMS": "0",
        "api_keys-MAX_NUM_FORMS": "1000",
        "api_keys-0-id": api_key.pk,
        "api_keys-0-storefront": storefront.pk,
        "api_keys-0-name": api_key.name,
        "api_keys-0-expiry_date_0": "",
        "api_keys-0-expiry_date_1": "",
        "api_keys-0-revoked": "on",
    })

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert StorefrontAPIKey.objects.get(pk=api_key.pk).revoked
    assert not works(key)


def test_adding_a_storefront_in_the_admin_creates_its_service_user(staff_client):
    response = staff_client.post(reverse("admin:storefronts_storefront_add"), {
        "name": "Tienda Manual", "platform": "shopify", "emails_sent_by_platform": "[]",
    })

    storefront = Storefront.objects.get(name="Tienda Manual")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:storefronts_storefront_change", args=[storefront.pk])
    assert storefront.user.username == "storefront-tienda-manual"


def test_the_new_key_page_of_a_missing_storefront_is_404(staff_client):
    assert staff_client.get("/admin/storefronts/storefront/999999/new-api-key/").status_code == 404
    assert staff_client.get("/admin/storefronts/storefront/abc/new-api-key/").status_code == 404
