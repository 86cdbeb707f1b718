"""Pages meant for people are titled in words, not codes; a subject can be read whole in its box."""
import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from checkouts.models import Checkout
from notifications.models import MessageTemplate, Notification
from tests.factories import OrderFactory, storefront

from .factories import NotificationRuleFactory

pytestmark = pytest.mark.django_db


def heading(page: str) -> str:
    """The object's title on an admin change page (its <h2> under the page's "Change …" heading)."""
    return html.unescape(re.search(r"<h2>(.*?)</h2>", page, re.DOTALL).group(1)).strip()


def test_a_log_entry_is_titled_by_what_was_sent_to_whom(staff_client):
    order = OrderFactory()
    row = Notification.objects.create(order=order, milestone="cancelled", channel="email", status="sent")

    page = staff_client.get(reverse("admin:notifications_notification_change", args=[row.pk]),
                            HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert heading(page) == f"Cancelado · Email · Pedido {order.number} · Enviada"
    assert f"{order.pk} cancelled email sent" not in page


def test_a_rule_message_and_a_checkout_message_are_titled_the_same_way():
    order = OrderFactory()
    rule = NotificationRuleFactory(name="Out for delivery")
    checkout = Checkout.objects.create(storefront=storefront(), external_id="c-77", language="en")

    with translation.override("en"):
        assert str(Notification(order=order, rule=rule, milestone="rule", channel="sms", status="failed")) == (
            f"Out for delivery · SMS · Order {order.number} · Failed"
        )
        recovery = Notification(checkout=checkout, milestone="checkout_recovery", channel="email", status="skipped")
        assert str(recovery) == "Checkout recovery · Email · checkout c-77 · Skipped"


def test_a_template_is_titled_by_milestone_channel_and_language_name(staff_client):
    template = MessageTemplate.objects.get(milestone="shipped", channel="sms", language="es")

    english = staff_client.get(reverse("admin:notifications_messagetemplate_change", args=[template.pk])).content
    spanish = staff_client.get(reverse("admin:notifications_messagetemplate_change", args=[template.pk]),
                               HTTP_ACCEPT_LANGUAGE="es").content

    assert heading(english.decode()) == "Shipped · SMS · Spanish"
    assert heading(spanish.decode()) == "Enviado · SMS · Español"


def subject_input(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def test_the_subject_box_is_as_wide_as_the_message(staff_client):
    template = MessageTemplate.objects.get(milestone="shipped", channel="email", language="es")
    rule = NotificationRuleFactory()

    template_page = staff_client.get(reverse("admin:notifications_messagetemplate_change", args=[template.pk]))
    rule_page = staff_client.get(reverse("admin:notifications_notificationrule_change", args=[rule.pk]))

    assert 'class="vLargeTextField"' in subject_input(template_page.content.decode(), "subject")
    assert 'class="vLargeTextField"' in subject_input(rule_page.content.decode(), "subject_es")
