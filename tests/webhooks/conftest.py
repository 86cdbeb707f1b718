import pytest
from django.core import mail

from tests.factories import UserFactory, storefront

from .helpers import Receiver


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    """Receivers on this machine are allowed; short timeouts; retries due at once (the tests run them)."""
    settings.WEBHOOK_ALLOW_LOCAL_URLS = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOK_RETRY_DELAYS = [0]
    settings.STORE_EMAIL = "staff@example.com"
    mail.outbox = []


@pytest.fixture
def staff(db):
    return UserFactory(username="vendedora", first_name="Lucía", last_name="Gómez")


@pytest.fixture
def shop(db):
    return storefront(name="Tienda Palermo")


@pytest.fixture
def other_shop(db):
    return storefront(name="Tienda Recoleta")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the code, then the on-commit hooks it registered (the enqueued deliveries, run inline)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def receiver():
    """`receiver(*answers)` starts a local receiver; every one started is stopped afterwards."""
    started = []

    def start(*answers):
        stub = Receiver(*answers).__enter__()
        started.append(stub)
        return stub

    yield start
    for stub in started:
        stub.__exit__()
