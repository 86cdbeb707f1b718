"""Query budgets: SQL queries per page with 10 orders and with many, through django.test.Client."""
from __future__ import annotations

from .common import bulk_orders, place_paid_order, staff_user, storefront
from .report import Figure

BUDGETS = {
    "admin order list": 8,
    "admin order page": 13,  # the order's messages to the customer are one query of their own
    "API order list": 8,
    "API order detail": 12,
    "timeline page": 5,
}


def _count(client, url: str, **headers) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, **headers)  # warm-up: per-process caches (content types, settings rows)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return len(queries), response.status_code


def _measure(order, key: str) -> dict[str, int]:
    from django.test import Client

    staff = Client()
    staff.force_login(staff_user())
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    return {
        "admin order list": _count(staff, "/admin/orders/order/")[0],
        "admin order page": _count(staff, f"/admin/orders/order/{order.pk}/change/")[0],
        "API order list": _count(api, "/api/v1/orders/", **auth)[0],
        "API order detail": _count(api, f"/api/v1/orders/{order.number}/", **auth)[0],
        "timeline page": _count(Client(), f"/o/{order.public_token}/")[0],
    }


def run(n: int) -> list[Figure]:
    from django.test.utils import override_settings

    from carriers.models import Carrier
    from orders import services
    from storefronts.services import create_api_key

    user = staff_user()
    shop = storefront()
    _key, key = create_api_key(storefront=shop, name="bench")
    carrier = Carrier.objects.get(code="dhl")
    orders = [place_paid_order(by=user, storefront=shop) for _ in range(10)]
    order = orders[0]  # a shipped order: events, notifications and tracking on every page
    order = services.accept(order, by=user)
    order = services.start_preparation(order, by=user)
    order = services.ship(order, by=user, carrier=carrier, tracking_code="1234567890")
    # The test client has no real host; the API throttles per key (not counted here). The budgets
    # count what a page costs to build: the API's kept order JSON is off, then counted on its own.
    with override_settings(ALLOWED_HOSTS=["*"], API_ORDER_CACHE_SECONDS=0):
        small = _measure(order, key)
        bulk_orders(n - 10, storefront=shop)
        big = _measure(order, key)
    from django.test import Client

    with override_settings(ALLOWED_HOSTS=["*"], API_ORDER_CACHE_SECONDS=60):
        kept, _status = _count(Client(), f"/api/v1/orders/{order.number}/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    figures = []
    for page, budget in BUDGETS.items():
        a, b = small[page], big[page]
        figures.append(Figure(
            f"queries: {page}", b, "queries", baseline=f"{a} with 10 orders", bar=f"same at {n:,}; <= {budget}",
            passed=(a == b and b <= budget),
        ))
    figures.append(Figure(
        "queries: API order detail, read again", kept, "queries", baseline=f"{n:,} orders", bar="report",
        passed=None, notes=["the order's JSON kept per order version (API_ORDER_CACHE_SECONDS): the API key and "
                            "the order's id and updated_at"],
    ))
    return figures
