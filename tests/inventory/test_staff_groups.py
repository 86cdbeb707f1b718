"""The staff groups reach the stock: order managers keep the counts, dispatch reads them."""
import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_order_managers_keep_the_stock_counts_and_import_them(client):
    client.force_login(UserFactory(username="encargada", groups=["Order managers"]))

    assert client.get(reverse("admin:inventory_stockitem_changelist")).status_code == 200
    assert client.get(reverse("admin:inventory_stockitem_add")).status_code == 200
    assert client.get(reverse("admin:inventory_stockmovement_changelist")).status_code == 200


def test_dispatch_reads_the_stock_but_cannot_change_it(client):
    client.force_login(UserFactory(username="deposito", groups=["Dispatch"]))

    assert client.get(reverse("admin:inventory_stockitem_changelist")).status_code == 200
    assert client.get(reverse("admin:inventory_stockitem_add")).status_code == 403
