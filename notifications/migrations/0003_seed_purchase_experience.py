"""Seed the purchase experience switches and the message templates a fresh store starts with.

The rows are written out here rather than read from the application's defaults, so this migration
writes the same rows whatever the code later becomes. `manage.py seed_reference_data` seeds the
current defaults; this operation is elidable (a squash drops it).
"""
from django.db import migrations

SWITCHES = {
    "order_placed": {"email": True, "sms": False, "push": False},
    "payment_approved": {"email": True, "sms": False, "push": True},
    "preparing": {"email": True, "sms": False, "push": True},
    "shipped": {"email": True, "sms": True, "push": True},
    "ready_for_pickup": {"email": False, "sms": False, "push": False},
    "finalized": {"email": False, "sms": False, "push": False},
    "cancelled": {"email": True, "sms": False, "push": False},
    "new_order": {"email": True, "sms": False, "push": False},
}

# (milestone, channel, language, field values)
TEMPLATES = [
    ("order_placed", "email", "es", {
        "subject": "Recibimos tu pedido {{ order_number }}",
        "body": (
            "Hola {{ customer_first_name }}:\n"
            "\n"
            "¡Gracias por comprar en {{ store_name }}! Recibimos tu pedido {{ order_number }} por un total de "
            "{{ total }}.\n"
            "\n"
            "Te vamos a avisar por este medio cada vez que avance.\n"
            "\n"
            "Puedes seguir tu pedido en todo momento aquí:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Saludos,\n"
            "El equipo de {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("order_placed", "email", "pt-br", {
        "subject": "Recebemos o seu pedido {{ order_number }}",
        "body": (
            "Olá, {{ customer_first_name }}!\n"
            "\n"
            "Obrigado por comprar na {{ store_name }}! Recebemos o seu pedido {{ order_number }} no valor "
            "total de {{ total }}.\n"
            "\n"
            "Vamos avisar você por aqui a cada nova etapa.\n"
            "\n"
            "Acompanhe o seu pedido quando quiser:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Um abraço,\n"
            "Equipe {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("order_placed", "email", "en", {
        "subject": "We received your order {{ order_number }}",
        "body": (
            "Hi {{ customer_first_name }},\n"
            "\n"
            "Thank you for shopping at {{ store_name }}! We received your order {{ order_number }} for a total "
            "of {{ total }}.\n"
            "\n"
            "We'll email you each time it moves forward.\n"
            "\n"
            "You can follow your order at any time here:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Best regards,\n"
            "The {{ store_name }} team"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("order_placed", "sms", "es", {
        "subject": "",
        "body": (
            "{{ store_name }}: recibimos tu pedido {{ order_number }} por {{ total }}. Síguelo en {{ "
            "timeline_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("order_placed", "sms", "pt-br", {
        "subject": "",
        "body": (
            "{{ store_name }}: recebemos o seu pedido {{ order_number }} de {{ total }}. Acompanhe em {{ "
            "timeline_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("order_placed", "sms", "en", {
        "subject": "",
        "body": (
            "{{ store_name }}: we received your order {{ order_number }} ({{ total }}). Follow it at {{ "
            "timeline_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("order_placed", "push", "es", {
        "subject": "¡Recibimos tu pedido!",
        "body": "Pedido {{ order_number }} por {{ total }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("order_placed", "push", "pt-br", {
        "subject": "Recebemos o seu pedido!",
        "body": "Pedido {{ order_number }} de {{ total }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("order_placed", "push", "en", {
        "subject": "We received your order!",
        "body": "Order {{ order_number }} for {{ total }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("payment_approved", "email", "es", {
        "subject": "Pago aprobado: pedido {{ order_number }}",
        "body": (
            "Hola {{ customer_first_name }}:\n"
            "\n"
            "Confirmamos el pago de tu pedido {{ order_number }} por {{ total }}. Ahora lo vamos a preparar y "
            "te avisaremos apenas esté en camino.\n"
            "\n"
            "Puedes seguir tu pedido en todo momento aquí:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Saludos,\n"
            "El equipo de {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("payment_approved", "email", "pt-br", {
        "subject": "Pagamento aprovado: pedido {{ order_number }}",
        "body": (
            "Olá, {{ customer_first_name }}!\n"
            "\n"
            "Confirmamos o pagamento do seu pedido {{ order_number }} no valor de {{ total }}. Agora vamos "
            "prepará-lo e avisaremos assim que ele estiver a caminho.\n"
            "\n"
            "Acompanhe o seu pedido quando quiser:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Um abraço,\n"
            "Equipe {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("payment_approved", "email", "en", {
        "subject": "Payment approved: order {{ order_number }}",
        "body": (
            "Hi {{ customer_first_name }},\n"
            "\n"
            "We've confirmed the payment of {{ total }} for your order {{ order_number }}. We'll get it ready "
            "now and let you know as soon as it's on its way.\n"
            "\n"
            "You can follow your order at any time here:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Best regards,\n"
            "The {{ store_name }} team"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("payment_approved", "sms", "es", {
        "subject": "",
        "body": "{{ store_name }}: pago aprobado para tu pedido {{ order_number }}. Síguelo en {{ timeline_link }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("payment_approved", "sms", "pt-br", {
        "subject": "",
        "body": (
            "{{ store_name }}: pagamento aprovado do pedido {{ order_number }}. Acompanhe em {{ timeline_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("payment_approved", "sms", "en", {
        "subject": "",
        "body": "{{ store_name }}: payment approved for order {{ order_number }}. Follow it at {{ timeline_link }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("payment_approved", "push", "es", {
        "subject": "Pago aprobado",
        "body": "Confirmamos el pago de tu pedido {{ order_number }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("payment_approved", "push", "pt-br", {
        "subject": "Pagamento aprovado",
        "body": "Confirmamos o pagamento do pedido {{ order_number }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("payment_approved", "push", "en", {
        "subject": "Payment approved",
        "body": "We've confirmed the payment for order {{ order_number }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("preparing", "email", "es", {
        "subject": "Estamos preparando tu pedido {{ order_number }}",
        "body": (
            "Hola {{ customer_first_name }}:\n"
            "\n"
            "¡Ya estamos armando tu pedido {{ order_number }}! Te avisaremos en cuanto esté listo.\n"
            "\n"
            "Puedes seguir tu pedido en todo momento aquí:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Saludos,\n"
            "El equipo de {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("preparing", "email", "pt-br", {
        "subject": "Estamos preparando o seu pedido {{ order_number }}",
        "body": (
            "Olá, {{ customer_first_name }}!\n"
            "\n"
            "Já estamos separando o seu pedido {{ order_number }}! Avisaremos assim que ele estiver pronto.\n"
            "\n"
            "Acompanhe o seu pedido quando quiser:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Um abraço,\n"
            "Equipe {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("preparing", "email", "en", {
        "subject": "We're preparing your order {{ order_number }}",
        "body": (
            "Hi {{ customer_first_name }},\n"
            "\n"
            "We're packing your order {{ order_number }} right now! We'll let you know as soon as it's ready.\n"
            "\n"
            "You can follow your order at any time here:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Best regards,\n"
            "The {{ store_name }} team"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("preparing", "sms", "es", {
        "subject": "",
        "body": "{{ store_name }}: estamos preparando tu pedido {{ order_number }}. Síguelo en {{ timeline_link }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("preparing", "sms", "pt-br", {
        "subject": "",
        "body": (
            "{{ store_name }}: estamos preparando o seu pedido {{ order_number }}. Acompanhe em {{ timeline_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("preparing", "sms", "en", {
        "subject": "",
        "body": "{{ store_name }}: we're preparing your order {{ order_number }}. Follow it at {{ timeline_link }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("preparing", "push", "es", {
        "subject": "Estamos preparando tu pedido",
        "body": "Ya estamos armando tu pedido {{ order_number }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("preparing", "push", "pt-br", {
        "subject": "Estamos preparando o seu pedido",
        "body": "Já estamos separando o pedido {{ order_number }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("preparing", "push", "en", {
        "subject": "We're preparing your order",
        "body": "We're packing your order {{ order_number }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("shipped", "email", "es", {
        "subject": "Tu pedido {{ order_number }} está en camino",
        "body": (
            "¡Buenas noticias, {{ customer_first_name }}!\n"
            "\n"
            "Tu pedido {{ order_number }} ya salió con {{ carrier }}.\n"
            "\n"
            "Código de seguimiento: {{ tracking_code }}\n"
            "Sigue el envío aquí: {{ tracking_link }}\n"
            "\n"
            "Puedes seguir tu pedido en todo momento aquí:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Saludos,\n"
            "El equipo de {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("shipped", "email", "pt-br", {
        "subject": "O seu pedido {{ order_number }} está a caminho",
        "body": (
            "Boas notícias, {{ customer_first_name }}!\n"
            "\n"
            "O seu pedido {{ order_number }} foi enviado pela {{ carrier }}.\n"
            "\n"
            "Código de rastreio: {{ tracking_code }}\n"
            "Rastreie a entrega aqui: {{ tracking_link }}\n"
            "\n"
            "Acompanhe o seu pedido quando quiser:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Um abraço,\n"
            "Equipe {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("shipped", "email", "en", {
        "subject": "Your order {{ order_number }} is on its way",
        "body": (
            "Good news, {{ customer_first_name }}!\n"
            "\n"
            "Your order {{ order_number }} has shipped with {{ carrier }}.\n"
            "\n"
            "Tracking code: {{ tracking_code }}\n"
            "Track your parcel here: {{ tracking_link }}\n"
            "\n"
            "You can follow your order at any time here:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Best regards,\n"
            "The {{ store_name }} team"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("shipped", "sms", "es", {
        "subject": "",
        "body": (
            "{{ store_name }}: tu pedido {{ order_number }} salió con {{ carrier }}, código {{ tracking_code "
            "}}: {{ tracking_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("shipped", "sms", "pt-br", {
        "subject": "",
        "body": (
            "{{ store_name }}: pedido {{ order_number }} enviado pela {{ carrier }}, rastreio {{ tracking_code "
            "}}: {{ tracking_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("shipped", "sms", "en", {
        "subject": "",
        "body": (
            "{{ store_name }}: your order {{ order_number }} shipped with {{ carrier }}, tracking {{ "
            "tracking_code }}: {{ tracking_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("shipped", "push", "es", {
        "subject": "Tu pedido está en camino",
        "body": "Salió con {{ carrier }}. Código de seguimiento: {{ tracking_code }}.",
        "html_body": "",
        "url": "{{ tracking_link }}",
        "gsm7_friendly": False,
    }),
    ("shipped", "push", "pt-br", {
        "subject": "O seu pedido está a caminho",
        "body": "Enviado pela {{ carrier }}. Código de rastreio: {{ tracking_code }}.",
        "html_body": "",
        "url": "{{ tracking_link }}",
        "gsm7_friendly": False,
    }),
    ("shipped", "push", "en", {
        "subject": "Your order is on its way",
        "body": "Shipped with {{ carrier }}. Tracking code: {{ tracking_code }}.",
        "html_body": "",
        "url": "{{ tracking_link }}",
        "gsm7_friendly": False,
    }),
    ("ready_for_pickup", "email", "es", {
        "subject": "Tu pedido {{ order_number }} está listo para retirar",
        "body": (
            "Hola {{ customer_first_name }}:\n"
            "\n"
            "Tu pedido {{ order_number }} ya está listo. Puedes pasar a retirarlo por:\n"
            "\n"
            "{{ pickup_point }}\n"
            "\n"
            "Recuerda tener a mano el número de pedido.\n"
            "\n"
            "Puedes seguir tu pedido en todo momento aquí:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Saludos,\n"
            "El equipo de {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("ready_for_pickup", "email", "pt-br", {
        "subject": "O seu pedido {{ order_number }} está pronto para retirada",
        "body": (
            "Olá, {{ customer_first_name }}!\n"
            "\n"
            "O seu pedido {{ order_number }} já está pronto. Você pode retirá-lo em:\n"
            "\n"
            "{{ pickup_point }}\n"
            "\n"
            "Lembre-se de informar o número do pedido.\n"
            "\n"
            "Acompanhe o seu pedido quando quiser:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Um abraço,\n"
            "Equipe {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("ready_for_pickup", "email", "en", {
        "subject": "Your order {{ order_number }} is ready for pickup",
        "body": (
            "Hi {{ customer_first_name }},\n"
            "\n"
            "Your order {{ order_number }} is ready. You can pick it up at:\n"
            "\n"
            "{{ pickup_point }}\n"
            "\n"
            "Please have your order number at hand.\n"
            "\n"
            "You can follow your order at any time here:\n"
            "{{ timeline_link }}\n"
            "\n"
            "Best regards,\n"
            "The {{ store_name }} team"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("ready_for_pickup", "sms", "es", {
        "subject": "",
        "body": "{{ store_name }}: tu pedido {{ order_number }} está listo para retirar en {{ pickup_point }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("ready_for_pickup", "sms", "pt-br", {
        "subject": "",
        "body": "{{ store_name }}: o seu pedido {{ order_number }} está pronto para retirada em {{ pickup_point }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("ready_for_pickup", "sms", "en", {
        "subject": "",
        "body": "{{ store_name }}: your order {{ order_number }} is ready for pickup at {{ pickup_point }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("ready_for_pickup", "push", "es", {
        "subject": "Tu pedido está listo para retirar",
        "body": "Te esperamos en {{ pickup_point }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("ready_for_pickup", "push", "pt-br", {
        "subject": "O seu pedido está pronto para retirada",
        "body": "Esperamos você em {{ pickup_point }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("ready_for_pickup", "push", "en", {
        "subject": "Your order is ready for pickup",
        "body": "Come and get it at {{ pickup_point }}.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("finalized", "email", "es", {
        "subject": "¡Gracias por tu compra! Pedido {{ order_number }}",
        "body": (
            "Hola {{ customer_first_name }}:\n"
            "\n"
            "Tu pedido {{ order_number }} está finalizado. ¡Esperamos que lo disfrutes!\n"
            "\n"
            "Si algo no está bien, responde este correo y te ayudamos.\n"
            "\n"
            "Saludos,\n"
            "El equipo de {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("finalized", "email", "pt-br", {
        "subject": "Obrigado pela sua compra! Pedido {{ order_number }}",
        "body": (
            "Olá, {{ customer_first_name }}!\n"
            "\n"
            "O seu pedido {{ order_number }} foi concluído. Esperamos que você goste!\n"
            "\n"
            "Se algo não estiver certo, é só responder este e-mail que ajudamos você.\n"
            "\n"
            "Um abraço,\n"
            "Equipe {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("finalized", "email", "en", {
        "subject": "Thank you for your purchase! Order {{ order_number }}",
        "body": (
            "Hi {{ customer_first_name }},\n"
            "\n"
            "Your order {{ order_number }} is complete. We hope you enjoy it!\n"
            "\n"
            "If anything isn't right, just reply to this email and we'll help.\n"
            "\n"
            "Best regards,\n"
            "The {{ store_name }} team"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("finalized", "sms", "es", {
        "subject": "",
        "body": "{{ store_name }}: tu pedido {{ order_number }} está finalizado. ¡Gracias por tu compra!",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("finalized", "sms", "pt-br", {
        "subject": "",
        "body": "{{ store_name }}: o seu pedido {{ order_number }} foi concluído. Obrigado pela compra!",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("finalized", "sms", "en", {
        "subject": "",
        "body": "{{ store_name }}: your order {{ order_number }} is complete. Thank you for shopping with us!",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("finalized", "push", "es", {
        "subject": "¡Gracias por tu compra!",
        "body": "Tu pedido {{ order_number }} está finalizado.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("finalized", "push", "pt-br", {
        "subject": "Obrigado pela sua compra!",
        "body": "O seu pedido {{ order_number }} foi concluído.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("finalized", "push", "en", {
        "subject": "Thank you for your purchase!",
        "body": "Your order {{ order_number }} is complete.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("cancelled", "email", "es", {
        "subject": "Tu pedido {{ order_number }} fue cancelado",
        "body": (
            "Hola {{ customer_first_name }}:\n"
            "\n"
            "Te contamos que tu pedido {{ order_number }} fue cancelado. Si ya lo habías pagado, nos pondremos "
            "en contacto contigo para coordinar el reintegro.\n"
            "\n"
            "Si tienes alguna duda, responde este correo.\n"
            "\n"
            "Saludos,\n"
            "El equipo de {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("cancelled", "email", "pt-br", {
        "subject": "O seu pedido {{ order_number }} foi cancelado",
        "body": (
            "Olá, {{ customer_first_name }}.\n"
            "\n"
            "Informamos que o seu pedido {{ order_number }} foi cancelado. Se você já tinha pago, entraremos "
            "em contato para combinar o reembolso.\n"
            "\n"
            "Em caso de dúvidas, é só responder este e-mail.\n"
            "\n"
            "Um abraço,\n"
            "Equipe {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("cancelled", "email", "en", {
        "subject": "Your order {{ order_number }} was cancelled",
        "body": (
            "Hi {{ customer_first_name }},\n"
            "\n"
            "We're writing to let you know that your order {{ order_number }} was cancelled. If you had "
            "already paid, we'll get in touch to arrange your refund.\n"
            "\n"
            "If you have any questions, just reply to this email.\n"
            "\n"
            "Best regards,\n"
            "The {{ store_name }} team"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("cancelled", "sms", "es", {
        "subject": "",
        "body": (
            "{{ store_name }}: tu pedido {{ order_number }} fue cancelado. ¿Dudas? Escríbenos a {{ store_email }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("cancelled", "sms", "pt-br", {
        "subject": "",
        "body": (
            "{{ store_name }}: o seu pedido {{ order_number }} foi cancelado. Dúvidas? Escreva para {{ "
            "store_email }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("cancelled", "sms", "en", {
        "subject": "",
        "body": (
            "{{ store_name }}: your order {{ order_number }} was cancelled. Questions? Write to {{ store_email }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("cancelled", "push", "es", {
        "subject": "Pedido cancelado",
        "body": "Tu pedido {{ order_number }} fue cancelado.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("cancelled", "push", "pt-br", {
        "subject": "Pedido cancelado",
        "body": "O seu pedido {{ order_number }} foi cancelado.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("cancelled", "push", "en", {
        "subject": "Order cancelled",
        "body": "Your order {{ order_number }} was cancelled.",
        "html_body": "",
        "url": "{{ timeline_link }}",
        "gsm7_friendly": False,
    }),
    ("new_order", "email", "es", {
        "subject": "Nuevo pedido {{ order_number }} de {{ customer_name }} ({{ total }})",
        "body": (
            "Entró un pedido nuevo en {{ store_name }}.\n"
            "\n"
            "Pedido: {{ order_number }}\n"
            "Cliente: {{ customer_name }}\n"
            "Total: {{ total }}\n"
            "Pago: {{ payment_method }}\n"
            "Entrega: {{ fulfillment }}\n"
            "\n"
            "Abrir el pedido: {{ admin_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("new_order", "email", "pt-br", {
        "subject": "Novo pedido {{ order_number }} de {{ customer_name }} ({{ total }})",
        "body": (
            "Chegou um novo pedido na {{ store_name }}.\n"
            "\n"
            "Pedido: {{ order_number }}\n"
            "Cliente: {{ customer_name }}\n"
            "Total: {{ total }}\n"
            "Pagamento: {{ payment_method }}\n"
            "Entrega: {{ fulfillment }}\n"
            "\n"
            "Abrir o pedido: {{ admin_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("new_order", "email", "en", {
        "subject": "New order {{ order_number }} from {{ customer_name }} ({{ total }})",
        "body": (
            "A new order came in at {{ store_name }}.\n"
            "\n"
            "Order: {{ order_number }}\n"
            "Customer: {{ customer_name }}\n"
            "Total: {{ total }}\n"
            "Payment: {{ payment_method }}\n"
            "Delivery: {{ fulfillment }}\n"
            "\n"
            "Open the order: {{ admin_link }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
]


def seed(apps, schema_editor):
    """Create what is missing; a row staff already have is left as it is."""
    MilestoneSetting = apps.get_model("notifications", "MilestoneSetting")
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for milestone, switches in SWITCHES.items():
        MilestoneSetting.objects.get_or_create(milestone=milestone, defaults=switches)
    for milestone, channel, language, fields in TEMPLATES:
        MessageTemplate.objects.get_or_create(milestone=milestone, channel=channel, language=language, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_milestone_settings_templates_counts"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop, elidable=True),
    ]
