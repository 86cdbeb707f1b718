"""Render a milestone's or a notification rule's message for an order (or a checkout), in its language.

Templates are written by the staff in Django's template language, but they only ever see a
small dictionary of plain strings (never the order object), rendered by an engine with no
template loaders and no extra tag libraries.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import VariableNode
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from orders import payment_links
from orders.events import cancel_reason

from . import defaults

# Text bodies (email text, SMS, push) are not HTML: no escaping. The HTML email body is escaped.
_text_engine = Engine(loaders=[], autoescape=False)
_html_engine = Engine(loaders=[], autoescape=True)

FIELDS = {
    "customer_first_name": _("Customer's first name"),
    "customer_name": _("Customer's full name"),
    "order_number": _("Order number"),
    "store_name": _("Store name"),
    "store_email": _("Store email address"),
    "total": _("Order total, with currency"),
    "carrier": _("Carrier"),
    "tracking_code": _("Tracking code"),
    "tracking_link": _("Tracking link (opens the carrier's page)"),
    "pickup_point": _("Pickup point"),
    "timeline_link": _("Order timeline page"),
    "payment_method": _("Payment method"),
    "fulfillment": _("Delivery method"),
    "admin_link": _("Order page in the admin (for staff messages)"),
    "refund_amount": _("Amount of the refund, with currency (outside a refund's message: all refunded on the order)"),
    "refunded_total": _("Total refunded on the order, with currency (in a refund's message: up to that refund)"),
    "payment_link": _("Payment link (payment link orders; empty for the others)"),
    "transfer_details": _("How to pay by bank transfer (transfer orders; empty for the others)"),
    "cancel_reason": _("Why the order was cancelled, as written when cancelling it"),
}
# Fields that mean something in one milestone's messages only (and in rules, which may be about
# any change: a rule on a change to cancelled can tell why).
MILESTONE_ONLY_FIELDS = {"cancel_reason": "cancelled"}

# A checkout recovery message is about a checkout, not an order: these are all it can use. (Which
# fields a message can use is its kind's: notifications/kinds.py.)
CHECKOUT_FIELDS = {
    "customer_first_name": _("Customer's first name"),
    "customer_name": _("Customer's full name"),
    "store_name": _("Store name"),
    "store_email": _("Store email address"),
    "resume_link": _("Link that resumes the checkout"),
    "total": _("Checkout total, with currency"),
    "lines": _("Products in the checkout, one per line"),
}

SAMPLE_CONTEXT = {
    "customer_first_name": "María",
    "customer_name": "María Pérez",
    "order_number": "K7QH-2M9X",
    "store_name": "Tienda Demo",
    "store_email": "orders@example.com",
    "total": "$ 11.500,00",
    "carrier": "Correo Argentino",
    "tracking_code": "RR123456785AR",
    "tracking_link": "https://shop.example.com/t/abc/",
    "pickup_point": "Honduras 4800, CABA",
    "timeline_link": "https://shop.example.com/o/abc/",
    "payment_method": "Transferencia bancaria",
    "fulfillment": "Envío",
    "admin_link": "https://shop.example.com/admin/orders/order/1/change/",
    "payment_link": "https://shop.example.com/o/abc/pay/",
    "transfer_details": "Banco Demo · CBU 0000003100010000000001 · alias TIENDA.DEMO",
    "resume_link": "https://shop.example.com/checkout/resume/abc/",
    "lines": "2 × Remera de algodón",
    "refund_amount": "$ 1.500,00",
    "refunded_total": "$ 11.500,00",
    "cancel_reason": "Nos quedamos sin stock del talle elegido.",
}


def fields_for(milestone: str) -> dict:
    """The fields a template of this milestone can use ("": a rule's message): its kind's (kinds.py)."""
    from .kinds import fields_for

    return fields_for(milestone)


class TemplateMissing(Exception):
    """No template exists for this milestone (or rule) and channel in any language."""


@dataclass
class RenderedMessage:
    subject: str
    body: str
    html_body: str = ""
    url: str = ""


class LazyContext(dict):
    """A template's fields, the costly ones computed only when the template uses them.

    A value given as a function (an URL to reverse, an amount to format, a translated choice)
    is called the first time a template reads it, in the context's language, and kept. Most
    messages use a few of the fields, and a worker renders hundreds of messages a second.
    """

    def __init__(self, values: dict, *, language: str):
        super().__init__(values)
        self.language = language

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if callable(value):
            with translation.override(self.language):
                value = str(value())
            super().__setitem__(key, value)
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default

    def resolved(self) -> dict[str, str]:
        """Every field's value, computed."""
        return {key: self[key] for key in self}


def message_context(order, *, language: str, refund=None) -> LazyContext:
    """The only values a message template can use: plain strings about this order (and, in a
    `refunded` message, about the refund it tells of)."""
    return LazyContext({
        "customer_first_name": order.customer_first_name,
        "customer_name": order.customer_name,
        "order_number": order.number,
        "store_name": settings.STORE_NAME,
        "store_email": settings.STORE_EMAIL,
        "total": lambda: order.format_money(order.total, language),
        "carrier": lambda: order.carrier.name if order.carrier_id else "",
        "tracking_code": order.tracking_code,
        "tracking_link": order.get_tracking_redirect_url,
        "pickup_point": order.pickup_point,
        "timeline_link": order.get_timeline_url,
        "payment_method": order.get_payment_method_display,
        "fulfillment": order.get_fulfillment_method_display,
        "admin_link": lambda: settings.SITE_URL + order.get_absolute_url(),
        "refund_amount": lambda: order.format_money(refund.amount if refund else _refunded(order), language),
        "refunded_total": lambda: order.format_money(_refunded(order, up_to=refund), language),
        "payment_link": lambda: payment_links.customer_url(order),
        "transfer_details": lambda: transfer_details(order),
        "cancel_reason": lambda: cancel_reason(order),
    }, language=language)


def _refunded(order, up_to=None):
    """What was refunded on the order: in all, or up to and including the refund `up_to` (refunds are
    registered one at a time under the order's row lock, so ids follow their order)."""
    refunds = order.refunds.filter(pk__lte=up_to.pk) if up_to is not None else order.refunds
    return refunds.aggregate(total=Sum("amount"))["total"] or 0


def transfer_details(order) -> str:
    """How to pay a transfer order (the store's bank details, STORE_TRANSFER_DETAILS); "" for others."""
    return settings.STORE_TRANSFER_DETAILS if order.payment_method == "transfer" else ""


def checkout_context(checkout, *, language: str) -> dict[str, str]:
    """The values a checkout recovery message can use: plain strings about this checkout."""
    total = checkout.format_money(checkout.total, language) if checkout.currency else ""
    lines = []
    for line in checkout.lines or []:
        if isinstance(line, dict) and line.get("name"):
            quantity = line.get("quantity") or 1
            lines.append(f"{quantity} × {line['name']}")
    return {
        "customer_first_name": checkout.customer_first_name,
        "customer_name": checkout.customer_name,
        "store_name": settings.STORE_NAME,
        "store_email": settings.STORE_EMAIL,
        "resume_link": checkout.resume_url,
        "total": total,
        "lines": "\n".join(lines),
    }


def find_template(milestone: str, channel: str, language: str):
    """The MessageTemplate to use for a language.

    The stored row in that language; else the shipped default text in that language (as an
    unsaved MessageTemplate); else the same two in the store's language, then in any language.
    """
    from .models import MessageTemplate

    languages = [language, settings.LANGUAGE_CODE, *defaults.LANGUAGES]
    rows = cached(("templates", milestone, channel), lambda: {
        t.language: t for t in MessageTemplate.objects.filter(milestone=milestone, channel=channel)
    })
    for candidate in languages:
        if candidate in rows:
            return rows[candidate]
        fields = defaults.default_template(milestone, channel, candidate)
        if fields is not None:
            return MessageTemplate(milestone=milestone, channel=channel, language=candidate, **fields)
    if rows:
        return next(iter(rows.values()))
    raise TemplateMissing(f"No {channel} template for {milestone}.")


@functools.lru_cache(maxsize=1024)
def _compiled(engine: Engine, source: str):
    return engine.from_string(source)


def _render(engine: Engine, source: str, context: dict) -> str:
    return _compiled(engine, source).render(Context(context, autoescape=engine.autoescape))


# --- a per-process cache of the stored templates and switches ---------------------------------

CACHE_VERSION_KEY = "notifications:cache-version"
_cache: dict = {}


def cached(key, load):
    """load(), kept in this process for NOTIFICATION_CACHE_SECONDS (0: not kept).

    forget_cached() (on a template or switch save) drops it at once in this process, and in
    every process that shares the Django cache (CACHE_URL); the others see the change when
    the time is up.
    """
    seconds = getattr(settings, "NOTIFICATION_CACHE_SECONDS", 0)
    if seconds <= 0:
        return load()
    from django.core.cache import cache

    version = cache.get(CACHE_VERSION_KEY, 0)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and hit[0] > now and hit[1] == version:
        return hit[2]
    value = load()
    _cache[key] = (now + seconds, version, value)
    return value


def forget_cached() -> None:
    from django.core.cache import cache

    _cache.clear()
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 1, None)


