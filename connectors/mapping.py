"""How a platform order's payment and delivery methods become ours: the staff's method rules.

Rules are tried by position (lowest first) for the order's platform; the first whose conditions
match decides. No match is not an error to hide: the order is kept aside with a sentence naming
the values it had, and recorded as soon as a rule for them is saved (services/processing.py).
The default rules come with the app (defaults.py, seeded by `seed_reference_data`: seeds.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Kind, MethodRule
from .platform_order import PlatformOrder

@dataclass(frozen=True)
class Mapped:
    payment_method: str | None
    fulfillment_method: str | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _describe(facts: dict[str, list[str]]) -> str:
    return ", ".join(f"{field} “{' / '.join(found) or '—'}”" for field, found in facts.items())


def first_match(rules, facts: dict[str, list[str]]) -> str | None:
    for rule in rules:
        if rule.matches(facts):
            return rule.result
    return None


def map_methods(platform: str, order: PlatformOrder, rules=None) -> Mapped:
    """Our payment and delivery methods for `order`, or the reason one could not be chosen."""
    if rules is None:
        rules = list(MethodRule.objects.filter(platform=platform, active=True).order_by("position", "id"))
    payment = first_match([rule for rule in rules if rule.kind == Kind.PAYMENT], order.payment_facts)
    fulfillment = first_match([rule for rule in rules if rule.kind == Kind.FULFILLMENT], order.fulfillment_facts)
    problems = []
    with translation.override(settings.LANGUAGE_CODE):
        if payment is None:
            problems.append(_("No payment method rule matches %(values)s.") % {
                "values": _describe(order.payment_facts)})
        if fulfillment is None:
            problems.append(_("No delivery method rule matches %(values)s.") % {
                "values": _describe(order.fulfillment_facts)})
        if problems:
            problems.append(_("Add or change a rule under Connected stores › Method rules: the order is recorded "
                              "as soon as one matches."))
    return Mapped(payment, fulfillment, " ".join(problems))
