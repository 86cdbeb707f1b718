from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checkouts.models import Checkout
from tests.factories import OrderFactory, UserFactory, storefront

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/checkouts/checkout/"
RATE = "/admin/checkouts/checkout/recovery-rate/"


def add(shop, external_id, **fields):
    fields.setdefault("resume_url", "https://shop.example.com/r")
    fields.setdefault("currency", "ARS")
    fields.setdefault("customer_name", "María Pérez")
    fields.setdefault("customer_email", f"{external_id.lower()}@example.com")
    return Checkout.objects.create(storefront=shop, external_id=external_id, **fields)


@pytest.fixture
def shop():
    return storefront("Tienda Palermo")


@pytest.fixture
def viewer(client):
    user = UserFactory(username="analyst")
    user.user_permissions.add(Permission.objects.get(codename="view_checkout"))
    client.force_login(user)
    return client


def test_the_list_shows_checkouts_with_a_link_to_the_recovering_order(staff_client, shop):
    order = OrderFactory(storefront=shop, external_checkout_id="CHK-1")
    add(shop, "CHK-1", status="recovered", order=order, recovered_at=timezone.now())
    add(shop, "CHK-2")

    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert "CHK-1" in content and "CHK-2" in content
    assert reverse("admin:orders_order_change", args=[order.pk]) in content
    assert RATE in content  # the recovery rate is one click away


@pytest.mark.parametrize("status", ["open", "reminded", "recovered", "expired"])
def test_the_list_filters_by_status(staff_client, shop, status):
    for code in ["open", "reminded", "recovered", "expired"]:
        add(shop, f"ID-{code.upper()}", status=code)

    response = staff_client.get(CHANGELIST, {"status__exact": status})

    assert [c.external_id for c in response.context["cl"].result_list] == [f"ID-{status.upper()}"]


def test_the_list_filters_by_storefront_and_searches_id_email_and_name(staff_client, shop):
    other = storefront("Tienda Recoleta")
    add(shop, "PAL-1", customer_name="Juana Gómez", customer_email="juana@example.com")
    add(other, "REC-1", customer_name="Pedro Díaz", customer_email="pedro@example.com")

    def shown(params):
        return sorted(c.external_id for c in staff_client.get(CHANGELIST, params).context["cl"].result_list)

    assert shown({"storefront__id__exact": other.pk}) == ["REC-1"]
    assert shown({"q": "PAL-1"}) == ["PAL-1"]
    assert shown({"q": "pedro@example.com"}) == ["REC-1"]
    assert shown({"q": "Juana"}) == ["PAL-1"]


def test_the_list_costs_the_same_queries_for_few_and_many_checkouts(staff_client, shop):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(CHANGELIST).status_code == 200
        return len(captured)

    add(shop, "FEW-1", order=OrderFactory(storefront=shop))
    few = queries()
    for number in range(30):
        add(shop, f"MANY-{number}", order=OrderFactory(storefront=shop) if number % 2 else None)

    assert queries() == few


def test_a_checkout_page_is_read_only(staff_client, shop):
    checkout = add(shop, "CHK-1", lines=[{"sku": "REM-001", "name": "Remera", "quantity": 2, "unit_price": "5000.00"}])

    response = staff_client.get(reverse("admin:checkouts_checkout_change", args=[checkout.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Remera" in content and "https://shop.example.com/r" in content
    assert 'name="_save"' not in content
    assert staff_client.post(reverse("admin:checkouts_checkout_change", args=[checkout.pk]), {}).status_code == 403
    assert staff_client.get(reverse("admin:checkouts_checkout_add")).status_code == 403


def test_the_recovery_rate_page_shows_the_weeks(staff_client, shop):
    add(shop, "C-1", status="recovered", reminded_at=timezone.now(), recovered_at=timezone.now())
    add(shop, "C-2", status="reminded", reminded_at=timezone.now())

    response = staff_client.get(RATE, {"weeks": 4})

    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 4
    assert (rows[0].started, rows[0].reminded, rows[0].recovered_after_reminder) == (2, 2, 1)
    assert "50.0 %" in response.content.decode()


def test_the_recovery_rate_page_costs_the_same_queries_for_few_and_many_checkouts(staff_client, shop):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(RATE).status_code == 200
        return len(captured)

    add(shop, "FEW-1")
    few = queries()
    now = timezone.now()
    for number in range(40):
        add(shop, f"MANY-{number}", created_at=now - timedelta(days=number * 2), status="recovered")

    assert queries() == few


def test_staff_who_may_view_checkouts_see_both_pages(viewer, shop):
    add(shop, "CHK-1")

    assert viewer.get(CHANGELIST).status_code == 200
    assert viewer.get(RATE).status_code == 200


def test_staff_without_the_permission_are_refused(client, shop):
    client.force_login(UserFactory(username="dispatcher"))

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(RATE).status_code == 403


def test_the_pages_render_in_spanish(staff_client, shop):
    add(shop, "CHK-1")

    response = staff_client.get(RATE, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert "Tasa de recupero" in response.content.decode()
