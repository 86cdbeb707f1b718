"""The shipped words of every message template, per milestone and language: emails, SMS, web push.

`notifications.defaults` turns them into template field values (`default_template`). The payment
reminder's and the refund's words are in reminder_texts.py and refund_texts.py, merged in at the end.
"""
from . import refund_texts as refund, reminder_texts as reminder

_SIGNATURE = {
    "es": "\n\nSaludos,\nEl equipo de {{ store_name }}",
    "pt-br": "\n\nUm abraço,\nEquipe {{ store_name }}",
    "en": "\n\nBest regards,\nThe {{ store_name }} team",
}

_FOLLOW = {
    "es": "\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}",
    "pt-br": "\n\nAcompanhe o seu pedido quando quiser:\n{{ timeline_link }}",
    "en": "\n\nYou can follow your order at any time here:\n{{ timeline_link }}",
}


def _email(language: str, subject: str, body: str, follow: bool = True) -> dict:
    text = body + (_FOLLOW[language] if follow else "") + _SIGNATURE[language]
    return {"subject": subject, "body": text}


EMAILS: dict[tuple[str, str], dict] = {
    # --- order placed
    ("order_placed", "es"): _email(
        "es",
        "Recibimos tu pedido {{ order_number }}",
        "Hola {{ customer_first_name }}:\n\n"
        "¡Gracias por comprar en {{ store_name }}! Recibimos tu pedido {{ order_number }} "
        "por un total de {{ total }}.\n\n"
        + reminder.HOW_TO_PAY["es"]
        + "Te vamos a avisar por este medio cada vez que avance.",
    ),
    ("order_placed", "pt-br"): _email(
        "pt-br",
        "Recebemos o seu pedido {{ order_number }}",
        "Olá, {{ customer_first_name }}!\n\n"
        "Obrigado por comprar na {{ store_name }}! Recebemos o seu pedido {{ order_number }} "
        "no valor total de {{ total }}.\n\n"
        + reminder.HOW_TO_PAY["pt-br"]
        + "Vamos avisar você por aqui a cada nova etapa.",
    ),
    ("order_placed", "en"): _email(
        "en",
        "We received your order {{ order_number }}",
        "Hi {{ customer_first_name }},\n\n"
        "Thank you for shopping at {{ store_name }}! We received your order {{ order_number }} "
        "for a total of {{ total }}.\n\n"
        + reminder.HOW_TO_PAY["en"]
        + "We'll email you each time it moves forward.",
    ),
    # --- payment approved
    ("payment_approved", "es"): _email(
        "es",
        "Pago aprobado: pedido {{ order_number }}",
        "Hola {{ customer_first_name }}:\n\n"
        "Confirmamos el pago de tu pedido {{ order_number }} por {{ total }}. "
        "Ahora lo vamos a preparar y te vamos a avisar apenas esté en camino.",
    ),
    ("payment_approved", "pt-br"): _email(
        "pt-br",
        "Pagamento aprovado: pedido {{ order_number }}",
        "Olá, {{ customer_first_name }}!\n\n"
        "Confirmamos o pagamento do seu pedido {{ order_number }} no valor de {{ total }}. "
        "Agora vamos prepará-lo e avisaremos assim que ele estiver a caminho.",
    ),
    ("payment_approved", "en"): _email(
        "en",
        "Payment approved: order {{ order_number }}",
        "Hi {{ customer_first_name }},\n\n"
        "We've confirmed the payment of {{ total }} for your order {{ order_number }}. "
        "We'll get it ready now and let you know as soon as it's on its way.",
    ),
    # --- preparing
    ("preparing", "es"): _email(
        "es",
        "Estamos preparando tu pedido {{ order_number }}",
        "Hola {{ customer_first_name }}:\n\n"
        "¡Ya estamos armando tu pedido {{ order_number }}! Te vamos a avisar en cuanto esté listo.",
    ),
    ("preparing", "pt-br"): _email(
        "pt-br",
        "Estamos preparando o seu pedido {{ order_number }}",
        "Olá, {{ customer_first_name }}!\n\n"
        "Já estamos separando o seu pedido {{ order_number }}! Avisaremos assim que ele estiver pronto.",
    ),
    ("preparing", "en"): _email(
        "en",
        "We're preparing your order {{ order_number }}",
        "Hi {{ customer_first_name }},\n\n"
        "We're packing your order {{ order_number }} right now! We'll let you know as soon as it's ready.",
    ),
    # --- shipped
    ("shipped", "es"): _email(
        "es",
        "Tu pedido {{ order_number }} está en camino",
        "¡Buenas noticias, {{ customer_first_name }}!\n\n"
        "Tu pedido {{ order_number }} ya salió con {{ carrier }}.\n\n"
        "Código de seguimiento: {{ tracking_code }}\n"
        "Seguí el envío acá: {{ tracking_link }}",
    ),
    ("shipped", "pt-br"): _email(
        "pt-br",
        "O seu pedido {{ order_number }} está a caminho",
        "Boas notícias, {{ customer_first_name }}!\n\n"
        "O seu pedido {{ order_number }} foi enviado pela {{ carrier }}.\n\n"
        "Código de rastreamento: {{ tracking_code }}\n"
        "Rastreie a entrega aqui: {{ tracking_link }}",
    ),
    ("shipped", "en"): _email(
        "en",
        "Your order {{ order_number }} is on its way",
        "Good news, {{ customer_first_name }}!\n\n"
        "Your order {{ order_number }} has shipped with {{ carrier }}.\n\n"
        "Tracking code: {{ tracking_code }}\n"
        "Track your parcel here: {{ tracking_link }}",
    ),
    # --- ready for pickup
    ("ready_for_pickup", "es"): _email(
        "es",
        "Tu pedido {{ order_number }} está listo para retirar",
        "Hola {{ customer_first_name }}:\n\n"
        "Tu pedido {{ order_number }} ya está listo. Podés pasar a retirarlo por:\n\n"
        "{{ pickup_point }}\n\n"
        "Acordate de tener a mano el número de pedido.",
    ),
    ("ready_for_pickup", "pt-br"): _email(
        "pt-br",
        "O seu pedido {{ order_number }} está pronto para retirada",
        "Olá, {{ customer_first_name }}!\n\n"
        "O seu pedido {{ order_number }} já está pronto. Você pode retirá-lo em:\n\n"
        "{{ pickup_point }}\n\n"
        "Lembre-se de informar o número do pedido.",
    ),
    ("ready_for_pickup", "en"): _email(
        "en",
        "Your order {{ order_number }} is ready for pickup",
        "Hi {{ customer_first_name }},\n\n"
        "Your order {{ order_number }} is ready. You can pick it up at:\n\n"
        "{{ pickup_point }}\n\n"
        "Please have your order number at hand.",
    ),
    # --- finalized
    ("finalized", "es"): _email(
        "es",
        "¡Gracias por tu compra! Pedido {{ order_number }}",
        "Hola {{ customer_first_name }}:\n\n"
        "Tu pedido {{ order_number }} está finalizado. ¡Esperamos que lo disfrutes!\n\n"
        "Si algo no está bien, respondé este email y te ayudamos.",
        follow=False,
    ),
    ("finalized", "pt-br"): _email(
        "pt-br",
        "Obrigado pela sua compra! Pedido {{ order_number }}",
        "Olá, {{ customer_first_name }}!\n\n"
        "O seu pedido {{ order_number }} foi concluído. Esperamos que você goste!\n\n"
        "Se algo não estiver certo, é só responder este e-mail que ajudamos você.",
        follow=False,
    ),
    ("finalized", "en"): _email(
        "en",
        "Thank you for your purchase! Order {{ order_number }}",
        "Hi {{ customer_first_name }},\n\n"
        "Your order {{ order_number }} is complete. We hope you enjoy it!\n\n"
        "If anything isn't right, just reply to this email and we'll help.",
        follow=False,
    ),
    # --- cancelled
    ("cancelled", "es"): _email(
        "es",
        "Tu pedido {{ order_number }} fue cancelado",
        "Hola {{ customer_first_name }}:\n\n"
        "Te contamos que tu pedido {{ order_number }} fue cancelado."
        "{% if cancel_reason %}\n\nMotivo: {{ cancel_reason }}{% endif %}\n\nSi ya lo habías pagado, "
        "nos vamos a poner en contacto con vos para coordinar el reintegro.\n\n"
        "Si tenés alguna duda, respondé este email.",
        follow=False,
    ),
    ("cancelled", "pt-br"): _email(
        "pt-br",
        "O seu pedido {{ order_number }} foi cancelado",
        "Olá, {{ customer_first_name }}.\n\n"
        "Informamos que o seu pedido {{ order_number }} foi cancelado."
        "{% if cancel_reason %}\n\nMotivo: {{ cancel_reason }}{% endif %}\n\nSe você já tinha pago, "
        "entraremos em contato para combinar o reembolso.\n\n"
        "Em caso de dúvidas, é só responder este e-mail.",
        follow=False,
    ),
    ("cancelled", "en"): _email(
        "en",
        "Your order {{ order_number }} was cancelled",
        "Hi {{ customer_first_name }},\n\n"
        "We're writing to let you know that your order {{ order_number }} was cancelled."
        "{% if cancel_reason %}\n\nReason: {{ cancel_reason }}{% endif %}\n\nIf you had "
        "already paid, we'll get in touch to arrange your refund.\n\n"
        "If you have any questions, just reply to this email.",
        follow=False,
    ),
    # --- checkout recovery (a checkout the customer started and did not finish)
    ("checkout_recovery", "es"): _email(
        "es",
        "Tu compra en {{ store_name }} te está esperando",
        "Hola {{ customer_first_name }}:\n\n"
        "Vimos que empezaste una compra en {{ store_name }} y no llegaste a terminarla. "
        "Guardamos todo para que puedas retomarla cuando quieras."
        "{% if lines %}\n\n{{ lines }}{% endif %}{% if total %}\nTotal: {{ total }}{% endif %}\n\n"
        "Terminá tu compra acá:\n{{ resume_link }}\n\n"
        "Si tuviste algún problema con el pago o tenés dudas, respondé este email y te ayudamos.",
        follow=False,
    ),
    ("checkout_recovery", "pt-br"): _email(
        "pt-br",
        "Sua compra na {{ store_name }} está esperando por você",
        "Olá, {{ customer_first_name }}!\n\n"
        "Vimos que você começou uma compra na {{ store_name }} e não chegou a finalizá-la. "
        "Guardamos tudo para você continuar quando quiser."
        "{% if lines %}\n\n{{ lines }}{% endif %}{% if total %}\nTotal: {{ total }}{% endif %}\n\n"
        "Finalize a sua compra aqui:\n{{ resume_link }}\n\n"
        "Se teve algum problema com o pagamento ou ficou com dúvidas, é só responder este e-mail.",
        follow=False,
    ),
    ("checkout_recovery", "en"): _email(
        "en",
        "Your order at {{ store_name }} is waiting for you",
        "Hi {{ customer_first_name }},\n\n"
        "We noticed you started an order at {{ store_name }} but didn't get to finish it. "
        "We've kept everything so you can pick up where you left off."
        "{% if lines %}\n\n{{ lines }}{% endif %}{% if total %}\nTotal: {{ total }}{% endif %}\n\n"
        "Finish your order here:\n{{ resume_link }}\n\n"
        "If something went wrong with the payment or you have questions, just reply to this email.",
        follow=False,
    ),
    # --- new order, for the store's staff
    ("new_order", "es"): {
        "subject": "Nuevo pedido {{ order_number }} de {{ customer_name }} ({{ total }})",
        "body": "Entró un pedido nuevo en {{ store_name }}.\n\n"
        "Pedido: {{ order_number }}\n"
        "Cliente: {{ customer_name }}\n"
        "Total: {{ total }}\n"
        "Pago: {{ payment_method }}\n"
        "Entrega: {{ fulfillment }}\n\n"
        "Abrir el pedido: {{ admin_link }}",
    },
    ("new_order", "pt-br"): {
        "subject": "Novo pedido {{ order_number }} de {{ customer_name }} ({{ total }})",
        "body": "Chegou um novo pedido na {{ store_name }}.\n\n"
        "Pedido: {{ order_number }}\n"
        "Cliente: {{ customer_name }}\n"
        "Total: {{ total }}\n"
        "Pagamento: {{ payment_method }}\n"
        "Entrega: {{ fulfillment }}\n\n"
        "Abrir o pedido: {{ admin_link }}",
    },
    ("new_order", "en"): {
        "subject": "New order {{ order_number }} from {{ customer_name }} ({{ total }})",
        "body": "A new order came in at {{ store_name }}.\n\n"
        "Order: {{ order_number }}\n"
        "Customer: {{ customer_name }}\n"
        "Total: {{ total }}\n"
        "Payment: {{ payment_method }}\n"
        "Delivery: {{ fulfillment }}\n\n"
        "Open the order: {{ admin_link }}",
    },
}

