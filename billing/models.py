"""SMS credits: service tiers, the store's credit account and its append-only ledger.

The account row holds the two balances (this month's allowance and purchased credits) and is
the row every change locks. Each change of a balance writes one ledger row per bucket it
touches, in the same transaction, so the balances always equal the sums of the ledger.
"""
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


class ServiceTier(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    monthly_allowance = models.PositiveIntegerField(
        _("monthly SMS allowance"),
        validators=[MinValueValidator(1)],
        help_text=_("SMS credits granted on the first day of each month; unused ones do not carry over."),
    )

    class Meta:
        ordering = ["monthly_allowance", "name"]
        verbose_name = _("service tier")
        verbose_name_plural = _("service tiers")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_allowance__gte=1), name="billing_tier_allowance_positive"),
        ]

    def __str__(self):
        allowance = number_format(self.monthly_allowance, force_grouping=True)
        return _("%(name)s (%(allowance)s SMS a month)") % {"name": self.name, "allowance": allowance}


class WhatsAppPrice(models.Model):
    """What one WhatsApp message costs in credits, by the country of the number it goes to (Meta
    prices its messages by the recipient's country). The row without a country is the price of
    every country without a row of its own."""

    country = models.CharField(
        _("country"), max_length=2, blank=True, unique=True,
        help_text=_("ISO 3166 code of the destination number's country (AR, BR, MX...); empty: every other "
                    "country."),
    )
    credits = models.PositiveIntegerField(
        _("credits per message"), validators=[MinValueValidator(1)],
    )

    class Meta:
        ordering = ["country"]
        verbose_name = _("WhatsApp price")
        verbose_name_plural = _("WhatsApp prices")
        constraints = [
            models.CheckConstraint(condition=Q(credits__gte=1), name="billing_whatsapp_price_positive"),
        ]

    def __str__(self):
        where = self.country or _("every other country")
        return _("%(where)s: %(credits)s credits") % {"where": where, "credits": self.credits}

    def clean(self):
        import phonenumbers
        from django.core.exceptions import ValidationError

        self.country = (self.country or "").strip().upper()
        if self.country and self.country not in phonenumbers.SUPPORTED_REGIONS:
            raise ValidationError({"country": _("Not a country code phone numbers have (AR, BR, MX...).")})


class WarningLevel(models.TextChoices):
    OK = "ok", _("OK")
    LOW = "low", _("Running low")
    EMPTY = "empty", _("Used up")


class CreditAccount(models.Model):
    """The store's SMS credits: one row (pk 1), locked by every change of its balances."""

    tier = models.ForeignKey(
        ServiceTier, on_delete=models.PROTECT, related_name="+", verbose_name=_("service tier")
    )
    pending_tier = models.ForeignKey(
        ServiceTier, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tier from the next monthly grant"),
    )
    pending_tier_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tier change requested by"),
    )
    pending_tier_requested_at = models.DateTimeField(_("tier change requested at"), null=True, blank=True)
    # The month whose allowance the monthly bucket holds (its first day); null before the first grant.
    period = models.DateField(_("allowance month"), null=True, blank=True)
    monthly_remaining = models.PositiveIntegerField(_("monthly allowance remaining"), default=0)
    purchased = models.PositiveIntegerField(_("purchased credits"), default=0)
    # The last low-balance threshold staff were emailed about (one email per crossing).
    warning_level = models.CharField(
        _("last warning sent"), max_length=10, choices=WarningLevel.choices, default=WarningLevel.OK
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SMS credit account")
        verbose_name_plural = _("SMS credit account")
        permissions = [
            ("top_up_credits", _("Can top up SMS credits")),
            ("change_service_tier", _("Can change the service tier")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_remaining__gte=0), name="billing_monthly_not_negative"),
            models.CheckConstraint(condition=Q(purchased__gte=0), name="billing_purchased_not_negative"),
        ]

    def __str__(self):
        return str(_("SMS credits"))

    @property
    def total(self) -> int:
        return self.monthly_remaining + self.purchased


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The SMS credit ledger is append-only: rows are never updated.")

    def delete(self):
        raise TypeError("The SMS credit ledger is append-only: rows are never deleted.")

    delete.queryset_only = True


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", _("Monthly grant")
        EXPIRY = "expiry", _("Unused allowance expired")
        TOP_UP = "top_up", _("Top-up")
        CHARGE = "charge", _("Message charge")
        REFUND = "refund", _("Refund")
        ADJUSTMENT = "adjustment", _("Adjustment")

    class Bucket(models.TextChoices):
        MONTHLY = "monthly", _("Monthly allowance")
        PURCHASED = "purchased", _("Purchased credits")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    bucket = models.CharField(_("bucket"), max_length=10, choices=Bucket.choices)
    amount = models.IntegerField(_("credits"), help_text=_("Positive adds credits, negative takes them."))
    balance_after = models.PositiveIntegerField(_("bucket balance after"))
    # The allowance month the account was in when the row was written.
    period = models.DateField(_("allowance month"))
    # Rows written together (a charge paid from both buckets) share it.
    operation = models.UUIDField(_("operation"), default=uuid.uuid4, db_index=True, editable=False)
    # A plain id, not a foreign key: the ledger outlives the notification log's purge.
    notification_id = models.PositiveBigIntegerField(_("notification"), null=True, blank=True, db_index=True)
    refund_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refund",
        verbose_name=_("refund of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    reference = models.CharField(_("invoice or payment reference"), max_length=100, blank=True)
    # The top-up form's one-time token: a double submit applies once.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("SMS credit ledger")
        indexes = [models.Index(fields=["kind", "created_at"], name="billing_ledger_kind_date")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="billing_ledger_amount_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="billing_ledger_balance_not_negative"),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["grant", "top_up", "refund"], amount__gt=0)
                    | Q(kind__in=["charge", "expiry"], amount__lt=0)
                    | Q(kind="adjustment")
                ),
                name="billing_ledger_amount_sign",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["grant", "expiry"], bucket="monthly")
                | Q(kind="top_up", bucket="purchased")
                | Q(kind__in=["charge", "refund", "adjustment"]),
                name="billing_ledger_kind_bucket",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["charge", "refund"]) | Q(notification_id__isnull=False),
                name="billing_ledger_sms_has_notification",
            ),
            models.CheckConstraint(
                condition=Q(kind="refund", refund_of__isnull=False) | (~Q(kind="refund") & Q(refund_of__isnull=True)),
                name="billing_ledger_refund_of_charge",
            ),
            # The monthly grant is idempotent: one per allowance month, whatever runs it.
            models.UniqueConstraint(fields=["period"], condition=Q(kind="grant"), name="billing_one_grant_per_month"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount:+d} ({self.get_bucket_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The SMS credit ledger is append-only: rows are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The SMS credit ledger is append-only: rows are never deleted.")
