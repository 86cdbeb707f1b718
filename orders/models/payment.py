"""Payments registered against an order, with their optional proof of payment."""
import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..validators import validate_payment_proof
from .order import Order, money

PROOF_FOLDER = "payment-proofs"


def payment_proof_path(instance, filename):
    """`payment-proofs/<yyyy>/<mm>/<random>.<ext>`: nothing in the name comes from the order, its
    customer's timeline token or the uploaded file's name. Proofs are served only through the
    staff view (orders/admin/sheet.py), never from a public address."""
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
