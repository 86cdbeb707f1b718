"""Notification rules for the staff's screens: the trigger choices, the SMS credit estimate and the
overview of everything a customer may receive for a change.

The outbox side of the rules (writing and delivering their rows) is in services.py, beside the
milestones, so there is one way a message is sent.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import CUSTOM_STATUS_TYPE_ORDER, CustomStatus, OrderEvent
from orders.models import Status as OrderStatus

from .models import Channel, Milestone, NotificationRule, RuleStatusType, normalize_city
from .rendering import SAMPLE_CONTEXT, pick_message, render_template

# The estimate looks back this many days: about one month of changes.
ESTIMATE_DAYS = 30

# The trigger selects' values: "order:<status code>" or "custom:<CustomStatus pk>".
ORDER_PREFIX, CUSTOM_PREFIX = "order:", "custom:"


# --- trigger choices ------------------------------------------------------------------------


def custom_statuses() -> list[CustomStatus]:
    statuses = list(CustomStatus.objects.all())
    return sorted(statuses, key=lambda s: (CUSTOM_STATUS_TYPE_ORDER.get(s.type, 9), s.position, s.pk))


def status_choices(*, with_any: bool, statuses: list[CustomStatus] | None = None) -> list:
    """Grouped choices of every status a rule can watch: the order's, then each custom type's."""
    choices: list = [("", _("Any status"))] if with_any else [("", "---------")]
    choices.append((RuleStatusType.ORDER.label, [(f"{ORDER_PREFIX}{s.value}", s.label) for s in OrderStatus]))
    statuses = custom_statuses() if statuses is None else statuses
    for status_type in sorted({s.type for s in statuses}, key=lambda t: CUSTOM_STATUS_TYPE_ORDER.get(t, 9)):
        options = [
            (f"{CUSTOM_PREFIX}{s.pk}", s.label if s.active else _("%(name)s (inactive)") % {"name": s.label})
            for s in statuses if s.type == status_type
        ]
        choices.append((RuleStatusType(status_type).label, options))
    return choices


def trigger_value(rule: NotificationRule, which: str) -> str:
    """The select value of a rule's from or to status ("" for any)."""
    if rule.is_core:
        code = rule.from_status if which == "from" else rule.to_status
        return f"{ORDER_PREFIX}{code}" if code else ""
    pk = rule.from_custom_status_id if which == "from" else rule.to_custom_status_id
    return f"{CUSTOM_PREFIX}{pk}" if pk else ""


def parse_trigger(value: str) -> tuple[str, str | CustomStatus] | None:
    """(status type, order status code or CustomStatus) of a select value; None for "any" or unknown."""
    if value.startswith(ORDER_PREFIX):
        code = value[len(ORDER_PREFIX):]
        return (RuleStatusType.ORDER, code) if code in OrderStatus.values else None
    if value.startswith(CUSTOM_PREFIX):
        pk = value[len(CUSTOM_PREFIX):]
        status = CustomStatus.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        return (status.type, status) if status is not None else None
    return None


# --- the SMS credit estimate ----------------------------------------------------------------


@dataclass
class CreditEstimate:
    """What an SMS rule would have cost over the last ESTIMATE_DAYS days."""

    orders: int = 0  # orders that made a matching change (each gets the message once at most)
    credits: int = 0
    segments: dict[str, int] = field(default_factory=dict)  # language -> segments of one SMS
    days: int = ESTIMATE_DAYS

    @property
    def segments_text(self) -> str:
        return ", ".join(f"{language}: {n}" for language, n in sorted(self.segments.items()))


def matching_changes(rule: NotificationRule, *, since):
    """The order timeline events since `since` that the rule's trigger matches."""
    events = OrderEvent.objects.filter(created_at__gte=since)
    if rule.is_core:
        changed = Q(kind=OrderEvent.Kind.STATUS_CHANGED, to_status=rule.to_status)
        if rule.from_status:
            changed &= Q(from_status=rule.from_status)
        elif rule.to_status == OrderStatus.PENDING:
            changed |= Q(kind=OrderEvent.Kind.PLACED)  # a new order enters "pending"
        return events.filter(changed)
    events = events.filter(
        kind=OrderEvent.Kind.CUSTOM_STATUS, custom_status_id=rule.to_custom_status_id, data__type=rule.status_type
    )
    if rule.from_custom_status_id:
        events = events.filter(data__from=rule.from_custom_status.code)
    return events


