import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from storefronts.models import StorefrontAPIKey
from storefronts.services import create_api_key, revoke_api_key

from .conftest import StorefrontClient

ENDPOINTS = [
    ("get", "/api/v1/orders/"),
    ("post", "/api/v1/orders/"),
    ("get", "/api/v1/orders/ABCD-EFGH/"),
    ("post", "/api/v1/orders/ABCD-EFGH/payments/"),
    ("post", "/api/v1/orders/ABCD-EFGH/accept/"),
    ("post", "/api/v1/orders/ABCD-EFGH/prepare/"),
    ("post", "/api/v1/orders/ABCD-EFGH/ship/"),
    ("post", "/api/v1/orders/ABCD-EFGH/ready-for-pickup/"),
    ("post", "/api/v1/orders/ABCD-EFGH/finalize/"),
    ("post", "/api/v1/orders/ABCD-EFGH/cancel/"),
    ("get", "/api/v1/carriers/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_every_endpoint_requires_an_api_key(method, path):
    response = getattr(APIClient(), method)(path, {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("header", [
    "Api-Key nope.nope",
    "Api-Key ",
    "Api-Key " + "x" * 500,
    "Bearer abc",
    "Token abc",
])
def test_a_wrong_or_malformed_key_is_refused_with_401(api, header):
    response = APIClient().get("/api/v1/orders/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


def test_a_key_with_the_right_prefix_but_a_wrong_secret_is_refused(api):
    prefix = api.key.partition(".")[0]
    response = APIClient().get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Api-Key {prefix}.wrongsecret")

    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "detail": "Invalid or revoked API key."}


def test_a_revoked_key_stops_working_at_once(api):
    assert api.get("/api/v1/orders/").status_code == 200

    revoke_api_key(api_key=StorefrontAPIKey.objects.get(storefront=api.storefront))

    response = api.get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_an_expired_key_is_refused(api):
    StorefrontAPIKey.objects.filter(storefront=api.storefront).update(
        expiry_date=timezone.now() - timezone.timedelta(minutes=1)
    )

    assert api.get("/api/v1/orders/").status_code == 401


def test_a_disabled_storefront_user_is_refused(api):
    api.storefront.user.is_active = False
    api.storefront.user.save()

    assert api.get("/api/v1/orders/").status_code == 401


def test_keys_rotate_the_new_key_works_before_the_old_one_is_revoked(api):
    old = StorefrontAPIKey.objects.get(storefront=api.storefront)
    _, new_key = create_api_key(storefront=api.storefront, name="rotation")
    new_client = StorefrontClient(api.storefront, new_key)

    assert api.get("/api/v1/orders/").status_code == 200
    assert new_client.get("/api/v1/orders/").status_code == 200

    revoke_api_key(api_key=old)
    assert api.get("/api/v1/orders/").status_code == 401
    assert new_client.get("/api/v1/orders/").status_code == 200


def test_only_a_hash_of_the_key_is_stored(api):
    api_key = StorefrontAPIKey.objects.get(storefront=api.storefront)
    secret = api.key.partition(".")[2]

    assert api_key.prefix == api.key.partition(".")[0]
    assert secret not in api_key.hashed_key
    assert secret not in api_key.pk


def test_a_revoked_key_cannot_be_unrevoked(api):
    from django.core.exceptions import ValidationError

    api_key = revoke_api_key(api_key=StorefrontAPIKey.objects.get(storefront=api.storefront))
    api_key = StorefrontAPIKey.objects.get(pk=api_key.pk)
    api_key.revoked = False
    with pytest.raises(ValidationError):
        api_key.save()


def test_the_storefront_acts_as_its_service_user(api, placed):
    detail = api.get(f"/api/v1/orders/{placed['number']}/").json()

    assert detail["events"][0]["actor"] == "Tienda Palermo (storefront)"


@override_settings(API_THROTTLE_RATE="3/min")
def test_throttling_answers_429_with_retry_after_per_key(api):
    _, second_key = create_api_key(storefront=api.storefront, name="second")
    second = StorefrontClient(api.storefront, second_key)

    statuses = [api.get("/api/v1/orders/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = api.get("/api/v1/carriers/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "throttled"
    # The limit is per key: another key (even of the same storefront) still has its budget.
    assert second.get("/api/v1/orders/").status_code == 200
