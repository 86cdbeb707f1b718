from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

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
    external_id = models.CharField(_("storefront checkout id"), max_length=100)
    customer_name = models.CharField(_("customer name"), max_length=200, blank=True)
    customer_email = models.EmailField(_("customer email"), blank=True)
    customer_phone = PhoneNumberField(_("customer phone"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.SPANISH)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    lines = models.JSONField(_("lines"), default=list, blank=True)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, null=True, blank=True)
    resume_url = models.URLField(_("resume link"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recovered by order"),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True, db_index=True)
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

    def __str__(self):
        return self.external_id

    @property
    def customer_first_name(self) -> str:
        return (self.customer_name or "").split(" ")[0]
