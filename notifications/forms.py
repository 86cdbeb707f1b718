"""The notification rule form: trigger, filters, channel, the message in each language, and the
confirmation of the monthly SMS credits a rule that texts every order costs."""
from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from carriers.models import Carrier
from orders.models import FulfillmentMethod, Language, PaymentMethod

from . import rules
from .models import NotificationRule, RuleMessage
from .rendering import validate_template

# The RuleMessage fields staff write per language (the same as a milestone's template).
TEXT_FIELDS = ("subject", "body", "html_body", "url", "gsm7_friendly")


def language_suffix(language: str) -> str:
    return language.replace("-", "_")


def message_field_name(name: str, language: str) -> str:
    return f"{name}_{language_suffix(language)}"


def _message_form_fields() -> dict:
    fields = {}
    for language, _label in Language.choices:
        for name in TEXT_FIELDS:
            model_field = RuleMessage._meta.get_field(name)
            kwargs = {"required": False}
            if name in ("body", "html_body"):
                kwargs["widget"] = forms.Textarea(attrs={"rows": 4 if name == "body" else 3, "cols": 80})
            form_field = model_field.formfield(**kwargs)
            if name == "gsm7_friendly":
                form_field.initial = True  # like the shipped SMS templates
            fields[message_field_name(name, language)] = form_field
    return fields


class NotificationRuleFormBase(forms.ModelForm):
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
        self.drafts: dict[str, RuleMessage] = {}
        self.estimate: rules.CreditEstimate | None = None
        self.confirms_credits = False
        if rule.pk:
            self.initial.setdefault("trigger_from", rules.trigger_value(rule, "from"))
            self.initial.setdefault("trigger_to", rules.trigger_value(rule, "to"))
            self.initial["cities"] = "\n".join(rule.cities or [])
            for message in rule.messages.all():
                for name in TEXT_FIELDS:
                    self.initial[message_field_name(name, message.language)] = getattr(message, name)

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
        self.trigger = (to, from_)
        return cleaned

    def _post_clean(self):
        to, from_ = getattr(self, "trigger", (None, None))
        rule = self.instance
        if to is not None:
            status_type, to_status = to
            rule.status_type = status_type
            core = status_type == rules.RuleStatusType.ORDER
            rule.to_status = to_status if core else ""
            rule.to_custom_status = None if core else to_status
            from_status = from_[1] if from_ is not None else None
            rule.from_status = (from_status or "") if core else ""
            rule.from_custom_status = None if core else from_status
        super()._post_clean()  # sets the other fields on the rule, runs the model's validation
        if "channel" in self.cleaned_data:
            self._clean_messages()
            if not self.errors:
                self._check_sms_credits()

    def _clean_messages(self):
        rule = self.instance
        for language in Language.values:
            values = {name: self.cleaned_data.get(message_field_name(name, language)) for name in TEXT_FIELDS}
            texts = [values[name] for name in ("subject", "body", "html_body", "url")]
            if not any((text or "").strip() for text in texts):
                continue  # no message in this language: the customer gets another language's
            draft = RuleMessage(rule=rule, language=language, **{k: v or "" for k, v in values.items()})
            draft.gsm7_friendly = bool(values["gsm7_friendly"])
            if not draft.body.strip():
                self.add_error(message_field_name("body", language), _("Write the message, or empty this language."))
                continue
            try:
                validate_template(draft)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(message_field_name(name, language) if name in TEXT_FIELDS else None, messages)
                continue
            self.drafts[language] = draft
        if not self.drafts and not self.errors:
            self.add_error(None, _("Write the message in at least one language."))

    def _check_sms_credits(self):
        rule = self.instance
        carrier_ids = {carrier.pk for carrier in self.cleaned_data.get("carriers") or []}
        if rule.channel != "sms":
            return
        self.estimate = rules.sms_credit_estimate(rule, self.drafts, carrier_ids=carrier_ids)
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
        rule = self.instance
        for language, draft in self.drafts.items():
            fields = {name: getattr(draft, name) for name in TEXT_FIELDS}
            message = RuleMessage.objects.filter(rule=rule, language=language).first()
            if message is None:
                RuleMessage.objects.create(rule=rule, language=language, updated_by=by, **fields)
            elif any(getattr(message, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(message, name, value)
                message.updated_by = by
                message.save()
        RuleMessage.objects.filter(rule=rule).exclude(language__in=list(self.drafts)).delete()


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


NotificationRuleForm = type(
    "NotificationRuleForm", (NotificationRuleFormBase,), {"__module__": __name__, **_message_form_fields()}
)
