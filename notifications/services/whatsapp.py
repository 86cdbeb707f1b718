"""WhatsApp for the staff and the timeline page: setting a milestone's (or rule's) Meta-approved
template, and whether the store sends WhatsApp at all (the timeline's opt-in button)."""
from __future__ import annotations

from django.db import transaction

from ..defaults import MILESTONE_CHANNELS
from ..models import RULE, Channel, MilestoneSetting, NotificationRule, WhatsAppTemplate
from ..rendering import cached
from .recipients import whatsapp_number


def whatsapp_milestones() -> list[str]:
    """The milestones that may be sent on WhatsApp (and "rule", for a WhatsApp notification rule)."""
    return [*(m for m, channels in MILESTONE_CHANNELS.items() if Channel.WHATSAPP in channels), RULE]


@transaction.atomic
def set_whatsapp_template(*, milestone: str, language: str, name: str, language_code: str, parameters: list[str],
                          text: str | None = None, rule: NotificationRule | None = None, by=None) -> WhatsAppTemplate:
    """Create or replace the template a milestone (or, with milestone "rule", a rule) sends in one of our
    languages.

    Raises ValidationError (nothing saved) for an unknown milestone, a rule without the milestone "rule"
    (or that milestone without a rule), a field the milestone's messages cannot use, a malformed name or
    language code, or parameters that do not match the text. `text` None keeps the approved text stored.
    """
    from django.core.exceptions import ValidationError

    if milestone not in whatsapp_milestones():
        raise ValidationError({"milestone": f"Unknown milestone “{milestone}”: one of {', '.join(whatsapp_milestones())}."})
    lookup = {"milestone": milestone, "rule": rule, "language": language}
    template = WhatsAppTemplate.objects.select_for_update().filter(**lookup).order_by("pk").first()
    template = template or WhatsAppTemplate(**lookup)
    template.name, template.language_code, template.parameters = name, language_code, list(parameters)
    if text is not None:
        template.text = text
    template.updated_by = by
    template.full_clean()
    template.save()
    return template


def whatsapp_is_on() -> bool:
    """Whether any milestone or active rule sends on WhatsApp (the store offers it to customers)."""
    # One query, kept per process (NOTIFICATION_CACHE_SECONDS) like the switches: the timeline page asks
    # on every view.
    return cached(("whatsapp_is_on",), lambda: MilestoneSetting.objects.filter(whatsapp=True).values("pk").union(
        NotificationRule.objects.active().filter(channel=Channel.WHATSAPP).values("pk")
    ).exists())


def offers_whatsapp(order) -> bool:
    """Whether the order's timeline page offers WhatsApp updates: the store sends WhatsApp and the
    order has a number WhatsApp can reach."""
    return bool(whatsapp_number(order.customer_phone)) and whatsapp_is_on()
