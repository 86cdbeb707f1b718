"""The shipped cancellation messages tell the customer why ({{ cancel_reason }}).

Only templates whose body is still the text shipped before are updated: one that staff edited is theirs.
"""
from django.db import migrations

# (channel, language): (body shipped before, body shipped now)
BODIES = {
    ('email', 'es'): (
        'Hola {{ customer_first_name }}:\n\nTe contamos que tu pedido {{ order_number }} fue cancelado. Si ya lo habías pagado, nos pondremos en contacto contigo para coordinar el reintegro.\n\nSi tienes alguna duda, responde este correo.\n\nSaludos,\nEl equipo de {{ store_name }}',
        'Hola {{ customer_first_name }}:\n\nTe contamos que tu pedido {{ order_number }} fue cancelado.{% if cancel_reason %}\n\nMotivo: {{ cancel_reason }}{% endif %}\n\nSi ya lo habías pagado, nos pondremos en contacto contigo para coordinar el reintegro.\n\nSi tienes alguna duda, responde este correo.\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('email', 'pt-br'): (
        'Olá, {{ customer_first_name }}.\n\nInformamos que o seu pedido {{ order_number }} foi cancelado. Se você já tinha pago, entraremos em contato para combinar o reembolso.\n\nEm caso de dúvidas, é só responder este e-mail.\n\nUm abraço,\nEquipe {{ store_name }}',
        'Olá, {{ customer_first_name }}.\n\nInformamos que o seu pedido {{ order_number }} foi cancelado.{% if cancel_reason %}\n\nMotivo: {{ cancel_reason }}{% endif %}\n\nSe você já tinha pago, entraremos em contato para combinar o reembolso.\n\nEm caso de dúvidas, é só responder este e-mail.\n\nUm abraço,\nEquipe {{ store_name }}',
    ),
    ('email', 'en'): (
        "Hi {{ customer_first_name }},\n\nWe're writing to let you know that your order {{ order_number }} was cancelled. If you had already paid, we'll get in touch to arrange your refund.\n\nIf you have any questions, just reply to this email.\n\nBest regards,\nThe {{ store_name }} team",
        "Hi {{ customer_first_name }},\n\nWe're writing to let you know that your order {{ order_number }} was cancelled.{% if cancel_reason %}\n\nReason: {{ cancel_reason }}{% endif %}\n\nIf you had already paid, we'll get in touch to arrange your refund.\n\nIf you have any questions, just reply to this email.\n\nBest regards,\nThe {{ store_name }} team",
    ),
    ('sms', 'es'): (
        '{{ store_name }}: tu pedido {{ order_number }} fue cancelado. ¿Dudas? Escríbenos a {{ store_email }}',
        '{{ store_name }}: tu pedido {{ order_number }} fue cancelado{% if cancel_reason %} ({{ cancel_reason|truncatechars:60 }}){% endif %}. ¿Dudas? Escríbenos a {{ store_email }}',
    ),
    ('sms', 'pt-br'): (
        '{{ store_name }}: o seu pedido {{ order_number }} foi cancelado. Dúvidas? Escreva para {{ store_email }}',
        '{{ store_name }}: o seu pedido {{ order_number }} foi cancelado{% if cancel_reason %} ({{ cancel_reason|truncatechars:60 }}){% endif %}. Dúvidas? Escreva para {{ store_email }}',
    ),
    ('sms', 'en'): (
        '{{ store_name }}: your order {{ order_number }} was cancelled. Questions? Write to {{ store_email }}',
        '{{ store_name }}: your order {{ order_number }} was cancelled{% if cancel_reason %} ({{ cancel_reason|truncatechars:60 }}){% endif %}. Questions? Write to {{ store_email }}',
    ),
    ('push', 'es'): (
        'Tu pedido {{ order_number }} fue cancelado.',
        'Tu pedido {{ order_number }} fue cancelado.{% if cancel_reason %} {{ cancel_reason|truncatechars:100 }}{% endif %}',
    ),
    ('push', 'pt-br'): (
        'O seu pedido {{ order_number }} foi cancelado.',
        'O seu pedido {{ order_number }} foi cancelado.{% if cancel_reason %} {{ cancel_reason|truncatechars:100 }}{% endif %}',
    ),
    ('push', 'en'): (
        'Your order {{ order_number }} was cancelled.',
        'Your order {{ order_number }} was cancelled.{% if cancel_reason %} {{ cancel_reason|truncatechars:100 }}{% endif %}',
    ),
}


def _replace(apps, *, forward: bool):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (channel, language), (before, now) in BODIES.items():
        old, new = (before, now) if forward else (now, before)
        MessageTemplate.objects.filter(milestone="cancelled", channel=channel, language=language, body=old).update(
            body=new
        )


def forward(apps, schema_editor):
    _replace(apps, forward=True)


def backward(apps, schema_editor):
    _replace(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_squashed_0007_backfill_rule_firings"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=True),
    ]
