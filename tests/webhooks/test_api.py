"""`/api/v1/webhooks/`: a storefront registers, reads, changes and deletes only its own endpoints."""
import pytest
from django.utils import timezone

from tests.api.conftest import _clear_throttle_counts, api, other_api  # noqa: F401 (fixtures)
from webhooks.models import Endpoint

from .helpers import endpoint

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/orders"


def create(api, **body):
    return api.post("/api/v1/webhooks/", {"url": URL, "events": ["order.created", "order.paid"], **body},
                    format="json")


def test_registering_an_endpoint_answers_its_secret_once(api):
    response = create(api, description="ERP")

    assert response.status_code == 201, response.json()
    data = response.json()
    saved = Endpoint.objects.get(pk=data["id"])
    assert saved.storefront == api.storefront
    assert data["secret"] == saved.secret and data["secret"].startswith("whsec_") and len(data["secret"]) > 40
    assert (data["url"], data["events"], data["description"], data["active"]) == (
        URL, ["order.created", "order.paid"], "ERP", True
    )
    assert (data["consecutive_failures"], data["disabled_at"], data["disabled_reason"]) == (0, None, "")

    again = api.get(f"/api/v1/webhooks/{data['id']}/").json()
    assert "secret" not in again
    assert again["secret_hint"] == saved.secret[:10] + "…"
    assert [e["id"] for e in api.get("/api/v1/webhooks/").json()] == [data["id"]]
    assert "secret" not in api.get("/api/v1/webhooks/").json()[0]


def test_each_endpoint_gets_its_own_secret(api):
    first, second = create(api).json(), create(api).json()
    assert first["secret"] != second["secret"]


@pytest.mark.parametrize("url, message", [
    ("http://hooks.example.com/orders", "The address must start with https://."),
    ("https://127.0.0.1/hook", "The address must be reachable on the internet, not a local or private one."),
    ("https://10.0.0.8/hook", "The address must be reachable on the internet, not a local or private one."),
    ("https://localhost/hook", "The address must be reachable on the internet, not a local or private one."),
    ("https://[::1]/hook", "The address must be reachable on the internet, not a local or private one."),
    ("https://user:pass@hooks.example.com/", "The address must not carry a user name or password: "
                                              "check the signature instead."),
    ("ftp://hooks.example.com/", "Enter a valid URL."),
])
def test_only_public_https_addresses_are_accepted_in_production(api, settings, url, message):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    response = create(api, url=url)
    assert response.status_code == 400
    assert message in response.json()["url"]


def test_a_receiver_on_this_machine_is_accepted_where_local_urls_are_allowed(api, settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = True
    assert create(api, url="http://127.0.0.1:8001/hook").status_code == 201
    assert create(api, url="http://hooks.example.com/hook").status_code == 400  # http only locally


@pytest.mark.parametrize("events, status", [
    ([], 400), (["order.deleted"], 400), ("order.created", 400), (["order.created", "order.created"], 201),
])
def test_events_must_be_known(api, events, status):
    response = create(api, events=events)
    assert response.status_code == status
    if status == 201:
        assert response.json()["events"] == ["order.created"]


def test_a_storefront_has_at_most_twenty_endpoints(api):
    Endpoint.objects.bulk_create([
        Endpoint(storefront=api.storefront, url=f"{URL}/{n}", events=["order.created"]) for n in range(20)
    ])
    response = create(api)
    assert response.status_code == 400
    assert "at most 20 endpoints" in response.json()["url"][0]


def test_patch_changes_only_what_is_sent(api):
    hook = create(api).json()
    response = api.patch(f"/api/v1/webhooks/{hook['id']}/", {"events": ["order.shipped"]}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["url"], data["events"], data["active"]) == (URL, ["order.shipped"], True)

    paused = api.patch(f"/api/v1/webhooks/{hook['id']}/", {"active": False}, format="json").json()
    assert paused["active"] is False
    assert Endpoint.objects.get(pk=hook["id"]).active is False


def test_patch_active_true_turns_on_an_endpoint_disabled_for_failing(api):
    hook = endpoint(api.storefront, active=False)
    Endpoint.objects.filter(pk=hook.pk).update(
        consecutive_failures=15, disabled_at=timezone.now(), disabled_reason="Disabled after 15 failed deliveries",
    )
    assert api.get(f"/api/v1/webhooks/{hook.pk}/").json()["disabled_at"] is not None

    data = api.patch(f"/api/v1/webhooks/{hook.pk}/", {"active": True}, format="json").json()

    assert (data["active"], data["consecutive_failures"], data["disabled_at"], data["disabled_reason"]) == (
        True, 0, None, ""
    )


def test_delete_removes_the_endpoint(api):
    hook = create(api).json()
    assert api.delete(f"/api/v1/webhooks/{hook['id']}/").status_code == 204
    assert not Endpoint.objects.filter(pk=hook["id"]).exists()
    assert api.get(f"/api/v1/webhooks/{hook['id']}/").status_code == 404


def test_another_storefronts_endpoint_is_as_missing_as_one_that_does_not_exist(api, other_api):
    theirs = create(other_api).json()
    path = f"/api/v1/webhooks/{theirs['id']}/"

    assert api.get("/api/v1/webhooks/").json() == []
    for response in (api.get(path), api.patch(path, {"active": False}, format="json"), api.delete(path)):
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "detail": "No webhook endpoint with this id."}
    assert Endpoint.objects.get(pk=theirs["id"]).active is True
    for missing in ("999999", "abc", "99999999999999999999999"):
        assert api.get(f"/api/v1/webhooks/{missing}/").status_code == 404


