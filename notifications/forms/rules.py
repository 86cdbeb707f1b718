"""The notification rule form: trigger, filters and channel of the rule, its message in each
language (an inline formset, one form per language), and the confirmation of the monthly SMS
credits a rule that texts every order costs."""
from __future__ import annotations

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from carriers.models import Carrier
from orders.models import FulfillmentMethod, Language, PaymentMethod

from .. import rules
from ..models import NotificationRule, RuleMessage

# The RuleMessage fields staff write per language (the same as a milestone's template).
TEXT_FIELDS = ("subject", "body", "html_body", "url", "gsm7_friendly")
# The fields whose text makes a language's message "written" (the GSM-7 switch alone does not).
WRITTEN_FIELDS = ("subject", "body", "html_body", "url")


def language_suffix(language: str) -> str:
    return language.replace("-", "_")


def message_field_name(name: str, language: str) -> str:
    """The name a message field posts under on the rule's page: body_es, body_pt_br, ..."""
    return f"{name}_{language_suffix(language)}"


class RuleMessageForm(forms.ModelForm):
    """The rule's message in one language. Its fields post as `<field>_<language>` (body_es) so the
    three languages sit side by side in the rule's page; a language left without text is no message."""

    class Meta:
        model = RuleMessage
        fields = TEXT_FIELDS
        widgets = {
            # As wide as the message below it: a subject must be readable whole.
            "subject": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "url": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 4, "cols": 80}),
            "html_body": forms.Textarea(attrs={"rows": 3, "cols": 80}),
        }

    def __init__(self, *args, language: str, **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # an empty language is allowed; a written one needs its body (clean)

    def add_prefix(self, field_name):
        return message_field_name(field_name, self.language)

    def is_written(self) -> bool:
        return any((self[name].value() or "").strip() for name in WRITTEN_FIELDS)

    def has_changed(self):
        # A formset validates only the forms that changed: here, the languages that carry a message.
        return self.is_written()

    def text_changed(self) -> bool:
        return any(name in TEXT_FIELDS for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip():
            self.add_error("body", _("Write the message, or empty this language."))
        return cleaned


class BaseRuleMessageFormSet(forms.BaseInlineFormSet):
    """One form per language (es, pt-br, en), each bound to the rule's message in that language or
    to a new one. The language, not a posted id, says which message a form is: the page posts no
    management form, so the formset supplies its own counts."""

    def __init__(self, data=None, files=None, instance=None, **kwargs):
        kwargs["queryset"] = RuleMessage.objects.none()  # every form is built per language below
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None:
            data = data.copy()
            data[f"{prefix}-{TOTAL_FORM_COUNT}"] = str(len(Language.values))
            data[f"{prefix}-{INITIAL_FORM_COUNT}"] = "0"
        super().__init__(data, files, instance=instance, **kwargs)
        saved = self.instance.messages.all() if self.instance.pk else []
        self.saved = {message.language: message for message in saved}

    def get_form_kwargs(self, index):
        language = Language.values[index]
        message = self.saved.get(language)
        if message is None:
            # GSM-7 friendly by default, like the shipped SMS templates.
            message = RuleMessage(rule=self.instance, language=language, gsm7_friendly=True)
        return {**super().get_form_kwargs(index), "language": language, "instance": message}

    def clean(self):
        super().clean()
        if not any(form.is_written() for form in self.forms):
            raise ValidationError(_("Write the message in at least one language."))

    def drafts(self) -> dict[str, RuleMessage]:
        """{language: message} of the valid written languages, with the values about to be saved."""
        return {
            form.language: form.instance for form in self.forms if form.is_written() and not form.errors
        }

    def save(self, commit=True, *, by=None):
        """Write the written languages' messages (a changed one records `by`) and delete the
        messages of the languages left empty."""
        saved = []
        for form in self.forms:
            message = form.instance
            if not form.is_written():
                if message.pk is not None and commit:
                    message.delete()
            elif message.pk is None or form.text_changed():
                message.rule = self.instance
                message.updated_by = by
                saved.append(form.save(commit=commit))
        return saved


RuleMessageFormSet = forms.inlineformset_factory(
    NotificationRule, RuleMessage, form=RuleMessageForm, formset=BaseRuleMessageFormSet, fields=TEXT_FIELDS,
    extra=len(Language.values), max_num=len(Language.values), can_delete=False,
)


class NotificationRuleForm(forms.ModelForm):
    trigger_from = forms.ChoiceField(label=_("From status"), required=False)
    trigger_to = forms.ChoiceField(label=_("To status"))
    payment_methods = forms.MultipleChoiceField(
        label=_("Payment methods"), choices=PaymentMethod.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fulfillment_methods = forms.MultipleChoiceField(
        label=_("Delivery methods"), choices=FulfillmentMethod.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    carriers = forms.ModelMultipleChoiceField(
        label=_("Carriers"), queryset=Carrier.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cities = forms.CharField(
        label=_("Cities"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text=_("One per line or separated by commas; capitals and accents do not matter."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Customer languages"), choices=Language.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_sms_credits = forms.BooleanField(
        label=_("I confirm the monthly SMS credits"), required=False,
        help_text=_("Needed for an SMS rule without filters: it texts every order that makes the change."),
    )

    class Meta:
        model = NotificationRule
        fields = [
            "name", "active", "delay_minutes", "payment_methods", "fulfillment_methods", "carriers", "cities",
            "min_total", "max_total", "languages", "channel",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = rules.custom_statuses()
        self.fields["trigger_from"].choices = rules.status_choices(with_any=True, statuses=statuses)
        self.fields["trigger_to"].choices = rules.status_choices(with_any=False, statuses=statuses)
        rule = self.instance
        self.estimate: rules.CreditEstimate | None = None
        self.confirms_credits = False
        if rule.pk:
            self.initial.setdefault("trigger_from", rules.trigger_value(rule, "from"))
            self.initial.setdefault("trigger_to", rules.trigger_value(rule, "to"))
            self.initial["cities"] = "\n".join(rule.cities or [])
        self.message_formset = RuleMessageFormSet(self.data if self.is_bound else None, instance=rule)
        # The rule's page lays the messages' fields out in its own fieldsets and shows their errors
        # there: the rule form lists each message form's fields under the names they post.
        for message_form in self.message_formset:
            for name in TEXT_FIELDS:
                self.fields[message_form.add_prefix(name)] = message_form.fields[name]
                self.initial[message_form.add_prefix(name)] = message_form[name].initial

    def clean_cities(self):
        value = self.cleaned_data.get("cities") or ""
        cities, seen = [], set()
        for city in re.split(r"[\n,;]+", value):
            city = " ".join(city.split())
            if city and city.casefold() not in seen:
                seen.add(city.casefold())
                cities.append(city)
        return cities

    def clean(self):
        cleaned = super().clean()
        to = rules.parse_trigger(cleaned.get("trigger_to") or "")
        if cleaned.get("trigger_to") and to is None:
            self.add_error("trigger_to", _("Choose the status the order changes to."))
        from_value = cleaned.get("trigger_from") or ""
        from_ = rules.parse_trigger(from_value) if from_value else None
        if from_value and from_ is None:
            self.add_error("trigger_from", _("Choose the status the order changes from, or any status."))
        if to is not None:
            status_type, to_status = to
            if from_ is not None and from_[0] != status_type:
                self.add_error("trigger_from", _(
                    "The “from” status must be of the same type as the “to” status (%(type)s)."
                ) % {"type": rules.RuleStatusType(status_type).label})
                from_ = None
            elif from_ is not None and from_[1] == to_status:
                self.add_error("trigger_from", _("From and to are the same status: the rule would never fire."))
            if (
                status_type != rules.RuleStatusType.ORDER and not to_status.active and cleaned.get("active")
            ):
                self.add_error("trigger_to", _(
                    "“%(name)s” is inactive and cannot be set on orders: this rule would never fire. "
                    "Reactivate the status or turn the rule off."
                ) % {"name": to_status.label})
            self._set_trigger(to, from_)
        return cleaned

    def _set_trigger(self, to, from_) -> None:
        """Put the chosen trigger on the rule: the order's status codes or the custom statuses."""
        rule = self.instance
        status_type, to_status = to
        rule.status_type = status_type
        core = status_type == rules.RuleStatusType.ORDER
        rule.to_status = to_status if core else ""
        rule.to_custom_status = None if core else to_status
        from_status = from_[1] if from_ is not None else None
        rule.from_status = (from_status or "") if core else ""
        rule.from_custom_status = None if core else from_status

    def validate_unique(self):
        """Runs once the rule carries the form's values (and passed its model validation): then its
        messages can be checked for its channel, and an SMS rule's monthly credits estimated."""
        super().validate_unique()
        if "channel" not in self.cleaned_data:
            return
        self._take_message_errors()
        if not self.errors:
            self._check_sms_credits()

    def _take_message_errors(self) -> None:
        """Show the message forms' errors on the rule's page, beside the fields they are about."""
        formset = self.message_formset
        formset.is_valid()
        for message_form in formset:
            for name, errors in message_form.errors.items():
                field = message_form.add_prefix(name) if name in TEXT_FIELDS else None
                shown = list(self.errors.get(field or NON_FIELD_ERRORS, []))
                new = [error for error in errors if error not in shown]  # the rule form checked its fields too
                if new:
                    self.add_error(field, new)
        if formset.non_form_errors() and not self.errors:
            self.add_error(None, list(formset.non_form_errors()))

    def _check_sms_credits(self):
        rule = self.instance
        carrier_ids = {carrier.pk for carrier in self.cleaned_data.get("carriers") or []}
        if rule.channel != "sms":
            return
        self.estimate = rules.sms_credit_estimate(rule, self.message_formset.drafts(), carrier_ids=carrier_ids)
        if not rule.texts_every_order(carrier_ids):
            return
        stored = NotificationRule.objects.filter(pk=rule.pk).values_list("sms_credits_confirmed", flat=True).first()
        if stored is not None and self.estimate.credits <= stored and not self.cleaned_data.get("confirm_sms_credits"):
            return  # staff already agreed to at least this much
        if not self.cleaned_data.get("confirm_sms_credits"):
            self.add_error("confirm_sms_credits", estimate_sentence(rule, self.estimate) + " " + str(_(
                "Tick “I confirm the monthly SMS credits” to save it, or add a filter."
            )))
            return
        self.confirms_credits = True

    def save_messages(self, *, by) -> None:
        """Write the rule's messages: one per language written, none for the others."""
        self.message_formset.save(by=by)


def estimate_sentence(rule: NotificationRule, estimate: rules.CreditEstimate) -> str:
    orders = ngettext(
        "In the last %(days)d days %(orders)d order made this change",
        "In the last %(days)d days %(orders)d orders made this change",
        estimate.orders,
    ) % {"days": estimate.days, "orders": estimate.orders}
    return str(_(
        "This rule sends an SMS to every order that changes to “%(status)s”. %(orders_sentence)s: "
        "about %(credits)d SMS credits a month (segments per SMS: %(segments)s)."
    ) % {
        "status": rule.status_label("to"), "orders_sentence": orders, "credits": estimate.credits,
        "segments": estimate.segments_text or "—",
    })
