"""Delivery: signed POSTs to a local receiver, retries with backoff, no retries on 4xx,
at-most-once claims, disablement of failing endpoints, redelivery, the sweep and the purge."""
import json
import socket
import time

import pytest
import safehttp
from django.core.exceptions import ValidationError
from django.core import mail
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from webhooks import services
from webhooks.models import Attempt, Delivery, Endpoint, Event
from webhooks.tasks import deliver_webhook

from .helpers import endpoint, place, verify_signature

pytestmark = pytest.mark.django_db

RETRY_TASK = "webhooks.tasks.deliver_webhook"


def created(staff, shop, commit, external_id="TN-1001") -> Delivery:
    """Place an order, commit (the delivery runs inline), return its order.created delivery."""
    with commit():
        order = place(by=staff, storefront=shop, external_id=external_id)
    delivery = Delivery.objects.get(order=order, event_type=Event.ORDER_CREATED)
    return delivery


def webhook_emails():
    """The staff emails about endpoints (the new-order notifications go to the same address)."""
    return [email for email in mail.outbox if email.subject.startswith("Webhook endpoint disabled")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the request -----------------------------------------------------------------------------


def test_a_delivery_is_a_signed_json_post_with_the_event_headers(staff, shop, commit, receiver):
    stub = receiver((200, "thanks"))
    hook = endpoint(shop, url=stub.url("/hooks/orders?shop=1"))
    before = int(time.time())

    delivery = created(staff, shop, commit)

    after = int(time.time())
    [request] = stub.requests
    headers = request["headers"]
    assert request["path"] == "/hooks/orders?shop=1"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith("OrderBackOffice-Webhooks/")
    assert headers["x-webhook-id"] == str(delivery.event_id)
    assert headers["x-webhook-event"] == "order.created"
    assert request["body"] == delivery.body.encode()
    assert json.loads(request["body"])["id"] == str(delivery.event_id)
    # Checked with hmac and hashlib written in the test, keyed with the endpoint's secret.
    timestamp = verify_signature(headers["x-webhook-signature"], request["body"], hook.secret)
    assert before <= timestamp <= after

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.error_text) == ("delivered", 1, 200, "")
    assert delivery.response_body == "thanks"
    assert delivery.duration_ms is not None and delivery.delivered_at is not None
    assert list(delivery.attempt_log.values_list("number", "response_status")) == [(1, 200)]


def test_the_independent_check_refuses_another_secret_or_a_changed_body(staff, shop, commit, receiver):
    stub = receiver((200, "ok"))
    hook = endpoint(shop, url=stub.url())
    created(staff, shop, commit)
    [request] = stub.requests
    header = request["headers"]["x-webhook-signature"]

    with pytest.raises(AssertionError):
        verify_signature(header, request["body"], hook.secret + "x")
    with pytest.raises(AssertionError):
        verify_signature(header, request["body"].replace(b"11500.00", b"1.00"), hook.secret)
    verify_signature(header, request["body"], hook.secret)


def test_a_large_answer_is_recorded_only_in_part(staff, shop, commit, receiver):
    stub = receiver((400, "x" * 50_000))
    endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    assert delivery.response_body == "x" * 1000


# --- retries -------------------------------------------------------------------------------


def test_a_500_then_a_timeout_are_retried_until_the_receiver_takes_it(staff, shop, commit, receiver):
    stub = receiver((500, "oops"), ("hang", 5), (204, ""))
    hook = endpoint(shop, url=stub.url())

    delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("queued", 1, 500)
    assert delivery.error_text == "the endpoint answered HTTP 500"
    retry = Schedule.objects.get(func=RETRY_TASK)
    assert (retry.schedule_type, retry.args) == (Schedule.ONCE, str(delivery.pk))

    scheduler()  # the worker's scheduler runs the due retry (inline under sync tests)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("queued", 2, None)
    assert delivery.error_text == "no answer within 0.5 seconds"

    scheduler()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.error_text) == (
        "delivered", 3, 204, ""
    )
    assert list(delivery.attempt_log.values_list("number", "response_status")) == [(1, 500), (2, None), (3, 204)]
    # Every attempt is the same event, the same bytes, freshly signed.
    assert len(stub.requests) == 3
    assert {r["headers"]["x-webhook-id"] for r in stub.requests} == {str(delivery.event_id)}
    assert {r["body"] for r in stub.requests} == {delivery.body.encode()}
    for request in stub.requests:
        verify_signature(request["headers"]["x-webhook-signature"], request["body"], hook.secret)
    assert not Schedule.objects.filter(func=RETRY_TASK).exists()


