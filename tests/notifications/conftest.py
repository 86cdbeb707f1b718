import pytest
from django.core import mail

from billing import services as billing
from notifications.backends.push import locmem as push_locmem
from notifications.backends.sms import locmem as sms_locmem
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _anymail_test_backend(settings):
    """Django's test runner swaps EMAIL_BACKEND for locmem, which never sets `anymail_status`:
    put back anymail's test backend (it records into django.core.mail.outbox too)."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_outboxes():
    """Every test starts with empty email, SMS and push outboxes."""
    mail.outbox = []
    sms_locmem.outbox.clear()
    push_locmem.outbox.clear()
    yield
    sms_locmem.outbox.clear()
    push_locmem.outbox.clear()


@pytest.fixture
def sms_outbox():
    return sms_locmem.outbox


@pytest.fixture
def push_outbox():
    return push_locmem.outbox


@pytest.fixture
def staff(db):
    return UserFactory(username="vendedora", first_name="Lucía", last_name="Gómez")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the code, then the on-commit hooks it registered (the enqueued deliveries, run inline).

        with commit():
            services.accept(order, by=staff)
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def credits(db):
    """Make sure the store has SMS credits; returns a function reading the total balance."""
    if billing.balance().total < 50:
        billing.top_up(amount=50, by=None, reference="test")
    return lambda: billing.balance().total


@pytest.fixture
def no_credits(db):
    """Spend every SMS credit the store has."""
    current = billing.balance()
    if current.monthly_remaining:
        billing.adjust(bucket="monthly", amount=-current.monthly_remaining, by=None, reason="test: no credits")
    if current.purchased:
        billing.adjust(bucket="purchased", amount=-current.purchased, by=None, reason="test: no credits")
    assert billing.balance().total == 0


@pytest.fixture
def whatsapp_outbox():
    from notifications.backends.whatsapp import locmem as whatsapp_locmem

    whatsapp_locmem.outbox.clear()
    yield whatsapp_locmem.outbox
    whatsapp_locmem.outbox.clear()
