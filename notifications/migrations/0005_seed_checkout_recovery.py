"""Seed the checkout recovery message: its switches (email on) and its templates in three languages.

The rows are written out here rather than read from the application's defaults, so this migration
writes the same rows whatever the code later becomes. `manage.py seed_reference_data` seeds the
current defaults; this operation is elidable (a squash drops it).
"""
from django.db import migrations

SWITCHES = {
    "checkout_recovery": {"email": True, "sms": False, "push": False},
}

# (milestone, channel, language, field values)
TEMPLATES = [
    ("checkout_recovery", "email", "es", {
        "subject": "Tu compra en {{ store_name }} te está esperando",
        "body": (
            "Hola {{ customer_first_name }}:\n"
            "\n"
            "Vimos que empezaste una compra en {{ store_name }} y no llegaste a terminarla. Guardamos todo "
            "para que puedas retomarla cuando quieras.{% if lines %}\n"
            "\n"
            "{{ lines }}{% endif %}{% if total %}\n"
            "Total: {{ total }}{% endif %}\n"
            "\n"
            "Termina tu compra aquí:\n"
            "{{ resume_link }}\n"
            "\n"
            "Si tuviste algún problema con el pago o tienes dudas, responde este correo y te ayudamos.\n"
            "\n"
            "Saludos,\n"
            "El equipo de {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("checkout_recovery", "email", "pt-br", {
        "subject": "Sua compra na {{ store_name }} está esperando por você",
        "body": (
            "Olá, {{ customer_first_name }}!\n"
            "\n"
            "Vimos que você começou uma compra na {{ store_name }} e não chegou a finalizá-la. Guardamos tudo "
            "para você continuar quando quiser.{% if lines %}\n"
            "\n"
            "{{ lines }}{% endif %}{% if total %}\n"
            "Total: {{ total }}{% endif %}\n"
            "\n"
            "Finalize a sua compra aqui:\n"
            "{{ resume_link }}\n"
            "\n"
            "Se teve algum problema com o pagamento ou ficou com dúvidas, é só responder este e-mail.\n"
            "\n"
            "Um abraço,\n"
            "Equipe {{ store_name }}"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("checkout_recovery", "email", "en", {
        "subject": "Your order at {{ store_name }} is waiting for you",
        "body": (
            "Hi {{ customer_first_name }},\n"
            "\n"
            "We noticed you started an order at {{ store_name }} but didn't get to finish it. We've kept "
            "everything so you can pick up where you left off.{% if lines %}\n"
            "\n"
            "{{ lines }}{% endif %}{% if total %}\n"
            "Total: {{ total }}{% endif %}\n"
            "\n"
            "Finish your order here:\n"
            "{{ resume_link }}\n"
            "\n"
            "If something went wrong with the payment or you have questions, just reply to this email.\n"
            "\n"
            "Best regards,\n"
            "The {{ store_name }} team"
        ),
        "html_body": "",
        "url": "",
        "gsm7_friendly": False,
    }),
    ("checkout_recovery", "sms", "es", {
        "subject": "",
        "body": "{{ store_name }}: tu compra te está esperando. Termínala aquí: {{ resume_link }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("checkout_recovery", "sms", "pt-br", {
        "subject": "",
        "body": "{{ store_name }}: sua compra está esperando por você. Finalize aqui: {{ resume_link }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
    }),
    ("checkout_recovery", "sms", "en", {
        "subject": "",
        "body": "{{ store_name }}: your order is waiting for you. Finish it here: {{ resume_link }}",
        "html_body": "",
        "url": "",
        "gsm7_friendly": True,
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
        ("notifications", "0004_rules_and_checkout_recovery"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop, elidable=True),
    ]
