import os
import secrets
import uuid
from decimal import Decimal

from babel.numbers import format_currency, list_currencies
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy as _, to_locale
from phonenumber_field.modelfields import PhoneNumberField

from . import links
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

    def with_custom_statuses(self):
        """Prefetch each order's current custom statuses (one query for the whole page)."""
        return self.prefetch_related(
            models.Prefetch("custom_statuses", queryset=OrderCustomStatus.objects.select_related("status"))
        )


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
        indexes = [
            # Finding the order that completed a storefront's checkout (checkout recovery).
            models.Index(
                fields=["storefront", "external_checkout_id"], condition=~Q(external_checkout_id=""),
                name="order_checkout_id_idx",
            ),
        ]
        permissions = [
            ("accept_order", _("Can accept orders")),
            ("prepare_order", _("Can start preparing orders")),
            ("ship_order", _("Can ship orders")),
            ("ready_for_pickup_order", _("Can mark orders ready for pickup")),
            ("finalize_order", _("Can finalize orders")),
            ("cancel_order", _("Can cancel orders")),
            ("register_payment", _("Can register payments")),
            ("set_custom_status", _("Can set custom statuses")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("admin:orders_order_change", args=[self.pk])

    def get_timeline_url(self) -> str:
        """The customer's public timeline page, absolute (it goes into messages)."""
        page = links.path(links.ORDER_PAGE, self.public_token)
        return settings.SITE_URL + page if page else ""

    def get_tracking_redirect_url(self) -> str:
        """Our own short link to the carrier's page: counts the click, never an open redirect."""
        if not (self.carrier_id and self.tracking_code):
            return ""
        redirect = links.path(links.TRACKING_REDIRECT, self.public_token)
        return settings.SITE_URL + redirect if redirect else ""

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

    @property
    def current_custom_statuses(self) -> dict[str, "CustomStatus"]:
        """The order's current custom status per type ({"delivery": CustomStatus, ...}).

        Uses the prefetched rows when the queryset called with_custom_statuses(), else one query.
        """
        rows = self.custom_statuses.all()
        if "custom_statuses" not in getattr(self, "_prefetched_objects_cache", {}):
            rows = rows.select_related("status")
        return {row.type: row.status for row in sorted(rows, key=lambda row: CUSTOM_STATUS_TYPE_ORDER[row.type])}


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


class CustomStatusType(models.TextChoices):
    GENERAL = "general", _("General")
    DELIVERY = "delivery", _("Delivery")
    PAYMENT = "payment", _("Payment")


# The order the types are shown in (admin columns, API output, order page).
CUSTOM_STATUS_TYPE_ORDER = {CustomStatusType.DELIVERY: 0, CustomStatusType.PAYMENT: 1, CustomStatusType.GENERAL: 2}

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


PROOF_FOLDER = "payment-proofs"


def payment_proof_path(instance, filename):
    """`payment-proofs/<yyyy>/<mm>/<random>.<ext>`: nothing in the name comes from the order, its
    customer's timeline token or the uploaded file's name. Proofs are served only through the
    staff view (orders/admin.py), never from a public address."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{PROOF_FOLDER}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


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

    @property
    def proof_download_name(self) -> str:
        """What staff download the proof as: the order number and the payment, e.g. "K7QH-2M9X-12.pdf"."""
        return f"{self.order.number}-{self.pk}{os.path.splitext(self.proof.name)[1].lower()}"


class OrderEvent(models.Model):
    """One row of an order's timeline. Append-only: never edited, never purged."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Order received")
        STATUS_CHANGED = "status_changed", _("Status changed")
        PAYMENT_REGISTERED = "payment_registered", _("Payment registered")
        NOTE = "note", _("Note")
        CUSTOM_STATUS = "custom_status", _("Custom status")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    # For CUSTOM_STATUS events: the status set (data = {"type", "from": code or None, "to": code}).
    custom_status = models.ForeignKey(
        CustomStatus, on_delete=models.PROTECT, null=True, blank=True, related_name="events",
        verbose_name=_("custom status"),
    )
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
