"""Message templates: seeded in three languages, valid, rendered from a small context of plain strings."""
import pytest

from notifications.defaults import MILESTONE_CHANNELS
from notifications.models import MessageTemplate
from notifications.rendering import find_template, render_for_order

from .helpers import place

pytestmark = pytest.mark.django_db


def test_every_milestone_channel_and_language_has_a_valid_default_template():
    expected = {
        (milestone, channel, language)
        for milestone, channels in MILESTONE_CHANNELS.items()
        for channel in channels
        for language in ("es", "pt-br", "en")
    }
    templates = list(MessageTemplate.objects.all())
    assert {(t.milestone, t.channel, t.language) for t in templates} == expected
    for template in templates:
        template.full_clean()  # compiles, uses known fields, carries what its milestone must


def test_templates_see_plain_strings_only_never_the_order(staff):
    order = place(by=staff, language="en")
    MessageTemplate.objects.filter(milestone="order_placed", channel="email", language="en").update(
        subject="{{ order_number }}", body="[{{ order.customer_email }}][{{ settings.SECRET_KEY }}][{{ total.currency }}]"
    )
    message = render_for_order(order, milestone="order_placed", channel="email", language="en")
    assert message.subject == order.number
    assert message.body == "[][][]"


def test_a_deleted_template_falls_back_to_the_shipped_text_in_the_customers_language(staff):
    MessageTemplate.objects.filter(milestone="preparing", channel="email", language="pt-br").delete()
    fallback = find_template("preparing", "email", "pt-br")
    assert (fallback.pk, fallback.language) == (None, "pt-br")
    assert fallback.subject == "Estamos preparando o seu pedido {{ order_number }}"
    assert find_template("preparing", "email", "es").pk is not None  # the others are the stored ones
