"""Staff set the WhatsApp templates from the shell and the admin, and see them as the customer reads them."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from notifications.models import WhatsAppTemplate
from tests.factories import SuperuserFactory

from .helpers import place, ship, pay

pytestmark = pytest.mark.django_db


def set_template(*args):
    out = io.StringIO()
    call_command("set_whatsapp_template", *args, stdout=out)
    return out.getvalue()


def test_the_command_sets_a_milestones_template_and_replaces_it():
    out = set_template("shipped", "es", "envio_en_camino", "--language-code", "es_AR",
                       "--param", "order_number", "--param", "tracking_link",
                       "--text", "Tu pedido {{1}} salió: {{2}}")
    assert "{{1}} = order_number" in out and "{{2}} = tracking_link" in out
    set_template("shipped", "es", "envio_v2", "--language-code", "es_AR", "--param", "order_number",
                 "--param", "tracking_link")
    template = WhatsAppTemplate.objects.get(milestone="shipped", language="es")
    assert (template.name, template.language_code, template.parameters) == (
        "envio_v2", "es_AR", ["order_number", "tracking_link"])
    assert template.text == "Tu pedido {{1}} salió: {{2}}"  # kept when not given again


def test_the_command_takes_portuguese_as_meta_and_django_write_it():
    set_template("shipped", "pt_BR", "pedido_enviado", "--language-code", "pt_BR", "--param", "order_number")
    assert WhatsAppTemplate.objects.get(milestone="shipped").language == "pt-br"


@pytest.mark.parametrize("args, message", [
    (("shipped_now", "es", "x", "--language-code", "es_AR"), "Unknown milestone “shipped_now”"),
    (("shipped", "es", "x", "--language-code", "es_AR", "--param", "tracking_url"), "Unknown field(s): tracking_url"),
    (("new_order", "es", "x", "--language-code", "es_AR"), "Unknown milestone “new_order”"),
    (("shipped", "fr", "x", "--language-code", "fr"), "Unknown language “fr”"),
    (("shipped", "es", "Envío", "--language-code", "es_AR"), "lower-case letters, digits and underscores"),
    (("shipped", "es", "x", "--language-code", "spanish"), "Meta's language code"),
    (("shipped", "es", "x", "--language-code", "es", "--param", "order_number", "--text", "{{1}} {{2}}"),
     "give one field for each of {{1}} to {{2}}"),
    (("rule:999", "es", "x", "--language-code", "es"), "No notification rule “999”"),
])
def test_the_command_refuses_what_meta_or_the_milestone_cannot_take(args, message):
    with pytest.raises(CommandError) as refused:
        set_template(*args)
    assert message in str(refused.value)
    assert not WhatsAppTemplate.objects.exists()


def test_the_admin_page_shows_the_message_as_the_customer_reads_it(client):
    from orders import services

    staff = SuperuserFactory()
    order = pay(place(by=staff, customer_name="Ana Gómez"), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    ship(order, by=staff)
    order.refresh_from_db()
    set_template("shipped", "es", "envio_en_camino", "--language-code", "es_AR", "--param", "customer_first_name",
                 "--param", "order_number", "--text", "Hola {{1}}, tu pedido {{2}} ya salió.")
    template = WhatsAppTemplate.objects.get()
    client.force_login(staff)

    page = client.get(reverse("admin:notifications_whatsapptemplate_change", args=[template.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Hola Ana, tu pedido {order.number} ya salió." in html
    assert "customer_first_name, order_number" in html  # the parameters, as staff edit them


def test_the_admin_form_saves_the_parameters_in_order(client):
    client.force_login(SuperuserFactory())
    response = client.post(reverse("admin:notifications_whatsapptemplate_add"), {
        "milestone": "ready_for_pickup", "language": "en", "name": "ready_for_pickup", "language_code": "en",
        "text": "Order {{1}} is ready at {{2}}", "parameters": "order_number, pickup_point",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert WhatsAppTemplate.objects.get().parameters == ["order_number", "pickup_point"]


def test_the_purchase_experience_page_turns_whatsapp_on_and_sets_it_as_a_fallback(client):
    from notifications.models import MilestoneSetting, PurchaseExperienceChange

    staff = SuperuserFactory()
    client.force_login(staff)
    page = client.get("/admin/notifications/milestonesetting/").content.decode()
    assert 'name="shipped.whatsapp"' in page and 'name="checkout_recovery.whatsapp"' not in page
    data = {}
    for setting in MilestoneSetting.objects.all():
        for channel in ("email", "sms", "push", "whatsapp"):
            if getattr(setting, channel):
                data[f"{setting.milestone}.{channel}"] = "on"
        data[f"{setting.milestone}.fallback"] = setting.fallback_channel
    data["shipped.whatsapp"] = "on"
    data["preparing.fallback"] = "whatsapp"
    assert client.post("/admin/notifications/milestonesetting/", data).status_code == 302
    assert MilestoneSetting.objects.get(milestone="shipped").whatsapp is True
    assert MilestoneSetting.objects.get(milestone="preparing").fallback_channel == "whatsapp"
    assert {c.setting for c in PurchaseExperienceChange.objects.all()} == {
        "Shipped · WhatsApp", "Preparing · fallback channel",
    }


def test_what_customers_receive_lists_whatsapp(client):
    from notifications.models import MilestoneSetting

    MilestoneSetting.objects.filter(milestone="shipped").update(whatsapp=True)
    client.force_login(SuperuserFactory())
    page = client.get(reverse("admin:notifications_notificationrule_overview")).content.decode()
    assert "WhatsApp" in page


def test_resending_a_whatsapp_message_first_shows_its_price(client, commit, settings):
    from billing import services as billing
    from billing.models import WhatsAppPrice
    from notifications.backends.whatsapp import locmem
    from notifications.models import MilestoneSetting, Notification
    from notifications.services import set_whatsapp_template
    from orders import services

    staff = SuperuserFactory()
    billing.top_up(amount=20, by=None, reference="test")
    WhatsAppPrice.objects.create(country="AR", credits=3)
    set_whatsapp_template(milestone="shipped", language="es", name="envio", language_code="es_AR",
                          parameters=["order_number"], text="Tu pedido {{1}} salió.")
    MilestoneSetting.objects.filter(milestone="shipped").update(whatsapp=True)
    order = pay(place(by=staff, whatsapp_opt_in_source="storefront"), by=staff)
    services.accept(order, by=staff)
    services.start_preparation(order, by=staff)
    with commit():
        ship(order, by=staff)
    row = Notification.objects.get(order=order, milestone="shipped", channel="whatsapp")
    locmem.outbox.clear()
    before = billing.balance().total
    client.force_login(staff)

    url = f"/admin/notifications/notification/{row.pk}/resend/"
    html = client.post(url).content.decode()
    assert "It costs 3 SMS credits." in html and "SMS and WhatsApp messages are paid with credits" in html
    assert not Notification.objects.filter(resent_from=row).exists()
    with commit():
        assert client.post(url, {"confirm_sms": "yes"}).status_code == 302
    assert Notification.objects.get(resent_from=row).status == "sent"
    assert len(locmem.outbox) == 1 and billing.balance().total == before - 3


def test_the_order_page_shows_the_customers_whatsapp_answer(client):
    from orders import services as order_services

    staff = SuperuserFactory()
    client.force_login(staff)
    order = place(by=staff)
    url = reverse("admin:orders_order_change", args=[order.pk])
    assert "No answer: no WhatsApp messages" in client.get(url).content.decode()

    order_services.set_whatsapp_opt_in(order, opt_in=True, source="storefront")
    assert "Opted in · Storefront checkout · " in client.get(url).content.decode()
    order_services.set_whatsapp_opt_in(order, opt_in=False, source="timeline")
    html = client.get(url).content.decode()
    assert "Opted out · Order timeline page · " in html
    assert "The customer opted out of WhatsApp updates (Order timeline page)." in html  # the order's timeline


def test_a_whatsapp_message_template_is_refused_there_and_a_staff_milestone_here():
    from django.core.exceptions import ValidationError

    from notifications.models import MessageTemplate

    with pytest.raises(ValidationError) as refused:
        MessageTemplate(milestone="shipped", channel="whatsapp", language="es", body="Hola").full_clean()
    assert "WhatsApp sends the templates Meta approved" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        set_template("checkout_recovery", "es", "carrito", "--language-code", "es_AR")
    assert "Unknown milestone “checkout_recovery”" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        WhatsAppTemplate(milestone="new_order", language="es", name="x", language_code="es").full_clean()
    assert "never sent on WhatsApp" in str(refused.value)


def test_the_purchase_experience_page_warns_of_a_milestone_sending_whatsapp_without_a_template(client):
    from notifications.models import MilestoneSetting
    from notifications.services import set_whatsapp_template

    client.force_login(SuperuserFactory())
    MilestoneSetting.objects.filter(milestone="shipped").update(whatsapp=True)
    MilestoneSetting.objects.filter(milestone="preparing").update(fallback_channel="whatsapp")

    page = client.get("/admin/notifications/milestonesetting/").content.decode()
    assert "have no WhatsApp template, so their WhatsApp messages are skipped" in page
    assert "Preparing, Shipped." in page or "Shipped, Preparing." in page
    assert reverse("admin:notifications_whatsapptemplate_add") in page

    for milestone in ("shipped", "preparing"):
        set_whatsapp_template(milestone=milestone, language="pt-br", name=f"{milestone}_v1", language_code="pt_BR",
                              parameters=["order_number"], text="Pedido {{1}}")
    assert "have no WhatsApp template" not in client.get("/admin/notifications/milestonesetting/").content.decode()