@pytest.mark.parametrize("status", [429, 502, 503])
def test_too_many_requests_and_server_errors_are_retried(staff, shop, commit, receiver, status):
    stub = receiver((status, "busy"), (200, "ok"))
    endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    assert Delivery.objects.get(pk=delivery.pk).status == "queued"
    scheduler()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(stub.requests)) == ("delivered", 2, 2)


def test_an_endpoint_nobody_listens_on_is_retried(staff, shop, commit):
    endpoint(shop, url=f"http://127.0.0.1:{free_port()}/hook")
    delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("queued", 1, None)
    assert delivery.error_text.startswith("could not connect")
    assert Schedule.objects.filter(func=RETRY_TASK, args=str(delivery.pk)).exists()


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_other_4xx_answers_fail_at_once_without_retries(staff, shop, commit, receiver, status):
    stub = receiver((status, "no"))
    endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, status)
    assert delivery.error_text == f"the endpoint answered HTTP {status}"
    assert not Schedule.objects.filter(func=RETRY_TASK).exists()
    scheduler()
    assert len(stub.requests) == 1


def test_a_redirect_is_not_followed_and_fails(staff, shop, commit, receiver):
    stub = receiver((301, ""))
    endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == ("failed", 301)
    assert "redirects are not followed" in delivery.error_text


