from django import template

from .. import payments

register = template.Library()

SHOWN = 8


@register.inclusion_tag("paymentlinks/admin/attention_widget.html", takes_context=True)
def mercadopago_attention_widget(context):
    """The admin index box of Mercado Pago payments flagged for staff (refunds, chargebacks, not registered)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff or not user.has_perm("paymentlinks.view_mercadopagopayment"):
        return {"show": False}
    flagged = list(payments.needing_attention()[:SHOWN + 1])
    return {"show": bool(flagged), "payments": flagged[:SHOWN], "more": len(flagged) > SHOWN}
