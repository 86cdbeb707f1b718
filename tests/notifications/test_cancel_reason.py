"""The reason staff give when cancelling reaches the customer: a template field, `{{ cancel_reason }}`,
used by the shipped cancellation messages and listed with the other fields for the staff."""
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.utils import translation

from notifications.defaults import default_template
from notifications.models import MessageTemplate
from notifications.rendering import fields_for, render_for_order
from orders import services

from .helpers import place, switch

pytestmark = pytest.mark.django_db

REASON = "Nos quedamos sin stock del talle elegido."
WORDS = {"es": "Motivo: ", "pt-br": "Motivo: ", "en": "Reason: "}


@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_the_cancellation_email_tells_the_customer_why(staff, commit, language):
    with commit():
        order = place(by=staff, language=language, notify_customer=False)
        services.cancel(order, by=staff, reason=REASON)

    email = next(m for m in mail.outbox if m.to == ["maria@example.com"])
    assert WORDS[language] + REASON in email.body


def test_every_channel_of_the_cancelled_milestone_carries_the_reason(staff, commit, credits, sms_outbox):
    from .helpers import subscribe

    switch("cancelled", email=True, sms=True, push=True)
    order = place(by=staff, language="es", notify_customer=False)
    subscribe(order)
    with commit():
        services.cancel(order, by=staff, reason="Pago rechazado por el banco emisor de la tarjeta de la compra")

    from notifications.backends.push import locmem as push_locmem

    assert "Pago rechazado por el banco" in sms_outbox[-1].body
    assert len(sms_outbox[-1].body) < 160  # a long reason is cut short: every segment costs a credit
    assert "Pago rechazado por el banco" in push_locmem.outbox[-1].payload["body"]


def test_without_a_reason_the_message_reads_as_before(staff):
    """An order cancelled before reasons were kept (or a preview) has none: no empty "Reason:" line."""
    order = place(by=staff, language="en", notify_customer=False)

    message = render_for_order(order, milestone="cancelled", channel="email", language="en")

    assert "Reason:" not in message.body
    assert "was cancelled.\n\nIf you had already paid" in message.body


@pytest.mark.parametrize(
    ("language", "description"),
    [
        ("en", "Why the order was cancelled, as written when cancelling it"),
        ("es", "Por qué se canceló el pedido, tal como se escribió al cancelarlo"),
        ("pt-br", "Por que o pedido foi cancelado, como foi escrito ao cancelá-lo"),
    ],
)
def test_the_template_page_lists_the_field_in_the_staffs_language(staff_client, language, description):
    template = MessageTemplate.objects.get(milestone="cancelled", channel="email", language="es")

    response = staff_client.get(
        f"/admin/notifications/messagetemplate/{template.pk}/change/", HTTP_ACCEPT_LANGUAGE=language
    )

    assert "<code>{{ cancel_reason }}</code> " + description in response.content.decode()


def test_the_field_belongs_to_cancellation_messages_and_rules_only():
    assert "cancel_reason" in fields_for("cancelled")
    assert "cancel_reason" in fields_for("")  # a rule on a change to cancelled may tell why
    assert "cancel_reason" not in fields_for("shipped")
    with translation.override("en"):
        assert "carrier" in fields_for("shipped")


def test_stored_cancellation_texts_still_as_shipped_take_the_reason_and_edited_ones_are_kept():
    migration = importlib.import_module("notifications.migrations.0008_cancel_reason_in_cancelled_messages")
    (before_es, now_es) = migration.BODIES[("email", "es")]
    (before_en, _now_en) = migration.BODIES[("sms", "en")]
    MessageTemplate.objects.filter(milestone="cancelled", channel="email", language="es").update(body=before_es)
    MessageTemplate.objects.filter(milestone="cancelled", channel="sms", language="en").update(
        body=before_en + " Thanks!"  # edited by the staff: theirs
    )

    migration.forward(apps, None)

    assert MessageTemplate.objects.get(milestone="cancelled", channel="email", language="es").body == now_es
    assert now_es == default_template("cancelled", "email", "es")["body"]
    assert MessageTemplate.objects.get(milestone="cancelled", channel="sms", language="en").body.endswith("Thanks!")
