"""Resending from the notification log: a new row linked to the first, rendered and addressed afresh,
sent by the outbox; an SMS asks to confirm its credits; one at a time or as a list action."""
import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from notifications.models import MessageTemplate, Notification
from orders.models import Order
from tests.factories import UserFactory

from .helpers import pay, place, ship

pytestmark = pytest.mark.django_db

LOG = "/admin/notifications/notification/"


def resend_url(row):
    return f"{LOG}{row.pk}/resend/"


def sent_email(staff, commit):
    with commit():
        order = place(by=staff, language="es")
    row = Notification.objects.get(order=order, milestone="order_placed", channel="email")
    assert row.status == "sent"
    return order, row


def test_the_rows_button_resends_it_rendered_and_addressed_afresh(staff_client, staff, commit):
    order, first = sent_email(staff, commit)
    template = MessageTemplate.objects.get(milestone="order_placed", channel="email", language="es")
    template.subject = "Tu pedido {{ order_number }}, otra vez"
    template.save()
    Order.objects.filter(pk=order.pk).update(customer_email="maria.nueva@example.com")
    mail.outbox = []

    page = staff_client.get(f"{LOG}{first.pk}/change/").content.decode()
    assert resend_url(first) in page and ">Resend<" in page
    with commit():
        response = staff_client.post(resend_url(first))

    again = Notification.objects.get(resent_from=first)
    assert response.status_code == 302 and response.url == f"{LOG}{again.pk}/change/"
    assert (again.status, again.recipient, again.subject) == (
        "sent", "maria.nueva@example.com", f"Tu pedido {order.number}, otra vez"
    )
    assert [m.to for m in mail.outbox] == [["maria.nueva@example.com"]]
    first.refresh_from_db()
    assert (first.status, first.recipient) == ("sent", "maria@example.com")  # the first row is history
    page = staff_client.get(f"{LOG}{again.pk}/change/").content.decode()
    assert f"{LOG}{first.pk}/change/" in page  # "resent from"
    assert f"{LOG}{again.pk}/change/" in staff_client.get(f"{LOG}{first.pk}/change/").content.decode()


def test_a_skipped_message_can_be_resent(staff_client, staff, commit):
    with commit():
        order = place(by=staff, notify_customer=False)
    skipped = Notification.objects.get(order=order, milestone="order_placed", channel="email")
    assert skipped.status == "skipped"
    mail.outbox = []
    with commit():
        staff_client.post(resend_url(skipped))
    assert Notification.objects.get(resent_from=skipped).status == "sent"
    assert [m.to for m in mail.outbox] == [["maria@example.com"]]


def test_an_sms_asks_to_confirm_the_credits_it_costs(staff_client, staff, commit, credits, sms_outbox):
    order = pay(place(by=staff), by=staff)
    from orders import services

    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    with commit():
        ship(order, by=staff)
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    assert sms.status == "sent"
    sms_outbox.clear()
    before = credits()

    page = staff_client.get(f"{LOG}{sms.pk}/change/").content.decode()
    assert "Resend… (costs SMS credits)" in page
    response = staff_client.post(resend_url(sms))
    assert response.status_code == 200
    html = response.content.decode()
    assert "It costs 1 SMS credit." in html and 'name="confirm_sms"' in html
    assert not Notification.objects.filter(resent_from=sms).exists() and credits() == before

    with commit():
        response = staff_client.post(resend_url(sms), {"confirm_sms": "yes"})
    assert response.status_code == 302
    assert Notification.objects.get(resent_from=sms).status == "sent"
    assert len(sms_outbox) == 1 and credits() == before - 1


def test_the_list_action_confirms_sms_then_resends_the_selection(staff_client, staff, commit, credits, sms_outbox):
    order = pay(place(by=staff), by=staff)
    from orders import services

    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    with commit():
        ship(order, by=staff)
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    email = Notification.objects.get(order=order, milestone="shipped", channel="email")
    selection = {"action": "resend", "_selected_action": [sms.pk, email.pk]}

    response = staff_client.post(LOG, selection)
    assert response.status_code == 200 and "It costs 1 SMS credit." in response.content.decode()
    assert not Notification.objects.filter(resent_from__isnull=False).exists()

    with commit():
        response = staff_client.post(LOG, {**selection, "confirm_sms": "yes"})
    assert response.status_code == 302
    assert set(Notification.objects.filter(resent_from__isnull=False).values_list("resent_from", flat=True)) == {
        sms.pk, email.pk
    }


def test_only_staff_with_the_permission_resend(client, staff, commit):
    _order, row = sent_email(staff, commit)
    reader = UserFactory(username="lectora", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(reader)
    page = client.get(f"{LOG}{row.pk}/change/").content.decode()
    assert resend_url(row) not in page
    assert client.post(resend_url(row)).status_code == 403
    assert 'value="resend"' not in client.get(LOG).content.decode()

    reader.user_permissions.add(Permission.objects.get(codename="resend_notification"))
    with commit():
        assert client.post(resend_url(row)).status_code == 302
    assert Notification.objects.filter(resent_from=row).count() == 1


def test_the_resend_page_is_in_spanish_for_spanish_staff(staff_client, staff, commit, credits):
    order = pay(place(by=staff), by=staff)
    from orders import services

    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    with commit():
        ship(order, by=staff)
    sms = Notification.objects.get(order=order, milestone="shipped", channel="sms")
    html = staff_client.post(resend_url(sms), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Cuesta 1 crédito de SMS." in html
