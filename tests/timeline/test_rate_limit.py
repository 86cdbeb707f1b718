"""The page, the tracking link and the push endpoints are rate-limited per client address."""
import pytest
from django.test import Client
from django.urls import reverse

from orders.models import Status
from timeline.ratelimit import parse_rate

from .factories import order_at, subscription_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_minute(settings, monkeypatch):
    settings.PUBLIC_PAGE_RATE_LIMIT = "3/min"
    # The windows are fixed minutes: hold the clock mid-minute, or a test that runs across the turn
    # of a minute counts its requests in two windows.
    monkeypatch.setattr("timeline.ratelimit._clock", lambda: 1_800_000_030.0)


def _requests(order):
    token = order.public_token
    return {
        "page": lambda c: c.get(reverse("timeline:order", args=[token])),
        "track": lambda c: c.get(reverse("timeline:track", args=[token])),
        "subscribe": lambda c: c.post(
            reverse("timeline:push-subscribe", args=[token]), subscription_json(), content_type="application/json"
        ),
    }


@pytest.mark.parametrize("endpoint", ["page", "track", "subscribe"])
def test_past_the_limit_the_client_gets_429_with_retry_after(three_per_minute, endpoint):
    request = _requests(order_at(Status.SHIPPED))[endpoint]
    browser = Client(REMOTE_ADDR="203.0.113.7")

    allowed = [request(browser).status_code for _ in range(3)]
    refused = request(browser)

    assert all(code in (200, 201, 302) for code in allowed)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]


def test_unknown_tokens_count_too_so_guessing_is_slowed_down(three_per_minute):
    browser = Client(REMOTE_ADDR="203.0.113.8")

    codes = [browser.get(reverse("timeline:order", args=[f"{n:0>43}"])).status_code for n in range(4)]

    assert codes == [404, 404, 404, 429]


def test_each_client_address_has_its_own_allowance(three_per_minute):
    order = order_at(Status.SHIPPED)
    url = reverse("timeline:order", args=[order.public_token])
    busy, other = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(3):
        busy.get(url)

    assert busy.get(url).status_code == 429
    assert other.get(url).status_code == 200


def test_a_forwarded_for_header_does_not_buy_a_new_allowance(three_per_minute):
    order = order_at(Status.SHIPPED)
    url = reverse("timeline:order", args=[order.public_token])
    browser = Client(REMOTE_ADDR="203.0.113.10")
    for n in range(3):
        browser.get(url, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert browser.get(url, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_the_page_and_the_tracking_link_have_separate_allowances(three_per_minute):
    order = order_at(Status.SHIPPED)
    browser = Client(REMOTE_ADDR="203.0.113.11")
    for _ in range(3):
        browser.get(reverse("timeline:order", args=[order.public_token]))

    assert browser.get(reverse("timeline:track", args=[order.public_token])).status_code == 302


def test_an_empty_setting_turns_the_limit_off(settings):
    settings.PUBLIC_PAGE_RATE_LIMIT = ""
    order = order_at(Status.SHIPPED)
    browser = Client(REMOTE_ADDR="203.0.113.12")

    codes = {browser.get(reverse("timeline:order", args=[order.public_token])).status_code for _ in range(5)}

    assert codes == {200}


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("120/min", (120, 60)), ("5/s", (5, 1)), ("10/5min", (10, 300)), ("1000/hour", (1000, 3600)),
     ("20000/day", (20000, 86400)), ("", None)],
)
def test_rates_are_read_like_120_per_min(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["fast", "120", "120/fortnight", "-1/min"])
def test_a_rate_that_cannot_be_read_is_an_error(rate):
    with pytest.raises(ValueError):
        parse_rate(rate)
