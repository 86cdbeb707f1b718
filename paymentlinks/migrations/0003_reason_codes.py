"""Payment links, payment checks and flagged payments keep what came of them as a code and a detail
instead of a sentence in the store's language; the sentences already written are turned into codes.

The sentences below are those this app wrote, in English, Spanish and Portuguese (Brazil), written
out here as they were (this migration imports nothing of the project's). A sentence with several
values keeps them as a JSON object in the detail; a payment that gave up keeps the last error as
"<code>:<detail>". Text that matches none of them (Mercado Pago's own words) is kept whole as the
detail, with the code "other" (a flag's, under its code, as it is).
"""
import json
import re

from django.db import migrations, models

SENTENCES = {
    "not made: the order is already paid or cancelled": "order_closed",
    "no creado: el pedido ya está pagado o cancelado": "order_closed",
    "não criado: o pedido já está pago ou cancelado": "order_closed",
    "not made: payment links are off (no MERCADOPAGO_ACCESS_TOKEN)": "turned_off",
    "no creado: los links de pago están apagados (falta MERCADOPAGO_ACCESS_TOKEN)": "turned_off",
    "não criado: os links de pagamento estão desligados (sem MERCADOPAGO_ACCESS_TOKEN)": "turned_off",
    "not read: payment links are off (no MERCADOPAGO_ACCESS_TOKEN)": "turned_off",
    "no leído: los links de pago están apagados (falta MERCADOPAGO_ACCESS_TOKEN)": "turned_off",
    "não lido: os links de pagamento estão desligados (sem MERCADOPAGO_ACCESS_TOKEN)": "turned_off",
    "Mercado Pago answered without a checkout address": "no_checkout",
    "Mercado Pago respondió sin una dirección de pago": "no_checkout",
    "O Mercado Pago respondeu sem um endereço de pagamento": "no_checkout",
    "Mercado Pago answered a payment without an id, amount or currency": "unreadable",
    "Mercado Pago respondió un pago sin id, monto o moneda": "unreadable",
    "O Mercado Pago respondeu um pagamento sem id, valor ou moeda": "unreadable",
}

# (code, pattern): the group "detail" is the detail; other named groups are the values of a JSON detail.
PATTERNS = [
    ("not_ours", r"ignored: Mercado Pago shows no payment (?P<detail>.+) to this account \(another seller's, or none\)"),
    ("not_ours", r"ignorado: Mercado Pago no muestra el pago (?P<detail>.+) a esta cuenta \(es de otro vendedor, o no existe\)"),
    ("not_ours", r"ignorado: o Mercado Pago não mostra o pagamento (?P<detail>.+) a esta conta \(é de outro vendedor, ou não existe\)"),
    ("unknown_reference", r"ignored: no order has the reference “(?P<detail>.*)”"),
    ("unknown_reference", r"ignorado: ningún pedido tiene la referencia “(?P<detail>.*)”"),
    ("unknown_reference", r"ignorado: nenhum pedido tem a referência “(?P<detail>.*)”"),
    ("wrong_order", r"ignored: the payment's reference “(?P<reference>.*)” names neither order (?P<number>\S+) nor its storefront id"),
    ("wrong_order", r"ignorado: la referencia del pago “(?P<reference>.*)” no es el pedido (?P<number>\S+) ni su id en la tienda online"),
    ("wrong_order", r"ignorado: a referência do pagamento “(?P<reference>.*)” não é o pedido (?P<number>\S+) nem seu id na loja virtual"),
    ("other_order", r"ignored: this payment belongs to order (?P<detail>\S+)"),
    ("other_order", r"ignorado: este pago es del pedido (?P<detail>\S+)"),
    ("other_order", r"ignorado: este pagamento é do pedido (?P<detail>\S+)"),
    ("already", r"already registered on order (?P<detail>\S+)"),
    ("already", r"ya registrado en el pedido (?P<detail>\S+)"),
    ("already", r"já registrado no pedido (?P<detail>\S+)"),
    ("registered", r"registered (?P<money>.+) on order (?P<number>\S+)"),
    ("registered", r"registrado (?P<money>.+) en el pedido (?P<number>\S+)"),
    ("registered", r"registrado (?P<money>.+) no pedido (?P<number>\S+)"),
    ("recorded", r"recorded: the payment is (?P<detail>.*)"),
    ("recorded", r"anotado: el pago está (?P<detail>.*)"),
    ("recorded", r"anotado: o pagamento está (?P<detail>.*)"),
]
FLAGGED = [
    r"flagged for staff: (?P<reason>.*)",
    r"marcado para el equipo: (?P<reason>.*)",
    r"sinalizado para a equipe: (?P<reason>.*)",
]
GAVE_UP = [
    r"gave up after \d+ attempts: (?P<detail>.*)",
    r"se abandonó después de \d+ intentos: (?P<detail>.*)",
    r"desistimos depois de \d+ tentativas: (?P<detail>.*)",
]
# Why a payment needs the staff: (code, pattern), the named groups its values.
ATTENTION = [
    ("currency", r"Mercado Pago approved (?P<amount>\S+) (?P<currency>\S+), but the order is in (?P<order_currency>\S+): it was not registered\."),
    ("currency", r"Mercado Pago aprobó (?P<amount>\S+) (?P<currency>\S+), pero el pedido está en (?P<order_currency>\S+): no se registró\."),
    ("currency", r"O Mercado Pago aprovou (?P<amount>\S+) (?P<currency>\S+), mas o pedido está em (?P<order_currency>\S+): não foi registrado\."),
    ("refused", r"Mercado Pago approved (?P<amount>\S+) (?P<currency>\S+), but it could not be registered: (?P<reason>.*)"),
    ("refused", r"Mercado Pago aprobó (?P<amount>\S+) (?P<currency>\S+), pero no se pudo registrar: (?P<reason>.*)"),
    ("refused", r"O Mercado Pago aprovou (?P<amount>\S+) (?P<currency>\S+), mas não foi possível registrá-lo: (?P<reason>.*)"),
    ("refunded", r"Mercado Pago reports this payment \((?P<amount>\S+) (?P<currency>\S+)\) refunded\. The payment registered on the order still counts: handle the refund\."),
    ("refunded", r"Mercado Pago informa este pago \((?P<amount>\S+) (?P<currency>\S+)\) como devuelto\. El pago registrado en el pedido sigue contando: gestioná la devolución\."),
    ("refunded", r"O Mercado Pago informa este pagamento \((?P<amount>\S+) (?P<currency>\S+)\) como estornado\. O pagamento registrado no pedido continua contando: trate o estorno\."),
    ("charged_back", r"Mercado Pago reports a chargeback of this payment \((?P<amount>\S+) (?P<currency>\S+)\)\. The payment registered on the order still counts: handle the chargeback\."),
    ("charged_back", r"Mercado Pago informa un contracargo de este pago \((?P<amount>\S+) (?P<currency>\S+)\)\. El pago registrado en el pedido sigue contando: gestioná el contracargo\."),
    ("charged_back", r"O Mercado Pago informa um chargeback deste pagamento \((?P<amount>\S+) (?P<currency>\S+)\)\. O pagamento registrado no pedido continua contando: trate o chargeback\."),
]


