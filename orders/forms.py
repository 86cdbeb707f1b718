"""Forms behind the staff's move buttons on the order page.

Each form only collects and checks the input of a move; the move itself (and every check of
the order's state and payment) happens in orders/services/.
"""
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from carriers.models import Carrier

from .models import PaymentMethod
from .validators import validate_payment_proof


class MoveForm(forms.Form):
    """A move that asks for nothing but whether to tell the customer."""

    notify_customer = forms.BooleanField(
        label=_("Notify the customer"),
        required=False,
        initial=True,
        help_text=_("Send the customer the message for this step (email, SMS, push, as configured)."),
    )

    def __init__(self, *args, order, **kwargs):
        self.order = order
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        """Keyword arguments for the service function, from the cleaned data."""
        return {"notify_customer": self.cleaned_data["notify_customer"]}

    def add_service_error(self, error: ValidationError) -> None:
        """Show a ValidationError raised by a service on the field it names, or on the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class ShipForm(MoveForm):
    carrier = forms.ModelChoiceField(
        label=capfirst(Carrier._meta.verbose_name),
        queryset=Carrier.objects.none(),
        empty_label=_("Select the carrier"),
    )
    tracking_code = forms.CharField(
        label=_("Tracking code"),
        max_length=60,
        help_text=_("As printed on the carrier's receipt; spaces and dashes are removed."),
    )
    field_order = ["carrier", "tracking_code", "notify_customer"]

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        self.fields["carrier"].queryset = Carrier.objects.active()
        if order.carrier_id and order.carrier.active:
            self.fields["carrier"].initial = order.carrier_id
        if order.tracking_code:
            self.fields["tracking_code"].initial = order.tracking_code

    def clean(self):
        cleaned = super().clean()
        carrier = cleaned.get("carrier")
        if carrier is not None and "tracking_code" in cleaned:
            try:
                cleaned["tracking_code"] = carrier.clean_tracking_code(cleaned["tracking_code"])
            except ValidationError as error:
                self.add_error("tracking_code", error)
        return cleaned

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "carrier": self.cleaned_data["carrier"],
            "tracking_code": self.cleaned_data["tracking_code"],
        }


class CancelForm(MoveForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text=_("Kept on the order's timeline; the customer sees it in the cancellation message."),
    )
    field_order = ["reason", "notify_customer"]

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "reason": self.cleaned_data["reason"]}


class CustomStatusForm(MoveForm):
    """The order's custom status of one type: one of the type's active statuses, or none."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        help_text=_("Choose “—” to clear this type's status (a correction; the customer is not told)."),
    )
    field_order = ["status", "notify_customer"]

    def __init__(self, *args, order, choices, current: str = "", **kwargs):
        super().__init__(*args, order=order, **kwargs)
        self.fields["status"].choices = [("", "—"), *choices]
        self.fields["status"].initial = current
        self.fields["notify_customer"].help_text = _(
            "Tell the customer, if the store has a message for this status."
        )


class BulkCustomStatusForm(forms.Form):
    """The bulk action's choice: one active custom status (of any type) for every selected order."""

    status = forms.TypedChoiceField(label=_("Status"), coerce=int)
    notify_customer = forms.BooleanField(
        label=_("Notify the customers"),
        required=False,
        initial=True,
        help_text=_("Tell each customer, if the store has a message for this status."),
    )

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for status in statuses:
            groups.setdefault(status.get_type_display(), []).append((status.pk, status.label))
        self.fields["status"].choices = [("", "—"), *groups.items()]
        self.statuses = {status.pk: status for status in statuses}

    def clean_status(self):
        value = self.cleaned_data["status"]
        if value not in self.statuses:
            raise ValidationError(_("Choose one of the active statuses."), code="invalid_choice")
        return self.statuses[value]


# Methods whose payments always carry a bank or gateway reference or a receipt.
PROOF_OR_REFERENCE_REQUIRED = frozenset({PaymentMethod.TRANSFER, PaymentMethod.PAYMENT_LINK})


class PaymentForm(MoveForm):
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    reference = forms.CharField(
        label=_("Payment reference code"),
        max_length=120,
        required=False,
        help_text=_("The transfer's or the payment link's operation number, or the receipt number."),
    )
    proof = forms.FileField(
        label=_("Proof of payment"),
        required=False,
        validators=[validate_payment_proof],
        help_text=_("PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
    field_order = ["amount", "reference", "proof", "notify_customer"]

    def __init__(self, *args, order, balance: Decimal | None = None, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        if balance is not None and balance > 0:
            self.fields["amount"].initial = balance
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": order.currency}

    def clean(self):
        cleaned = super().clean()
        if (
            self.order.payment_method in PROOF_OR_REFERENCE_REQUIRED
            and not cleaned.get("reference")
            and not cleaned.get("proof")
            and "proof" not in self.errors
        ):
            raise ValidationError(
                _("Enter the payment reference code or attach the proof of payment."), code="reference_required"
            )
        return cleaned

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "amount": self.cleaned_data["amount"],
            "reference": self.cleaned_data.get("reference", ""),
            "proof": self.cleaned_data.get("proof") or None,
        }


class RefundForm(MoveForm):
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    reference = forms.CharField(
        label=_("Refund reference code"),
        max_length=120,
        required=False,
        help_text=_("The transfer's, the gateway's or the receipt's number of the money given back."),
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        required=False,
        help_text=_("For the staff: why, or how the money was given back. The customer does not see it."),
    )
    field_order = ["amount", "reference", "note", "notify_customer"]

    def __init__(self, *args, order, refundable: Decimal | None = None, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        if refundable is not None and refundable > 0:
            self.fields["amount"].initial = refundable
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": order.currency}
        self.fields["notify_customer"].help_text = _("Send the customer the refund message (as configured).")

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "amount": self.cleaned_data["amount"],
            "reference": self.cleaned_data.get("reference", ""),
            "note": self.cleaned_data.get("note", ""),
        }
