from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, router
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orders.models import CustomStatusType, FulfillmentMethod, Language, PaymentMethod
from orders.models import Status as OrderStatus
from outbox.models import QUEUED, OutboxRow

from .reasons import Reason, sentence


class Milestone(models.TextChoices):
    ORDER_PLACED = "order_placed", _("Order placed")
    PAYMENT_APPROVED = "payment_approved", _("Payment approved")
    PREPARING = "preparing", _("Preparing")
    SHIPPED = "shipped", _("Shipped")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    FINALIZED = "finalized", _("Finalized")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    CHECKOUT_RECOVERY = "checkout_recovery", _("Checkout recovery")
    NEW_ORDER = "new_order", _("New order (staff)")


# A log row written by a notification rule (not a built-in milestone) has this in `milestone`.
RULE = "rule"
LOG_MILESTONE_CHOICES = [*Milestone.choices, (RULE, _("Notification rule"))]


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web push")


class NotificationQuerySet(models.QuerySet):
    def for_log(self):
        return self.select_related("order", "checkout", "rule")

    def insert_new(self, rows: list[Notification]) -> list[Notification]:
        """Insert the rows that no row in the table already stands for, in one statement.

        `INSERT ... ON CONFLICT DO NOTHING RETURNING`: a row whose (order, milestone, channel),
        (order, rule, channel) or (checkout, milestone, channel) is taken, by a committed row or
        by a transaction still running (which it waits for), is left out. Returns the rows
        inserted, with their ids and timestamps set; the others are not touched. This is the
        outbox's "exactly once" write: one round trip for all of a milestone's channels, where
        get_or_create took four per channel (SELECT, SAVEPOINT, INSERT, RELEASE).
        """
        unique = {}
        for row in rows:  # one statement must not hold two rows for one key
            unique.setdefault(_outbox_key(row.order_id, row.checkout_id, row.milestone, row.rule_id, row.channel), row)
        rows = list(unique.values())
        if not rows:
            return []
        meta = self.model._meta
        using = self._db or router.db_for_write(self.model)
        connection = connections[using]
        qn = connection.ops.quote_name
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        params = []
        for row in rows:
            for field in fields:
                params.append(field.get_db_prep_save(field.pre_save(row, True), connection))
        values = "(" + ", ".join(["%s"] * len(fields)) + ")"
        key_columns = [meta.get_field(name).column for name in ("order", "checkout", "milestone", "rule", "channel")]
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
            f"VALUES {', '.join([values] * len(rows))} ON CONFLICT DO NOTHING "
            f"RETURNING {qn(meta.pk.column)}, {', '.join(qn(c) for c in key_columns)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchall()
        inserted = []
        for pk, *key in returned:
            row = unique[_outbox_key(*key)]
            row.pk = pk
            row._state.adding = False
            row._state.db = using
            inserted.append(row)
        return inserted


def _outbox_key(order_id, checkout_id, milestone, rule_id, channel) -> tuple:
    return (order_id, checkout_id, milestone, rule_id, channel)


