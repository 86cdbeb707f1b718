"""What a fresh store starts with: the purchase experience switches and the message templates.

`seed_reference_data` (notifications/seeds.py) creates the missing ones; staff edit them in the
admin, and the delivery falls back to these texts when a template row is missing.
"""

from .default_texts import EMAILS, PUSH, SMS  # the shipped words, by channel

# Default channels per milestone (the README's defaults table says why each is on or off).
# SMS costs credits: on by default only for `shipped`, the event a customer must not miss.
# A pickup customer must be told the order is ready (email and push); `finalized` stays off:
# the customer is at the counter or already holds the package.
DEFAULT_SWITCHES: dict[str, dict[str, bool]] = {
    "order_placed": {"email": True, "sms": False, "push": False, "whatsapp": False},
    "payment_reminder": {"email": True, "sms": False, "push": False, "whatsapp": False},
    "payment_approved": {"email": True, "sms": False, "push": True, "whatsapp": False},
    "preparing": {"email": True, "sms": False, "push": True, "whatsapp": False},
    "shipped": {"email": True, "sms": True, "push": True, "whatsapp": False},
    "ready_for_pickup": {"email": True, "sms": False, "push": True, "whatsapp": False},
    "finalized": {"email": False, "sms": False, "push": False, "whatsapp": False},
    "cancelled": {"email": True, "sms": False, "push": False, "whatsapp": False},
    "refunded": {"email": True, "sms": False, "push": False, "whatsapp": False},
    "checkout_recovery": {"email": True, "sms": False, "push": False, "whatsapp": False},
    "new_order": {"email": True, "sms": False, "push": False, "whatsapp": False},
}

# Channels each milestone can use at all: the staff's new-order message is an email to the store;
# a checkout has no push subscription (customers subscribe on an order's timeline page) and no
# WhatsApp opt-in (recorded on an order). WhatsApp starts off everywhere: it needs the store's Meta
# account, its approved templates and each customer's opt-in.
CUSTOMER_CHANNELS = ("email", "sms", "push", "whatsapp")
_ONLY_CHANNELS = {"new_order": ("email",), "checkout_recovery": ("email", "sms")}
MILESTONE_CHANNELS: dict[str, tuple[str, ...]] = {
    milestone: _ONLY_CHANNELS.get(milestone, CUSTOMER_CHANNELS) for milestone in DEFAULT_SWITCHES
}

LANGUAGES = ("es", "pt-br", "en")


def default_template(milestone: str, channel: str, language: str) -> dict | None:
    """The shipped text of one template as MessageTemplate field values, or None if there is none."""
    key = (milestone, language)
    if channel == "email" and key in EMAILS:
        return {"subject": EMAILS[key]["subject"], "body": EMAILS[key]["body"], "html_body": "", "url": "",
                "gsm7_friendly": False}
    if channel == "sms" and key in SMS:
        return {"subject": "", "body": SMS[key], "html_body": "", "url": "", "gsm7_friendly": True}
    if channel == "push" and key in PUSH:
        title, body, url = PUSH[key]
        return {"subject": title, "body": body, "html_body": "", "url": url, "gsm7_friendly": False}
    return None


def all_default_templates():
    """Yield (milestone, channel, language, fields) for every template a fresh store gets."""
    for milestone, channels in MILESTONE_CHANNELS.items():
        for channel in channels:
            for language in LANGUAGES:
                fields = default_template(milestone, channel, language)
                if fields is not None:
                    yield milestone, channel, language, fields
