"""A WhatsApp message from its Meta-approved template: which template a milestone (or rule) sends in
a language, and its numbered parameters filled from the message fields (rendering.py).

Outside the 24-hour window after a customer wrote to the store, WhatsApp takes only templates Meta
approved; we never send free text. A milestone without a template in any language is skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation

from . import defaults
from .models.whatsapp import PLACEHOLDER
from .rendering import cached, message_context

# Meta refuses a text parameter with new lines, tabs or more than four spaces in a row, and an empty one.
_BLANKS = re.compile(r"\s+")
EMPTY_PARAMETER = "-"
MAX_PARAMETER_CHARS = 1000


class WhatsAppTemplateMissing(Exception):
    """No WhatsApp template is set for this milestone (or rule) in any language."""


@dataclass
class WhatsAppRendered:
    template: object
    parameters: list[str] = field(default_factory=list)
    body: str = ""


def find_whatsapp_template(milestone: str, language: str, *, rule=None):
    """The WhatsAppTemplate of a milestone (or, with milestone "rule", of `rule`) for a language:
    that language's, else the store's, else any. Which one a row sends is its kind's (kinds.py)."""
    from .models import WhatsAppTemplate

    templates = cached(("whatsapp", milestone, getattr(rule, "pk", None)), lambda: {
        t.language: t for t in WhatsAppTemplate.objects.filter(milestone=milestone, rule=rule)
    })
    for candidate in (language, settings.LANGUAGE_CODE, *defaults.LANGUAGES):
        if candidate in templates:
            return templates[candidate]
    if templates:
        return next(iter(templates.values()))
    raise WhatsAppTemplateMissing(f"No WhatsApp template for {rule or milestone}.")


def parameter_value(value) -> str:
    """A field's value as Meta takes a text parameter: one line, never empty."""
    text = _BLANKS.sub(" ", str(value or "")).strip()[:MAX_PARAMETER_CHARS]
    return text or EMPTY_PARAMETER


def fill(template, context) -> WhatsAppRendered:
    """The template's parameters from a context (a LazyContext or a dict), and its text filled in."""
    parameters = [parameter_value(context.get(name, "")) for name in template.parameters or []]

    def replace(match):
        index = int(match.group(1)) - 1
        return parameters[index] if 0 <= index < len(parameters) else match.group(0)

    if template.text:
        body = PLACEHOLDER.sub(replace, template.text)
    else:  # staff did not copy the approved text: the log shows what was sent
        body = " · ".join([template.name, *parameters])
    return WhatsAppRendered(template=template, parameters=parameters, body=body)


def render_for_notification(notification, language: str) -> WhatsAppRendered:
    """The WhatsApp message of an order's row (a milestone's or a rule's: its kind picks the template), in
    `language`."""
    from .kinds import kind_of

    template = kind_of(notification).whatsapp_template(notification, language)
    with translation.override(language):
        # A refunded message tells of its refund (refund_amount), as on the other channels.
        return fill(template, message_context(notification.order, language=language, refund=notification.refund))
