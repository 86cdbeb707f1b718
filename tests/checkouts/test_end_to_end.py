"""From the storefront's report to the customer's inbox, through the sweep, the outbox and the worker
(tasks run inline in tests, once the sweep's transaction commits)."""
from django.core import mail

from checkouts import services
from checkouts.models import Checkout
from notifications.models import Notification
from tests.api.conftest import order_body

from .conftest import after_delay, report

RESUME_URL = "https://tienda.example.com/checkout/1001/resume?token=abc"


def test_an_abandoned_checkout_gets_one_email_with_its_resume_link(api, django_capture_on_commit_callbacks):
    assert report(api, resume_url=RESUME_URL).status_code == 201

    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(now=after_delay())
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(now=after_delay(minutes=30))

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria@example.com"]
    assert RESUME_URL in message.body
    row = Notification.objects.get(checkout__external_id="CHK-1001")
    assert (row.milestone, row.channel, row.status) == ("checkout_recovery", "email", "sent")


def test_nothing_goes_out_before_the_delay(api, django_capture_on_commit_callbacks):
    report(api)

    with django_capture_on_commit_callbacks(execute=True):
        services.sweep()

    assert mail.outbox == []
    assert not Notification.objects.filter(checkout__isnull=False).exists()


def test_an_order_placed_before_the_message_is_delivered_means_no_message(api, django_capture_on_commit_callbacks):
    report(api)
    with django_capture_on_commit_callbacks() as deliveries:  # the sweep commits; the worker has not run yet
        services.sweep(now=after_delay())
    assert deliveries and Checkout.objects.get().status == Checkout.Status.REMINDED

    response = api.post("/api/v1/orders/", order_body(checkout_id="CHK-1001"), format="json")
    assert response.status_code == 201
    for deliver in deliveries:  # now the worker picks the recovery message up
        deliver()

    assert mail.outbox == []
    row = Notification.objects.get(checkout__external_id="CHK-1001")
    assert row.status == "skipped"
    assert Checkout.objects.get().status == Checkout.Status.RECOVERED


def test_a_checkout_without_an_email_is_marked_and_logged_skipped(api, django_capture_on_commit_callbacks):
    report(api, customer={"name": "María Pérez"})

    with django_capture_on_commit_callbacks(execute=True):
        services.sweep(now=after_delay())

    assert mail.outbox == []
    assert Checkout.objects.get().status == Checkout.Status.REMINDED
    row = Notification.objects.get(checkout__external_id="CHK-1001", channel="email")
    assert row.status == "skipped" and row.reason
