"""The purchase experience page's form: a switch per milestone and each channel it may use, the
fallback channel of each milestone that has more than one, and the emails each storefront's
platform already sends. Saving goes through `services.update_purchase_experience`, which logs
every change with its author."""
from __future__ import annotations

from django import forms
from django.conf import settings as django_settings
from django.utils.translation import gettext_lazy as _

from .. import services
from ..defaults import MILESTONE_CHANNELS
from ..models import Channel, Milestone

CUSTOMER_MILESTONES = [m for m in Milestone if m != Milestone.NEW_ORDER]


def switch_name(milestone: str, channel: str) -> str:
    return f"{milestone}.{channel}"


def fallback_name(milestone: str) -> str:
    return f"{milestone}.fallback"


def platform_email_name(storefront, milestone: str) -> str:
    return f"storefront.{storefront.pk}.{milestone}"


def web_push_can_work() -> bool:
    """Whether browsers can subscribe: the store has its web push (VAPID) key pair. With DEBUG on
    (a developer's store) push switches stay free to try."""
    return django_settings.DEBUG or bool(django_settings.VAPID_PUBLIC_KEY and django_settings.VAPID_PRIVATE_KEY)


class PurchaseExperienceForm(forms.Form):
    """Fields named as the page posts them: `shipped.sms`, `shipped.fallback`, `storefront.3.shipped`."""

    def __init__(self, *args, settings, storefronts, disabled=False, **kwargs):
        kwargs.setdefault("auto_id", False)  # the page labels each input with aria-label
        super().__init__(*args, **kwargs)
        self.settings = list(settings)
        self.storefronts = list(storefronts)
        for setting in self.settings:
            milestone = setting.milestone
            label = Milestone(milestone).label
            allowed = MILESTONE_CHANNELS[milestone]
            for channel in allowed:
                self.fields[switch_name(milestone, channel)] = forms.BooleanField(
                    required=False, initial=setting.is_enabled(channel), label=f"{label} · {Channel(channel).label}",
                    widget=forms.CheckboxInput(attrs={"aria-label": f"{label} · {Channel(channel).label}"}),
                )
            if len(allowed) > 1:
                self.fields[fallback_name(milestone)] = forms.ChoiceField(
                    required=False, initial=setting.fallback_channel, label=f"{label} · {_('Fallback channel')}",
                    choices=[("", _("None")), *((channel, Channel(channel).label) for channel in allowed)],
                    widget=forms.Select(attrs={"aria-label": f"{label} · {_('Fallback channel')}"}),
                )
        for storefront in self.storefronts:
            sent = storefront.emails_sent_by_platform or []
            for milestone in CUSTOMER_MILESTONES:
                self.fields[platform_email_name(storefront, milestone)] = forms.BooleanField(
                    required=False, initial=milestone in sent, label=f"{storefront.name} · {milestone.label}",
                    widget=forms.CheckboxInput(attrs={"aria-label": f"{storefront.name} · {milestone.label}"}),
                )
        for field in self.fields.values():
            field.disabled = disabled

    def clean(self):
        cleaned = super().clean()
        if not web_push_can_work():
            turned_on = [
                setting.milestone for setting in self.settings
                if switch_name(setting.milestone, Channel.PUSH) in self.changed_data
                and cleaned.get(switch_name(setting.milestone, Channel.PUSH))
            ]
            for milestone in turned_on:
                self.add_error(switch_name(milestone, Channel.PUSH), _("No web push keys."))
            if turned_on:
                raise forms.ValidationError(
                    _(
                        "Web push cannot be turned on (%(milestones)s): the store has no web push keys, so no "
                        "customer can subscribe. Set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY "
                        "(`manage.py generate_vapid_keys` makes a pair) and restart."
                    ) % {"milestones": ", ".join(str(Milestone(m).label) for m in turned_on)},
                    code="no_push_keys",
                )
        return cleaned

    def switches(self) -> dict[str, dict[str, bool]]:
        return {
            milestone: {
                channel: self.cleaned_data[switch_name(milestone, channel)] for channel in MILESTONE_CHANNELS[milestone]
            }
            for milestone in (setting.milestone for setting in self.settings)
        }

    def fallbacks(self) -> dict[str, str]:
        # A milestone with a single channel has no fallback to choose: it is kept at none.
        return {
            setting.milestone: self.cleaned_data.get(fallback_name(setting.milestone)) or ""
            for setting in self.settings
        }

    def platform_emails(self) -> dict:
        return {
            storefront: [m.value for m in CUSTOMER_MILESTONES if self.cleaned_data[platform_email_name(storefront, m)]]
            for storefront in self.storefronts
        }

    def save(self, *, by) -> int:
        """Save the changed settings, each logged with `by`. Returns how many changed."""
        return services.update_purchase_experience(
            by=by, switches=self.switches(), fallbacks=self.fallbacks(), platform_emails=self.platform_emails(),
        )
