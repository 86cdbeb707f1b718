"""One client address for every limit: X-Forwarded-For counts only through TRUSTED_PROXY_COUNT proxies; and the
limits' cache must be shared in production."""
import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from api.throttling import APIKeyRateThrottle
from config.checks import shared_cache_in_production
from orders.models import Status
from tests.factories import SuperuserFactory
from tests.timeline.factories import order_at

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy, as the application server sees it


@pytest.fixture
def two_per_minute(settings, monkeypatch):
    settings.PUBLIC_PAGE_RATE_LIMIT = "2/min"
    monkeypatch.setattr("timeline.ratelimit._clock", lambda: 1_800_000_030.0)  # mid-minute: one window
    cache.clear()
    yield
    cache.clear()


def _page_codes(url, forwarded_for: list[str]) -> list[int]:
    proxy = Client(REMOTE_ADDR=PROXY)
    return [proxy.get(url, HTTP_X_FORWARDED_FOR=header).status_code for header in forwarded_for]


def test_with_no_trusted_proxy_a_forged_forwarded_for_gets_no_new_allowance(two_per_minute, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    url = reverse("timeline:order", args=[order_at(Status.SHIPPED).public_token])

    assert _page_codes(url, ["192.0.2.1", "192.0.2.2", "192.0.2.3"]) == [200, 200, 429]


def test_behind_one_proxy_two_customers_get_their_own_allowance(two_per_minute, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("timeline:order", args=[order_at(Status.SHIPPED).public_token])

    first = _page_codes(url, ["198.51.100.1"] * 3)
    second = _page_codes(url, ["198.51.100.2"] * 2)

    assert (first, second) == ([200, 200, 429], [200, 200])


def test_behind_one_proxy_what_the_client_put_in_front_buys_nothing(two_per_minute, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("timeline:order", args=[order_at(Status.SHIPPED).public_token])

    # The proxy appends the address it saw after whatever the client sent.
    codes = _page_codes(url, [f"192.0.2.{n}, 198.51.100.3" for n in range(3)])

    assert codes == [200, 200, 429]


@pytest.mark.parametrize("count, expected", [(0, PROXY), (1, "198.51.100.4"), (2, "192.0.2.9")])
def test_the_api_throttle_sees_the_same_address(settings, count, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/api/v1/orders/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.9, 198.51.100.4")

    assert APIKeyRateThrottle().get_ident(request) == expected


def test_the_login_throttle_counts_the_customer_behind_the_proxy(settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    SuperuserFactory(username="boss")

    Client(REMOTE_ADDR=PROXY).post("/admin/login/", {"username": "boss", "password": "nope"},
                                   HTTP_X_FORWARDED_FOR="192.0.2.50, 198.51.100.5")

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.5"]


@pytest.mark.parametrize("backend", [
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
])
def test_a_process_local_cache_is_warned_about_in_production(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/orders-test-cache"}}

    assert [warning.id for warning in shared_cache_in_production()] == ["project.W001"]


def test_a_shared_cache_or_development_is_not_warned_about(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/11"}}
    assert shared_cache_in_production() == []

    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert shared_cache_in_production() == []
