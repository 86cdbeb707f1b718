"""The order detail's JSON is kept per order version: a repeated read costs one small query, and any change
to what the detail shows (the order, its payments, timeline and custom statuses, the carrier, the custom
status names, who did each step) is answered at once."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carriers.models import Carrier
from orders.models import CustomStatus, Order
from orders.services import set_custom_status

from .conftest import make_client
from .test_custom_statuses import set_status
from .test_moves_and_payments import move, pay


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.API_ORDER_CACHE_SECONDS = 60


def detail(api, number, **headers):
    response = api.get(f"/api/v1/orders/{number}/", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_repeated_read_is_answered_from_the_kept_json_with_one_small_query_for_the_order(api, placed):
    first = detail(api, placed["number"])

    with CaptureQueriesContext(connection) as queries:
        again = detail(api, placed["number"])

    assert again == first
    order_queries = [q["sql"] for q in queries.captured_queries if 'FROM "orders_' in q["sql"]]
    assert len(order_queries) == 1 and '"orders_order"."updated_at"' in order_queries[0]
    assert len(queries) <= 3  # the API key, the order's version (and nothing else of the order)


def test_moves_payments_and_custom_statuses_are_seen_at_once(api, placed):
    number = placed["number"]
    detail(api, number)

    assert pay(api, number, "100.00").status_code == 201  # a part payment: the order stays unpaid
    assert [p["amount"] for p in detail(api, number)["payments"]] == ["100.00"]

    assert pay(api, number, str(Decimal(placed["total"]) - 100)).status_code == 201  # the rest
    assert move(api, number, "accept").status_code == 200
    seen = detail(api, number)
    assert (seen["status"], seen["payment_status"]) == ("accepted", "paid")
    assert seen["events"][-1]["to_status"] == "accepted"

    assert set_status(api, number, type="delivery", code="in_transit").status_code == 200
    assert detail(api, number)["custom_statuses"]["delivery"]["code"] == "in_transit"


def test_a_change_made_outside_the_api_is_seen_at_once(api, placed, django_user_model):
    number = placed["number"]
    detail(api, number)
    staff = django_user_model.objects.create_user("vendedora")

    set_custom_status(Order.objects.get(number=number), by=staff, status_type="general", code="agreed_with_customer")

    assert detail(api, number)["custom_statuses"]["general"]["code"] == "agreed_with_customer"


def test_renamed_reference_data_is_seen_at_once(api, placed):
    number = placed["number"]
    assert set_status(api, number, type="delivery", code="in_transit").status_code == 200
    assert pay(api, number, placed["total"]).status_code == 201
    for action in ("accept", "prepare"):
        assert move(api, number, action).status_code == 200
    assert move(api, number, "ship", carrier="correo-argentino", tracking_code="RR123456785AR").status_code == 200
    before = detail(api, number, HTTP_ACCEPT_LANGUAGE="en")

    carrier = Carrier.objects.get(code="correo-argentino")
    carrier.tracking_url_template = "https://seguimiento.example.com/{code}"
    carrier.save()
    status = CustomStatus.objects.get(type="delivery", code="in_transit")
    status.name_en = "On its way"
    status.save()
    api.storefront.name = "Tienda Palermo Soho"
    api.storefront.save()

    after = detail(api, number, HTTP_ACCEPT_LANGUAGE="en")
    assert after["tracking"]["url"] == "https://seguimiento.example.com/RR123456785AR" != before["tracking"]["url"]
    assert after["custom_statuses"]["delivery"]["name"] == "On its way"
    assert after["events"][-1]["actor"] == "Tienda Palermo Soho (storefront)"


def test_each_language_is_kept_apart(api, placed):
    number = placed["number"]
    assert set_status(api, number, type="delivery", code="in_transit").status_code == 200

    english = detail(api, number, HTTP_ACCEPT_LANGUAGE="en")["custom_statuses"]["delivery"]["name"]
    spanish = detail(api, number, HTTP_ACCEPT_LANGUAGE="es")["custom_statuses"]["delivery"]["name"]

    assert english != spanish
    assert detail(api, number, HTTP_ACCEPT_LANGUAGE="en")["custom_statuses"]["delivery"]["name"] == english


def test_another_storefronts_order_is_still_missing(api, placed):
    detail(api, placed["number"])
    other = make_client("Tienda Recoleta")

    assert other.get(f"/api/v1/orders/{placed['number']}/").status_code == 404
    assert api.get("/api/v1/orders/ZZZZ-ZZZZ/").status_code == 404


def test_an_entry_built_while_a_carrier_change_was_not_yet_committed_is_left_behind(api, placed, monkeypatch):
    from django.db import transaction

    from orders import api_cache as representations

    number = placed["number"]
    assert pay(api, number, placed["total"]).status_code == 201
    for action in ("accept", "prepare"):
        assert move(api, number, action).status_code == 200
    assert move(api, number, "ship", carrier="correo-argentino", tracking_code="RR123456785AR").status_code == 200
    hooks = []
    monkeypatch.setattr(transaction, "on_commit", lambda hook, **kwargs: hooks.append(hook))

    carrier = Carrier.objects.get(code="correo-argentino")
    carrier.tracking_url_template = "https://seguimiento.example.com/{code}"
    carrier.save()  # the version moves now; its second move waits for the commit
    old_rows = Order.objects.filter(number=number).select_related("carrier").get()
    old_rows.carrier.tracking_url_template = "https://old.example.com/{code}"
    monkeypatch.setattr(representations, "s", _serializers_reading(old_rows))
    stale = detail(api, number)["tracking"]["url"]  # built from the rows a reader saw before the commit
    monkeypatch.undo()
    for hook in hooks:
        hook()  # the commit

    assert stale.startswith("https://old.example.com/")
    assert detail(api, number)["tracking"]["url"] == "https://seguimiento.example.com/RR123456785AR"


def _serializers_reading(order):
    """orders.representation, but the detail is built from `order` (rows as read before a commit)."""
    from orders import representation as serializers

    class Stale:
        def __getattr__(self, name):
            return getattr(serializers, name)

        @staticmethod
        def OrderDetailOutput(_order):
            return serializers.OrderDetailOutput(order)

    return Stale()


def test_a_staff_login_keeps_the_kept_json_but_a_renamed_staff_member_is_seen(api, placed, client, django_user_model):
    from orders.api_cache import reference_version

    number = placed["number"]
    staff = django_user_model.objects.create_superuser("vendedora", password="s3cret-pass-word")
    detail(api, number)
    before = reference_version()

    assert client.post("/admin/login/", {"username": "vendedora", "password": "s3cret-pass-word"}).status_code == 302
    assert reference_version() == before  # a login saves only last_login, which no order shows

    staff.first_name = "Lucía"
    staff.save()
    assert reference_version() != before
