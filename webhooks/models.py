"""Signed outbound webhooks: the endpoints a storefront registers and the deliveries (the outbox).

One `Delivery` row per event and subscribed endpoint is written inside the order's transaction
(see services.py); its body is built when that transaction commits (or at the first claim, if the
process stopped in between), stored, and sent as it is on every attempt.
"""
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outbox.models import QUEUED, OutboxAttempt, OutboxRow

from .reasons import REASONS

from .validators import validate_endpoint_url

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """256 random bits, shown to the storefront so it can check each delivery's signature."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class Event(models.TextChoices):
    ORDER_CREATED = "order.created", pgettext_lazy("webhook event", "Order created")
    ORDER_PAID = "order.paid", pgettext_lazy("webhook event", "Order paid")
    ORDER_STATUS_CHANGED = "order.status_changed", pgettext_lazy("webhook event", "Order status changed")
    ORDER_SHIPPED = "order.shipped", pgettext_lazy("webhook event", "Order shipped")
    ORDER_CUSTOM_STATUS_CHANGED = (
        "order.custom_status_changed", pgettext_lazy("webhook event", "Order custom status changed")
    )
    ORDER_CANCELLED = "order.cancelled", pgettext_lazy("webhook event", "Order cancelled")
    ORDER_REFUNDED = "order.refunded", pgettext_lazy("webhook event", "Order refunded")


def validate_events(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one event."), code="required")
    unknown = [item for item in value if item not in Event.values]
    if unknown:
        raise ValidationError(
            _("Unknown events: %(events)s."), code="invalid", params={"events": ", ".join(map(str, unknown))}
        )


class Endpoint(models.Model):
    """An address of a storefront's that receives the events it subscribed to, signed with its secret."""

    storefront = models.ForeignKey(
        "storefronts.Storefront", on_delete=models.CASCADE, related_name="webhook_endpoints",
        verbose_name=_("storefront"),
    )
    url = models.URLField(
        _("URL"), max_length=500, validators=[validate_endpoint_url],
        help_text=_("Where the events are posted (https)."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(
        _("events"), default=list, validators=[validate_events], help_text=_("The event types sent to this endpoint."),
    )
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret, editable=False)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to stop sending events to this endpoint."),
    )
    consecutive_failures = models.PositiveIntegerField(
        _("consecutive failures"), default=0, editable=False,
        help_text=_("Deliveries that failed in a row; a successful one sets it back to zero."),
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["storefront", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.url

    @property
    def is_disabled(self) -> bool:
        """Turned off automatically because it kept failing (until someone enables it again)."""
        return self.disabled_at is not None

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in (self.events or [])


class Delivery(OutboxRow):
    """One event sent to one endpoint: the outbox row, then the log of how it went.

    Its lifecycle (claim, retries, sweep, purge) is the outbox engine's: see webhooks/outbox.py.
    """

    class Status(models.TextChoices):
        QUEUED = QUEUED, pgettext_lazy("webhook delivery", "Queued")
        DELIVERED = "delivered", pgettext_lazy("webhook delivery", "Delivered")
        FAILED = "failed", pgettext_lazy("webhook delivery", "Failed")

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries",
        verbose_name=pgettext_lazy("webhook", "endpoint"),
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="webhook_deliveries",
        verbose_name=_("order"),
    )
    # The same id for every endpoint of the event and on every attempt: receivers de-duplicate on it.
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("event"), max_length=40, choices=Event.choices)
    # What the event itself says ({"created_at", "data"}), from the signal, until the body is built.
    event_data = models.JSONField(_("event data"), default=dict, editable=False, encoder=DjangoJSONEncoder)
    # The JSON posted, exactly as signed: built once, from the committed order ("" until then).
    body = models.TextField(_("body"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True, help_text=_("The start of it."))
    # Why it failed or waits (webhooks/reasons.py): the code, and its detail in `error`.
    error_code = models.CharField(_("error code"), max_length=30, blank=True)
    error = models.TextField(_("error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta(OutboxRow.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_once_per_endpoint"),
        ]
        indexes = [
            *OutboxRow.Meta.indexes,  # delivery_due_idx
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent_idx"),
        ]
        permissions = [("redeliver_delivery", _("Can redeliver webhooks"))]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"

    @property
    def error_text(self) -> str:
        """Why it failed or waits, in the active language (the reader's)."""
        return REASONS.sentence(self.error_code, self.error, attempts=self.attempts)


class Attempt(OutboxAttempt):
    """One POST of a delivery: what the endpoint answered, or why it could not."""

    row_field = "delivery"
    reasons = REASONS

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery"),
    )

    class Meta(OutboxAttempt.Meta):
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
