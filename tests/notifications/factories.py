"""Factories for notification rules (arranging a test; the code under test writes through services)."""
import factory

from carriers.models import Carrier
from notifications.models import NotificationRule, RuleMessage
from orders.models import CustomStatus

MESSAGES = {
    "es": ("Novedades de tu pedido {{ order_number }}", "Hola {{ customer_first_name }}: tu pedido {{ order_number }} "
           "tiene novedades. {{ timeline_link }}"),
    "pt-br": ("Novidades do pedido {{ order_number }}", "Olá, {{ customer_first_name }}! O seu pedido "
              "{{ order_number }} tem novidades. {{ timeline_link }}"),
    "en": ("News about your order {{ order_number }}", "Hi {{ customer_first_name }}, your order {{ order_number }} "
           "has news. {{ timeline_link }}"),
}


class NotificationRuleFactory(factory.django.DjangoModelFactory):
    """A core-status rule by default (to `preparing`, by email, in three languages).

        NotificationRuleFactory(to_status="shipped", channel="sms", carriers=[carrier("andreani")])
        NotificationRuleFactory(custom=("delivery", "out_for_delivery"), from_custom=("delivery", "in_transit"))
        NotificationRuleFactory(messages={"es": ("", "Hola {{ customer_first_name }}")})
    """

    class Meta:
        model = NotificationRule
        skip_postgeneration_save = True

    class Params:
        custom = None  # (type, code) of the to-status: a custom-status rule
        from_custom = None  # (type, code) of the from-status

    name = factory.Sequence(lambda n: f"Rule {n}")
    status_type = factory.LazyAttribute(lambda o: o.custom[0] if o.custom else "order")
    to_status = factory.LazyAttribute(lambda o: "" if o.custom else "preparing")
    to_custom_status = factory.LazyAttribute(
        lambda o: CustomStatus.objects.get(type=o.custom[0], code=o.custom[1]) if o.custom else None
    )
    from_custom_status = factory.LazyAttribute(
        lambda o: CustomStatus.objects.get(type=o.from_custom[0], code=o.from_custom[1]) if o.from_custom else None
    )
    channel = "email"

    @factory.post_generation
    def messages(self, create, extracted, **kwargs):
        if not create:
            return
        for language, (subject, body) in (extracted if extracted is not None else MESSAGES).items():
            RuleMessage.objects.create(
                rule=self, language=language, subject="" if self.channel == "sms" else subject, body=body,
                gsm7_friendly=self.channel == "sms",
            )

    @factory.post_generation
    def carriers(self, create, extracted, **kwargs):
        if create and extracted:
            self.carriers.set([c if isinstance(c, Carrier) else Carrier.objects.get(code=c) for c in extracted])