# SMS: short, plain. Seeded with "GSM-7 friendly" on, so accents never triple the cost.
SMS: dict[tuple[str, str], str] = {
    ("order_placed", "es"): "{{ store_name }}: recibimos tu pedido {{ order_number }} por {{ total }}. "
    "{% if payment_link %}Pagalo en {{ payment_link }} {% endif %}Seguilo en {{ timeline_link }}",
    ("order_placed", "pt-br"): "{{ store_name }}: recebemos o seu pedido {{ order_number }} de {{ total }}. "
    "{% if payment_link %}Pague em {{ payment_link }} {% endif %}Acompanhe em {{ timeline_link }}",
    ("order_placed", "en"): "{{ store_name }}: we received your order {{ order_number }} ({{ total }}). "
    "{% if payment_link %}Pay at {{ payment_link }} {% endif %}Follow it at {{ timeline_link }}",
    ("payment_approved", "es"): "{{ store_name }}: pago aprobado para tu pedido {{ order_number }}. "
    "Seguilo en {{ timeline_link }}",
    ("payment_approved", "pt-br"): "{{ store_name }}: pagamento aprovado do pedido {{ order_number }}. "
    "Acompanhe em {{ timeline_link }}",
    ("payment_approved", "en"): "{{ store_name }}: payment approved for order {{ order_number }}. "
    "Follow it at {{ timeline_link }}",
    ("preparing", "es"): "{{ store_name }}: estamos preparando tu pedido {{ order_number }}. "
    "Seguilo en {{ timeline_link }}",
    ("preparing", "pt-br"): "{{ store_name }}: estamos preparando o seu pedido {{ order_number }}. "
    "Acompanhe em {{ timeline_link }}",
    ("preparing", "en"): "{{ store_name }}: we're preparing your order {{ order_number }}. "
    "Follow it at {{ timeline_link }}",
    # Carrier, tracking code and link fit one segment with a short store name.
    ("shipped", "es"): "{{ store_name }}: tu pedido {{ order_number }} salió con {{ carrier }}, "
    "código {{ tracking_code }}: {{ tracking_link }}",
    ("shipped", "pt-br"): "{{ store_name }}: pedido {{ order_number }} enviado pela {{ carrier }}, "
    "código {{ tracking_code }}: {{ tracking_link }}",
    ("shipped", "en"): "{{ store_name }}: your order {{ order_number }} shipped with {{ carrier }}, "
    "tracking {{ tracking_code }}: {{ tracking_link }}",
    ("ready_for_pickup", "es"): "{{ store_name }}: tu pedido {{ order_number }} está listo para retirar en "
    "{{ pickup_point }}",
    ("ready_for_pickup", "pt-br"): "{{ store_name }}: o seu pedido {{ order_number }} está pronto para retirada "
    "em {{ pickup_point }}",
    ("ready_for_pickup", "en"): "{{ store_name }}: your order {{ order_number }} is ready for pickup at "
    "{{ pickup_point }}",
    ("finalized", "es"): "{{ store_name }}: tu pedido {{ order_number }} está finalizado. ¡Gracias por tu compra!",
    ("finalized", "pt-br"): "{{ store_name }}: o seu pedido {{ order_number }} foi concluído. "
    "Obrigado pela compra!",
    ("finalized", "en"): "{{ store_name }}: your order {{ order_number }} is complete. Thank you for shopping "
    "with us!",
    # The reason is cut short: staff write it for the email, and every SMS segment costs a credit.
    ("cancelled", "es"): "{{ store_name }}: tu pedido {{ order_number }} fue cancelado"
    "{% if cancel_reason %} ({{ cancel_reason|truncatechars:60 }}){% endif %}. ¿Dudas? Escribinos a "
    "{{ store_email }}",
    ("cancelled", "pt-br"): "{{ store_name }}: o seu pedido {{ order_number }} foi cancelado"
    "{% if cancel_reason %} ({{ cancel_reason|truncatechars:60 }}){% endif %}. Dúvidas? "
    "Escreva para {{ store_email }}",
    ("cancelled", "en"): "{{ store_name }}: your order {{ order_number }} was cancelled"
    "{% if cancel_reason %} ({{ cancel_reason|truncatechars:60 }}){% endif %}. Questions? Write to "
    "{{ store_email }}",
    ("checkout_recovery", "es"): "{{ store_name }}: tu compra te está esperando. Terminala acá: {{ resume_link }}",
    ("checkout_recovery", "pt-br"): "{{ store_name }}: sua compra está esperando por você. Finalize aqui: "
    "{{ resume_link }}",
    ("checkout_recovery", "en"): "{{ store_name }}: your order is waiting for you. Finish it here: {{ resume_link }}",
}

