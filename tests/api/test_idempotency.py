import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from api.models import IdempotencyKey
from orders.models import Order, OrderEvent, Payment
from tests.utils import requires_postgres

from .conftest import StorefrontClient, make_client, order_body


def test_the_same_external_id_and_body_answers_200_with_the_same_order(api, placed):
    again = api.create_order()

    assert again.status_code == 200
    assert again.json() == placed
    assert Order.objects.count() == 1
    assert OrderEvent.objects.count() == 1


def test_key_order_spacing_and_amount_notation_do_not_make_a_body_different(api, placed):
    body = order_body(shipping_cost=1500)
    body["lines"][0]["unit_price"] = 5000
    raw = json.dumps(dict(reversed(list(body.items()))), indent=4).encode()

    again = api.generic("POST", "/api/v1/orders/", raw, content_type="application/json")

    assert again.status_code == 200
    assert again.json()["number"] == placed["number"]


def test_the_same_external_id_with_a_different_body_answers_409(api, placed):
    response = api.create_order(shipping_cost="0.00")

    assert response.status_code == 409
    assert response.json()["code"] == "external_id_conflict"
    assert placed["number"] in response.json()["detail"]
    assert Order.objects.count() == 1


def test_an_order_with_that_external_id_made_outside_the_api_is_a_conflict(api):
    from tests.factories import OrderFactory

    OrderFactory(storefront=api.storefront, external_id="TN-1001")

    response = api.create_order()

    assert response.status_code == 409
    assert response.json()["code"] == "external_id_conflict"


def test_an_idempotency_key_replays_the_first_response(api):
    first = api.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    replay = api.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Order.objects.count() == 1


def test_a_retried_move_with_its_key_replays_instead_of_being_refused(api, placed):
    url = f"/api/v1/orders/{placed['number']}/payments/"

    first = api.post(url, {"amount": "15000.50"}, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    retry = api.post(url, {"amount": "15000.50"}, format="json", HTTP_IDEMPOTENCY_KEY="pay-1")
    without_key = api.post(url, {"amount": "15000.50"}, format="json")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert Payment.objects.count() == 1
    assert without_key.status_code == 409  # a genuinely new payment on a paid order


def test_a_refused_move_is_replayed_too(api, placed):
    url = f"/api/v1/orders/{placed['number']}/accept/"
    first = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="acc-1")
    api.post(f"/api/v1/orders/{placed['number']}/payments/", {"amount": "15000.50"}, format="json")

    retry = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="acc-1")

    assert first.status_code == retry.status_code == 409
    assert retry.json() == first.json()
    assert Order.objects.get(number=placed["number"]).status == "pending"


