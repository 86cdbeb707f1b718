from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from orders.display import format_money
from orders.models import Language


class Checkout(models.Model):
    """A checkout a storefront reported as started: recovered when an order completes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REMINDED = "reminded", _("Reminded")
        RECOVERED = "recovered", _("Recovered")
        EXPIRED = "expired", _("Expired")

    storefront = models.ForeignKey(
        "storefronts.Storefront", on_delete=models.PROTECT, related_name="checkouts", verbose_name=_("storefront")
    )
    external_id = models.CharField(_("checkout id"), max_length=100, help_text=_("The storefront's own id."))
    customer_name = models.CharField(_("customer name"), max_length=200, blank=True)
    customer_email = models.EmailField(_("customer email"), blank=True)
    customer_phone = PhoneNumberField(_("customer phone"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.SPANISH)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    lines = models.JSONField(_("lines"), default=list, blank=True)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, null=True, blank=True)
    resume_url = models.URLField(
        _("resume link"), max_length=1000,
        validators=[URLValidator(schemes=["https"], message=_("Enter an https:// address."))],
        help_text=_("Where the customer picks up the checkout again (sent in the recovery message)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recovered by order"),
    )
    # When the customer started the checkout (the storefront may say so; the report's time otherwise).
    created_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    # The customer's last activity the storefront reported: the recovery delay counts from it.
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        constraints = [
            models.UniqueConstraint(fields=["storefront", "external_id"], name="checkout_once_per_storefront"),
        ]
        indexes = [models.Index(fields=["status", "last_activity_at"], name="checkout_due_for_reminder")]

    def __str__(self):
        return self.external_id

    @property
    def is_closed(self) -> bool:
        """Recovered or expired: a new report does not reopen it."""
        return self.status in (self.Status.RECOVERED, self.Status.EXPIRED)

    @property
    def customer_first_name(self) -> str:
        return (self.customer_name or "").split(" ")[0]

    def format_money(self, amount, language: str | None = None) -> str:
        """An amount in the checkout's currency for a reader of `language` (like Order.format_money)."""
        return format_money(amount, self.currency, language or self.language or get_language())
