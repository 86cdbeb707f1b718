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
        for channel in channels if channel != "whatsapp"  # WhatsApp sends Meta's approved templates only
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


def _shipped_order_read_again(staff, language):
    from orders import services
    from orders.models import Order

    from .helpers import pay, ship

    order = pay(place(by=staff, language=language), by=staff)
    order = services.start_preparation(services.accept(order, by=staff), by=staff)
    ship(order, by=staff)
    return Order.objects.get(pk=order.pk)  # its carrier not read yet


def test_a_message_costs_only_the_fields_its_template_uses(staff, django_assert_num_queries):
    from notifications.rendering import message_context, render_template

    order = _shipped_order_read_again(staff, "es")
    number_only = MessageTemplate(milestone="shipped", channel="sms", language="es", body="Pedido {{ order_number }}")
    with django_assert_num_queries(0):  # the carrier's name is never read for a message that does not show it
        assert render_template(number_only, message_context(order, language="es")).body == f"Pedido {order.number}"
    with_carrier = MessageTemplate(milestone="shipped", channel="sms", language="es",
                                   body="{{ carrier }} {{ carrier }}: {{ tracking_code }}")
    with django_assert_num_queries(1):  # read once, however often the template shows it
        body = render_template(with_carrier, message_context(order, language="es")).body
    assert body == "Correo Argentino Correo Argentino: RR123456785AR"


def test_message_fields_are_in_the_messages_language_whatever_language_is_active(staff):
    from django.utils import translation

    from notifications.rendering import message_context, render_template

    order = _shipped_order_read_again(staff, "en")
    template = MessageTemplate(milestone="shipped", channel="email", language="en", subject="{{ order_number }}",
                               body="{{ payment_method }} | {{ fulfillment }} | {{ total }} | {{ timeline_link }}")
    with translation.override("es"):  # as the admin's preview renders, in the staff member's language
        context = message_context(order, language="en")
        body = render_template(template, context).body
    assert body == f"Bank transfer | Carrier | ARS11,500.00 | {order.get_timeline_url()}"
    assert context.resolved()["tracking_link"] == order.get_tracking_redirect_url()
    assert all(isinstance(value, str) for value in context.resolved().values())
