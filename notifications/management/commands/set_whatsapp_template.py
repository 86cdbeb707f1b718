"""`manage.py set_whatsapp_template shipped es shipping_update --language-code es_AR --param customer_first_name
--param order_number --param tracking_link`: the Meta-approved template a milestone sends in a language."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from orders.models import Language

from ...models import RULE, NotificationRule
from ...services import set_whatsapp_template, whatsapp_milestones

LANGUAGE_ALIASES = {"pt_br": "pt-br", "pt_BR": "pt-br", "pt-BR": "pt-br", "pt": "pt-br"}


class Command(BaseCommand):
    help = (
        "Set the Meta-approved WhatsApp template a milestone (or `rule:<id>`) sends to customers of a language: "
        "its name, Meta's language code and the message field behind each numbered parameter, in order."
    )

    def add_arguments(self, parser):
        parser.add_argument("milestone", help=f"one of {', '.join(whatsapp_milestones())}, or rule:<id>")
        parser.add_argument("language", help="the customers' language: es, pt-br or en")
        parser.add_argument("template_name", help="the template's name in WhatsApp Manager")
        parser.add_argument("--language-code", required=True, help="Meta's language code of the template: es_AR, pt_BR, en")
        parser.add_argument("--param", action="append", default=[], dest="params",
                            help="the field filling the next numbered parameter ({{1}}, then {{2}}...); repeat it")
        parser.add_argument("--text", default=None, help="the template's approved body, with {{1}}, {{2}}...")

    def handle(self, *args, milestone, language, template_name, language_code, params, text, **options):
        language = LANGUAGE_ALIASES.get(language, language)
        if language not in Language.values:
            raise CommandError(f"Unknown language “{language}”: one of {', '.join(Language.values)}.")
        chosen_rule = None
        if milestone.startswith("rule:"):
            rule_id = milestone.partition(":")[2]
            milestone = RULE
            chosen_rule = NotificationRule.objects.filter(pk=int(rule_id) if rule_id.isdigit() else None).first()
            if chosen_rule is None:
                raise CommandError(f"No notification rule “{rule_id}”.")
        try:
            template = set_whatsapp_template(
                milestone=milestone, language=language, name=template_name, language_code=language_code,
                parameters=params, text=text, rule=chosen_rule,
            )
        except ValidationError as error:
            raise CommandError(" ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )) from error
        self.stdout.write(self.style.SUCCESS(f"WhatsApp template set: {template}"))
        for number, field in enumerate(template.parameters, start=1):
            self.stdout.write(f"  {{{{{number}}}}} = {field}")
