"""Order managers see the abandoned checkouts; dispatch does not."""
import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_order_managers_see_the_abandoned_checkouts(client):
    client.force_login(UserFactory(username="encargada", groups=["Order managers"]))

    assert client.get(reverse("admin:checkouts_checkout_changelist")).status_code == 200


def test_dispatch_does_not_see_the_abandoned_checkouts(client):
    client.force_login(UserFactory(username="deposito", groups=["Dispatch"]))

    assert client.get(reverse("admin:checkouts_checkout_changelist")).status_code == 403