def render_template(template, context: dict) -> RenderedMessage:
    """Render one MessageTemplate. SMS bodies are made GSM-7 friendly when the template asks."""
    subject = " ".join(_render(_text_engine, template.subject, context).split())
    body = _render(_text_engine, template.body, context).strip()
    html_body = _render(_html_engine, template.html_body, context).strip() if template.html_body else ""
    url = _render(_text_engine, template.url, context).strip() if template.url else ""
    if template.channel == "sms":
        body = " ".join(body.split())
        if template.gsm7_friendly:
            from billing.sms import to_gsm7_friendly

            body = to_gsm7_friendly(body)
    return RenderedMessage(subject=subject, body=body, html_body=html_body, url=url)


def render_for_order(order, *, milestone: str, channel: str, language: str, refund=None) -> RenderedMessage:
    template = find_template(milestone, channel, language)
    with translation.override(language):
        return render_template(template, message_context(order, language=language, refund=refund))


def render_for_checkout(checkout, *, milestone: str, channel: str, language: str) -> RenderedMessage:
    template = find_template(milestone, channel, language)
    with translation.override(language):
        return render_template(template, checkout_context(checkout, language=language))


def pick_message(messages: dict, language: str):
    """From {language: message}, the one for a language: that language, else the store's, else any."""
    for candidate in (language, settings.LANGUAGE_CODE, *defaults.LANGUAGES):
        if candidate in messages:
            return messages[candidate]
    return next(iter(messages.values()), None)