# Web push: a title, one line, and the page the click opens.
_PUSH_REASON = "{% if cancel_reason %} {{ cancel_reason|truncatechars:100 }}{% endif %}"
PUSH: dict[tuple[str, str], tuple[str, str, str]] = {
    ("order_placed", "es"): ("¡Recibimos tu pedido!", "Pedido {{ order_number }} por {{ total }}.",
                             "{{ timeline_link }}"),
    ("order_placed", "pt-br"): ("Recebemos o seu pedido!", "Pedido {{ order_number }} de {{ total }}.",
                                "{{ timeline_link }}"),
    ("order_placed", "en"): ("We received your order!", "Order {{ order_number }} for {{ total }}.",
                             "{{ timeline_link }}"),
    ("payment_approved", "es"): ("Pago aprobado", "Confirmamos el pago de tu pedido {{ order_number }}.",
                                 "{{ timeline_link }}"),
    ("payment_approved", "pt-br"): ("Pagamento aprovado", "Confirmamos o pagamento do pedido {{ order_number }}.",
                                    "{{ timeline_link }}"),
    ("payment_approved", "en"): ("Payment approved", "We've confirmed the payment for order {{ order_number }}.",
                                 "{{ timeline_link }}"),
    ("preparing", "es"): ("Estamos preparando tu pedido", "Ya estamos armando tu pedido {{ order_number }}.",
                          "{{ timeline_link }}"),
    ("preparing", "pt-br"): ("Estamos preparando o seu pedido", "Já estamos separando o pedido {{ order_number }}.",
                             "{{ timeline_link }}"),
    ("preparing", "en"): ("We're preparing your order", "We're packing your order {{ order_number }}.",
                          "{{ timeline_link }}"),
    ("shipped", "es"): ("Tu pedido está en camino",
                        "Salió con {{ carrier }}. Código de seguimiento: {{ tracking_code }}.",
                        "{{ tracking_link }}"),
    ("shipped", "pt-br"): ("O seu pedido está a caminho",
                           "Enviado pela {{ carrier }}. Código de rastreamento: {{ tracking_code }}.",
                           "{{ tracking_link }}"),
    ("shipped", "en"): ("Your order is on its way",
                        "Shipped with {{ carrier }}. Tracking code: {{ tracking_code }}.",
                        "{{ tracking_link }}"),
    ("ready_for_pickup", "es"): ("Tu pedido está listo para retirar", "Te esperamos en {{ pickup_point }}.",
                                 "{{ timeline_link }}"),
    ("ready_for_pickup", "pt-br"): ("O seu pedido está pronto para retirada", "Esperamos você em {{ pickup_point }}.",
                                    "{{ timeline_link }}"),
    ("ready_for_pickup", "en"): ("Your order is ready for pickup", "Come and get it at {{ pickup_point }}.",
                                 "{{ timeline_link }}"),
    ("finalized", "es"): ("¡Gracias por tu compra!", "Tu pedido {{ order_number }} está finalizado.",
                          "{{ timeline_link }}"),
    ("finalized", "pt-br"): ("Obrigado pela sua compra!", "O seu pedido {{ order_number }} foi concluído.",
                             "{{ timeline_link }}"),
    ("finalized", "en"): ("Thank you for your purchase!", "Your order {{ order_number }} is complete.",
                          "{{ timeline_link }}"),
    ("cancelled", "es"): ("Pedido cancelado", "Tu pedido {{ order_number }} fue cancelado." + _PUSH_REASON,
                          "{{ timeline_link }}"),
    ("cancelled", "pt-br"): ("Pedido cancelado", "O seu pedido {{ order_number }} foi cancelado." + _PUSH_REASON,
                             "{{ timeline_link }}"),
    ("cancelled", "en"): ("Order cancelled", "Your order {{ order_number }} was cancelled." + _PUSH_REASON,
                          "{{ timeline_link }}"),
}

# The payment reminder's and the refund's words (reminder_texts.py, refund_texts.py), in the same shape.
for _texts in (reminder, refund):
    EMAILS.update({(_texts.MILESTONE, lang): _email(lang, *texts) for lang, texts in _texts.EMAILS.items()})
    SMS.update({(_texts.MILESTONE, lang): text for lang, text in _texts.SMS.items()})
    PUSH.update({(_texts.MILESTONE, lang): texts for lang, texts in _texts.PUSH.items()})
