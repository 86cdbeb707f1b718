from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LedgerEntry, ServiceTier

MAX_TOP_UP = 1_000_000


class TopUpForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Credits"),
        min_value=1,
        max_value=MAX_TOP_UP,
        help_text=_("Whole SMS credits to add. Purchased credits never expire."),
        error_messages={
            "invalid": _("Enter a whole number of credits."),
            "min_value": _("Enter at least 1 credit."),
            "max_value": _("Enter at most %(limit_value)s credits."),
        },
    )
    reference = forms.CharField(
        label=_("Invoice or payment reference"),
        max_length=100,
        help_text=_("For example the invoice number or the payment's transaction id."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    # One token per form shown: submitting the same form twice applies the top-up once.
    token = forms.UUIDField(widget=forms.HiddenInput, error_messages={
        "required": _("This form has expired; open it again."),
        "invalid": _("This form has expired; open it again."),
    })


class TierForm(forms.Form):
    tier = forms.ModelChoiceField(
        label=_("Service tier"),
        queryset=ServiceTier.objects.all(),
        empty_label=None,
        widget=forms.RadioSelect,
    )


class AdjustmentForm(forms.Form):
    bucket = forms.ChoiceField(label=_("Balance"), choices=LedgerEntry.Bucket.choices)
    amount = forms.IntegerField(
        label=_("Credits"),
        min_value=-MAX_TOP_UP,
        max_value=MAX_TOP_UP,
        help_text=_("Positive adds credits, negative takes them."),
        error_messages={"invalid": _("Enter a whole number of credits.")},
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)
    token = forms.UUIDField(widget=forms.HiddenInput, error_messages={
        "required": _("This form has expired; open it again."),
        "invalid": _("This form has expired; open it again."),
    })

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("An adjustment adds or takes at least 1 credit."))
        return amount