def find_rule_message(rule, language: str):
    """The rule's RuleMessage for a language (see pick_message)."""
    message = pick_message({message.language: message for message in rule.messages.all()}, language)
    if message is None:
        raise TemplateMissing(f"The rule “{rule}” has no message.")
    return message


def render_for_rule(order, *, rule, language: str) -> RenderedMessage:
    message = find_rule_message(rule, language)
    with translation.override(language):
        return render_template(message, message_context(order, language=language))


# What some milestones' messages must always carry.
REQUIRED_FIELDS = {
    "shipped": ("tracking_code", "tracking_link"),
    "ready_for_pickup": ("pickup_point",),
    "checkout_recovery": ("resume_link",),
    "refunded": ("refund_amount",),
}


def _used_fields(engine: Engine, source: str) -> set[str]:
    used = set()
    for node in engine.from_string(source).nodelist.get_nodes_by_type(VariableNode):
        lookups = getattr(node.filter_expression.var, "lookups", None)
        if lookups:
            used.add(lookups[0])
    return used


def validate_template(template, *, fields: dict) -> None:
    """Raise ValidationError naming the field whose template does not compile or uses a field not in
    `fields` (those its kind of message can use)."""
    errors: dict[str, list] = {}
    sources = {"subject": template.subject, "body": template.body, "url": template.url}
    if template.html_body:
        sources["html_body"] = template.html_body
    used_anywhere = set()
    available = fields
    for field, source in sources.items():
        if not source:
            continue
        engine = _html_engine if field == "html_body" else _text_engine
        try:
            used = _used_fields(engine, source)
            _render(engine, source, SAMPLE_CONTEXT)
        except TemplateSyntaxError as error:
            errors.setdefault(field, []).append(_("This text has a template error: %(error)s") % {"error": error})
            continue
        used_anywhere |= used
        unknown = used - set(available)
        if unknown:
            errors.setdefault(field, []).append(
                _("Unknown field(s): %(unknown)s. Available: %(available)s.")
                % {"unknown": ", ".join(sorted(unknown)), "available": ", ".join(available)}
            )
    missing = [name for name in REQUIRED_FIELDS.get(template.milestone, ()) if name not in used_anywhere]
    if missing and not errors:
        errors.setdefault("body", []).append(
            _("This message must always carry %(fields)s.")
            % {"fields": ", ".join("{{ %s }}" % name for name in missing)}
        )
    if template.channel in ("email", "push") and not (template.subject or "").strip():
        errors.setdefault("subject", []).append(_("Email and push messages need a subject or title."))
    if template.channel == "sms" and template.html_body:
        errors.setdefault("html_body", []).append(_("SMS messages are plain text."))
    if errors:
        raise ValidationError(errors)
