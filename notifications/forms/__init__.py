"""The staff's forms: the notification rule (with its messages) and the purchase experience page."""
from .purchase_experience import CUSTOMER_MILESTONES, PurchaseExperienceForm
from .rules import (
    TEXT_FIELDS,
    NotificationRuleForm,
    RuleMessageForm,
    RuleMessageFormSet,
    estimate_sentence,
    message_field_name,
)

__all__ = [
    "CUSTOMER_MILESTONES", "TEXT_FIELDS", "NotificationRuleForm", "PurchaseExperienceForm", "RuleMessageForm",
    "RuleMessageFormSet", "estimate_sentence", "message_field_name",
]
