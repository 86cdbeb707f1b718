"""The shipped messages in the glossary's words (docs/glossary.md): vos in Spanish, código de
rastreamento in Portuguese.

Only templates whose text is still the one shipped before are updated: one that staff edited is theirs.
"""
from django.db import migrations

# (milestone, channel, language, field): (the texts shipped before, the text shipped now)
TEXTS = {
    ('order_placed', 'email', 'es', 'body'): (
        (
            'Hola {{ customer_first_name }}:\n\n¡Gracias por comprar en {{ store_name }}! Recibimos tu pedido {{ order_number }} por un total de {{ total }}.\n\nTe vamos a avisar por este medio cada vez que avance.\n\nPuedes seguir tu pedido en todo momento aquí:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
            'Hola {{ customer_first_name }}:\n\n¡Gracias por comprar en {{ store_name }}! Recibimos tu pedido {{ order_number }} por un total de {{ total }}.\n\n{% if payment_link %}Puedes pagarlo aquí:\n{{ payment_link }}\n\n{% endif %}Te vamos a avisar por este medio cada vez que avance.\n\nPuedes seguir tu pedido en todo momento aquí:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        'Hola {{ customer_first_name }}:\n\n¡Gracias por comprar en {{ store_name }}! Recibimos tu pedido {{ order_number }} por un total de {{ total }}.\n\n{% if payment_link %}Podés pagarlo acá:\n{{ payment_link }}\n\n{% endif %}Te vamos a avisar por este medio cada vez que avance.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('order_placed', 'sms', 'es', 'body'): (
        (
            '{{ store_name }}: recibimos tu pedido {{ order_number }} por {{ total }}. Síguelo en {{ timeline_link }}',
            '{{ store_name }}: recibimos tu pedido {{ order_number }} por {{ total }}. {% if payment_link %}Págalo en {{ payment_link }} {% endif %}Síguelo en {{ timeline_link }}',
        ),
        '{{ store_name }}: recibimos tu pedido {{ order_number }} por {{ total }}. {% if payment_link %}Pagalo en {{ payment_link }} {% endif %}Seguilo en {{ timeline_link }}',
    ),
    ('payment_approved', 'email', 'es', 'body'): (
        (
            'Hola {{ customer_first_name }}:\n\nConfirmamos el pago de tu pedido {{ order_number }} por {{ total }}. Ahora lo vamos a preparar y te avisaremos apenas esté en camino.\n\nPuedes seguir tu pedido en todo momento aquí:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        'Hola {{ customer_first_name }}:\n\nConfirmamos el pago de tu pedido {{ order_number }} por {{ total }}. Ahora lo vamos a preparar y te vamos a avisar apenas esté en camino.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('payment_approved', 'sms', 'es', 'body'): (
        (
            '{{ store_name }}: pago aprobado para tu pedido {{ order_number }}. Síguelo en {{ timeline_link }}',
        ),
        '{{ store_name }}: pago aprobado para tu pedido {{ order_number }}. Seguilo en {{ timeline_link }}',
    ),
    ('preparing', 'email', 'es', 'body'): (
        (
            'Hola {{ customer_first_name }}:\n\n¡Ya estamos armando tu pedido {{ order_number }}! Te avisaremos en cuanto esté listo.\n\nPuedes seguir tu pedido en todo momento aquí:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        'Hola {{ customer_first_name }}:\n\n¡Ya estamos armando tu pedido {{ order_number }}! Te vamos a avisar en cuanto esté listo.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('preparing', 'sms', 'es', 'body'): (
        (
            '{{ store_name }}: estamos preparando tu pedido {{ order_number }}. Síguelo en {{ timeline_link }}',
        ),
        '{{ store_name }}: estamos preparando tu pedido {{ order_number }}. Seguilo en {{ timeline_link }}',
    ),
    ('shipped', 'email', 'es', 'body'): (
        (
            '¡Buenas noticias, {{ customer_first_name }}!\n\nTu pedido {{ order_number }} ya salió con {{ carrier }}.\n\nCódigo de seguimiento: {{ tracking_code }}\nSigue el envío aquí: {{ tracking_link }}\n\nPuedes seguir tu pedido en todo momento aquí:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        '¡Buenas noticias, {{ customer_first_name }}!\n\nTu pedido {{ order_number }} ya salió con {{ carrier }}.\n\nCódigo de seguimiento: {{ tracking_code }}\nSeguí el envío acá: {{ tracking_link }}\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('shipped', 'email', 'pt-br', 'body'): (
        (
            'Boas notícias, {{ customer_first_name }}!\n\nO seu pedido {{ order_number }} foi enviado pela {{ carrier }}.\n\nCódigo de rastreio: {{ tracking_code }}\nRastreie a entrega aqui: {{ tracking_link }}\n\nAcompanhe o seu pedido quando quiser:\n{{ timeline_link }}\n\nUm abraço,\nEquipe {{ store_name }}',
        ),
        'Boas notícias, {{ customer_first_name }}!\n\nO seu pedido {{ order_number }} foi enviado pela {{ carrier }}.\n\nCódigo de rastreamento: {{ tracking_code }}\nRastreie a entrega aqui: {{ tracking_link }}\n\nAcompanhe o seu pedido quando quiser:\n{{ timeline_link }}\n\nUm abraço,\nEquipe {{ store_name }}',
    ),
    ('shipped', 'sms', 'pt-br', 'body'): (
        (
            '{{ store_name }}: pedido {{ order_number }} enviado pela {{ carrier }}, rastreio {{ tracking_code }}: {{ tracking_link }}',
        ),
        '{{ store_name }}: pedido {{ order_number }} enviado pela {{ carrier }}, código {{ tracking_code }}: {{ tracking_link }}',
    ),
    ('shipped', 'push', 'pt-br', 'body'): (
        (
            'Enviado pela {{ carrier }}. Código de rastreio: {{ tracking_code }}.',
        ),
        'Enviado pela {{ carrier }}. Código de rastreamento: {{ tracking_code }}.',
    ),
    ('ready_for_pickup', 'email', 'es', 'body'): (
        (
            'Hola {{ customer_first_name }}:\n\nTu pedido {{ order_number }} ya está listo. Puedes pasar a retirarlo por:\n\n{{ pickup_point }}\n\nRecuerda tener a mano el número de pedido.\n\nPuedes seguir tu pedido en todo momento aquí:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        'Hola {{ customer_first_name }}:\n\nTu pedido {{ order_number }} ya está listo. Podés pasar a retirarlo por:\n\n{{ pickup_point }}\n\nAcordate de tener a mano el número de pedido.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('finalized', 'email', 'es', 'body'): (
        (
            'Hola {{ customer_first_name }}:\n\nTu pedido {{ order_number }} está finalizado. ¡Esperamos que lo disfrutes!\n\nSi algo no está bien, responde este correo y te ayudamos.\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        'Hola {{ customer_first_name }}:\n\nTu pedido {{ order_number }} está finalizado. ¡Esperamos que lo disfrutes!\n\nSi algo no está bien, respondé este email y te ayudamos.\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('cancelled', 'email', 'es', 'body'): (
        (
            'Hola {{ customer_first_name }}:\n\nTe contamos que tu pedido {{ order_number }} fue cancelado. Si ya lo habías pagado, nos pondremos en contacto contigo para coordinar el reintegro.\n\nSi tienes alguna duda, responde este correo.\n\nSaludos,\nEl equipo de {{ store_name }}',
            'Hola {{ customer_first_name }}:\n\nTe contamos que tu pedido {{ order_number }} fue cancelado.{% if cancel_reason %}\n\nMotivo: {{ cancel_reason }}{% endif %}\n\nSi ya lo habías pagado, nos pondremos en contacto contigo para coordinar el reintegro.\n\nSi tienes alguna duda, responde este correo.\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        'Hola {{ customer_first_name }}:\n\nTe contamos que tu pedido {{ order_number }} fue cancelado.{% if cancel_reason %}\n\nMotivo: {{ cancel_reason }}{% endif %}\n\nSi ya lo habías pagado, nos vamos a poner en contacto con vos para coordinar el reintegro.\n\nSi tenés alguna duda, respondé este email.\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('cancelled', 'sms', 'es', 'body'): (
        (
            '{{ store_name }}: tu pedido {{ order_number }} fue cancelado. ¿Dudas? Escríbenos a {{ store_email }}',
            '{{ store_name }}: tu pedido {{ order_number }} fue cancelado{% if cancel_reason %} ({{ cancel_reason|truncatechars:60 }}){% endif %}. ¿Dudas? Escríbenos a {{ store_email }}',
        ),
        '{{ store_name }}: tu pedido {{ order_number }} fue cancelado{% if cancel_reason %} ({{ cancel_reason|truncatechars:60 }}){% endif %}. ¿Dudas? Escribinos a {{ store_email }}',
    ),
    ('checkout_recovery', 'email', 'es', 'body'): (
        (
            'Hola {{ customer_first_name }}:\n\nVimos que empezaste una compra en {{ store_name }} y no llegaste a terminarla. Guardamos todo para que puedas retomarla cuando quieras.{% if lines %}\n\n{{ lines }}{% endif %}{% if total %}\nTotal: {{ total }}{% endif %}\n\nTermina tu compra aquí:\n{{ resume_link }}\n\nSi tuviste algún problema con el pago o tienes dudas, responde este correo y te ayudamos.\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        'Hola {{ customer_first_name }}:\n\nVimos que empezaste una compra en {{ store_name }} y no llegaste a terminarla. Guardamos todo para que puedas retomarla cuando quieras.{% if lines %}\n\n{{ lines }}{% endif %}{% if total %}\nTotal: {{ total }}{% endif %}\n\nTerminá tu compra acá:\n{{ resume_link }}\n\nSi tuviste algún problema con el pago o tenés dudas, respondé este email y te ayudamos.\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('checkout_recovery', 'sms', 'es', 'body'): (
        (
            '{{ store_name }}: tu compra te está esperando. Termínala aquí: {{ resume_link }}',
        ),
        '{{ store_name }}: tu compra te está esperando. Terminala acá: {{ resume_link }}',
    ),
    ('payment_reminder', 'email', 'es', 'body'): (
        (
            'Hola {{ customer_first_name }}:\n\nTu pedido {{ order_number }} por {{ total }} todavía espera el pago. Lo preparamos apenas se acredite.\n\n{% if payment_link %}Puedes pagarlo aquí:\n{{ payment_link }}\n\n{% endif %}{% if transfer_details %}Para pagarlo por transferencia:\n{{ transfer_details }}\n\nCuando transfieras, responde este correo con el comprobante.\n\n{% endif %}Si ya pagaste, no hace falta que hagas nada más.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
        ),
        'Hola {{ customer_first_name }}:\n\nTu pedido {{ order_number }} por {{ total }} todavía espera el pago. Lo preparamos apenas se acredite.\n\n{% if payment_link %}Podés pagarlo acá:\n{{ payment_link }}\n\n{% endif %}{% if transfer_details %}Para pagarlo por transferencia:\n{{ transfer_details }}\n\nCuando transfieras, respondé este email con el comprobante.\n\n{% endif %}Si ya pagaste, no hace falta que hagas nada más.\n\nPodés seguir tu pedido en todo momento acá:\n{{ timeline_link }}\n\nSaludos,\nEl equipo de {{ store_name }}',
    ),
    ('payment_reminder', 'sms', 'es', 'body'): (
        (
            '{{ store_name }}: tu pedido {{ order_number }} espera el pago de {{ total }}. {% if payment_link %}Págalo en {{ payment_link }}{% else %}Cómo pagar: {{ timeline_link }}{% endif %}',
        ),
        '{{ store_name }}: tu pedido {{ order_number }} espera el pago de {{ total }}. {% if payment_link %}Pagalo en {{ payment_link }}{% else %}Cómo pagar: {{ timeline_link }}{% endif %}',
    ),
}


def _replace(apps, *, forward: bool):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for (milestone, channel, language, field), (befores, now) in TEXTS.items():
        olds, new = (befores, now) if forward else ((now,), befores[0])
        MessageTemplate.objects.filter(
            milestone=milestone, channel=channel, language=language, **{f"{field}__in": olds}
        ).update(**{field: new})


def forward(apps, schema_editor):
    _replace(apps, forward=True)


def backward(apps, schema_editor):
    _replace(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0014_resent_from"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=True),
    ]
