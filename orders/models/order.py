"""The order and its lines: what was bought, by whom, how it is paid and handed over.

`status` and `payment_status` are not editable here: orders/services/ writes them, nothing else.
"""
import secrets
from decimal import Decimal

from babel.numbers import list_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from config.translated import ChoiceLabels

from .. import links
from ..display import format_money
from .choices import (
    CUSTOM_STATUS_TYPE_ORDER, PAID_STATUSES, REFUNDABLE_STATUSES, FulfillmentMethod, Language, PaymentMethod,
    PaymentStatus, Status, WhatsAppOptInSource,
)

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


money = dict(max_digits=12, decimal_places=2)


class OrderQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("carrier", "storefront")

    def with_custom_statuses(self):
        """Prefetch each order's current custom statuses (one query for the whole page)."""
        from .custom_status import OrderCustomStatus  # it points at Order: defined after it

        return self.prefetch_related(
            models.Prefetch("custom_statuses", queryset=OrderCustomStatus.objects.select_related("status"))
        )


# The staff's order list reads a page of 50 in the order of one column, newest first on ties, or
# filtered by one column, newest first: an index per filter and sortable column, shaped
# (column, created_at, id), serves both in either direction (orders/admin/order.py makes the ties
# follow the column's direction). PostgreSQL-only indexes (trigram search on names and phones, the
# oversold filter's partial index) are created by orders/migrations/0008 outside this list.
LIST_COLUMNS = [
    "status", "payment_status", "payment_method", "fulfillment_method", "storefront", "carrier", "city",
    "customer_name", "total",
]
LIST_INDEXES = [
    models.Index(fields=["created_at", "id"], name="order_list_idx"),
    *(
        models.Index(fields=[column, "created_at", "id"], name=f"order_list_{column[:15]}_idx")
        for column in LIST_COLUMNS
    ),
]
# The search's exact, case-insensitive lookups (orders/admin/search.py).
SEARCH_INDEXES = [
    models.Index(Upper("customer_email"), name="order_search_email_idx"),
    models.Index(Upper("tracking_code"), name="order_search_tracking_idx"),
    models.Index(Upper("external_id"), name="order_search_external_idx"),
]


class Order(ChoiceLabels, models.Model):
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
    # The customer's consent to messages on WhatsApp (orders.services.set_whatsapp_opt_in writes it):
    # whether they gave it, where, and when they last answered (an opt-out keeps where and when).
    whatsapp_opt_in = models.BooleanField(_("WhatsApp updates"), default=False, editable=False)
    whatsapp_opt_in_source = models.CharField(
        _("WhatsApp answer given at"), max_length=20, choices=WhatsAppOptInSource.choices, blank=True, editable=False,
    )
    whatsapp_opt_in_at = models.DateTimeField(_("WhatsApp answer given on"), null=True, blank=True, editable=False)

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
        _("payment status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID, editable=False
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    # When the unpaid-order sweep sent its one payment reminder (orders/services/unpaid.py).
    payment_reminded_at = models.DateTimeField(_("payment reminder sent"), null=True, blank=True, editable=False)

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
            # The customer's other orders an opt-out of WhatsApp reaches (orders/services/consent.py).
            models.Index(fields=["customer_phone"], condition=Q(whatsapp_opt_in=True), name="order_whatsapp_phone_idx"),
            *LIST_INDEXES,
            *SEARCH_INDEXES,
        ]
        permissions = [
            ("accept_order", _("Can accept orders")),
            ("prepare_order", _("Can start preparing orders")),
            ("ship_order", _("Can ship orders")),
            ("ready_for_pickup_order", _("Can mark orders ready for pickup")),
            ("finalize_order", _("Can finalize orders")),
            ("cancel_order", _("Can cancel orders")),
            ("register_payment", _("Can register payments")),
            ("register_refund", _("Can register refunds")),
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
        """The payments covered the total (a refund since does not take the order back to unpaid)."""
        return self.payment_status in PAID_STATUSES

    @property
    def is_refundable(self) -> bool:
        """Paid, and not all of it refunded yet."""
        return self.payment_status in REFUNDABLE_STATUSES

    @property
    def has_refunds(self) -> bool:
        return self.payment_status in (PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)

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
        """An amount in the order's currency for a reader of `language` (the customer's by default)."""
        return format_money(amount, self.currency, language or self.language or get_language())

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
