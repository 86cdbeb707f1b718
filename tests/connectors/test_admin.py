"""The connectors' admin pages: what came in and why, what went back, and the staff's actions."""
import pytest

from connectors.models import MethodRule, OrderLink, PlatformAccount, PlatformEvent
from orders.models import Order

from .conftest import TN_STORE, tiendanube_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(tn_account, stub, post_tiendanube):
    stub.tiendanube_orders["450789469"] = tiendanube_order(gateway="pagofacil")
    post_tiendanube({"store_id": int(TN_STORE), "event": "order/created", "id": 450789469})
    return PlatformEvent.objects.get()


def test_the_pages_render(held, staff_client):
    for url in ["/admin/connectors/", "/admin/connectors/platformevent/",
                "/admin/connectors/platformevent/?status__exact=held",
                f"/admin/connectors/platformevent/{held.pk}/change/", "/admin/connectors/orderlink/?attention=yes",
                "/admin/connectors/methodrule/", "/admin/connectors/platformaccount/", "/admin/connectors/writeback/",
                f"/admin/connectors/platformaccount/{held.account_id}/change/", "/admin/connectors/methodrule/add/"]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
    page = staff_client.get(f"/admin/connectors/platformevent/{held.pk}/change/").content.decode()
    assert "No payment method rule matches" in page and "450789469" in page


def test_connections_are_added_on_the_connect_page(staff_client):
    response = staff_client.get("/admin/connectors/platformaccount/add/")
    assert response.status_code == 302 and response["Location"] == "/admin/storefronts/storefront/connect/"


def test_the_token_is_never_shown(tn_account, staff_client):
    page = staff_client.get(f"/admin/connectors/platformaccount/{tn_account.pk}/change/").content.decode()
    assert "tn-access-token" not in page and "access token stored, encrypted" in page


def test_staff_try_a_held_event_again_and_mark_one_handled(held, stub, staff_client,
                                                          django_capture_on_commit_callbacks):
    stub.tiendanube_orders["450789469"]["gateway"] = "mercadopago"  # changed on the platform meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/admin/connectors/platformevent/", {"action": "try_again", "_selected_action": [held.pk]})
    held.refresh_from_db()
    assert held.status == "done" and Order.objects.get().payment_method == "online"

    other = PlatformEvent.objects.create(account=held.account, topic="order/updated", resource_id="1", status="held",
                                         message="x")
    staff_client.post("/admin/connectors/platformevent/", {"action": "mark_handled", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == "done" and "handled" in other.message


def test_editing_a_rule_in_the_list_retries_what_waited(held, stub, staff_client,
                                                        django_capture_on_commit_callbacks):
    rule = MethodRule.objects.get(platform="tiendanube", field="gateway", value="mercadopago")
    rules = list(MethodRule.objects.order_by("platform", "kind", "position", "id"))
    data = {"form-TOTAL_FORMS": len(rules), "form-INITIAL_FORMS": len(rules), "_save": "Save"}
    for index, item in enumerate(rules):
        data[f"form-{index}-id"] = item.pk
        data[f"form-{index}-position"] = item.position
        if item.active:
            data[f"form-{index}-active"] = "on"
    stub.tiendanube_orders["450789469"]["gateway"] = rule.value

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/connectors/methodrule/", data)

    assert response.status_code == 302
    assert Order.objects.filter(external_id="450789469").exists()
    assert OrderLink.objects.get().problem == ""


def test_the_index_says_nothing_when_all_is_well(tn_account, staff_client):
    assert "Connected stores need you" not in staff_client.get("/admin/").content.decode()
    PlatformAccount.objects.update(active=False)
    assert "Connected stores need you" in staff_client.get("/admin/").content.decode()


def test_order_managers_follow_the_platform_orders_and_dispatch_does_not(held, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="encargada", groups=["Order managers"]))
    assert client.get("/admin/connectors/platformevent/").status_code == 200
    assert client.get("/admin/connectors/methodrule/add/").status_code == 200
    assert "Connected stores need you" in client.get("/admin/").content.decode()
    assert client.get("/admin/storefronts/storefront/connect/").status_code == 403

    client.force_login(UserFactory(username="deposito", groups=["Dispatch"]))
    assert client.get("/admin/connectors/platformevent/").status_code == 403
