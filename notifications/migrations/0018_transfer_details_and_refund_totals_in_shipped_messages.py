"""The shipped messages say more: the order placed email of a transfer order carries the store's
bank details ({{ transfer_details }}, when set), and every refund's message its own amount and, after
the first refund, what was refunded in all ({{ refunded_total }}).

Only templates whose text is still the one shipped before are updated: one that staff edited is theirs.
"""
from django.db import migrations

# (milestone, channel, language, field): (the text shipped before, the text shipped now)
TEXTS = {
    ('refunded', 'email', 'es', 'body'): (
        'Hola {{ customer_first_name }}:\n\nTe hicimos un reintegro de {{ refund_amount }} por tu pedido {{ order_number }}. Según tu medio de pago, puede tardar unos días en verse en tu cuenta.\n\nSi tenés alguna duda, respondé este email.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
        'Hola {{ customer_first_name }}:\n\nTe hicimos un reintegro de {{ refund_amount }} por tu pedido {{ order_number }}{% if refunded_total != refund_amount %}; en total te reintegramos {{ refunded_total }}{% endif %}. Según tu medio de pago, puede tardar unos días en verse en tu cuenta.\n\nSi tenés alguna duda, respondé este email.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('refunded', 'email', 'pt-br', 'body'): (
        'Olá, {{ customer_first_name }}!\n\nFizemos o reembolso de {{ refund_amount }} referente ao seu pedido {{ order_number }}. Dependendo da forma de pagamento, pode levar alguns dias para aparecer na sua conta.\n\nEm caso de dúvidas, é só responder este e-mail.\n\nAcompanhe o seu pedido quando quiser:\n{{ timeline_link }}\n\nUm abraço,\nEquipe {{ store_name }}',
        'Olá, {{ customer_first_name }}!\n\nFizemos o reembolso de {{ refund_amount }} referente ao seu pedido {{ order_number }}{% if refunded_total != refund_amount %}; no total, reembolsamos {{ refunded_total }}{% endif %}. Dependendo da forma de pagamento, pode levar alguns dias para aparecer na sua conta.\n\nEm caso de dúvidas, é só responder este e-mail.\n\nAcompanhe o seu pedido quando quiser:\n{{ timeline_link }}\n\nUm abraço,\nEquipe {{ store_name }}',
    ),
    ('refunded', 'email', 'en', 'body'): (
        "Hi {{ customer_first_name }},\n\nWe've refunded {{ refund_amount }} for your order {{ order_number }}. Depending on how you paid, it may take a few days to show in your account.\n\nIf you have any questions, just reply to this email.\n\nYou can follow your order at any time here:\n{{ timeline_link }}\n\nBest regards,\nThe {{ store_name }} team",
        "Hi {{ customer_first_name }},\n\nWe've refunded {{ refund_amount }} for your order {{ order_number }}{% if refunded_total != refund_amount %}; in all, we've refunded {{ refunded_total }}{% endif %}. Depending on how you paid, it may take a few days to show in your account.\n\nIf you have any questions, just reply to this email.\n\nYou can follow your order at any time here:\n{{ timeline_link }}\n\nBest regards,\nThe {{ store_name }} team",
    ),
    ('refunded', 'sms', 'es', 'body'): (
        '{{ store_name }}: te reintegramos {{ refund_amount }} de tu pedido {{ order_number }}. ¿Dudas? Escribinos a {{ store_email }}',
        '{{ store_name }}: te reintegramos {{ refund_amount }} de tu pedido {{ order_number }}{% if refunded_total != refund_amount %} ({{ refunded_total }} en total){% endif %}. ¿Dudas? Escribinos a {{ store_email }}',
    ),
    ('refunded', 'sms', 'pt-br', 'body'): (
        '{{ store_name }}: reembolsamos {{ refund_amount }} do seu pedido {{ order_number }}. Dúvidas? Escreva para {{ store_email }}',
        '{{ store_name }}: reembolsamos {{ refund_amount }} do seu pedido {{ order_number }}{% if refunded_total != refund_amount %} ({{ refunded_total }} no total){% endif %}. Dúvidas? Escreva para {{ store_email }}',
    ),
    ('refunded', 'sms', 'en', 'body'): (
        '{{ store_name }}: we refunded {{ refund_amount }} for your order {{ order_number }}. Questions? Write to {{ store_email }}',
        '{{ store_name }}: we refunded {{ refund_amount }} for your order {{ order_number }}{% if refunded_total != refund_amount %} ({{ refunded_total }} in all){% endif %}. Questions? Write to {{ store_email }}',
    ),
    ('refunded', 'push', 'es', 'body'): (
        'Te reintegramos {{ refund_amount }} del pedido {{ order_number }}.',
        'Te reintegramos {{ refund_amount }} del pedido {{ order_number }}.{% if refunded_total != refund_amount %} En total: {{ refunded_total }}.{% endif %}',
    ),
    ('refunded', 'push', 'pt-br', 'body'): (
        'Reembolsamos {{ refund_amount }} do pedido {{ order_number }}.',
        'Reembolsamos {{ refund_amount }} do pedido {{ order_number }}.{% if refunded_total != refund_amount %} No total: {{ refunded_total }}.{% endif %}',
    ),
    ('refunded', 'push', 'en', 'body'): (
        'We refunded {{ refund_amount }} for order {{ order_number }}.',
        'We refunded {{ refund_amount }} for order {{ order_number }}.{% if refunded_total != refund_amount %} In all: {{ refunded_total }}.{% endif %}',
    ),
    ('order_placed', 'email', 'es', 'body'): (
        'Hola {{ customer_first_name }}:\n\n¡Gracias por comprar en {{ store_name }}! Recibimos tu pedido {{ order_number }} por un total de {{ total }}.\n\n{% if payment_link %}Podés pagarlo acá:\n{{ payment_link }}\n\n{% endif %}Te vamos a avisar por este medio cada vez que avance.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
        'Hola {{ customer_first_name }}:\n\n¡Gracias por comprar en {{ store_name }}! Recibimos tu pedido {{ order_number }} por un total de {{ total }}.\n\n{% if payment_link %}Podés pagarlo acá:\n{{ payment_link }}\n\n{% endif %}{% if transfer_details %}Para pagarlo por transferencia:\n{{ transfer_details }}\n\nCuando transfieras, respondé este email con el comprobante.\n\n{% endif %}Te vamos a avisar por este medio cada vez que avance.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('order_placed', 'email', 'pt-br', 'body'): (
        'Olá, {{ customer_first_name }}!\n\nObrigado por comprar na {{ store_name }}! Recebemos o seu pedido {{ order_number }} no valor total de {{ total }}.\n\n{% if payment_link %}Você pode pagá-lo aqui:\n{{ payment_link }}\n\n{% endif %}Vamos avisar você por aqui a cada nova etapa.\n\nAcompanhe o seu pedido quando quiser:\n{{ timeline_link }}\n\nUm abraço,\nEquipe {{ store_name }}',
        'Olá, {{ customer_first_name }}!\n\nObrigado por comprar na {{ store_name }}! Recebemos o seu pedido {{ order_number }} no valor total de {{ total }}.\n\n{% if payment_link %}Você pode pagá-lo aqui:\n{{ payment_link }}\n\n{% endif %}{% if transfer_details %}Para pagar por transferência:\n{{ transfer_details }}\n\nDepois de transferir, responda este e-mail com o comprovante.\n\n{% endif %}Vamos avisar você por aqui a cada nova etapa.\n\nAcompanhe o seu pedido quando quiser:\n{{ timeline_link }}\n\nUm abraço,\nEquipe {{ store_name }}',
    ),
    ('order_placed', 'email', 'en', 'body'): (
        "Hi {{ customer_first_name }},\n\nThank you for shopping at {{ store_name }}! We received your order {{ order_number }} for a total of {{ total }}.\n\n{% if payment_link %}You can pay for it here:\n{{ payment_link }}\n\n{% endif %}We'll email you each time it moves forward.\n\nYou can follow your order at any time here:\n{{ timeline_link }}\n\nBest regards,\nThe {{ store_name }} team",
        "Hi {{ customer_first_name }},\n\nThank you for shopping at {{ store_name }}! We received your order {{ order_number }} for a total of {{ total }}.\n\n{% if payment_link %}You can pay for it here:\n{{ payment_link }}\n\n{% endif %}{% if transfer_details %}To pay by bank transfer:\n{{ transfer_details }}\n\nOnce you have transferred, reply to this email with the receipt.\n\n{% endif %}We'll email you each time it moves forward.\n\nYou can follow your order at any time here:\n{{ timeline_link }}\n\nBest regards,\nThe {{ store_name }} team",
    ),
}


def _replace(apps, *, forward: bool):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (milestone, channel, language, field), (before, now) in TEXTS.items():
        old, new = (before, now) if forward else (now, before)
        MessageTemplate.objects.filter(
            milestone=milestone, channel=channel, language=language, **{field: old}
        ).update(**{field: new})


def forward(apps, schema_editor):
    _replace(apps, forward=True)


def backward(apps, schema_editor):
    _replace(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0017_one_message_per_refund"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=True),
    ]
