"""Payment links and the Mercado Pago payments they bring in.

- `PaymentLink`: an order's Checkout Pro link. The row is written `queued` in the order's own
  transaction (an outbox row: the worker makes the link at Mercado Pago, retried while it is down)
  and becomes `active` with its checkout address and expiry, or `failed`. Staff making a new link
  mark the old one `replaced`: an order has at most one current link (a partial unique constraint).
- `PaymentCheck`: a payment to read from Mercado Pago and act on, from a signed notification or a
  storefront that reported the payment id (an outbox row too). It keeps what was received and what
  came of it; purged after MERCADOPAGO_NOTIFICATION_RETENTION_DAYS.
- `MercadoPagoPayment`: one row per Mercado Pago payment id, as last read, with the order's payment
  it was registered as. The unique id, locked while a check works on it, is what registers a
  payment notified twice once. Refunds, chargebacks and payments that could not be registered are
  flagged here for staff (`attention`).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outbox.models import QUEUED, OutboxRow

from .reasons import ATTENTIONS, REASONS


class PaymentLink(OutboxRow):
    class Status(models.TextChoices):
        QUEUED = QUEUED, pgettext_lazy("payment link", "Being made")
        ACTIVE = "active", pgettext_lazy("payment link", "Active")
        FAILED = "failed", pgettext_lazy("payment link", "Failed")
        REPLACED = "replaced", pgettext_lazy("payment link", "Replaced")

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="payment_links", verbose_name=_("order"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    preference_id = models.CharField(_("Mercado Pago preference"), max_length=100, blank=True)
    checkout_url = models.URLField(_("checkout address"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # Why it failed or waits (paymentlinks/reasons.py): the code, and its detail in `error`.
    error_code = models.CharField(_("error code"), max_length=30, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("made by"), help_text=_("Empty when it was made for a new order."),
    )
    last_sent_at = models.DateTimeField(_("last sent again at"), null=True, blank=True)
    sent_count = models.PositiveSmallIntegerField(_("times sent again"), default=0)

    class Meta(OutboxRow.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment link")
        verbose_name_plural = _("payment links")
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=~Q(status="replaced"), name="paymentlink_one_current_per_order",
            ),
        ]
        permissions = [("make_payment_link", _("Can make and send payment links"))]

    def __str__(self):
        return f"{self.order_id} {self.status}"

    @property
    def error_text(self) -> str:
        """Why it failed or waits, in the active language (the reader's)."""
        return REASONS.sentence(self.error_code, self.error, attempts=self.attempts)


class PaymentCheck(OutboxRow):
    class Source(models.TextChoices):
        NOTIFICATION = "notification", _("Mercado Pago notification")
        STOREFRONT = "storefront", _("Reported by the storefront")

    class Status(models.TextChoices):
        QUEUED = QUEUED, pgettext_lazy("payment check", "Queued")
        DONE = "done", pgettext_lazy("payment check", "Done")
        IGNORED = "ignored", pgettext_lazy("payment check", "Ignored")
        FAILED = "failed", pgettext_lazy("payment check", "Failed")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    payment_id = models.CharField(_("Mercado Pago payment"), max_length=64, db_index=True)
    # A storefront's report names its order; a notification names the order in the payment's external reference.
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("order"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reported by"),
    )
    action = models.CharField(_("action"), max_length=60, blank=True)
    request_id = models.CharField(_("request id"), max_length=100, blank=True)
    body = models.JSONField(_("body received"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # What came of it (paymentlinks/reasons.py): the code, and its detail in `outcome`.
    outcome_code = models.CharField(_("outcome code"), max_length=30, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta(OutboxRow.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("received payment notice")
        verbose_name_plural = _("received payment notices")

    def __str__(self):
        return f"{self.source} {self.payment_id}"

    @property
    def outcome_text(self) -> str:
        """What came of it, in the active language (the reader's)."""
        return REASONS.sentence(self.outcome_code, self.outcome, attempts=self.attempts)


class MercadoPagoPayment(models.Model):
    payment_id = models.CharField(_("Mercado Pago payment"), max_length=64, unique=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="mercadopago_payments",
        verbose_name=_("order"),
    )
    status = models.CharField(_("Mercado Pago status"), max_length=30, blank=True)
    status_detail = models.CharField(_("status detail"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    external_reference = models.CharField(_("external reference"), max_length=256, blank=True)
    registered_payment = models.OneToOneField(
        "orders.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="mercadopago_payment",
        verbose_name=_("registered as"),
    )
    # What staff must look at (a refund, a chargeback, a payment that could not be registered), or "":
    # the code (paymentlinks/reasons.py, Attention) and the sentence's values in `attention`.
    attention_code = models.CharField(max_length=40, blank=True, editable=False)
    attention = models.TextField(_("needs attention"), blank=True)
    attention_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("first seen at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last read at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Mercado Pago payment")
        verbose_name_plural = _("Mercado Pago payments")
        indexes = [
            models.Index(fields=["attention_at"], condition=~Q(attention=""), name="mp_payment_attention_idx"),
        ]

    def __str__(self):
        return self.payment_id

    @property
    def needs_attention(self) -> bool:
        return bool(self.attention) and self.handled_at is None

    @property
    def attention_text(self) -> str:
        """What staff must look at, in the active language (the reader's)."""
        return ATTENTIONS.sentence(self.attention_code, self.attention)