def orders_per_language(rule: NotificationRule, *, carrier_ids=None, since) -> Counter:
    """How many distinct orders made a matching change and pass the rule's filters, per language."""
    events = matching_changes(rule, since=since)
    if rule.payment_methods:
        events = events.filter(order__payment_method__in=rule.payment_methods)
    if rule.fulfillment_methods:
        events = events.filter(order__fulfillment_method__in=rule.fulfillment_methods)
    if rule.languages:
        events = events.filter(order__language__in=rule.languages)
    if rule.min_total is not None:
        events = events.filter(order__total__gte=rule.min_total)
    if rule.max_total is not None:
        events = events.filter(order__total__lte=rule.max_total)
    if carrier_ids is None:
        carrier_ids = [carrier.pk for carrier in rule.carriers.all()] if rule.pk else []
    if carrier_ids:
        events = events.filter(order__carrier_id__in=list(carrier_ids))
    if not rule.cities:
        rows = events.values("order__language").annotate(n=Count("order", distinct=True)).order_by()
        return Counter({row["order__language"]: row["n"] for row in rows})
    cities = {normalize_city(city) for city in rule.cities}
    seen = {}
    for order_id, language, city in events.values_list("order_id", "order__language", "order__city").distinct():
        if normalize_city(city) in cities:
            seen[order_id] = language
    return Counter(seen.values())


def sms_segments(message) -> int:
    """Segments of one SMS of this message, rendered with the sample values (as sent: GSM-7 friendly if set)."""
    from billing.sms import count_segments

    return count_segments(render_template(message, SAMPLE_CONTEXT).body).segments


def sms_credit_estimate(rule: NotificationRule, messages: dict, *, carrier_ids=None, now=None) -> CreditEstimate:
    """The monthly credits an SMS rule would cost: the orders that made a matching change in the
    last 30 days, times the segments of the message each would get (in its language).

    messages: {language: RuleMessage} (saved or about to be).
    """
    now = now or timezone.now()
    per_language = orders_per_language(rule, carrier_ids=carrier_ids, since=now - timedelta(days=ESTIMATE_DAYS))
    estimate = CreditEstimate()
    segments_of = {}
    for language, orders in per_language.items():
        message = pick_message(messages, language)
        if message is None:
            continue
        if message.language not in segments_of:
            segments_of[message.language] = sms_segments(message)
        estimate.orders += orders
        estimate.credits += orders * segments_of[message.language]
    estimate.segments = segments_of or {language: sms_segments(m) for language, m in messages.items()}
    return estimate


# --- the overview ---------------------------------------------------------------------------


def _milestone_entry(setting) -> dict:
    channels = [Channel(c).label for c in Channel.values if setting.is_enabled(c)]
    return {
        "code": setting.milestone,
        "label": Milestone(setting.milestone).label,
        "channels": channels,
        "fallback": Channel(setting.fallback_channel).label if setting.fallback_channel else "",
        "staff": setting.milestone == Milestone.NEW_ORDER,
    }


def overview_rows() -> list[dict]:
    """One row per change a customer may hear about: the built-in milestone(s) and the rules.

    Each row: {"type", "label", "note", "milestones": [...], "rules": [...]}.
    """
    from . import services

    settings_by_milestone = {s.milestone: s for s in services.all_milestone_settings()}
    rules = list(
        NotificationRule.objects.select_related("from_custom_status", "to_custom_status").prefetch_related("carriers")
    )

    def milestones(*codes):
        return [_milestone_entry(settings_by_milestone[code]) for code in codes]

    rows = []
    for status in OrderStatus:
        codes = [Milestone.ORDER_PLACED, Milestone.NEW_ORDER] if status == OrderStatus.PENDING else []
        if status.value in services.STATUS_MILESTONES:
            codes.append(services.STATUS_MILESTONES[status.value])
        note = ""
        if status == OrderStatus.PENDING:
            note = _("A new order")
        elif status == OrderStatus.SHIPPED:
            note = _("Carrier orders with a tracking code")
        rows.append({
            "type": RuleStatusType.ORDER.label, "label": status.label, "note": note, "milestones": milestones(*codes),
            "rules": [r for r in rules if r.is_core and r.to_status == status.value],
        })
    rows.append({
        "type": _("Payment"), "label": _("Paid"), "note": _("The payments cover the order's total"),
        "milestones": milestones(Milestone.PAYMENT_APPROVED), "rules": [],
    })
    rows.append({
        "type": _("Payment"), "label": _("Refunded"), "note": _("Staff register a refund of a paid order"),
        "milestones": milestones(Milestone.REFUNDED), "rules": [],
    })
    for status in custom_statuses():
        rows.append({
            "type": RuleStatusType(status.type).label, "label": status.label,
            "note": "" if status.active else _("Inactive"), "milestones": [],
            "rules": [r for r in rules if r.to_custom_status_id == status.pk],
        })
    rows.append({
        "type": _("Checkout"), "label": _("Abandoned"), "note": _("Started and not finished after the delay"),
        "milestones": milestones(Milestone.CHECKOUT_RECOVERY), "rules": [],
    })
    return rows
