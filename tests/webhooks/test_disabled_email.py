"""The store's email about a disabled endpoint is a row of the notification log: sent by the
notifications' worker, retried while the email provider is down, written once per disablement, in
the store's language."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import deliver_notification
from webhooks import services
from webhooks.messages import record_endpoint_disabled, source_of
from webhooks.models import Endpoint

from .helpers import endpoint, place
from tests.utils import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(staff, shop, commit, receiver, settings):
    """`failing(n)` places n orders whose deliveries the endpoint refuses; returns the endpoint."""
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    stub = receiver(*[(404, "not here")] * 10)
    hook = endpoint(shop, url=stub.url())
    placed = iter(range(1, 100))

    def fail(count: int) -> Endpoint:
        for _ in range(count):
            with commit():
                place(by=staff, storefront=shop, external_id=f"TN-{next(placed)}")
        hook.refresh_from_db()
        return hook

    return fail


def emails():
    """The emails about disabled endpoints (the new order notices go to the staff too)."""
    return [email for email in mail.outbox if getattr(email, "tags", None) == ["webhook_disabled"]]


def rows():
    return Notification.objects.filter(milestone="webhook_disabled").order_by("id")


def test_the_email_is_a_row_of_the_log_the_worker_sends_once(failing):
    hook = failing(2)

    assert hook.disabled_at is not None
    [row] = rows()
    [email] = emails()
    assert (row.order, row.source, row.recipient, row.status, row.attempts) == (
        None, source_of(hook), "staff@example.com", "sent", 1,
    )
    assert row.subject == email.subject == f"Webhook endpoint disabled: {hook.url}"
    assert "Tienda Palermo" in email.body and f"/admin/webhooks/endpoint/{hook.pk}/change/" in email.body
    assert email.metadata["source"] == row.source

    deliver_notification(row.pk)  # the task run again sends nothing more
    assert len(emails()) == 1


def test_a_disablement_is_written_once(failing):
    hook = failing(2)
    failing(1)  # a delivery that was already queued fails too: the endpoint is disabled already

    assert record_endpoint_disabled(hook).row is None  # the same disablement, told again: nothing written
    assert rows().count() == 1
    assert len(emails()) == 1


def test_an_endpoint_enabled_and_disabled_again_gets_a_new_email(failing):
    hook = failing(2)
    services.enable(hook)
    failing(2)

    assert rows().count() == 2
    assert len({row.source for row in rows()}) == 2
    assert len(emails()) == 2


def test_an_email_provider_that_is_down_is_retried(failing, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2

    hook = failing(2)

    assert hook.active is False  # the endpoint is disabled whatever the email provider does
    [row] = rows()
    assert (row.status, row.attempts, row.reason_code) == ("queued", 1, "provider_error")
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"  # the provider is back
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver_notification(row.pk) == "sent"
    [email] = emails()
    assert hook.url in email.subject


def test_the_email_speaks_the_stores_language_and_the_log_names_it(failing, settings, staff_client):
    settings.LANGUAGE_CODE = "es"
    hook = failing(2)

    [email] = emails()
    assert email.subject == f"Destino de webhooks desactivado: {hook.url}"
    row = rows().get()
    page = staff_client.get(reverse("admin:notifications_notification_change", args=[row.pk]),
                            HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()
    assert "Endpoint de webhook desativado (equipe)" in page
    assert reverse("admin:webhooks_endpoint_change", args=[hook.pk]) in page