class Notification(OutboxRow):
    """One message to one recipient on one channel: the outbox row and the log line.

    Its lifecycle (claim, retries, sweep, purge) is the outbox engine's: see notifications/outbox.py.
    """

    class Status(models.TextChoices):
        QUEUED = QUEUED, _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    class DeliveryStatus(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")
        REJECTED = "rejected", _("Rejected by the provider")

    # Exactly one of order and checkout (a checkout recovery message has no order yet).
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("order"),
    )
    checkout = models.ForeignKey(
        "checkouts.Checkout", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("checkout"),
    )
    milestone = models.CharField(_("milestone"), max_length=30, choices=LOG_MILESTONE_CHOICES)
    # Set (with milestone "rule") when a staff-made notification rule wrote the row. A rule with
    # rows in the log cannot be deleted: deactivate it.
    rule = models.ForeignKey(
        "notifications.NotificationRule", on_delete=models.PROTECT, null=True, blank=True,
        related_name="notifications", verbose_name=_("rule"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Why it was skipped, failed or waits for a retry (notifications/reasons.py); `reason` tells it.
    reason_code = models.CharField(_("reason"), max_length=30, choices=Reason.choices, blank=True)
    reason_detail = models.TextField(_("reason detail"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    fallback_for = models.CharField(
        _("fallback for"), max_length=10, choices=Channel.choices, blank=True,
        help_text=_("Sent on this channel because the named channel could not reach the customer."),
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    subject = models.CharField(_("subject or title"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    delivery_status = models.CharField(
        _("delivery report"), max_length=12, choices=DeliveryStatus.choices, blank=True,
        help_text=_("What the email provider reported after sending."),
    )
    delivery_status_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta(OutboxRow.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notification log")
        constraints = [
            # Exactly once per (order, milestone, channel), per (order, rule, channel) and per
            # (checkout, milestone, channel): the outbox writers rely on these.
            models.UniqueConstraint(
                fields=["order", "milestone", "channel"], condition=Q(rule__isnull=True, order__isnull=False),
                name="notification_once_per_channel",
            ),
            models.UniqueConstraint(
                fields=["order", "rule", "channel"], condition=Q(rule__isnull=False),
                name="notification_once_per_rule_and_channel",
            ),
            models.UniqueConstraint(
                fields=["checkout", "milestone", "channel"], condition=Q(checkout__isnull=False),
                name="notification_once_per_checkout_and_channel",
            ),
            models.CheckConstraint(
                condition=Q(order__isnull=False, checkout__isnull=True) | Q(order__isnull=True, checkout__isnull=False),
                name="notification_order_or_checkout",
            ),
            models.CheckConstraint(
                condition=(Q(rule__isnull=True) & ~Q(milestone=RULE))
                | Q(rule__isnull=False, milestone=RULE, order__isnull=False),
                name="notification_rule_rows_are_rule_milestone",
            ),
        ]
        indexes = [
            *OutboxRow.Meta.indexes,  # notification_due_idx
            models.Index(fields=["channel", "provider_message_id"], name="notification_provider_id_idx"),
        ]
        permissions = [("resend_notification", _("Can resend failed notifications"))]

    def __str__(self):
        about = self.order_id if self.order_id else f"checkout {self.checkout_id}"
        what = f"rule {self.rule_id}" if self.rule_id else self.milestone
        return f"{about} {what} {self.channel} {self.status}"

    @property
    def reason(self) -> str:
        """Why it was skipped, failed or waits, in the active language (the reader's)."""
        return sentence(self.reason_code, self.reason_detail, attempts=self.attempts)

    @property
    def what_label(self) -> str:
        """The milestone, or the rule's name, as staff read it in the log."""
        if self.rule_id:
            return self.rule.name
        return str(self.get_milestone_display())


class PushSubscription(models.Model):
    """A browser that asked, on the order's timeline page, to be told about this order."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="push_subscriptions", verbose_name=_("order")
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["order", "endpoint"], name="push_subscription_once_per_browser"),
        ]

    def __str__(self):
        return self.endpoint[:60]

    def as_subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class MilestoneSetting(models.Model):
    """The purchase experience switches of one milestone: which channels tell the customer."""

    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices, unique=True)
    email = models.BooleanField(_("email"), default=False)
    sms = models.BooleanField(_("SMS"), default=False)
    push = models.BooleanField(_("web push"), default=False)
    fallback_channel = models.CharField(
        _("fallback channel"), max_length=10, choices=Channel.choices, blank=True,
        help_text=_("Used when an enabled channel cannot reach the customer (no address, no SMS credits, "
                    "a refused message)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("purchase experience")
        verbose_name_plural = _("purchase experience")

    def __str__(self):
        return Milestone(self.milestone).label

    def is_enabled(self, channel: str) -> bool:
        return bool(getattr(self, channel))

    @property
    def enabled_channels(self) -> list[str]:
        return [channel for channel in Channel.values if self.is_enabled(channel)]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .rendering import forget_cached

        forget_cached()


class PurchaseExperienceChange(models.Model):
    """Who changed a purchase experience switch, and when. Append-only."""

    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("changed by"),
    )
    setting = models.CharField(_("setting"), max_length=200)
    old_value = models.CharField(_("before"), max_length=200, blank=True)
    new_value = models.CharField(_("after"), max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("purchase experience change")
        verbose_name_plural = _("purchase experience changes")

    def __str__(self):
        return f"{self.setting}: {self.old_value} → {self.new_value}"


class MessageText(models.Model):
    """The words of a message: what milestone templates and rule messages share.

    Rendered with Django's template language against a small context (see rendering.py) and
    validated the same way (`rendering.validate_template`). Subclasses say which `channel`
    and `milestone` the text is for.
    """

    subject = models.CharField(
        _("subject or title"), max_length=300, blank=True,
        help_text=_("Email subject or push notification title. Not used by SMS."),
    )
    body = models.TextField(_("message"), help_text=_("Email text, SMS text or push notification body."))
    html_body = models.TextField(
        _("HTML message"), blank=True, help_text=_("Optional HTML version of the email. Not used by SMS or push."),
    )
    url = models.CharField(
        _("link"), max_length=500, blank=True,
        help_text=_("Web push only: the page opened when the customer clicks the notification."),
    )
    gsm7_friendly = models.BooleanField(
        _("GSM-7 friendly"), default=False,
        help_text=_("SMS only: replace accents that GSM-7 lacks (á → a, ç → c) so the message costs fewer "
                    "segments."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        abstract = True

    def clean(self):
        from .rendering import validate_template

        validate_template(self)


class MessageTemplate(MessageText):
    """The words of one milestone on one channel in one language, editable by the staff."""

    milestone = models.CharField(_("milestone"), max_length=30, choices=Milestone.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)

    class Meta:
        ordering = ["milestone", "channel", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "channel", "language"], name="message_template_once"),
        ]

    def __str__(self):
        return f"{Milestone(self.milestone).label} · {Channel(self.channel).label} · {self.language}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .rendering import forget_cached

        forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from .rendering import forget_cached

        forget_cached()
        return result


class DailyNotificationCount(models.Model):
    """How many notifications a day had per milestone, channel and status; kept after the log is purged."""

    day = models.DateField(_("day"))
    # Rule messages are counted together under "rule".
    milestone = models.CharField(_("milestone"), max_length=30, choices=LOG_MILESTONE_CHOICES)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Notification.Status.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["-day", "milestone", "channel", "status"]
        verbose_name = _("daily notification count")
        verbose_name_plural = _("daily notification counts")
        constraints = [
            models.UniqueConstraint(fields=["day", "milestone", "channel", "status"], name="daily_count_once"),
        ]

    def __str__(self):
        return f"{self.day} {self.milestone} {self.channel} {self.status}: {self.count}"


class EmailTrackingEvent(models.Model):
    """An email provider's tracking event already applied (providers may post the same event twice)."""

    event_key = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=30)
    message_id = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("email tracking event")
        verbose_name_plural = _("email tracking events")

    def __str__(self):
        return f"{self.event_type} {self.message_id}"


class NewOrderNoticeState(models.Model):
    """Up to when a staff member has seen the new-order notices on the admin index."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    seen_until = models.DateTimeField(_("seen until"))

    class Meta:
        verbose_name = _("new order notice state")
        verbose_name_plural = _("new order notice states")

    def __str__(self):
        return f"{self.user_id} {self.seen_until}"


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