def _compile(patterns):
    return [(code, re.compile(pattern, re.DOTALL)) for code, pattern in patterns]


COMPILED, ATTENTION_COMPILED = _compile(PATTERNS), _compile(ATTENTION)
FLAGGED_COMPILED = [re.compile(pattern, re.DOTALL) for pattern in FLAGGED]
GAVE_UP_COMPILED = [re.compile(pattern, re.DOTALL) for pattern in GAVE_UP]


def values(**found) -> str:
    return json.dumps(found, ensure_ascii=False, sort_keys=True)


def attention(text: str):
    """(code, values) of a flag written as a sentence, or None."""
    for code, pattern in ATTENTION_COMPILED:
        match = pattern.fullmatch(text.strip())
        if match is not None:
            return code, match.groupdict()
    return None


def reason_code(text: str) -> tuple[str, str]:
    """(code, detail) for what a link or a check wrote as a sentence."""
    text = text.strip()
    if not text:
        return "", ""
    for pattern in GAVE_UP_COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            code, detail = reason_code(match.group("detail"))
            return "gave_up", f"{code}:{detail}" if code != "other" else detail
    if text in SENTENCES:
        return SENTENCES[text], ""
    for pattern in FLAGGED_COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            flag = attention(match.group("reason"))
            if flag is None:
                return "flagged", match.group("reason")
            return "flagged", values(attention=flag[0], **flag[1])
    for code, pattern in COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            groups = match.groupdict()
            return code, groups["detail"] if "detail" in groups else values(**groups)
    return "other", text


def convert(model, code_field: str, detail_field: str) -> None:
    batch = []
    rows = model.objects.filter(**{code_field: ""}).exclude(**{detail_field: ""}).only("pk", detail_field)
    for row in rows.order_by("pk").iterator(chunk_size=2000):
        code, detail = reason_code(getattr(row, detail_field))
        setattr(row, code_field, code)
        setattr(row, detail_field, detail)
        batch.append(row)
    model.objects.bulk_update(batch, [code_field, detail_field], batch_size=2000)


def to_codes(apps, schema_editor):
    convert(apps.get_model("paymentlinks", "PaymentLink"), "error_code", "error")
    convert(apps.get_model("paymentlinks", "PaymentCheck"), "outcome_code", "outcome")
    MercadoPagoPayment = apps.get_model("paymentlinks", "MercadoPagoPayment")
    batch = []
    for payment in MercadoPagoPayment.objects.exclude(attention="").only("pk", "attention", "attention_code"):
        flag = attention(payment.attention)
        if flag is not None and not payment.attention.startswith("{"):
            payment.attention_code, payment.attention = flag[0], values(**flag[1])
            batch.append(payment)
    MercadoPagoPayment.objects.bulk_update(batch, ["attention_code", "attention"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("paymentlinks", "0002_staff_group_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentcheck",
            name="outcome_code",
            field=models.CharField(blank=True, max_length=30, verbose_name="outcome code"),
        ),
        migrations.AddField(
            model_name="paymentlink",
            name="error_code",
            field=models.CharField(blank=True, max_length=30, verbose_name="error code"),
        ),
        # Back: the codes stay beside the details (the sentences are not written again).
        migrations.RunPython(to_codes, migrations.RunPython.noop, elidable=True),
    ]
