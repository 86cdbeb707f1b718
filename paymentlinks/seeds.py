"""Order managers see the payment links, the Mercado Pago payments and the notices received, and make
and send links (`manage.py seed_reference_data`). Granted when the group is created; a group that exists
is left alone (migrations/0002 granted these to the groups that existed then).
"""
GROUP_PERMISSIONS = {
    "Order managers": ["view_paymentlink", "make_payment_link", "view_mercadopagopayment", "view_paymentcheck"],
}
