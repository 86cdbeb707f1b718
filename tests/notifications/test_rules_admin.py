"""The rules in the admin: the form, its checks, the SMS credit confirmation, the preview and the overview."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from notifications.models import NotificationRule, RuleMessage
from orders import services
from orders.models import CustomStatus
from tests.factories import OrderFactory, UserFactory, carrier

from .factories import NotificationRuleFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/notifications/notificationrule/add/"
OVERVIEW = "/admin/notifications/notificationrule/overview/"
SMS_ES = "{{ store_name }}: tu pedido {{ order_number }} está en reparto. Síguelo: {{ timeline_link }}"


def custom(code, status_type="delivery"):
    return f"custom:{CustomStatus.objects.get(type=status_type, code=code).pk}"


def form(**overrides):
    data = {
        "name": "Aviso de reparto", "active": "on", "trigger_from": "", "trigger_to": custom("out_for_delivery"),
        "delay_minutes": "0", "cities": "", "min_total": "", "max_total": "", "channel": "email",
        "subject_es": "Tu pedido {{ order_number }} está en reparto", "body_es": "Hola {{ customer_first_name }}",
        "gsm7_friendly_es": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def out_for_delivery_orders(staff, languages):
    for language in languages:
        services.set_custom_status(
            OrderFactory(language=language), by=staff, status_type="delivery", code="out_for_delivery"
        )


def test_staff_add_a_rule_with_its_trigger_filters_and_messages(staff_client, admin_user):
    response = staff_client.get(ADD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'label="Delivery status"' in html and "Out for delivery" in html and 'name="body_pt_br"' in html

    response = staff_client.post(ADD, form(
        trigger_from=custom("in_transit"), payment_methods=["cash_on_delivery", "transfer"],
        fulfillment_methods=["carrier"], carriers=[carrier("andreani").pk], cities="Córdoba, Rosario\nrosario",
        min_total="1000", max_total="50000", languages=["es"], delay_minutes="120",
        subject_en="Out for delivery: {{ order_number }}", body_en="Hi {{ customer_first_name }}",
    ))
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = NotificationRule.objects.get()
    assert (rule.status_type, rule.from_custom_status.code, rule.to_custom_status.code) == (
        "delivery", "in_transit", "out_for_delivery"
    )
    assert (rule.to_status, rule.from_status) == ("", "")
    assert rule.payment_methods == ["cash_on_delivery", "transfer"]
    assert rule.cities == ["Córdoba", "Rosario"]
    assert [c.code for c in rule.carriers.all()] == ["andreani"]
    assert (rule.delay_minutes, rule.updated_by) == (120, admin_user)
    assert sorted(rule.messages.values_list("language", "body")) == [
        ("en", "Hi {{ customer_first_name }}"), ("es", "Hola {{ customer_first_name }}"),
    ]

    # The change page shows what was saved; emptying a language deletes its message.
    page = staff_client.get(reverse("admin:notifications_notificationrule_change", args=[rule.pk]))
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["trigger_to"] == custom("out_for_delivery")
    data = form(trigger_from=custom("in_transit"), cities="Córdoba")
    response = staff_client.post(reverse("admin:notifications_notificationrule_change", args=[rule.pk]), data)
    assert response.status_code == 302
    assert list(rule.messages.values_list("language", flat=True)) == ["es"]


def test_saving_a_rule_rewrites_only_the_messages_that_changed(staff_client, admin_user):
    rule = NotificationRuleFactory(custom=("delivery", "out_for_delivery"))
    before = {m.language: m for m in rule.messages.all()}
    page = staff_client.get(reverse("admin:notifications_notificationrule_change", args=[rule.pk]))
    data = {
        name: value for name, value in page.context["adminform"].form.initial.items()
        if name.split("_")[0] in ("subject", "body", "html", "url", "gsm7") and value not in (None, False)
    }
    data.update(subject_es="Tu pedido {{ order_number }} sale hoy", subject_en="", body_en="")
    response = staff_client.post(reverse("admin:notifications_notificationrule_change", args=[rule.pk]),
                                 {**form(), **data})
    assert response.status_code == 302, response.context["adminform"].form.errors
    after = {m.language: m for m in rule.messages.all()}
    assert sorted(after) == ["es", "pt-br"]  # the emptied English message is gone
    assert (after["es"].subject, after["es"].updated_by) == ("Tu pedido {{ order_number }} sale hoy", admin_user)
    assert (after["pt-br"].updated_by, after["pt-br"].updated_at) == (None, before["pt-br"].updated_at)


def test_a_core_status_rule_is_saved_with_the_order_status_codes(staff_client):
    response = staff_client.post(ADD, form(trigger_from="order:accepted", trigger_to="order:preparing"))
    assert response.status_code == 302
    rule = NotificationRule.objects.get()
    assert (rule.status_type, rule.from_status, rule.to_status, rule.to_custom_status) == (
        "order", "accepted", "preparing", None
    )


@pytest.mark.parametrize("overrides, field, error", [
    ({"trigger_from": "order:accepted"}, "trigger_from",
     "The “from” status must be of the same type as the “to” status (Delivery status)."),
    ({"trigger_from": "order:shipped", "trigger_to": "order:shipped"}, "trigger_from",
     "From and to are the same status: the rule would never fire."),
    ({"body_es": "Hola {{ order.customer_email }}"}, "body_es", "Unknown field(s): order."),
    ({"body_es": "Hola {% if %}"}, "body_es", "This text has a template error"),
    ({"subject_es": "", "channel": "email"}, "subject_es", "Email and push messages need a subject or title."),
    ({"subject_es": "Hola", "body_es": ""}, "body_es", "Write the message, or empty this language."),
    ({"min_total": "500", "max_total": "100"}, None, "The upper limit of the order total is below the lower one."),
    ({"delay_minutes": "50000"}, "delay_minutes", "Ensure this value is less than or equal to 43200."),
], ids=["types differ", "same status", "unknown field", "template error", "no subject", "no body", "range",
        "delay"])
def test_the_form_refuses_what_would_not_work_with_a_sentence(staff_client, overrides, field, error):
    response = staff_client.post(ADD, form(**overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(error in message for message in errors.get(field or "__all__", [])), errors
    assert not NotificationRule.objects.exists()


def test_a_rule_needs_a_message_in_some_language(staff_client):
    response = staff_client.post(ADD, form(subject_es="", body_es=""))
    assert response.context["adminform"].form.errors["__all__"] == ["Write the message in at least one language."]


def test_an_inactive_custom_status_cannot_trigger_an_active_rule(staff_client):
    CustomStatus.objects.filter(type="delivery", code="out_for_delivery").update(active=False)
    response = staff_client.post(ADD, form())
    assert "is inactive and cannot be set on orders" in response.context["adminform"].form.errors["trigger_to"][0]
    assert staff_client.post(ADD, form(active=None)).status_code == 302  # an inactive rule may wait for it


def test_an_sms_rule_for_every_order_asks_to_confirm_the_monthly_credits(staff_client, staff, admin_user):
    out_for_delivery_orders(staff, ["es", "es", "es", "en"])
    long_en = "Hi {{ customer_first_name }}, " + "your order {{ order_number }} is out for delivery today. " * 4
    data = form(channel="sms", subject_es="", body_es=SMS_ES, body_en=long_en, gsm7_friendly_en="on")

    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["confirm_sms_credits"]
    # 3 Spanish orders × 1 segment + 1 English order × 2 segments
    assert error == (
        "This rule sends an SMS to every order that changes to “Out for delivery”. In the last 30 days 4 orders "
        "made this change: about 5 SMS credits a month (segments per SMS: en: 2, es: 1). Tick “I confirm the "
        "monthly SMS credits” to save it, or add a filter."
    )
    assert not NotificationRule.objects.exists()

    response = staff_client.post(ADD, {**data, "confirm_sms_credits": "on"})
    assert response.status_code == 302
    rule = NotificationRule.objects.get()
    assert (rule.sms_credits_confirmed, rule.sms_credits_confirmed_by) == (5, admin_user)
    change = reverse("admin:notifications_notificationrule_change", args=[rule.pk])
    page = staff_client.get(change).content.decode()
    assert "about 5 SMS credits a month" in page

    # Renaming it asks nothing more; once the credits grow, staff confirm again.
    assert staff_client.post(change, {**data, "name": "Reparto (SMS)"}).status_code == 302
    out_for_delivery_orders(staff, ["es"])
    response = staff_client.post(change, data)
    assert "about 6 SMS credits a month" in response.context["adminform"].form.errors["confirm_sms_credits"][0]
    assert staff_client.post(change, {**data, "confirm_sms_credits": "on"}).status_code == 302
    rule.refresh_from_db()
    assert rule.sms_credits_confirmed == 6


@pytest.mark.parametrize("overrides", [
    {"languages": ["es"]}, {"cities": "Córdoba"}, {"channel": "email", "subject_es": "Reparto"}, {"active": None},
], ids=["a filter", "a city", "email", "inactive"])
def test_no_confirmation_for_a_filtered_email_or_inactive_rule(staff_client, staff, overrides):
    out_for_delivery_orders(staff, ["es"])
    data = form(channel="sms", subject_es="", body_es=SMS_ES)
    data.update({k: v for k, v in overrides.items() if v is not None})
    if overrides.get("active", "") is None:
        del data["active"]
    assert staff_client.post(ADD, data).status_code == 302
    assert NotificationRule.objects.get().sms_credits_confirmed is None


def test_the_preview_renders_a_rule_message_with_a_real_order_and_its_sms_cost(staff_client, staff):
    rule = NotificationRuleFactory(custom=("delivery", "out_for_delivery"), channel="sms",
                                   messages={"es": ("", SMS_ES)})
    order = OrderFactory()
    page = staff_client.get(reverse("admin:notifications_notificationrule_change", args=[rule.pk])).content.decode()
    url = reverse("admin:notifications_notificationrule_preview", args=[rule.pk, "es"])
    assert url in page and "1 segment (GSM7) with sample values" in page

    response = staff_client.get(url, {"order": order.number})
    assert response.status_code == 200
    assert response.context["rendered"].body.startswith(f"Tienda Demo: tu pedido {order.number} esta en reparto")
    assert (response.context["cost"]["encoding"], response.context["cost"]["segments"]) == ("gsm7", 1)
    assert "What this SMS costs" in response.content.decode()
    missing = reverse("admin:notifications_notificationrule_preview", args=[rule.pk, "en"])
    assert staff_client.get(missing).status_code == 404


def test_the_overview_shows_the_built_in_messages_beside_the_rules(staff_client):
    NotificationRuleFactory(name="Reparto por SMS", custom=("delivery", "out_for_delivery"), channel="sms",
                            delay_minutes=120, cities=["Córdoba"])
    NotificationRuleFactory(name="Preparando (apagada)", to_status="preparing", active=False)
    response = staff_client.get(OVERVIEW)
    assert response.status_code == 200
    rows = {(str(row["type"]), str(row["label"])): row for row in response.context["rows"]}
    shipped = rows[("Order status", "Shipped")]
    assert [(str(m["label"]), [str(c) for c in m["channels"]]) for m in shipped["milestones"]] == [
        ("Shipped", ["Email", "SMS", "Web push"])
    ]
    preparing = rows[("Order status", "Preparing")]
    assert [item["rule"].name for item in preparing["rules"]] == ["Preparando (apagada)"]
    delivery = rows[("Delivery status", "Out for delivery")]
    assert delivery["milestones"] == []
    assert [(item["rule"].name, item["delay"], item["filters"]) for item in delivery["rules"]] == [
        ("Reparto por SMS", "2 hours after", "Córdoba")
    ]
    assert ("Checkout", "Abandoned") in rows and ("Payment", "Paid") in rows
    html = response.content.decode()
    assert "Reparto por SMS" in html and "Purchase experience" in html
    changelist = staff_client.get("/admin/notifications/notificationrule/").content.decode()
    assert OVERVIEW in changelist and "every order" not in changelist.split("Reparto por SMS")[1][:300]


def test_the_overview_is_for_staff_who_may_see_the_notification_settings(client):
    clerk = UserFactory(username="cajera")
    client.force_login(clerk)
    assert client.get(OVERVIEW).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_milestonesetting"))
    assert client.get(OVERVIEW).status_code == 200


def test_staff_who_may_only_view_see_the_rule_in_words(client):
    rule = NotificationRuleFactory(name="Reparto", custom=("delivery", "out_for_delivery"), delay_minutes=90,
                                   languages=["es"])
    viewer = UserFactory(username="mirada")
    viewer.user_permissions.add(Permission.objects.get(codename="view_notificationrule"))
    client.force_login(viewer)
    response = client.get(reverse("admin:notifications_notificationrule_change", args=[rule.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delivery status: any status → Out for delivery" in html and "1 hour 30 minutes after" in html
    assert "Hola {{ customer_first_name }}" in html and 'name="body_es"' not in html
    assert client.post(reverse("admin:notifications_notificationrule_change", args=[rule.pk]), {}).status_code == 403


def test_a_rule_that_has_sent_cannot_be_deleted_from_the_admin(staff_client, staff):
    used = NotificationRuleFactory(custom=("delivery", "out_for_delivery"))
    unused = NotificationRuleFactory(to_status="finalized")
    out_for_delivery_orders(staff, ["es"])
    assert staff_client.get(reverse("admin:notifications_notificationrule_delete", args=[used.pk])).status_code == 403
    response = staff_client.post(reverse("admin:notifications_notificationrule_delete", args=[unused.pk]),
                                 {"post": "yes"})
    assert response.status_code == 302
    assert list(NotificationRule.objects.all()) == [used]
    assert RuleMessage.objects.filter(rule=used).count() == 3


def test_the_log_shows_which_rule_sent_a_message(staff_client, staff):
    rule = NotificationRuleFactory(name="Reparto", custom=("delivery", "out_for_delivery"))
    out_for_delivery_orders(staff, ["es"])
    response = staff_client.get("/admin/notifications/notification/", {"rule__id__exact": rule.pk})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1
    assert "Rule: <a href" in response.content.decode()
