from django import template

from billing import services
from billing.sms import cost_preview

register = template.Library()


@register.inclusion_tag("billing/admin/credit_widget.html", takes_context=True)
def sms_credit_widget(context):
    """The admin index's SMS credit box: balances, this month's use, the tier and the warning banner."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    has_perm = getattr(user, "has_perm", lambda perm: False)
    return {
        "balance": services.balance(),
        "next_grant": services.next_grant_date(),
        "can_top_up": has_perm("billing.top_up_credits"),
        "can_change_tier": has_perm("billing.change_service_tier"),
        "can_view_ledger": has_perm("billing.view_ledgerentry"),
    }


@register.inclusion_tag("billing/admin/sms_cost_preview.html")
def sms_cost_preview(text):
    """Encoding and segments of an SMS text, as written and with GSM-7 friendly characters.

    Usage: ``{% load billing_admin %}{% sms_cost_preview rendered_text %}``.
    """
    return {"preview": cost_preview(str(text or ""))}
