"""The order's vocabulary: the values its status, payment, fulfillment, language and custom
status type take, each with the label people read."""
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


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
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


# The payments covered the order's total: it is paid, whatever the store refunded since.
PAID_STATUSES = frozenset({PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED})
# Paid, and not all of it refunded yet: a refund may be registered.
REFUNDABLE_STATUSES = frozenset({PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED})


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    PAYMENT_LINK = "payment_link", _("Payment link")
    CASH_ON_DELIVERY = "cash_on_delivery", _("Cash on delivery")
    ONLINE = "online", _("Online payment")


class FulfillmentMethod(models.TextChoices):
    # "Carrier" alone names the carrier itself (a message field, a column): the method has its own words.
    CARRIER = "carrier", pgettext_lazy("fulfillment method", "Carrier")
    PICKUP = "pickup", _("Pickup")
    TO_BE_AGREED = "to_be_agreed", _("To be agreed")


class Language(models.TextChoices):
    SPANISH = "es", _("Spanish")
    PORTUGUESE_BRAZIL = "pt-br", _("Portuguese (Brazil)")
    ENGLISH = "en", _("English")


class WhatsAppOptInSource(models.TextChoices):
    """Where the customer's answer to "updates on WhatsApp?" was recorded. (Neither Tiendanube's nor
    Shopify's orders carry a WhatsApp consent: their customers answer on the timeline page.)"""

    STOREFRONT = "storefront", _("Storefront checkout")
    TIMELINE = "timeline", _("Order timeline page")


class CustomStatusType(models.TextChoices):
    GENERAL = "general", _("General")
    DELIVERY = "delivery", _("Delivery")
    PAYMENT = "payment", _("Payment")


# The order the types are shown in (admin columns, API output, order page).
CUSTOM_STATUS_TYPE_ORDER = {CustomStatusType.DELIVERY: 0, CustomStatusType.PAYMENT: 1, CustomStatusType.GENERAL: 2}
