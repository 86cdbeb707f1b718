"""The staff's screens: purchase experience, notification log, message templates, new-order notice."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import MessageTemplate, MilestoneSetting, Notification, PurchaseExperienceChange
from orders import services
from tests.factories import UserFactory, storefront

from .helpers import pay, place, ship

pytestmark = pytest.mark.django_db

PAGE = "/admin/notifications/milestonesetting/"
LOG = "/admin/notifications/notification/"


def form_from_settings():
    """The purchase experience form as the page would post it unchanged."""
    data = {}
    for setting in MilestoneSetting.objects.all():
        for channel in ("email", "sms", "push", "whatsapp"):
            if getattr(setting, channel):
                data[f"{setting.milestone}.{channel}"] = "on"
        data[f"{setting.milestone}.fallback"] = setting.fallback_channel
    return data


def test_the_purchase_experience_page_shows_a_switch_per_milestone_and_channel(staff_client):
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'name="shipped.sms"\s+aria-label="Shipped · SMS"\s+checked', html)
    assert not re.search(r'name="preparing.sms"\s+aria-label="Preparing · SMS"\s+checked', html)
    assert 'name="preparing.sms"' in html and 'name="shipped.fallback"' in html
    assert 'name="new_order.sms"' not in html  # the staff's email has no SMS or push


def test_saving_the_page_changes_the_switches_and_logs_who_changed_what(staff_client, admin_user):
    data = form_from_settings()
    del data["shipped.sms"]
    data["finalized.email"] = "on"
    data["preparing.fallback"] = "sms"
    response = staff_client.post(PAGE, data)
    assert response.status_code == 302

    shipped = MilestoneSetting.objects.get(milestone="shipped")
    assert (shipped.email, shipped.sms, shipped.push) == (True, False, True)
    assert MilestoneSetting.objects.get(milestone="finalized").email is True
    assert MilestoneSetting.objects.get(milestone="preparing").fallback_channel == "sms"
    changes = {(c.setting, c.old_value, c.new_value, c.changed_by) for c in PurchaseExperienceChange.objects.all()}
    assert changes == {
        ("Shipped · SMS", "on", "off", admin_user),
        ("Finalized · Email", "off", "on", admin_user),
        ("Preparing · fallback channel", "off", "SMS", admin_user),
    }
    page = staff_client.get(PAGE).content.decode()
    assert "Finalized · Email" in page and "boss" in page  # the recent changes table

    staff_client.post(PAGE, form_from_settings())  # saving again changes nothing
    assert PurchaseExperienceChange.objects.count() == 3


def test_the_page_sets_which_emails_a_storefront_platform_already_sends(staff_client, admin_user):
    shop = storefront(name="Tienda Nube Norte")
    data = form_from_settings()
    data[f"storefront.{shop.pk}.payment_approved"] = "on"
    data[f"storefront.{shop.pk}.shipped"] = "on"
    staff_client.post(PAGE, data)
    shop.refresh_from_db()
    assert shop.emails_sent_by_platform == ["payment_approved", "shipped"]
    change = PurchaseExperienceChange.objects.get()
    assert (change.setting, change.new_value) == (
        "Emails Tienda Nube Norte's platform sends", "payment_approved, shipped"
    )


def test_staff_who_may_only_view_cannot_change_the_switches(client):
    viewer = UserFactory(username="mirada")
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_milestonesetting"))
    client.force_login(viewer)
    assert client.get(PAGE).status_code == 200
    assert client.post(PAGE, {}).status_code == 403
    assert MilestoneSetting.objects.get(milestone="shipped").sms is True


def test_the_page_refuses_a_fallback_channel_the_milestone_cannot_use_and_saves_nothing(staff_client):
    data = form_from_settings()
    data["shipped.fallback"] = "fax"
    data["finalized.email"] = "on"
    data["new_order.sms"] = "on"  # the staff's email has no SMS switch: never read
    response = staff_client.post(PAGE, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["shipped.fallback"] == ["Select a valid choice. fax is not one of the available choices."]
    assert "Select a valid choice" in response.content.decode()
    assert MilestoneSetting.objects.get(milestone="finalized").email is False
    assert not PurchaseExperienceChange.objects.exists()

    del data["shipped.fallback"]
    assert staff_client.post(PAGE, data).status_code == 302
    assert MilestoneSetting.objects.get(milestone="finalized").email is True
    assert not MilestoneSetting.objects.get(milestone="new_order").sms
    assert [c.setting for c in PurchaseExperienceChange.objects.all()] == ["Finalized · Email"]


def test_staff_who_may_only_view_see_the_switches_disabled(client):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="mirada")
    viewer.user_permissions.add(Permission.objects.get(codename="view_milestonesetting"))
    client.force_login(viewer)
    html = client.get(PAGE).content.decode()
    [switch] = re.findall(r'<input[^>]*name="shipped.sms"[^>]*>', html)
    assert "disabled" in switch and "checked" in switch
    assert 'value="Save"' not in html


def test_the_log_is_read_only_filtered_and_searchable(staff_client, staff):
    order = place(by=staff)
    other = place(by=staff, email="juan@example.com")
    row = Notification.objects.get(order=order, milestone="order_placed")

    response = staff_client.get(LOG, {"q": order.number})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == list(Notification.objects.filter(order=order))
    found = staff_client.get(LOG, {"q": "juan@example.com"}).context["cl"].result_list
    assert [n.order_id for n in found] == [other.pk]
    filtered = staff_client.get(LOG, {"milestone": "new_order", "channel": "email", "status": "queued"})
    assert {n.milestone for n in filtered.context["cl"].result_list} == {"new_order"}

    assert staff_client.get(f"{LOG}add/").status_code == 403
    detail = staff_client.get(f"{LOG}{row.pk}/change/")
    assert detail.status_code == 200 and b'name="status"' not in detail.content  # shown, not editable
    assert staff_client.post(f"{LOG}{row.pk}/delete/").status_code == 403


def test_the_resend_action_resends_failed_and_sent_rows_as_new_rows(staff_client, staff, commit):
    order = place(by=staff)
    failed = Notification.objects.get(order=order, milestone="order_placed")
    Notification.objects.filter(pk=failed.pk).update(status="failed", reason_code="provider_error", reason_detail="HTTP 500", attempts=5)
    sent = Notification.objects.get(order=order, milestone="new_order")
    Notification.objects.filter(pk=sent.pk).update(status="sent")

    with commit():
        response = staff_client.post(LOG, {"action": "resend", "_selected_action": [failed.pk, sent.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.reason) == ("failed", 5, "HTTP 500")  # the first row stays
    again = {row.resent_from_id: row for row in Notification.objects.filter(resent_from__isnull=False)}
    assert set(again) == {failed.pk, sent.pk}
    assert {row.status for row in again.values()} == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == ["maria@example.com", "orders@example.com"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 notifications resent: a new row each in the log, sent again."]


def test_the_template_editor_rejects_template_errors_and_unknown_fields(staff_client):
    template = MessageTemplate.objects.get(milestone="shipped", channel="sms", language="es")
    url = f"/admin/notifications/messagetemplate/{template.pk}/change/"
    response = staff_client.post(url, {"subject": "", "body": "Hola {{ order.customer_email }}", "gsm7_friendly": "on"})
    assert response.status_code == 200
    assert "Unknown field(s): order." in response.content.decode()
    response = staff_client.post(url, {"subject": "", "body": "Hola {% if %}"})
    assert "This text has a template error" in response.content.decode()
    response = staff_client.post(url, {"subject": "", "body": "Tu pedido salió: {{ tracking_link }}"})
    assert "This message must always carry {{ tracking_code }}." in response.content.decode()
    template.refresh_from_db()
    assert "{{ tracking_link }}" in template.body


def test_an_edited_template_is_what_the_customer_receives(staff_client, staff, commit):
    template = MessageTemplate.objects.get(milestone="order_placed", channel="email", language="es")
    url = f"/admin/notifications/messagetemplate/{template.pk}/change/"
    response = staff_client.post(url, {
        "subject": "¡Gracias, {{ customer_first_name }}! Pedido {{ order_number }}",
        "body": "Total: {{ total }}", "html_body": "<p>Total: <b>{{ total }}</b> {{ customer_first_name }}</p>",
    })
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.updated_by.username == "boss"

    with commit():
        order = place(by=staff, customer_name="Ana <b>Ruiz</b>")
    email = next(m for m in mail.outbox if m.to == ["maria@example.com"])
    assert email.subject == f"¡Gracias, Ana! Pedido {order.number}"
    total = order.format_money(order.total)
    assert total == "$11.500,00"
    assert email.body == f"Total: {total}"
    assert email.alternatives[0].content == f"<p>Total: <b>{total}</b> Ana</p>"


def test_the_preview_renders_with_a_real_order_and_shows_the_sms_cost(staff_client, staff):
    order = pay(place(by=staff), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    ship(order, by=staff)
    template = MessageTemplate.objects.get(milestone="shipped", channel="sms", language="es")
    url = reverse("admin:notifications_messagetemplate_preview", args=[template.pk])

    response = staff_client.get(url, {"order": order.number})
    assert response.status_code == 200
    assert response.context["rendered"].body.startswith(f"Tienda Demo: tu pedido {order.number} salio con")
    assert (response.context["cost"]["encoding"], response.context["cost"]["segments"]) == ("gsm7", 1)
    assert "GSM7" in response.content.decode()

    template.body = "{{ store_name }}: " + "¿Dónde está tu pedido? Aquí: {{ tracking_link }} " * 4
    template.gsm7_friendly = False
    template.save()
    response = staff_client.get(url, {"order": order.number})
    cost = response.context["cost"]
    assert cost["encoding"] == "ucs2" and cost["segments"] > 3
    html = response.content.decode()
    assert f"This SMS takes {cost['segments']} segments, more than 3" in html
    assert "or turning on “GSM-7 friendly”" in html


@pytest.mark.parametrize("milestone", ["shipped", "checkout_recovery"])
@pytest.mark.parametrize("query", ["²", "9" * 30])
def test_the_preview_of_an_odd_number_finds_nothing_rather_than_failing(staff_client, milestone, query):
    template = MessageTemplate.objects.get(milestone=milestone, channel="email", language="es")
    url = reverse("admin:notifications_messagetemplate_preview", args=[template.pk])

    # "²" passes str.isdigit() but int() refuses it; 30 nines are no database id.
    response = staff_client.get(url, {"order": query})
    assert response.status_code == 200
    assert response.context["subject"] is None


def test_the_admin_index_shows_new_orders_until_marked_as_seen(staff_client, staff):
    order = place(by=staff)
    page = staff_client.get("/admin/").content.decode()
    assert "1 new order" in page and order.number in page

    response = staff_client.post(reverse("notifications:new_orders_seen"), {"until": order.created_at.isoformat()})
    assert response.status_code == 302
    page = staff_client.get("/admin/").content.decode()
    assert order.number not in page and "No new orders since you last looked." in page

    newer = place(by=staff)
    assert newer.number in staff_client.get("/admin/").content.decode()