def test_without_a_key_nothing_is_shown(client):
    assert client.get("/api/v1/webhooks/").status_code == 401
    assert client.post("/api/v1/webhooks/", {"url": URL}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("language, detail", [
    ("es", "No hay ningún destino de webhooks con este id."),
    ("pt-BR", "Não há endpoint de webhook com este id."),
])
def test_errors_speak_the_requests_language(api, language, detail):
    response = api.get("/api/v1/webhooks/12345/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.json() == {"code": "not_found", "detail": detail}


def test_a_replayed_registration_does_not_answer_the_secret_again(api):
    from api.models import IdempotencyKey

    body = {"url": URL, "events": ["order.created"]}
    first = api.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="wh-1")
    replay = api.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="wh-1")
    secret = first.json()["secret"]
    assert secret == Endpoint.objects.get(pk=first.json()["id"]).secret
    api.delete(f"/api/v1/webhooks/{first.json()['id']}/")
    after_delete = api.post("/api/v1/webhooks/", body, format="json", HTTP_IDEMPOTENCY_KEY="wh-1")

    assert first.status_code == replay.status_code == after_delete.status_code == 201
    assert Endpoint.objects.count() == 0
    for again in (replay, after_delete):
        data = again.json()
        assert again["Idempotent-Replayed"] == "true"
        assert data["secret"] is None
        assert "only once" in data["secret_note"]
        assert secret not in again.content.decode()
        assert {k: v for k, v in data.items() if k not in ("secret", "secret_note")} == {
            k: v for k, v in first.json().items() if k != "secret"
        }
    kept = list(IdempotencyKey.objects.values_list("key", "request_hash", "response_body"))
    assert len(kept) == 1
    assert secret not in repr(kept) and secret[10:] not in repr(kept)


def test_secrets_kept_before_the_upgrade_are_forgotten(api):
    import importlib

    from django.apps import apps

    from api.models import IdempotencyKey

    forget_kept_secrets = importlib.import_module("api.migrations.0003_forget_kept_secrets").forget_kept_secrets
    stored = {"id": 1, "url": URL, "secret_hint": "whsec_abcd…", "secret": "whsec_abcdefghijklmnop"}
    IdempotencyKey.objects.create(storefront=api.storefront, key="old", request_hash="h", response_status=201,
                                  response_body=stored)
    IdempotencyKey.objects.create(storefront=api.storefront, key="order", request_hash="h", response_status=201,
                                  response_body={"number": "K7QH-2M9X"})

    forget_kept_secrets(apps, None)
    forget_kept_secrets(apps, None)

    assert IdempotencyKey.objects.get(key="old").response_body == {**stored, "secret": None}
    assert IdempotencyKey.objects.get(key="order").response_body == {"number": "K7QH-2M9X"}
