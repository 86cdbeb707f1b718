import secrets
from decimal import Decimal

from babel.numbers import format_currency, list_currencies
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy as _, to_locale
from phonenumber_field.modelfields import PhoneNumberField

from .validators import validate_payment_proof

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud on the phone


def new_order_number() -> str:
    """A public order number like "K7QH-2M9X": not the primary key, not guessable from it."""
    raw = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def new_public_token() -> str:
    """256 random bits for the customer's timeline address."""
    return secrets.token_urlsafe(32)


def validate_currency(value: str) -> None:
    if value not in list_currencies():
        raise ValidationError(_("“%(value)s” is not an ISO 4217 currency code."), params={"value": value})


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    PREPARING = "preparing", _("Preparing")
    SHIPPED = "shipped", _("Shipped")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    FINALIZED = "finalized", _("Finalized")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PAID = "paid", _("Paid")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    PAYMENT_LINK = "payment_link", _("Payment link")
    CASH_ON_DELIVERY = "cash_on_delivery", _("Cash on delivery")
    ONLINE = "online", _("Online payment")


class FulfillmentMethod(models.TextChoices):
    CARRIER = "carrier", _("Carrier")
    PICKUP = "pickup", _("Pickup")
    TO_BE_AGREED = "to_be_agreed", _("To be agreed")


class Language(models.TextChoices):
    SPANISH = "es", _("Spanish")
    PORTUGUESE_BRAZIL = "pt-br", _("Portuguese (Brazil)")
    ENGLISH = "en", _("English")


money = dict(max_digits=12, decimal_places=2)


class OrderQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("carrier", "storefront")


class Order(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, default=new_order_number, editable=False)
    public_token = models.CharField(max_length=64, unique=True, default=new_public_token, editable=False)
    storefront = models.ForeignKey(
        "storefronts.Storefront", on_delete=models.PROTECT, null=True, blank=True, related_name="orders",
        verbose_name=_("storefront"),
    )
    external_id = models.CharField(_("storefront order id"), max_length=100, blank=True)
    external_checkout_id = models.CharField(
        _("storefront checkout id"), max_length=100, blank=True,
        help_text=_("The storefront's id of the checkout this order completed, if it reported one."),
    )

    customer_name = models.CharField(_("customer name"), max_length=200)
    customer_email = models.EmailField(_("customer email"), blank=True)
    customer_phone = PhoneNumberField(_("customer phone"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.SPANISH)

    fulfillment_method = models.CharField(_("fulfillment"), max_length=20, choices=FulfillmentMethod.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("delivery address"), blank=True)
    pickup_point = models.TextField(_("pickup point"), blank=True, help_text=_("Address and opening hours."))
    carrier = models.ForeignKey(
        "carriers.Carrier", on_delete=models.PROTECT, null=True, blank=True, related_name="orders",
        verbose_name=_("carrier"),
    )
    tracking_code = models.CharField(_("tracking code"), max_length=60, blank=True, db_index=True)
    tracking_clicks = models.PositiveIntegerField(_("tracking link clicks"), default=0, editable=False)
    tracking_first_clicked_at = models.DateTimeField(_("first tracking click"), null=True, blank=True, editable=False)
    tracking_last_clicked_at = models.DateTimeField(_("last tracking click"), null=True, blank=True, editable=False)
    # SKUs this order took below zero stock when it was placed (the storefront had already sold them).
    oversold_skus = models.JSONField(_("oversold SKUs"), default=list, blank=True, editable=False)

    payment_method = models.CharField(_("payment method"), max_length=20, choices=PaymentMethod.choices)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    lines_total = models.DecimalField(_("products"), default=Decimal("0"), **money)
    shipping_cost = models.DecimalField(
        _("shipping"), default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))], **money
    )
    total = models.DecimalField(_("total"), default=Decimal("0"), **money)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, editable=False)
    payment_status = models.CharField(
        _("payment status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID, editable=False
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(
                fields=["storefront", "external_id"],
                condition=~Q(external_id=""),
                name="order_unique_external_id_per_storefront",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
        ]
        permissions = [
            ("accept_order", _("Can accept orders")),
            ("prepare_order", _("Can start preparing orders")),
            ("ship_order", _("Can ship orders")),
            ("ready_for_pickup_order", _("Can mark orders ready for pickup")),
            ("finalize_order", _("Can finalize orders")),
            ("cancel_order", _("Can cancel orders")),
            ("register_payment", _("Can register payments")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("admin:orders_order_change", args=[self.pk])

    def get_timeline_url(self) -> str:
        """The customer's public timeline page, absolute (it goes into messages)."""
        return settings.SITE_URL + reverse("timeline:order", args=[self.public_token])

    def get_tracking_redirect_url(self) -> str:
        """Our own short link to the carrier's page: counts the click, never an open redirect."""
        if not (self.carrier_id and self.tracking_code):
            return ""
        return settings.SITE_URL + reverse("timeline:track", args=[self.public_token])

    @property
    def is_paid(self) -> bool:
        return self.payment_status == PaymentStatus.PAID

    @property
    def customer_first_name(self) -> str:
        return (self.customer_name or "").split(" ")[0]

    @property
    def tracking_url(self) -> str:
        """The carrier's own public tracking page for this order, or ''."""
        if self.carrier_id and self.tracking_code:
            return self.carrier.tracking_url(self.tracking_code)
        return ""

    def format_money(self, amount, language: str | None = None) -> str:
        locale = to_locale(language or self.language or get_language() or "es")
        return format_currency(amount, self.currency, locale=locale)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    name = models.CharField(_("product"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), validators=[MinValueValidator(Decimal("0"))], **money)
    line_total = models.DecimalField(_("line total"), **money)

    class Meta:
        ordering = ["id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orderline_unit_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.name}"

    def save(self, *args, **kwargs):
        self.line_total = (self.unit_price or 0) * (self.quantity or 0)
        super().save(*args, **kwargs)


def payment_proof_path(instance, filename):
    return f"payment-proofs/{instance.order.public_token[:16]}/{filename}"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("order"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal("0.01"))], **money)
    reference = models.CharField(_("payment reference code"), max_length=120, blank=True)
    proof = models.FileField(
        _("proof of payment"), upload_to=payment_proof_path, blank=True, validators=[validate_payment_proof],
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return f"{self.order.number} {self.amount}"


class OrderEvent(models.Model):
    """One row of an order's timeline. Append-only: never edited, never purged."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Order received")
        STATUS_CHANGED = "status_changed", _("Status changed")
        PAYMENT_REGISTERED = "payment_registered", _("Payment registered")
        NOTE = "note", _("Note")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self):
        return f"{self.order_id} {self.kind} {self.to_status}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Order events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Order events are append-only.")

    @property
    def actor_label(self) -> str:
        if self.actor_id is None:
            return str(_("System"))
        try:
            storefront = self.actor.storefront
        except ObjectDoesNotExist:
            storefront = None
        if storefront is not None:
            return str(_("%(name)s (storefront)") % {"name": storefront.name})
        return self.actor.get_full_name() or self.actor.get_username()
