"""Stored messages still as shipped take the glossary's words; ones the staff edited are kept."""
import importlib

import pytest
from django.apps import apps

from notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db

migration = importlib.import_module("notifications.migrations.0015_glossary_words_in_shipped_messages")
EDITED = ("shipped", "sms", "es", "body")


def stored(milestone, channel, language, field):
    return getattr(MessageTemplate.objects.get(milestone=milestone, channel=channel, language=language), field)


def test_texts_as_shipped_before_take_the_new_words_and_edited_ones_stay():
    """Every text shipped before (the last one shipped here) becomes today's; an edited one stays."""
    for (milestone, channel, language, field), (befores, _now) in migration.TEXTS.items():
        MessageTemplate.objects.filter(milestone=milestone, channel=channel, language=language).update(
            **{field: befores[-1]}
        )
    MessageTemplate.objects.filter(milestone="shipped", channel="sms", language="es").update(
        body="Ya salió: {{ tracking_link }}"
    )

    migration.forward(apps, None)

    assert stored(*EDITED) == "Ya salió: {{ tracking_link }}"
    for key, (_before, now) in migration.TEXTS.items():
        if key != EDITED:
            assert stored(*key) == now, key
    assert "Seguilo en" in stored("order_placed", "sms", "es", "body")
    assert "Código de rastreamento" in stored("shipped", "push", "pt-br", "body")


def test_an_older_shipped_text_takes_the_new_words_too():
    key = ("order_placed", "email", "es", "body")
    befores, now = migration.TEXTS[key]
    assert len(befores) == 2  # before and after the payment link joined the message
    MessageTemplate.objects.filter(milestone="order_placed", channel="email", language="es").update(body=befores[0])

    migration.forward(apps, None)

    assert stored(*key) == now