def test_it_gives_up_after_the_maximum_attempts(staff, shop, commit, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    stub = receiver((503, "down"))
    endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    scheduler()
    scheduler()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.error_text == "gave up after 3 attempts: the endpoint answered HTTP 503"
    scheduler()
    assert len(stub.requests) == 3


def test_retries_back_off_for_about_a_day(staff, shop, commit, receiver, settings):
    from config import settings as project

    settings.WEBHOOK_RETRY_DELAYS = project.WEBHOOK_RETRY_DELAYS
    settings.WEBHOOK_MAX_ATTEMPTS = project.WEBHOOK_MAX_ATTEMPTS
    delays = [services.retry_delay(n) for n in range(1, project.WEBHOOK_MAX_ATTEMPTS)]
    assert delays == sorted(delays) and delays[0] == 60
    assert 20 * 3600 <= sum(delays) <= 28 * 3600

    stub = receiver((500, "oops"))
    endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    retry = Schedule.objects.get(func=RETRY_TASK)
    assert retry.next_run == delivery.next_attempt_at
    assert 59 <= (retry.next_run - delivery.last_attempt_at).total_seconds() <= 61

    scheduler()  # not due yet
    assert deliver_webhook(delivery.pk) is None  # a stray early run does nothing either
    assert len(stub.requests) == 1


# --- at most once ----------------------------------------------------------------------------


def test_running_the_task_again_posts_nothing_more(staff, shop, commit, receiver):
    stub = receiver((200, "ok"))
    endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    assert deliver_webhook(delivery.pk) is None
    assert deliver_webhook(delivery.pk) is None
    assert len(stub.requests) == 1


def test_a_claimed_row_is_left_to_its_worker(staff, shop, receiver):
    stub = receiver((200, "ok"))
    endpoint(shop, url=stub.url())
    order = place(by=staff, storefront=shop)  # no commit hooks: queued, not yet sent
    delivery = Delivery.objects.get(order=order)
    Delivery.objects.filter(pk=delivery.pk).update(locked_until=timezone.now() + timezone.timedelta(seconds=60))
    assert services.deliver(delivery.pk) is None
    assert stub.requests == []


# --- failing endpoints -----------------------------------------------------------------------


def test_an_endpoint_that_keeps_failing_is_disabled_and_staff_are_told_once(
    staff, shop, commit, receiver, settings
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    stub = receiver((404, "not here"))
    hook = endpoint(shop, url=stub.url())

    for n in range(1, 3):
        created(staff, shop, commit, external_id=f"TN-{n}")
    hook.refresh_from_db()
    assert (hook.active, hook.consecutive_failures, hook.disabled_at) == (True, 2, None)
    assert webhook_emails() == []

    created(staff, shop, commit, external_id="TN-3")
    hook.refresh_from_db()
    assert (hook.active, hook.consecutive_failures) == (False, 3)
    assert hook.disabled_at is not None
    assert hook.disabled_reason == (
        "Disabled after 3 failed deliveries in a row; the last one: the endpoint answered HTTP 404"
    )
    [email] = webhook_emails()
    assert email.to == ["staff@example.com"]
    assert hook.url in email.subject
    assert "Tienda Palermo" in email.body and f"/admin/webhooks/endpoint/{hook.pk}/change/" in email.body

    with commit():
        place(by=staff, storefront=shop, external_id="TN-4")
    assert len(stub.requests) == 3  # nothing is sent to a disabled endpoint
    assert len(webhook_emails()) == 1


def test_a_queued_delivery_of_a_disabled_endpoint_is_not_sent_nor_counted(staff, shop, receiver):
    stub = receiver((200, "ok"))
    hook = endpoint(shop, url=stub.url())
    order = place(by=staff, storefront=shop)
    Endpoint.objects.filter(pk=hook.pk).update(active=False, disabled_at=timezone.now())

    delivery = Delivery.objects.get(order=order)
    assert services.deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.error_text == "not sent: the endpoint is disabled"
    assert stub.requests == []
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0


def test_a_success_sets_the_failure_count_back_to_zero(staff, shop, commit, receiver):
    receiver_stub = receiver((400, "bad"), (400, "bad"), (200, "ok"))
    hook = endpoint(shop, url=receiver_stub.url())
    created(staff, shop, commit, external_id="TN-1")
    created(staff, shop, commit, external_id="TN-2")
    hook.refresh_from_db()
    assert hook.consecutive_failures == 2
    created(staff, shop, commit, external_id="TN-3")
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0


def test_enabling_an_endpoint_again_starts_its_count_over(shop):
    hook = endpoint(shop, active=False)
    Endpoint.objects.filter(pk=hook.pk).update(consecutive_failures=15, disabled_at=timezone.now(),
                                               disabled_reason="Disabled after 15 failed deliveries")
    services.enable(hook)
    assert (hook.active, hook.consecutive_failures, hook.disabled_at, hook.disabled_reason) == (True, 0, None, "")


def test_a_public_name_pointing_at_a_private_address_at_delivery_is_refused(staff, shop, commit, settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False  # production
    endpoint(shop, url="https://hooks.example.com/orders")  # public when saved
    asked = []

    def resolver(host, port):  # the name now points inside (DNS changed since it was saved)
        asked.append((host, port))
        return ["10.0.0.7"]

    with safehttp.use_resolver(resolver):
        delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    assert asked == [("hooks.example.com", 443)]
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, None)
    assert delivery.error_text == "the endpoint's host resolves to a private address (10.0.0.7)"
    assert not Schedule.objects.filter(func=RETRY_TASK).exists()


def test_the_delivery_connects_to_the_address_it_vetted_not_a_second_resolution(staff, shop, commit, receiver):
    stub = receiver((200, "ok"))
    port = stub.server.server_address[1]
    endpoint(shop, url=f"http://hooks.example.test:{port}/orders")
    answers = iter([["127.0.0.1"]])  # a second question would get another address (or nothing at all)

    with safehttp.use_resolver(lambda host, port: next(answers, ["192.0.2.1"])):
        delivery = created(staff, shop, commit)
    delivery.refresh_from_db()

    assert delivery.status == "delivered"
    assert next(answers, None) is None  # asked once
    assert len(stub.requests) == 1
    assert stub.requests[0]["headers"]["host"] == f"hooks.example.test:{port}"


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_to_another_address_is_not_followed(staff, shop, commit, receiver, status):
    stub = receiver((status, "", {"Location": "/hooks/elsewhere"}), (200, "ok"))
    endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    assert [request["path"] for request in stub.requests] == ["/hooks/orders"]
    assert (delivery.status, delivery.response_status) == ("failed", status)
    assert "redirects are not followed" in delivery.error_text


def test_a_port_other_than_443_is_refused_when_saved_in_production(shop, settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    hook = Endpoint(storefront=shop, url="https://hooks.example.com:6379/orders", events=["order.created"])
    with pytest.raises(ValidationError) as error:
        hook.full_clean()
    assert error.value.error_dict["url"][0].code == "port"
    hook.url = "https://hooks.example.com:443/orders"
    hook.full_clean()


def test_a_port_other_than_443_saved_earlier_is_refused_at_delivery(staff, shop, commit, receiver, settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    endpoint(shop, url="https://hooks.example.com:8443/orders")
    with safehttp.use_resolver(lambda host, port: ["93.184.215.14"]):
        delivery = created(staff, shop, commit)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.error_text == "not sent, the address is not allowed: the port 8443 is not allowed (only 443 for https)"


# --- redelivery ------------------------------------------------------------------------------


def test_redeliver_sends_the_same_event_again(staff, shop, commit, receiver, django_capture_on_commit_callbacks):
    stub = receiver((400, "fix me"), (200, "ok"))
    hook = endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    assert Delivery.objects.get(pk=delivery.pk).status == "failed"

    with django_capture_on_commit_callbacks(execute=True):
        result = services.redeliver([delivery.pk])

    assert result.queued == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    first, second = stub.requests
    assert second["headers"]["x-webhook-id"] == first["headers"]["x-webhook-id"] == str(delivery.event_id)
    assert second["body"] == first["body"]
    verify_signature(second["headers"]["x-webhook-signature"], second["body"], hook.secret)
    assert list(Attempt.objects.filter(delivery=delivery).values_list("response_status", flat=True)) == [400, 200]
    assert Delivery.objects.count() == 1  # the same delivery, not a new event


def test_redeliver_leaves_deliveries_of_a_disabled_endpoint_alone(staff, shop, commit, receiver):
    stub = receiver((400, "no"))
    hook = endpoint(shop, url=stub.url())
    delivery = created(staff, shop, commit)
    Endpoint.objects.filter(pk=hook.pk).update(active=False, disabled_at=timezone.now())

    result = services.redeliver([delivery.pk])

    assert (result.queued, result.endpoint_off) == (0, 1)
    assert Delivery.objects.get(pk=delivery.pk).status == "failed"


# --- sweep and purge -------------------------------------------------------------------------


def test_the_sweep_sends_a_delivery_whose_enqueue_was_lost(staff, shop, receiver, settings):
    stub = receiver((200, "ok"))
    endpoint(shop, url=stub.url())
    order = place(by=staff, storefront=shop)  # the on-commit enqueue never ran (a process died)
    delivery = Delivery.objects.get(order=order)

    assert services.requeue_stale() == 0  # not overdue yet
    overdue = timezone.now() - timezone.timedelta(seconds=settings.WEBHOOK_REQUEUE_AFTER_SECONDS + 1)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=overdue, created_at=overdue)
    assert services.requeue_stale() == 1

    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert len(stub.requests) == 1


def test_a_body_the_commit_never_built_is_built_by_the_first_claim_the_same_for_every_endpoint_and_attempt(
    staff, shop, receiver
):
    flaky = receiver((500, "oops"), (200, "ok"))
    steady = receiver((200, "ok"))
    endpoint(shop, url=flaky.url())
    endpoint(shop, url=steady.url())
    order = place(by=staff, storefront=shop)  # the process died after the commit: no body, no task
    rows = list(Delivery.objects.filter(order=order).order_by("pk"))
    assert [row.body for row in rows] == ["", ""]  # the rows are there all the same: nothing is lost

    for row in rows:
        services.deliver(row.pk)  # what the sweep's tasks do
    scheduler()  # the flaky endpoint's retry

    bodies = {request["body"] for request in flaky.requests + steady.requests}
    assert len(flaky.requests) == 2 and len(steady.requests) == 1
    assert len(bodies) == 1  # one event: the same bytes to every endpoint, on every attempt
    [body] = bodies
    assert set(Delivery.objects.filter(order=order).values_list("body", flat=True)) == {body.decode()}
    data = json.loads(body)
    assert data["id"] == str(rows[0].event_id) and data["data"]["order"]["number"] == order.number
    assert set(Delivery.objects.filter(order=order).values_list("status", flat=True)) == {"delivered"}


def test_a_delivery_whose_order_was_deleted_before_its_body_was_built_fails_without_posting(
    staff, shop, receiver
):
    stub = receiver((200, "ok"))
    hook = endpoint(shop, url=stub.url())
    order = place(by=staff, storefront=shop)  # the process died after the commit
    delivery = Delivery.objects.get(order=order)
    order.delete()

    assert services.deliver(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert delivery.error_text == "not sent: the order was deleted before the event's body was built"
    assert stub.requests == []
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0  # the endpoint did nothing wrong


def test_the_purge_deletes_old_finished_deliveries_and_their_attempts(staff, shop, commit, receiver, settings):
    stub = receiver((200, "ok"))
    endpoint(shop, url=stub.url())
    old = created(staff, shop, commit, external_id="TN-1")
    recent = created(staff, shop, commit, external_id="TN-2")
    stuck = Delivery.objects.create(endpoint=old.endpoint, event_type="order.paid", body="{}")
    long_ago = timezone.now() - timezone.timedelta(days=settings.WEBHOOK_RETENTION_DAYS + 1)
    Delivery.objects.filter(pk__in=[old.pk, stuck.pk]).update(created_at=long_ago)

    assert services.purge_deliveries() == 1

    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, stuck.pk}
    assert not Attempt.objects.filter(delivery_id=old.pk).exists()
