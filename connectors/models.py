"""Connected stores: a storefront linked to its Tiendanube / Nuvemshop or Shopify account.

- `PlatformAccount`: the link, with the access token and webhook secret encrypted at rest.
- `MethodRule`: how the platform's payment and delivery methods become ours (staff-editable).
- `OrderLink`: one platform order and the order of ours it became (or why it could not yet).
- `PlatformEvent`: a received platform webhook, worked on by the worker (an outbox kind).
- `WriteBack`: tracking sent back to the platform when staff ship (an outbox kind), with its attempts.
"""
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.models import FulfillmentMethod, PaymentMethod
from outbox.models import QUEUED, OutboxAttempt, OutboxRow

from .crypto import EncryptedTextField


class Platform(models.TextChoices):
    TIENDANUBE = "tiendanube", "Tiendanube / Nuvemshop"
    SHOPIFY = "shopify", "Shopify"


class PlatformAccount(models.Model):
    """A storefront's account on its platform: how to call its API and check its webhooks."""

    storefront = models.OneToOneField(
        "storefronts.Storefront", on_delete=models.CASCADE, related_name="platform_account",
        verbose_name=_("storefront"),
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    # Tiendanube: the store id (the OAuth `user_id`); Shopify: the shop's myshopify.com domain.
    store_id = models.CharField(_("store on the platform"), max_length=255)
    access_token = EncryptedTextField(_("access token"), blank=True)
    # Shopify: the key that signs its webhooks (a Dev Dashboard app's client secret, which also gets its
    # tokens); Tiendanube: blank means the app's TIENDANUBE_CLIENT_SECRET.
    webhook_secret = EncryptedTextField(_("webhook signing secret"), blank=True)
    # Shopify Dev Dashboard apps: the client id the access token is requested with (it lasts about a day).
    client_id = models.CharField(_("client id"), max_length=100, blank=True)
    token_expires_at = models.DateTimeField(_("token expires at"), null=True, blank=True, editable=False)
    scope = models.CharField(_("granted scopes"), max_length=500, blank=True)
    # [{"topic": "order/paid", "id": "123"}]: what connecting registered on the platform.
    webhooks = models.JSONField(_("registered webhooks"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    problem = models.TextField(
        _("needs attention"), blank=True,
        help_text=_("Why the connection needs the staff (a refused token, webhooks that could not be registered)."),
    )
    connected_at = models.DateTimeField(_("connected at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["storefront__name"]
        verbose_name = _("platform connection")
        verbose_name_plural = _("platform connections")
        constraints = [
            models.UniqueConstraint(fields=["platform", "store_id"], name="platformaccount_one_per_store"),
        ]

    def __str__(self):
        return f"{self.storefront} ({self.get_platform_display()} {self.store_id})"


class Kind(models.TextChoices):
    PAYMENT = "payment", _("Payment method")
    FULFILLMENT = "fulfillment", _("Delivery method")


# The platform order fields a rule may look at, per platform and kind (the value is the field's path).
RULE_FIELDS = {
    (Platform.TIENDANUBE, Kind.PAYMENT): ["gateway", "payment_details.method", "payment_status"],
    (Platform.TIENDANUBE, Kind.FULFILLMENT): ["shipping_pickup_type", "shipping_option", "shipping"],
    (Platform.SHOPIFY, Kind.PAYMENT): ["payment_gateway_names", "financial_status"],
    (Platform.SHOPIFY, Kind.FULFILLMENT): ["shipping_address", "shipping_lines.title", "shipping_lines.code"],
}
FIELD_CHOICES = sorted({(field, field) for fields in RULE_FIELDS.values() for field in fields})
RESULTS = {Kind.PAYMENT: PaymentMethod, Kind.FULFILLMENT: FulfillmentMethod}


def comparable(value) -> str:
    """Case, accents and surrounding spaces ignored: "Transferência " matches "transferencia"."""
    text = unicodedata.normalize("NFKD", str(value or "")).casefold().strip()
    return "".join(char for char in text if not unicodedata.combining(char))


class MethodRule(models.Model):
    """When a platform order's field says this, our order gets that payment or delivery method.

    Rules are tried by position, lowest first; the first whose conditions all match decides. An
    order no rule maps is kept aside with the reason and recorded once a rule matches it.
    """

    class Match(models.TextChoices):
        EQUALS = "equals", _("is")
        CONTAINS = "contains", _("contains")

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    kind = models.CharField(_("maps"), max_length=20, choices=Kind.choices)
    field = models.CharField(_("when the field"), max_length=40, choices=FIELD_CHOICES)
    match = models.CharField(_("match"), max_length=10, choices=Match.choices, default=Match.EQUALS)
    value = models.CharField(_("value"), max_length=200, help_text=_("Case and accents are ignored."))
    and_field = models.CharField(_("and the field"), max_length=40, choices=FIELD_CHOICES, blank=True)
    and_match = models.CharField(_("match"), max_length=10, choices=Match.choices, default=Match.EQUALS)
    and_value = models.CharField(_("value"), max_length=200, blank=True)
    result = models.CharField(
        _("our method"), max_length=20, choices=[*PaymentMethod.choices, *FulfillmentMethod.choices],
    )
    position = models.PositiveIntegerField(_("position"), default=100, help_text=_("Lower is tried first."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["platform", "kind", "position", "id"]
        verbose_name = _("method rule")
        verbose_name_plural = _("method rules")

    def __str__(self):
        condition = f"{self.field} {self.get_match_display()} “{self.value}”"
        if self.and_field:
            condition += f" + {self.and_field} {self.get_and_match_display()} “{self.and_value}”"
        return f"{self.get_platform_display()}: {condition} → {self.get_result_display()}"

    def clean(self):
        super().clean()
        errors = {}
        fields = RULE_FIELDS.get((self.platform, self.kind), [])
        for name in ("field", "and_field"):
            chosen = getattr(self, name)
            if chosen and chosen not in fields:
                errors[name] = _("%(platform)s orders have no %(kind)s field “%(field)s”; use one of: %(fields)s.") % {
                    "platform": Platform(self.platform).label if self.platform else "?",
                    "kind": Kind(self.kind).label.lower() if self.kind else "?",
                    "field": chosen, "fields": ", ".join(fields),
                }
        if self.and_field and not self.and_value.strip():
            errors["and_value"] = _("Give the value the second field must have, or clear the second field.")
        results = RESULTS.get(self.kind)
        if results is not None and self.result not in results.values:
            errors["result"] = _("Choose one of our %(kind)s values.") % {"kind": Kind(self.kind).label.lower()}
        if errors:
            raise ValidationError(errors)

    def _matches(self, match: str, wanted: str, values) -> bool:
        wanted = comparable(wanted)
        for value in values:
            value = comparable(value)
            if (match == self.Match.CONTAINS and wanted and wanted in value) or value == wanted:
                return True
        return False

    def matches(self, facts: dict[str, list[str]]) -> bool:
        """Whether a platform order with these field values ({field: [values]}) meets the rule."""
        if not self._matches(self.match, self.value, facts.get(self.field, [])):
            return False
        return not self.and_field or self._matches(self.and_match, self.and_value, facts.get(self.and_field, []))


class OrderLink(models.Model):
    """One platform order, the order of ours it became, and what we last took from it.

    Its row is locked while a platform event is applied, so two events of one order never race.
    """

    account = models.ForeignKey(
        PlatformAccount, on_delete=models.CASCADE, related_name="order_links", verbose_name=_("connection"),
    )
    platform_order_id = models.CharField(_("platform order id"), max_length=100)
    platform_number = models.CharField(_("platform order number"), max_length=50, blank=True)
    order = models.OneToOneField(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="platform_link",
        verbose_name=_("order"),
    )
    # When the platform last changed the order, as the version we applied said (older ones are skipped).
    platform_updated_at = models.DateTimeField(_("updated on the platform"), null=True, blank=True)
    # The contact and delivery values we last set from the platform: a field staff corrected since is kept.
    applied = models.JSONField(default=dict, blank=True, editable=False)
    problem = models.TextField(_("why it is not recorded"), blank=True)
    created_at = models.DateTimeField(_("first received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("platform order")
        verbose_name_plural = _("platform orders")
        constraints = [
            models.UniqueConstraint(fields=["account", "platform_order_id"], name="orderlink_one_per_platform_order"),
        ]

    def __str__(self):
        return self.platform_number or self.platform_order_id


class PlatformEvent(OutboxRow):
    """A webhook the platform sent: recorded at once, worked on by the worker (see services/processing.py)."""

    class Status(models.TextChoices):
        QUEUED = QUEUED, pgettext_lazy("platform event", "Queued")
        DONE = "done", pgettext_lazy("platform event", "Done")
        HELD = "held", pgettext_lazy("platform event", "Needs you")
        FAILED = "failed", pgettext_lazy("platform event", "Failed")

    account = models.ForeignKey(
        PlatformAccount, on_delete=models.CASCADE, related_name="events", verbose_name=_("connection"),
    )
    topic = models.CharField(_("event"), max_length=60)
    resource_id = models.CharField(_("platform id"), max_length=100, blank=True)
    # Shopify's X-Shopify-Event-Id: the same event delivered again is recorded once.
    event_id = models.CharField(_("platform event id"), max_length=100, blank=True)
    body = models.TextField(_("body"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(_("outcome"), blank=True)
    link = models.ForeignKey(
        OrderLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        verbose_name=_("platform order"),
    )
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta(OutboxRow.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("platform event")
        verbose_name_plural = _("platform events")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "event_id"], condition=~Q(event_id=""), name="platformevent_once_per_event_id",
            ),
            # Tiendanube sends only "order N changed": one waiting (unclaimed) row per order and topic
            # is enough, since the worker reads the order as it is when it gets to it.
            models.UniqueConstraint(
                fields=["account", "topic", "resource_id"],
                condition=Q(status=QUEUED, event_id="", locked_until__isnull=True, attempts=0),
                name="platformevent_one_waiting_per_resource",
            ),
        ]
        indexes = [*OutboxRow.Meta.indexes]


class WriteBack(OutboxRow):
    """Tracking (or "ready for pickup") sent to the platform once staff move a connected order."""

    class Status(models.TextChoices):
        QUEUED = QUEUED, pgettext_lazy("write-back", "Queued")
        DELIVERED = "delivered", pgettext_lazy("write-back", "Sent")
        FAILED = "failed", pgettext_lazy("write-back", "Failed")

    class Move(models.TextChoices):
        SHIPPED = "shipped", _("Shipped")
        READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")

    account = models.ForeignKey(
        PlatformAccount, on_delete=models.CASCADE, related_name="write_backs", verbose_name=_("connection"),
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="platform_write_backs", verbose_name=_("order"),
    )
    platform_order_id = models.CharField(_("platform order id"), max_length=100)
    move = models.CharField(_("move"), max_length=20, choices=Move.choices)
    carrier_name = models.CharField(pgettext_lazy("shipping company", "carrier"), max_length=100, blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=60, blank=True)
    tracking_url = models.URLField(_("tracking URL"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True)
    error = models.TextField(_("error"), blank=True)
    delivered_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta(OutboxRow.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("tracking write-back")
        verbose_name_plural = _("tracking write-backs")
        constraints = [
            models.UniqueConstraint(fields=["order", "move"], name="writeback_once_per_order_move"),
        ]
        indexes = [*OutboxRow.Meta.indexes]
        permissions = [("resend_writeback", _("Can send tracking to the platform again"))]

    def __str__(self):
        return f"{self.order_id} {self.move}"


class WriteBackAttempt(OutboxAttempt):
    """One call to the platform for a write-back: what it answered, or why it could not."""

    row_field = "write_back"

    write_back = models.ForeignKey(
        WriteBack, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("tracking write-back"),
    )

    class Meta(OutboxAttempt.Meta):
        verbose_name = _("write-back attempt")
        verbose_name_plural = _("write-back attempts")
