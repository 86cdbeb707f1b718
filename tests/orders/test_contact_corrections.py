"""orders.services.update_contact and redact_customer: corrections of how to reach the customer."""
import pytest
from django.core.exceptions import ValidationError

from orders import services
from orders.models import OrderEvent, Status
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_a_correction_saves_the_changed_fields_and_notes_them(admin_user):
    order = OrderFactory()
    before = order.updated_at

    changed = services.update_contact(order, by=admin_user, changes={
        "customer_email": "nuevo@example.com", "customer_name": order.customer_name, "address": "Otra 1"},
        note="Updated on the platform")

    order.refresh_from_db()
    assert changed == ["customer_email", "address"]
    assert order.customer_email == "nuevo@example.com" and order.address == "Otra 1"
    assert order.updated_at > before
    event = order.events.get(kind=OrderEvent.Kind.NOTE)
    assert event.data == {"changed": ["customer_email", "address"]} and event.actor == admin_user


def test_nothing_changed_writes_nothing(admin_user):
    order = OrderFactory()
    assert services.update_contact(order, by=admin_user, changes={"city": order.city}) == []
    assert not order.events.exists()


def test_bad_values_save_nothing(admin_user):
    order = OrderFactory()
    with pytest.raises(ValidationError):
        services.update_contact(order, by=admin_user, changes={"customer_email": "not-an-email"})
    assert not order.events.exists()


def test_the_delivery_is_fixed_once_shipped_and_everything_once_closed(admin_user):
    shipped = OrderFactory(status=Status.SHIPPED)
    with pytest.raises(services.TransitionNotAllowed) as refused:
        services.update_contact(shipped, by=admin_user, changes={"address": "Otra 1"})
    assert refused.value.code == "delivery_fixed"
    assert services.update_contact(shipped, by=admin_user, changes={"customer_email": "a@example.com"})
    with pytest.raises(services.TransitionNotAllowed, match="keeps its details"):
        services.update_contact(OrderFactory(status=Status.CANCELLED), by=admin_user,
                                changes={"customer_email": "b@example.com"})


def test_redacting_erases_what_identifies_the_customer(admin_user):
    order = OrderFactory()
    services.redact_customer(order, by=admin_user, note="Erased at the customer's request")
    order.refresh_from_db()
    assert (order.customer_name, order.customer_email, str(order.customer_phone), order.address, order.city) == (
        "—", "", "", "", "")
    assert order.lines.exists() and order.total
