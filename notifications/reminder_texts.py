"""The shipped texts of the payment reminder: a transfer or payment link order still unpaid
UNPAID_REMINDER_HOURS after it was placed (see orders/services/unpaid.py).

How to pay is what the order's own messages carry: `{{ payment_link }}` (payment link orders)
and `{{ transfer_details }}` (transfer orders: the store's bank details), as the order placed
email carries them too (HOW_TO_PAY) and the timeline page shows them. Merged into
notifications/default_texts.py's EMAILS, SMS and PUSH.
"""

MILESTONE = "payment_reminder"

HOW_TO_PAY = {
    "es": (
        "{% if payment_link %}Podés pagarlo acá:\n{{ payment_link }}\n\n{% endif %}"
        "{% if transfer_details %}Para pagarlo por transferencia:\n{{ transfer_details }}\n\n"
        "Cuando transfieras, respondé este email con el comprobante.\n\n{% endif %}"
    ),
    "pt-br": (
        "{% if payment_link %}Você pode pagá-lo aqui:\n{{ payment_link }}\n\n{% endif %}"
        "{% if transfer_details %}Para pagar por transferência:\n{{ transfer_details }}\n\n"
        "Depois de transferir, responda este e-mail com o comprovante.\n\n{% endif %}"
    ),
    "en": (
        "{% if payment_link %}You can pay for it here:\n{{ payment_link }}\n\n{% endif %}"
        "{% if transfer_details %}To pay by bank transfer:\n{{ transfer_details }}\n\n"
        "Once you have transferred, reply to this email with the receipt.\n\n{% endif %}"
    ),
}

EMAILS = {
    "es": (
        "Recordatorio de pago: pedido {{ order_number }}",
        "Hola {{ customer_first_name }}:\n\n"
        "Tu pedido {{ order_number }} por {{ total }} todavía espera el pago. "
        "Lo preparamos apenas se acredite.\n\n" + HOW_TO_PAY["es"]
        + "Si ya pagaste, no hace falta que hagas nada más.",
    ),
    "pt-br": (
        "Lembrete de pagamento: pedido {{ order_number }}",
        "Olá, {{ customer_first_name }}!\n\n"
        "O seu pedido {{ order_number }} de {{ total }} ainda aguarda o pagamento. "
        "Vamos prepará-lo assim que ele for confirmado.\n\n" + HOW_TO_PAY["pt-br"]
        + "Se você já pagou, não precisa fazer mais nada.",
    ),
    "en": (
        "Payment reminder: order {{ order_number }}",
        "Hi {{ customer_first_name }},\n\n"
        "Your order {{ order_number }} for {{ total }} is still waiting for its payment. "
        "We'll prepare it as soon as the payment arrives.\n\n" + HOW_TO_PAY["en"]
        + "If you've already paid, there's nothing else to do.",
    ),
}

SMS = {
    "es": "{{ store_name }}: tu pedido {{ order_number }} espera el pago de {{ total }}. "
    "{% if payment_link %}Pagalo en {{ payment_link }}{% else %}Cómo pagar: {{ timeline_link }}{% endif %}",
    "pt-br": "{{ store_name }}: o seu pedido {{ order_number }} aguarda o pagamento de {{ total }}. "
    "{% if payment_link %}Pague em {{ payment_link }}{% else %}Como pagar: {{ timeline_link }}{% endif %}",
    "en": "{{ store_name }}: your order {{ order_number }} is waiting for its payment of {{ total }}. "
    "{% if payment_link %}Pay at {{ payment_link }}{% else %}How to pay: {{ timeline_link }}{% endif %}",
}

PUSH = {
    "es": ("Tu pedido espera el pago", "Pedido {{ order_number }} por {{ total }}.",
           "{% if payment_link %}{{ payment_link }}{% else %}{{ timeline_link }}{% endif %}"),
    "pt-br": ("O seu pedido aguarda o pagamento", "Pedido {{ order_number }} de {{ total }}.",
              "{% if payment_link %}{{ payment_link }}{% else %}{{ timeline_link }}{% endif %}"),
    "en": ("Your order is waiting for its payment", "Order {{ order_number }} for {{ total }}.",
           "{% if payment_link %}{{ payment_link }}{% else %}{{ timeline_link }}{% endif %}"),
}
