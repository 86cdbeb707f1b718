from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from checkouts.models import Checkout

from .conftest import checkout_body, report


def test_reporting_a_checkout_creates_it_open_and_answers_201(api):
    response = report(api)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["checkout_id"] == "CHK-1001"
    assert body["status"] == "open"
    assert body["customer"] == {
        "name": "María Pérez", "email": "maria@example.com", "phone": "+5491155550000", "language": "es",
    }
    assert body["lines"][1] == {"sku": "GOR-002", "name": "Gorra", "quantity": 1, "unit_price": "3500.50"}
    assert body["total"] == "15000.50"
    assert body["resume_url"] == "https://tienda.example.com/checkout/1001/resume?token=abc"
    assert body["order"] is None and body["reminded_at"] is None and body["recovered_at"] is None
    checkout = Checkout.objects.get()
    assert (checkout.storefront, checkout.external_id, checkout.status) == (api.storefront, "CHK-1001", "open")


def test_reporting_the_same_id_again_updates_the_checkout_and_answers_200(api):
    first = report(api).json()

    response = report(
        api,
        customer={"name": "María Pérez", "email": "maria.perez@example.com"},
        lines=[{"sku": "REM-001", "name": "Remera de algodón", "quantity": 3, "unit_price": "5000.00"}],
        total="15000.00",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["customer"]["email"] == "maria.perez@example.com"
    assert body["customer"]["phone"] == ""
    assert [line["quantity"] for line in body["lines"]] == [3]
    assert body["total"] == "15000.00"
    assert body["started_at"] == first["started_at"]
    assert body["last_activity_at"] >= first["last_activity_at"]
    assert Checkout.objects.count() == 1


def test_the_total_defaults_to_the_sum_of_the_lines(api):
    body = checkout_body()
    del body["total"]

    response = api.post("/api/v1/checkouts/", body, format="json")

    assert response.status_code == 201
    assert response.json()["total"] == "13500.50"


def test_a_checkout_is_read_back_with_its_status(api):
    report(api)

    response = api.get("/api/v1/checkouts/CHK-1001/")

    assert response.status_code == 200
    assert response.json()["status"] == "open"
    assert response.json()["checkout_id"] == "CHK-1001"


@pytest.mark.parametrize("changes,path", [
    ({"resume_url": "http://tienda.example.com/checkout/1001"}, "resume_url"),
    ({"resume_url": "javascript:alert(1)"}, "resume_url"),
    ({"resume_url": "tienda.example.com/checkout"}, "resume_url"),
    ({"checkout_id": "a/b"}, "checkout_id"),
    ({"checkout_id": "with space"}, "checkout_id"),
    ({"checkout_id": ""}, "checkout_id"),
    ({"checkout_id": 1001}, "checkout_id"),
    ({"lines": []}, "lines"),
    ({"currency": "XXY"}, "currency"),
    ({"total": "-1.00"}, "total"),
    ({"started_at": "yesterday"}, "started_at"),
    ({"customer": {"email": "not-an-email"}}, "customer"),
    ({"customer": {"phone": "12"}}, "customer"),
])
def test_invalid_reports_are_refused_field_by_field_and_save_nothing(api, changes, path):
    response = report(api, **changes)

    assert response.status_code == 400, response.json()
    assert path in response.json()
    assert not Checkout.objects.exists()


def test_a_start_in_the_future_is_refused(api):
    response = report(api, started_at=(timezone.now() + timedelta(hours=2)).isoformat())

    assert response.status_code == 400
    assert "started_at" in response.json()


def test_a_checkout_without_any_contact_is_accepted(api):
    body = checkout_body()
    del body["customer"]

    response = api.post("/api/v1/checkouts/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["customer"] == {"name": "", "email": "", "phone": "", "language": "es"}


def test_the_storefront_may_say_when_the_checkout_started_and_when_the_customer_was_last_active(api):
    started = timezone.now() - timedelta(hours=5)
    active = timezone.now() - timedelta(hours=3)

    report(api, started_at=started.isoformat(), last_activity_at=active.isoformat())

    checkout = Checkout.objects.get()
    assert abs(checkout.created_at - started) < timedelta(seconds=1)
    assert abs(checkout.last_activity_at - active) < timedelta(seconds=1)


def test_a_later_report_never_moves_the_last_activity_back(api):
    report(api)
    before = Checkout.objects.get().last_activity_at

    report(api, last_activity_at=(timezone.now() - timedelta(hours=1)).isoformat())

    assert Checkout.objects.get().last_activity_at == before


def test_a_checkout_reported_after_the_expiry_age_is_stored_expired(api, settings):
    settings.CHECKOUT_EXPIRY_DAYS = 30

    response = report(api, started_at=(timezone.now() - timedelta(days=31)).isoformat())

    assert response.status_code == 201
    assert response.json()["status"] == "expired"


def test_a_recovered_checkout_is_not_reopened_and_the_storefront_is_told_why(api):
    report(api)
    Checkout.objects.update(status=Checkout.Status.RECOVERED)

    response = report(api, total="1.00")

    assert response.status_code == 409
    assert response.json()["code"] == "checkout_recovered"
    assert "not reopened" in response.json()["detail"]
    assert Checkout.objects.get().total == Decimal("15000.50")


def test_an_expired_checkout_is_not_reopened(api):
    report(api)
    Checkout.objects.update(status=Checkout.Status.EXPIRED)

    response = report(api)

    assert response.status_code == 409
    assert response.json()["code"] == "checkout_expired"
    assert Checkout.objects.get().status == "expired"


def test_a_reminded_checkout_is_updated_and_stays_reminded(api):
    report(api)
    Checkout.objects.update(status=Checkout.Status.REMINDED, reminded_at=timezone.now())

    response = report(api, total="99.00")

    assert response.status_code == 200
    assert response.json()["status"] == "reminded"
    assert response.json()["total"] == "99.00"


def test_an_idempotency_key_replays_the_first_answer(api):
    first = api.post("/api/v1/checkouts/", checkout_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/checkouts/", checkout_body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


# --- isolation between storefronts ----------------------------------------------------------------


def test_another_storefronts_checkout_answers_404_exactly_like_a_missing_one(api, other_api):
    report(api)

    foreign = other_api.get("/api/v1/checkouts/CHK-1001/")
    missing = other_api.get("/api/v1/checkouts/NOPE/")

    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_checkout_ids_are_per_storefront(api, other_api):
    report(api)

    response = report(other_api, total="1.00")

    assert response.status_code == 201
    assert Checkout.objects.filter(external_id="CHK-1001").count() == 2
    assert api.get("/api/v1/checkouts/CHK-1001/").json()["total"] == "15000.50"


def test_reporting_checkouts_needs_an_api_key(db):
    from rest_framework.test import APIClient

    client = APIClient()

    assert client.post("/api/v1/checkouts/", checkout_body(), format="json").status_code == 401
    assert client.get("/api/v1/checkouts/CHK-1001/").status_code == 401
    assert not Checkout.objects.exists()
