"""The errors the billing services raise on purpose."""
from django.utils.translation import gettext_lazy

from ..sms import MAX_SMS_SEGMENTS


class BillingError(Exception):
    """Base class of the errors the billing services raise on purpose."""


class InsufficientCredits(BillingError):
    """The balance cannot pay for the SMS: nothing was debited. ``str()`` is "no SMS credits"."""

    def __init__(self, *, needed: int, available: int):
        self.needed = needed
        self.available = available
        self.message = gettext_lazy("no SMS credits")
        super().__init__("no SMS credits")


class MessageTooLong(BillingError):
    """The SMS has more segments than ``MAX_SMS_SEGMENTS``: refused, nothing charged."""

    def __init__(self, *, segments: int, limit: int = MAX_SMS_SEGMENTS):
        self.segments = segments
        self.limit = limit
        super().__init__(f"message too long: {segments} SMS segments, the limit is {limit}")