def test_reusing_a_key_with_a_different_request_answers_422(api, placed):
    api.post("/api/v1/orders/", order_body(external_id="A"), format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    other_body = api.post("/api/v1/orders/", order_body(external_id="B"), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other_path = api.post(
        f"/api/v1/orders/{placed['number']}/cancel/", {"reason": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2",
    )

    assert other_body.status_code == other_path.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"
    assert not Order.objects.filter(external_id="B").exists()
    assert Order.objects.get(number=placed["number"]).status == "pending"


def test_a_request_that_failed_validation_keeps_nothing_so_it_can_be_fixed(api):
    bad = api.post("/api/v1/orders/", order_body(currency="XYZ"), format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    fixed = api.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-3")

    assert bad.status_code == 400
    assert fixed.status_code == 201


def test_a_key_is_forgotten_after_24_hours(api):
    api.post("/api/v1/orders/", order_body(external_id="A"), format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    IdempotencyKey.objects.update(created_at=IdempotencyKey.objects.get().created_at - timedelta(hours=24, seconds=1))

    later = api.post("/api/v1/orders/", order_body(external_id="B"), format="json", HTTP_IDEMPOTENCY_KEY="k-4")

    assert later.status_code == 201
    assert later.json()["external_id"] == "B"
    assert IdempotencyKey.objects.count() == 1


def test_a_key_still_in_progress_answers_409(api, placed):
    api.post(f"/api/v1/orders/{placed['number']}/cancel/", {"reason": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-5")
    IdempotencyKey.objects.filter(key="k-5").update(response_status=None, response_body=None)

    response = api.post(
        f"/api/v1/orders/{placed['number']}/cancel/", {"reason": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-5",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_use"


def test_keys_belong_to_one_storefront(api, other_api):
    mine = api.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="shared")
    theirs = other_api.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="shared")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["number"] != theirs.json()["number"]


def test_an_overlong_key_answers_400(api):
    response = api.post("/api/v1/orders/", order_body(), format="json", HTTP_IDEMPOTENCY_KEY="k" * 256)

    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert not Order.objects.exists()


def test_the_hourly_task_purges_expired_keys_of_every_storefront(api, other_api):
    from django_q.models import Schedule

    from api.schedules import PURGE_NAME, register_schedules
    from api.tasks import purge_idempotency_keys

    api.post("/api/v1/orders/", order_body(external_id="A"), format="json", HTTP_IDEMPOTENCY_KEY="old")
    other_api.post("/api/v1/orders/", order_body(external_id="B"), format="json", HTTP_IDEMPOTENCY_KEY="new")
    old = IdempotencyKey.objects.get(key="old")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(hours=25))

    assert purge_idempotency_keys() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    register_schedules()
    register_schedules()
    assert Schedule.objects.filter(name=PURGE_NAME, func="api.tasks.purge_idempotency_keys").count() == 1


# --- a request that died in flight ------------------------------------------------------------


def dead_request_key(api, url, body, key, *, seconds_ago):
    """The key's row as a request killed mid-flight left it: claimed, no response, started `seconds_ago`."""
    from rest_framework.test import APIRequestFactory

    from api.idempotency import request_hash

    fingerprint = request_hash(APIRequestFactory().post(url, body, format="json"))
    record = IdempotencyKey.objects.create(storefront=api.storefront, key=key, request_hash=fingerprint)
    IdempotencyKey.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(seconds=seconds_ago))
    return record


def test_a_retry_after_the_request_died_in_flight_runs_it_once(api, placed, settings):
    settings.IDEMPOTENCY_IN_FLIGHT_SECONDS = 60
    url = f"/api/v1/orders/{placed['number']}/payments/"
    dead_request_key(api, url, {"amount": "15000.50"}, "pay-dead", seconds_ago=61)

    retry = api.post(url, {"amount": "15000.50"}, format="json", HTTP_IDEMPOTENCY_KEY="pay-dead")
    again = api.post(url, {"amount": "15000.50"}, format="json", HTTP_IDEMPOTENCY_KEY="pay-dead")

    assert retry.status_code == 201, retry.json()
    assert not retry.has_header("Idempotent-Replayed")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == retry.json()
    assert Payment.objects.count() == 1
    assert Order.objects.get(number=placed["number"]).payment_status == "paid"
    record = IdempotencyKey.objects.get(key="pay-dead")
    assert record.response_status == 201
    assert timezone.now() - record.created_at < timedelta(seconds=10)  # kept 24 hours from the retry


def test_a_request_in_flight_for_less_than_the_limit_still_answers_409(api, placed, settings):
    settings.IDEMPOTENCY_IN_FLIGHT_SECONDS = 60
    url = f"/api/v1/orders/{placed['number']}/payments/"
    dead_request_key(api, url, {"amount": "15000.50"}, "pay-busy", seconds_ago=50)

    retry = api.post(url, {"amount": "15000.50"}, format="json", HTTP_IDEMPOTENCY_KEY="pay-busy")

    assert retry.status_code == 409
    assert retry.json()["code"] == "idempotency_key_in_use"
    assert not Payment.objects.exists()


def test_the_in_flight_limit_outlasts_gunicorns_timeout_by_default():
    import runpy

    from django.conf import settings

    gunicorn = runpy.run_path(str(settings.BASE_DIR / "config" / "gunicorn.conf.py"))

    assert settings.IDEMPOTENCY_IN_FLIGHT_SECONDS >= gunicorn["timeout"] + 30


def test_a_dead_request_that_comes_back_cannot_store_or_drop_the_key_it_lost(api, settings):
    from rest_framework.response import Response

    from api.idempotency import begin, finish

    settings.IDEMPOTENCY_IN_FLIGHT_SECONDS = 60
    slow = begin(storefront=api.storefront, key="k-slow", fingerprint="f")
    IdempotencyKey.objects.filter(pk=slow.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    retry = begin(storefront=api.storefront, key="k-slow", fingerprint="f")

    finish(slow, Response({"from": "slow"}, status=201))
    finish(slow, Response({"from": "slow"}, status=500))  # would give the key up
    finish(retry, Response({"from": "retry"}, status=201))

    record = IdempotencyKey.objects.get(key="k-slow")
    assert (record.response_status, record.response_body) == (201, {"from": "retry"})


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_retries_racing_for_a_dead_requests_key_run_it_once(settings):
    settings.IDEMPOTENCY_IN_FLIGHT_SECONDS = 60
    api = make_client("Tienda Carrera")
    number = api.create_order().json()["number"]
    url = f"/api/v1/orders/{number}/payments/"
    dead_request_key(api, url, {"amount": "15000.50"}, "pay-race", seconds_ago=120)
    racers = 4
    barrier = threading.Barrier(racers)
    results = [None] * racers

    def retry(index):
        try:
            client = StorefrontClient(api.storefront, api.key)
            barrier.wait(timeout=10)
            response = client.post(url, {"amount": "15000.50"}, format="json", HTTP_IDEMPOTENCY_KEY="pay-race")
            results[index] = (response.status_code, response.has_header("Idempotent-Replayed"))
        finally:
            connection.close()

    threads = [threading.Thread(target=retry, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    ran = [result for result in results if result == (201, False)]
    assert len(ran) == 1, results
    assert all(result in {(201, True), (409, False)} for result in results if result != (201, False)), results
    assert Payment.objects.count() == 1
