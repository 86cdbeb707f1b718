"""The admin login is throttled by django-axes: AXES_FAILURE_LIMIT failures of one username from one address
lock that pair out for AXES_COOLOFF_TIME, the right password included; superusers see the lockouts."""
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from config.settings.base import _duration
from tests.factories import SuperuserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # the factories' password


@pytest.fixture
def axes_on(settings):
    # As in production (config/settings/base.py); the rest of the suite logs in without a request.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10
    settings.AXES_COOLOFF_TIME = timedelta(hours=1)


def _login(client: Client, username: str, password: str, **extra):
    page = client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, **extra)
    logged_in = page.status_code == 302 and page["Location"] == "/admin/" and "_auth_user_id" in client.session
    return page, logged_in


def _fail_ten_times(client: Client, username: str, **extra):
    for _ in range(10):
        _page, logged_in = _login(client, username, "wrong-guess", **extra)
        assert not logged_in


def test_ten_wrong_passwords_lock_the_user_out_even_with_the_right_one(axes_on):
    SuperuserFactory(username="boss")
    client = Client(REMOTE_ADDR="203.0.113.5")
    _fail_ten_times(client, "boss")

    page, logged_in = _login(client, "boss", PASSWORD)

    assert not logged_in
    assert page.status_code == 429
    assert AccessAttempt.objects.get(username="boss", ip_address="203.0.113.5").failures_since_start >= 10


def test_after_the_cool_off_the_right_password_works_again(axes_on, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=2)
    SuperuserFactory(username="boss")
    client = Client(REMOTE_ADDR="203.0.113.6")
    _fail_ten_times(client, "boss")
    assert not _login(client, "boss", PASSWORD)[1]

    time.sleep(2.5)

    assert _login(client, "boss", PASSWORD)[1]


def test_another_address_or_another_user_is_not_locked(axes_on):
    SuperuserFactory(username="boss")
    SuperuserFactory(username="clerk")
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    _fail_ten_times(attacker, "boss")

    assert not _login(attacker, "boss", PASSWORD)[1]
    assert _login(Client(REMOTE_ADDR="198.51.100.8"), "boss", PASSWORD)[1]
    assert _login(Client(REMOTE_ADDR="203.0.113.7"), "clerk", PASSWORD)[1]


def test_superusers_see_the_lockouts_in_the_admin(axes_on):
    SuperuserFactory(username="boss")
    _fail_ten_times(Client(REMOTE_ADDR="203.0.113.9"), "boss")
    admin = Client()
    admin.force_login(SuperuserFactory(username="owner"))

    listing = admin.get("/admin/axes/accessattempt/")

    assert listing.status_code == 200
    assert "boss" in listing.content.decode() and "203.0.113.9" in listing.content.decode()


@pytest.mark.parametrize("value, duration", [
    ("1h", timedelta(hours=1)), ("30m", timedelta(minutes=30)), ("45min", timedelta(minutes=45)),
    ("2", timedelta(hours=2)), ("0.5 hours", timedelta(minutes=30)),
])
def test_the_cool_off_is_read_in_hours_or_minutes(value, duration):
    assert _duration(value) == duration
