"""The admin: endpoints with their recent deliveries, the secret, enabling again, redelivery."""
import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from tests.factories import UserFactory
from webhooks.models import Delivery, Endpoint

from .helpers import endpoint, place

pytestmark = pytest.mark.django_db


def change_url(hook):
    return f"/admin/webhooks/endpoint/{hook.pk}/change/"


@pytest.fixture
def failed_delivery(staff, shop, django_capture_on_commit_callbacks, receiver):
    stub = receiver((404, "no such hook"), (200, "ok"))
    hook = endpoint(shop, url=stub.url())
    with django_capture_on_commit_callbacks(execute=True):
        order = place(by=staff, storefront=shop)
    delivery = Delivery.objects.get(order=order)
    assert delivery.status == "failed"
    delivery.stub = stub
    delivery.hook = hook
    return delivery


def test_the_endpoint_page_shows_its_recent_deliveries_with_a_redeliver_button(staff_client, failed_delivery):
    response = staff_client.get(change_url(failed_delivery.hook))

    html = response.content.decode()
    assert response.status_code == 200
    assert "order.created" in html and str(failed_delivery.event_id) in html
    assert "<td>404</td>" in html and " ms</td>" in html
    assert "Failed" in html
    assert f'form="webhook-redeliver" name="delivery" value="{failed_delivery.pk}"' in html
    form_action = f'action="/admin/webhooks/endpoint/{failed_delivery.hook.pk}/redeliver/"'
    assert f'id="webhook-redeliver" method="post" {form_action}' in html
    assert failed_delivery.hook.secret not in html  # only its start, until revealed


def test_redeliver_from_the_endpoint_page(staff_client, failed_delivery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/webhooks/endpoint/{failed_delivery.hook.pk}/redeliver/",
                                     {"delivery": [str(failed_delivery.pk)]})

    assert response.status_code == 302
    failed_delivery.refresh_from_db()
    assert (failed_delivery.status, failed_delivery.response_status) == ("delivered", 200)
    assert [r["headers"]["x-webhook-id"] for r in failed_delivery.stub.requests] == [str(failed_delivery.event_id)] * 2


def test_a_tampered_delivery_id_redelivers_nothing_instead_of_failing(staff_client, failed_delivery):
    # "²" passes str.isdigit() but is not a number the database takes.
    response = staff_client.post(f"/admin/webhooks/endpoint/{failed_delivery.hook.pk}/redeliver/",
                                 {"delivery": ["²", "１２"]})

    assert response.status_code == 302
    assert Delivery.objects.get(pk=failed_delivery.pk).status == "failed"


def test_the_delivery_page_has_a_redeliver_button_and_action(staff_client, failed_delivery,
                                                            django_capture_on_commit_callbacks):
    page = staff_client.get(f"/admin/webhooks/delivery/{failed_delivery.pk}/change/").content.decode()
    assert f'action="/admin/webhooks/delivery/{failed_delivery.pk}/redeliver/"' in page
    assert "no such hook" in page  # the receiver's answer

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/admin/webhooks/delivery/", {
            "action": "redeliver", "_selected_action": [str(failed_delivery.pk)],
        })
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == "delivered"


def test_redelivering_needs_the_permission(client, failed_delivery):
    viewer = UserFactory(username="mirona")
    viewer.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_endpoint", "change_endpoint", "view_delivery"]
    ))
    client.force_login(viewer)

    assert 'name="delivery"' not in client.get(change_url(failed_delivery.hook)).content.decode()
    response = client.post(f"/admin/webhooks/delivery/{failed_delivery.pk}/redeliver/")
    assert response.status_code == 403
    assert Delivery.objects.get(pk=failed_delivery.pk).status == "failed"


def test_a_disabled_endpoint_carries_a_warning_and_can_be_enabled_again(staff_client, shop):
    hook = endpoint(shop, active=False)
    Endpoint.objects.filter(pk=hook.pk).update(
        consecutive_failures=15, disabled_at=timezone.now(),
        disabled_reason="Disabled after 15 failed deliveries in a row; the last one: the endpoint answered HTTP 500",
    )

    page = staff_client.get(change_url(hook)).content.decode()
    assert "This endpoint was disabled on" in page and "the endpoint answered HTTP 500" in page
    assert "Enable again" in page
    assert "Disabled (kept failing)" in staff_client.get("/admin/webhooks/endpoint/").content.decode()

    assert staff_client.get(f"/admin/webhooks/endpoint/{hook.pk}/enable/").status_code == 405
    staff_client.post(f"/admin/webhooks/endpoint/{hook.pk}/enable/")
    hook.refresh_from_db()
    assert (hook.active, hook.consecutive_failures, hook.disabled_at) == (True, 0, None)


def test_the_secret_is_revealed_and_replaced_only_on_purpose(staff_client, shop):
    hook = endpoint(shop)
    url = f"/admin/webhooks/endpoint/{hook.pk}/secret/"
    assert staff_client.get(url).status_code == 405

    revealed = staff_client.post(url, {"action": "reveal"})
    assert hook.secret in revealed.content.decode()
    assert "no-cache" in revealed["Cache-Control"]

    replaced = staff_client.post(url, {"action": "rotate"})
    old = hook.secret
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret in replaced.content.decode()


def test_staff_register_an_endpoint_in_the_admin(staff_client, shop, settings):
    settings.WEBHOOK_ALLOW_LOCAL_URLS = False
    form = {"storefront": shop.pk, "url": "http://hooks.example.com/x", "description": "",
            "events": ["order.created", "order.shipped"], "active": "on"}

    refused = staff_client.post("/admin/webhooks/endpoint/add/", form)
    assert refused.status_code == 200
    assert "The address must start with https://." in refused.content.decode()

    response = staff_client.post("/admin/webhooks/endpoint/add/", {**form, "url": "https://hooks.example.com/x"})
    hook = Endpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(hook)
    assert (hook.storefront, hook.events) == (shop, ["order.created", "order.shipped"])
    assert hook.secret.startswith("whsec_")


@pytest.mark.parametrize("language, words", [
    ("es", ["Envíos recientes", "Reenviar", "Mostrar secreto", "Fallido", "Pedido cancelado"]),
    ("pt-BR", ["Envios recentes", "Reenviar", "Mostrar segredo", "Com falha", "Pedido cancelado"]),
])
def test_the_endpoint_page_speaks_the_staffs_language(staff_client, failed_delivery, language, words):
    html = staff_client.get(change_url(failed_delivery.hook), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in html
