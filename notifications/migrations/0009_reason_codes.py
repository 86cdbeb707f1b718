"""The notification log keeps why a row was skipped or failed as a code and a detail, instead of a
sentence in the store's language; the sentences already written are turned into codes.

The sentences below are those the log wrote, in English, Spanish and Portuguese (Brazil), written
out here as they were (this migration imports nothing of the project's). Text that matches none
of them (a provider's own words, say) is kept whole as the detail, with the code "other".
"""
import re

from django.db import migrations, models

REASON_CODES = [
    ("not_notified", "not notified at staff's request"),
    ("sent_by_platform", "sent by the store platform"),
    ("no_email", "no email address"),
    ("no_phone", "no valid mobile number"),
    ("no_push_subscription", "no push subscription"),
    ("no_credits", "no SMS credits"),
    ("sms_too_long", "the SMS is too long"),
    ("no_template", "the message template cannot be used"),
    ("provider_error", "the provider refused or failed"),
    ("unexpected_error", "unexpected error while sending"),
    ("gave_up", "gave up after the last attempt"),
    ("bounced", "the email bounced"),
    ("rejected", "the email provider rejected it"),
    ("checkout_recovered", "the checkout was recovered"),
    ("rule_turned_off", "the rule was turned off before the message was due"),
    ("no_longer_due", "the order moved on before the delay passed"),
    ("cancelled_meanwhile", "the order was cancelled before the delay passed"),
    ("other", "other"),
]

# Whole sentences (en, es, pt-BR) -> code.
SENTENCES = {
    "not notified at staff's request": "not_notified",
    "no se avisó al cliente a pedido del equipo": "not_notified",
    "cliente não avisado a pedido da equipe": "not_notified",
    "sent by the store platform": "sent_by_platform",
    "lo envía la plataforma de la tienda": "sent_by_platform",
    "enviado pela plataforma da loja": "sent_by_platform",
    "no email address": "no_email",
    "sin correo electrónico": "no_email",
    "sem e-mail": "no_email",
    "no valid mobile number": "no_phone",
    "sin número de celular válido": "no_phone",
    "sem número de celular válido": "no_phone",
    "no push subscription": "no_push_subscription",
    "sin suscripción push": "no_push_subscription",
    "sem inscrição push": "no_push_subscription",
    "no SMS credits": "no_credits",
    "sin créditos de SMS": "no_credits",
    "sem créditos de SMS": "no_credits",
    "the checkout was recovered": "checkout_recovered",
    "el carrito fue recuperado": "checkout_recovered",
    "o carrinho foi recuperado": "checkout_recovered",
    "the rule was turned off before the message was due": "rule_turned_off",
    "la regla se desactivó antes de que tocara enviar el mensaje": "rule_turned_off",
    "a regra foi desativada antes do envio da mensagem": "rule_turned_off",
    "the order was cancelled before the delay passed": "cancelled_meanwhile",
    "el pedido se canceló antes de que pasara la demora": "cancelled_meanwhile",
    "o pedido foi cancelado antes de o prazo terminar": "cancelled_meanwhile",
}

# Sentences with a part that varies (en, es, pt-BR) -> code; the detail is the group "detail",
# or "segments > limit" for an SMS too long.
PATTERNS = [
    ("sms_too_long", r"the SMS would take (?P<segments>\d+) segments; the limit is (?P<limit>\d+)"),
    ("sms_too_long", r"el SMS ocuparía (?P<segments>\d+) segmentos; el límite es (?P<limit>\d+)"),
    ("sms_too_long", r"o SMS ocuparia (?P<segments>\d+) segmentos; o limite é (?P<limit>\d+)"),
    ("sms_too_long", r"message too long: (?P<segments>\d+) SMS segments, the limit is (?P<limit>\d+)"),
    ("gave_up", r"gave up after \d+ attempts: (?P<detail>.*)"),
    ("gave_up", r"se abandonó tras \d+ intentos: (?P<detail>.*)"),
    ("gave_up", r"desistimos após \d+ tentativas: (?P<detail>.*)"),
    ("no_template", r"the message template cannot be used: (?P<detail>.*)"),
    ("no_template", r"no se puede usar la plantilla del mensaje: (?P<detail>.*)"),
    ("no_template", r"não é possível usar o modelo da mensagem: (?P<detail>.*)"),
    ("no_template", r"no message template: (?P<detail>.*)"),
    ("bounced", r"the email bounced: (?P<detail>.*)"),
    ("bounced", r"el correo rebotó: (?P<detail>.*)"),
    ("bounced", r"o e-mail foi devolvido: (?P<detail>.*)"),
    ("rejected", r"the email provider rejected it: (?P<detail>.*)"),
    ("rejected", r"el proveedor de correo lo rechazó: (?P<detail>.*)"),
    ("rejected", r"o provedor de e-mail o rejeitou: (?P<detail>.*)"),
    ("no_longer_due", r"the order is no longer “(?P<detail>.*)”: it moved on before the delay passed"),
    ("no_longer_due", r"el pedido ya no está en “(?P<detail>.*)”: cambió antes de que pasara la demora"),
    ("no_longer_due", r"o pedido não está mais em “(?P<detail>.*)”: mudou antes de o prazo terminar"),
]
COMPILED = [(code, re.compile(pattern, re.DOTALL)) for code, pattern in PATTERNS]


def reason_code(text: str) -> tuple[str, str]:
    """(code, detail) for a reason the log wrote as a sentence."""
    text = text.strip()
    if not text:
        return "", ""
    if text in SENTENCES:
        return SENTENCES[text], ""
    for code, pattern in COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            groups = match.groupdict()
            if "segments" in groups:
                return code, f"{groups['segments']} > {groups['limit']}"
            return code, groups["detail"]
    return "other", text


def to_codes(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    if "reason" not in {field.name for field in Notification._meta.get_fields()}:
        return  # called with the models of a later state, where the sentences are gone: nothing to convert
    rows = Notification.objects.exclude(reason="").only("pk", "reason").order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=2000):
        row.reason_code, row.reason_detail = reason_code(row.reason)
        batch.append(row)
        if len(batch) == 2000:
            Notification.objects.bulk_update(batch, ["reason_code", "reason_detail"])
            batch = []
    Notification.objects.bulk_update(batch, ["reason_code", "reason_detail"])


def to_sentences(apps, schema_editor):
    """Back: the English sentence of each code (the detail alone where it says more)."""
    Notification = apps.get_model("notifications", "Notification")
    labels = dict(REASON_CODES)
    for row in Notification.objects.exclude(reason_code="", reason_detail="").iterator(chunk_size=2000):
        label = labels.get(row.reason_code, "")
        if row.reason_code in ("other", "provider_error", "unexpected_error"):
            label = ""
        row.reason = f"{label}: {row.reason_detail}" if label and row.reason_detail else label or row.reason_detail
        row.save(update_fields=["reason"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0008_cancel_reason_in_cancelled_messages")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="reason_code",
            field=models.CharField(
                blank=True, choices=REASON_CODES, max_length=30, verbose_name="reason",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="reason_detail",
            field=models.TextField(blank=True, verbose_name="reason detail"),
        ),
        migrations.RunPython(to_codes, to_sentences, elidable=True),
    ]
