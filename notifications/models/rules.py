"""Notification rules staff set up for a status change: the rule (trigger, filters, channel,
delay), its message in each language, and the lasting record that it fired for an order."""
from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orders.models import CustomStatusType, FulfillmentMethod, Language, PaymentMethod
from orders.models import Status as OrderStatus

from .choices import Channel
from .templates import MessageText


def normalize_city(name: str) -> str:
    """A city name compared without case, accents or extra spaces ("Córdoba" == "cordoba ")."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


class RuleStatusType(models.TextChoices):
    """What a rule watches: the order's core status or one of the custom status types."""

    ORDER = "order", _("Order status")
    DELIVERY = CustomStatusType.DELIVERY.value, _("Delivery status")
    PAYMENT = CustomStatusType.PAYMENT.value, _("Payment status")
    GENERAL = CustomStatusType.GENERAL.value, _("General status")


# A rule waits at most this long (30 days) before its message is sent.
MAX_RULE_DELAY_MINUTES = 30 * 24 * 60


class NotificationRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class NotificationRule(models.Model):
    """A message staff set up for a status change: "when the delivery status becomes Out for
    delivery, send this SMS to card-paid orders in Córdoba, 2 hours later".

    Written to the same outbox as the milestones (one `Notification` per order, rule and
    channel, ever) and delivered by the same worker, log, retries and SMS credits.
    """

    name = models.CharField(_("name"), max_length=120, help_text=_("For the staff: what this rule is for."))
    active = models.BooleanField(_("active"), default=True)
    status_type = models.CharField(_("status type"), max_length=20, choices=RuleStatusType.choices)
    # The order's core status (status type "order"): blank from_status means any.
    from_status = models.CharField(_("from status"), max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=OrderStatus.choices, blank=True)
    # A custom status (status types general, delivery, payment): no from_custom_status means any.
    from_custom_status = models.ForeignKey(
        "orders.CustomStatus", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("from custom status"),
    )
    to_custom_status = models.ForeignKey(
        "orders.CustomStatus", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("to custom status"),
    )
    # Filters: empty means any.
    payment_methods = models.JSONField(_("payment methods"), default=list, blank=True)
    fulfillment_methods = models.JSONField(_("delivery methods"), default=list, blank=True)
    carriers = models.ManyToManyField("carriers.Carrier", blank=True, related_name="+", verbose_name=_("carriers"))
    cities = models.JSONField(_("cities"), default=list, blank=True)
    min_total = models.DecimalField(
        _("order total from"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_total = models.DecimalField(
        _("order total up to"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    languages = models.JSONField(_("customer languages"), default=list, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    delay_minutes = models.PositiveIntegerField(
        _("delay (minutes)"), default=0, validators=[MaxValueValidator(MAX_RULE_DELAY_MINUTES)],
        help_text=_("0 sends it at once; 120 sends it two hours after the change. If the order has moved on "
                    "from the status by then, the message is skipped."),
    )
    # The monthly SMS credits staff confirmed for a rule that texts every order (no filter).
    sms_credits_confirmed = models.PositiveIntegerField(_("confirmed monthly SMS credits"), null=True, blank=True)
    sms_credits_confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    sms_credits_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )

    objects = NotificationRuleQuerySet.as_manager()

    class Meta:
        ordering = ["status_type", "to_status", "to_custom_status", "name", "id"]
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status_type=RuleStatusType.ORDER, from_custom_status__isnull=True,
                      to_custom_status__isnull=True) & ~Q(to_status="")
                ) | (
                    ~Q(status_type=RuleStatusType.ORDER)
                    & Q(from_status="", to_status="", to_custom_status__isnull=False)
                ),
                name="notification_rule_trigger_fits_its_type",
            ),
            models.CheckConstraint(
                condition=Q(min_total__isnull=True) | Q(max_total__isnull=True) | Q(min_total__lte=F("max_total")),
                name="notification_rule_total_range",
                violation_error_message=_("The upper limit of the order total is below the lower one."),
            ),
        ]

    def __str__(self):
        return self.name

    # --- the trigger ---

    @property
    def is_core(self) -> bool:
        return self.status_type == RuleStatusType.ORDER

    def status_label(self, which: str) -> str:
        """The from or to status as staff read it; "any status" for an empty from."""
        if self.is_core:
            code = self.from_status if which == "from" else self.to_status
            return str(OrderStatus(code).label) if code else str(_("any status"))
        status = self.from_custom_status if which == "from" else self.to_custom_status
        return status.label if status is not None else str(_("any status"))

    def fires_on(self, status_type: str, from_status, to_status) -> bool:
        """Whether this change is the rule's trigger (activity and filters aside).

        status_type "order": the order's status codes (from None: a new order); a custom type:
        CustomStatus objects (from None: the order had none of that type).
        """
        if status_type != self.status_type:
            return False
        if self.is_core:
            return self.to_status == to_status and self.from_status in ("", from_status or "")
        return (
            to_status is not None and self.to_custom_status_id == to_status.pk
            and (self.from_custom_status_id is None
                 or (from_status is not None and self.from_custom_status_id == from_status.pk))
        )

    @property
    def trigger_label(self) -> str:
        return _("%(type)s: %(from)s → %(to)s") % {
            "type": RuleStatusType(self.status_type).label,
            "from": self.status_label("from"),
            "to": self.status_label("to"),
        }

    # --- the filters ---

    def has_filters(self, carrier_ids=None) -> bool:
        """False when the rule applies to every order that makes the change.

        carrier_ids: the carriers about to be saved (a form); by default the stored ones.
        """
        if carrier_ids is None:
            carrier_ids = self._carrier_ids() if self.pk else set()
        return bool(
            self.payment_methods or self.fulfillment_methods or self.cities or self.languages
            or self.min_total is not None or self.max_total is not None or carrier_ids
        )

    def texts_every_order(self, carrier_ids=None) -> bool:
        """An active SMS rule without filters: it costs credits for every order making the change."""
        return self.active and self.channel == Channel.SMS and not self.has_filters(carrier_ids)

    def _carrier_ids(self) -> set[int]:
        return {carrier.pk for carrier in self.carriers.all()}

    def matches(self, order) -> bool:
        """Whether the order passes every filter (call with the rule's carriers prefetched)."""
        if self.payment_methods and order.payment_method not in self.payment_methods:
            return False
        if self.fulfillment_methods and order.fulfillment_method not in self.fulfillment_methods:
            return False
        if self.languages and order.language not in self.languages:
            return False
        if self.min_total is not None and order.total < self.min_total:
            return False
        if self.max_total is not None and order.total > self.max_total:
            return False
        if self.cities and normalize_city(order.city) not in {normalize_city(city) for city in self.cities}:
            return False
        carrier_ids = self._carrier_ids()
        if carrier_ids and order.carrier_id not in carrier_ids:
            return False
        return True

    def filters_summary(self) -> list[str]:
        """The filters in words, for lists and the overview page."""
        parts = []
        if self.payment_methods:
            parts.append(", ".join(str(PaymentMethod(m).label) for m in self.payment_methods if m in PaymentMethod))
        if self.fulfillment_methods:
            parts.append(", ".join(
                str(FulfillmentMethod(m).label) for m in self.fulfillment_methods if m in FulfillmentMethod
            ))
        carriers = [carrier.name for carrier in self.carriers.all()] if self.pk else []
        if carriers:
            parts.append(", ".join(carriers))
        if self.cities:
            parts.append(", ".join(self.cities))
        if self.min_total is not None and self.max_total is not None:
            parts.append(_("total %(min)s to %(max)s") % {"min": self.min_total, "max": self.max_total})
        elif self.min_total is not None:
            parts.append(_("total from %(min)s") % {"min": self.min_total})
        elif self.max_total is not None:
            parts.append(_("total up to %(max)s") % {"max": self.max_total})
        if self.languages:
            parts.append(", ".join(str(Language(code).label) for code in self.languages if code in Language))
        return parts


