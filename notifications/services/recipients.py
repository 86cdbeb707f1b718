"""Who a message goes to: the milestone switches and active rules (kept per process), the
customer's address on each channel, and the emails a storefront's platform sends itself."""
from __future__ import annotations

import phonenumbers
from phonenumber_field.phonenumber import to_python as to_phone_number

from ..defaults import DEFAULT_SWITCHES
from ..models import Channel, Milestone, MilestoneSetting, NotificationRule
from ..reasons import Reason
from ..rendering import cached


def milestone_setting(milestone: str) -> MilestoneSetting:
    """The milestone's switches (read once per NOTIFICATION_CACHE_SECONDS per process). Do not change it."""
    return cached(("milestone_setting", milestone), lambda: MilestoneSetting.objects.get_or_create(
        milestone=milestone, defaults=DEFAULT_SWITCHES.get(milestone, {})
    )[0])


def active_rules() -> list[NotificationRule]:
    """The active notification rules with their carriers (read once per NOTIFICATION_CACHE_SECONDS
    per process, like the switches: every status change looks at them). Do not change them."""
    return cached(("active_rules",), lambda: list(
        NotificationRule.objects.active().prefetch_related("carriers")
    ))


def all_milestone_settings() -> list[MilestoneSetting]:
    existing = {s.milestone: s for s in MilestoneSetting.objects.all()}
    return [existing.get(m) or milestone_setting(m) for m in Milestone.values]


def mobile_number(phone) -> str:
    """The number in E.164 if it is a valid mobile number (SMS can reach it), else ''."""
    if not phone:
        return ""
    number = to_phone_number(phone)
    if not isinstance(number, phonenumbers.PhoneNumber) or not phonenumbers.is_valid_number(number):
        return ""
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_number(phone) -> str:
    """The number in E.164 if it is a valid number (WhatsApp runs on mobile and fixed lines), else ''."""
    if not phone:
        return ""
    number = to_phone_number(phone)
    if not isinstance(number, phonenumbers.PhoneNumber) or not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def customer_address(order, channel: str) -> tuple[str, str | None]:
    """(recipient, None) when the channel can reach the customer, else ('', the reason's code)."""
    if channel == Channel.EMAIL:
        return (order.customer_email, None) if order.customer_email else ("", Reason.NO_EMAIL)
    if channel == Channel.SMS:
        number = mobile_number(order.customer_phone)
        return (number, None) if number else ("", Reason.NO_PHONE)
    if channel == Channel.WHATSAPP:
        number = whatsapp_number(order.customer_phone)
        if not number:
            return "", Reason.NO_PHONE
        return (number, None) if order.whatsapp_opt_in else ("", Reason.NO_WHATSAPP_OPT_IN)
    endpoints = list(order.push_subscriptions.values_list("endpoint", flat=True))
    return (" ".join(endpoints)[:500], None) if endpoints else ("", Reason.NO_PUSH_SUBSCRIPTION)


def checkout_address(checkout, channel: str) -> tuple[str, str | None]:
    """Like customer_address, for a checkout's customer (a checkout has no push subscription and no
    WhatsApp opt-in)."""
    if channel == Channel.EMAIL:
        return (checkout.customer_email, None) if checkout.customer_email else ("", Reason.NO_EMAIL)
    if channel == Channel.SMS:
        number = mobile_number(checkout.customer_phone)
        return (number, None) if number else ("", Reason.NO_PHONE)
    if channel == Channel.WHATSAPP:
        return "", Reason.NO_WHATSAPP_OPT_IN  # consent is recorded on orders only
    return "", Reason.NO_PUSH_SUBSCRIPTION


def platform_sends_email(order, milestone: str) -> bool:
    """Whether the storefront's platform emails this milestone itself (order or checkout)."""
    storefront = order.storefront
    return storefront is not None and milestone in (storefront.emails_sent_by_platform or [])
