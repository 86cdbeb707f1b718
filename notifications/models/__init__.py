"""The notifications' records, one module per responsibility; every name is importable from
`notifications.models` as before.

- `choices`: the milestones, the channels, the milestone value of a rule's log row;
- `log`: the notification log row (`Notification`), which is also the outbox row;
- `switches`: the purchase experience switches and who changed them;
- `templates`: the words of a message, and the milestone templates;
- `rules`: the notification rules, their messages and the record that a rule fired;
- `push`: the web push subscriptions; `counts`: the daily counts kept after the purge;
- `tracking`: the providers' delivery reports received; `notices`: the staff's new-order notices seen;
- `whatsapp`: the Meta-approved WhatsApp templates.
"""
from .choices import LOG_MILESTONE_CHOICES, RULE, Channel, Milestone
from .counts import DailyNotificationCount
from .log import Notification, NotificationQuerySet
from .notices import NewOrderNoticeState
from .push import PushSubscription
from .rules import (
    MAX_RULE_DELAY_MINUTES, NotificationRule, NotificationRuleQuerySet, RuleFiring, RuleMessage, RuleStatusType,
    normalize_city,
)
from .switches import MilestoneSetting, PurchaseExperienceChange
from .templates import MessageTemplate, MessageText
from .tracking import ReceiptEvent
from .whatsapp import WhatsAppTemplate

__all__ = [
    "LOG_MILESTONE_CHOICES", "MAX_RULE_DELAY_MINUTES", "RULE", "Channel", "DailyNotificationCount",
    "MessageTemplate", "MessageText", "Milestone", "MilestoneSetting", "NewOrderNoticeState",
    "Notification", "NotificationQuerySet", "NotificationRule", "NotificationRuleQuerySet", "PurchaseExperienceChange",
    "PushSubscription", "ReceiptEvent", "RuleFiring", "RuleMessage", "RuleStatusType", "WhatsAppTemplate",
    "normalize_city",
]