class RuleMessage(MessageText):
    """A notification rule's message in one language (the rule says the channel)."""

    rule = models.ForeignKey(
        NotificationRule, on_delete=models.CASCADE, related_name="messages", verbose_name=_("rule")
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)

    class Meta:
        ordering = ["rule", "language"]
        verbose_name = _("rule message")
        verbose_name_plural = _("rule messages")
        constraints = [
            models.UniqueConstraint(fields=["rule", "language"], name="rule_message_once_per_language"),
        ]

    def __str__(self):
        return f"{self.rule} · {self.language}"

    @property
    def channel(self) -> str:
        return self.rule.channel

    @property
    def milestone(self) -> str:
        # No built-in milestone: nothing the text must carry beyond what the staff write.
        return ""


class RuleFiring(models.Model):
    """That a rule fired for an order on a channel: kept after the log rows are purged, so an order
    that makes the same change again weeks later still gets the rule's message only once."""

    rule = models.ForeignKey(NotificationRule, on_delete=models.CASCADE, related_name="firings", verbose_name=_("rule"))
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+", verbose_name=_("order"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    fired_at = models.DateTimeField(_("fired at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule firing")
        verbose_name_plural = _("rule firings")
        constraints = [
            models.UniqueConstraint(fields=["rule", "order", "channel"], name="rule_fires_once_per_order_and_channel"),
        ]

    def __str__(self):
        return f"{self.rule_id} {self.order_id} {self.channel}"
