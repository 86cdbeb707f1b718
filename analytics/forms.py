from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import PaymentMethod, Status
from storefronts.models import Storefront

from .report import Filters, StatusOption

DEFAULT_DAYS = 30
MAX_DAYS = 366
DEFAULT_FROM, DEFAULT_TO = Status.ACCEPTED.value, Status.SHIPPED.value
# Days a report may cover: the last day must have a next midnight (9999-12-31 has none) and the
# first day's midnight must exist in UTC in any time zone.
DAY_LIMITS = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2999, 12, 31))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ReportForm(forms.Form):
    """The report's filters, read from the query string (bookmarkable, and the CSV link carries them)."""

    start = forms.DateField(label=_("From"), widget=DateInput, validators=DAY_LIMITS)
    end = forms.DateField(label=_("To"), widget=DateInput, validators=DAY_LIMITS)
    payment_method = forms.MultipleChoiceField(
        label=_("Payment method"), choices=PaymentMethod.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every method."),
    )
    storefront = forms.ModelChoiceField(
        label=_("Storefront"), queryset=Storefront.objects.order_by("name"), required=False,
        empty_label=_("All storefronts"),
    )
    from_status = forms.ChoiceField(label=_("Time from"))
    to_status = forms.ChoiceField(label=_("to"))

    def __init__(self, query, *, options: list[StatusOption]):
        data = query.copy()
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        defaults = {
            "start": (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
            "end": today.isoformat(),
            "from_status": DEFAULT_FROM,
            "to_status": DEFAULT_TO,
        }
        for name, value in defaults.items():
            if not data.get(name):
                data[name] = value
        super().__init__(data)
        self.options = {option.key: option for option in options}
        choices = [(option.key, option.name) for option in options]
        self.fields["from_status"].choices = choices
        self.fields["to_status"].choices = choices

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise ValidationError(_("The first day must not be after the last day."), code="reversed_range")
            if (end - start).days + 1 > MAX_DAYS:
                raise ValidationError(
                    _("Choose at most %(days)d days."), code="range_too_long", params={"days": MAX_DAYS}
                )
        if cleaned.get("from_status") and cleaned.get("from_status") == cleaned.get("to_status"):
            self.add_error("to_status", ValidationError(
                _("Choose two different statuses to measure the time between them."), code="same_status",
            ))
        return cleaned

    def filters(self) -> Filters:
        storefront = self.cleaned_data["storefront"]
        return Filters(
            start=self.cleaned_data["start"],
            end=self.cleaned_data["end"],
            payment_methods=tuple(self.cleaned_data["payment_method"]),
            storefront_id=storefront.pk if storefront else None,
        )

    def status_pair(self) -> tuple[StatusOption, StatusOption]:
        return self.options[self.cleaned_data["from_status"]], self.options[self.cleaned_data["to_status"]]
