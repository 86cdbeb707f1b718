"""The shipped texts of the `refunded` message: one per refund, with that refund's amount
(`{{ refund_amount }}`) and, from the second refund of an order on, what was refunded on it in all
up to that refund (`{{ refunded_total }}`). Merged into notifications/default_texts.py's EMAILS, SMS
and PUSH.
"""

MILESTONE = "refunded"

# Said only when an earlier refund of the order came before this one.
_IF_MORE = "{% if refunded_total != refund_amount %}"

EMAILS = {
    "es": (
        "Reintegro de tu pedido {{ order_number }}",
        "Hola {{ customer_first_name }}:\n\n"
        "Te hicimos un reintegro de {{ refund_amount }} por tu pedido {{ order_number }}"
        + _IF_MORE + "; en total te reintegramos {{ refunded_total }}{% endif %}. "
        "Según tu medio de pago, puede tardar unos días en verse en tu cuenta.\n\n"
        "Si tenés alguna duda, respondé este email.",
    ),
    "pt-br": (
        "Reembolso do seu pedido {{ order_number }}",
        "Olá, {{ customer_first_name }}!\n\n"
        "Fizemos o reembolso de {{ refund_amount }} referente ao seu pedido {{ order_number }}"
        + _IF_MORE + "; no total, reembolsamos {{ refunded_total }}{% endif %}. "
        "Dependendo da forma de pagamento, pode levar alguns dias para aparecer na sua conta.\n\n"
        "Em caso de dúvidas, é só responder este e-mail.",
    ),
    "en": (
        "Refund for your order {{ order_number }}",
        "Hi {{ customer_first_name }},\n\n"
        "We've refunded {{ refund_amount }} for your order {{ order_number }}"
        + _IF_MORE + "; in all, we've refunded {{ refunded_total }}{% endif %}. "
        "Depending on how you paid, it may take a few days to show in your account.\n\n"
        "If you have any questions, just reply to this email.",
    ),
}

SMS = {
    "es": "{{ store_name }}: te reintegramos {{ refund_amount }} de tu pedido {{ order_number }}"
    + _IF_MORE + " ({{ refunded_total }} en total){% endif %}. ¿Dudas? Escribinos a {{ store_email }}",
    "pt-br": "{{ store_name }}: reembolsamos {{ refund_amount }} do seu pedido {{ order_number }}"
    + _IF_MORE + " ({{ refunded_total }} no total){% endif %}. Dúvidas? Escreva para {{ store_email }}",
    "en": "{{ store_name }}: we refunded {{ refund_amount }} for your order {{ order_number }}"
    + _IF_MORE + " ({{ refunded_total }} in all){% endif %}. Questions? Write to {{ store_email }}",
}

PUSH = {
    "es": ("Reintegro de tu pedido", "Te reintegramos {{ refund_amount }} del pedido {{ order_number }}."
           + _IF_MORE + " En total: {{ refunded_total }}.{% endif %}", "{{ timeline_link }}"),
    "pt-br": ("Reembolso do seu pedido", "Reembolsamos {{ refund_amount }} do pedido {{ order_number }}."
              + _IF_MORE + " No total: {{ refunded_total }}.{% endif %}", "{{ timeline_link }}"),
    "en": ("Refund for your order", "We refunded {{ refund_amount }} for order {{ order_number }}."
           + _IF_MORE + " In all: {{ refunded_total }}.{% endif %}", "{{ timeline_link }}"),
}
