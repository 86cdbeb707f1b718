"""Stored messages still as shipped take the bank details (order placed) and the refund totals
(refunded); ones the staff edited are kept."""
import importlib

import pytest
from django.apps import apps

from notifications.defaults import default_template
from notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "notifications.migrations.0018_transfer_details_and_refund_totals_in_shipped_messages"
)
EDITED = ("refunded", "sms", "es", "body")


def stored(milestone, channel, language, field):
    return getattr(MessageTemplate.objects.get(milestone=milestone, channel=channel, language=language), field)


def test_texts_as_shipped_before_take_the_new_ones_and_edited_ones_stay():
    for (milestone, channel, language, field), (before, _now) in migration.TEXTS.items():
        MessageTemplate.objects.filter(milestone=milestone, channel=channel, language=language).update(
            **{field: before}
        )
    MessageTemplate.objects.filter(milestone="refunded", channel="sms", language="es").update(
        body="Te devolvimos {{ refund_amount }}."
    )

    migration.forward(apps, None)

    assert stored(*EDITED) == "Te devolvimos {{ refund_amount }}."
    for key, (_before, now) in migration.TEXTS.items():
        if key != EDITED:
            assert stored(*key) == now == default_template(*key[:3])[key[3]], key
    assert "{{ transfer_details }}" in stored("order_placed", "email", "en", "body")
    assert "{{ refunded_total }}" in stored("refunded", "push", "pt-br", "body")

    migration.backward(apps, None)

    assert stored("refunded", "push", "pt-br", "body") == migration.TEXTS[("refunded", "push", "pt-br", "body")][0]
