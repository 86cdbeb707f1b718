"""Custom statuses: the ones staff define beside the core lifecycle, and each order's current one per type."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext_lazy as _

from .choices import CustomStatusType
from .order import Order

# CustomStatus name field per customer language (Order.language values and Django language codes).
CUSTOM_STATUS_NAME_FIELDS = {"en": "name_en", "es": "name_es", "pt-br": "name_pt_br", "pt": "name_pt_br"}


class CustomStatus(models.Model):
    """A status staff define beside the core lifecycle ("out for delivery", "invoice issued").

    It never gates anything: `Order.status` and `Order.payment_status` stay the only gates.
    Never deleted once an order used it (the foreign keys to it are PROTECT): deactivate it.
    """

    type = models.CharField(_("type"), max_length=20, choices=CustomStatusType.choices)
    code = models.SlugField(
        _("code"), max_length=50,
        help_text=_("Stable code integrations send, e.g. out_for_delivery. Letters, digits, - and _ only."),
    )
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    name_pt_br = models.CharField(_("name (Portuguese, Brazil)"), max_length=100, blank=True)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Order among the statuses of its type; lower comes first.")
    )
    include_in_analytics = models.BooleanField(_("include in analytics"), default=False)
    active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Inactive statuses stay on the orders that have them but cannot be set."),
    )

    class Meta:
        ordering = ["type", "position", "id"]
        verbose_name = _("custom status")
        verbose_name_plural = _("custom statuses")
        constraints = [
            models.UniqueConstraint(fields=["type", "code"], name="customstatus_unique_code_per_type"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if not (self.name_en.strip() or self.name_es.strip() or self.name_pt_br.strip()):
            raise ValidationError(_("Give the status a name in at least one language."), code="name_required")

    def name_in(self, language: str | None) -> str:
        """The name in `language` ("es", "pt-br", "en", "es-ar", "pt_BR"...), else another filled name."""
        language = (language or "").lower().replace("_", "-")
        field = CUSTOM_STATUS_NAME_FIELDS.get(language) or CUSTOM_STATUS_NAME_FIELDS.get(language.split("-")[0])
        candidates = [field] if field else []
        candidates += ["name_en", "name_es", "name_pt_br"]
        for candidate in candidates:
            name = (getattr(self, candidate) or "").strip()
            if name:
                return name
        return self.code

    @property
    def label(self) -> str:
        """The name in the active language."""
        return self.name_in(get_language())

    def is_used(self) -> bool:
        """True once any order has, or had, this status (then it can never be deleted)."""
        return self.order_statuses.exists() or self.events.exists()


class OrderCustomStatus(models.Model):
    """An order's current custom status of one type (at most one per type)."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="custom_statuses", verbose_name=_("order")
    )
    type = models.CharField(_("type"), max_length=20, choices=CustomStatusType.choices)
    status = models.ForeignKey(
        CustomStatus, on_delete=models.PROTECT, related_name="order_statuses", verbose_name=_("status")
    )
    set_at = models.DateTimeField(_("set at"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("set by"),
    )

    class Meta:
        ordering = ["order", "type"]
        verbose_name = _("order custom status")
        verbose_name_plural = _("order custom statuses")
        constraints = [
            models.UniqueConstraint(fields=["order", "type"], name="ordercustomstatus_one_per_type"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.type}: {self.status_id}"
