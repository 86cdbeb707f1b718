"""Webhook deliveries and their attempts keep why they failed as a code and a detail instead of a
sentence in the store's language; the sentences already written are turned into codes.

The sentences below are those the deliveries wrote, in English, Spanish and Portuguese (Brazil),
written out here as they were (this migration imports nothing of the project's). Text that matches
none of them is kept whole as the detail, with the code "other". A delivery that gave up keeps the
last error inside its detail as "<code>:<detail>".
"""
import re

from django.db import migrations, models

# Whole sentences (en, es, pt-BR) -> code.
SENTENCES = {
    "not sent: the endpoint is inactive": "endpoint_inactive",
    "no se envió: el destino está en pausa": "endpoint_inactive",
    "não enviado: o endpoint está pausado": "endpoint_inactive",
    "not sent: the endpoint is disabled": "endpoint_disabled",
    "no se envió: el destino está desactivado": "endpoint_disabled",
    "não enviado: o endpoint está desativado": "endpoint_disabled",
    "not sent: the order was deleted before the event's body was built": "order_gone",
    "no se envió: el pedido se borró antes de armar el contenido del evento": "order_gone",
    "não enviado: o pedido foi excluído antes de o conteúdo do evento ser montado": "order_gone",
}

# Sentences with a part that varies (en, es, pt-BR) -> code; the detail is the group "detail".
PATTERNS = [
    ("redirected", r"the endpoint answered HTTP (?P<detail>\d+) \(redirects are not followed: register the final address\)"),
    ("redirected", r"el destino respondió HTTP (?P<detail>\d+) \(las redirecciones no se siguen: registrá la dirección final\)"),
    ("redirected", r"o endpoint respondeu HTTP (?P<detail>\d+) \(redirecionamentos não são seguidos: cadastre o endereço final\)"),
    ("http_error", r"the endpoint answered HTTP (?P<detail>\d+)"),
    ("http_error", r"el destino respondió HTTP (?P<detail>\d+)"),
    ("http_error", r"o endpoint respondeu HTTP (?P<detail>\d+)"),
    ("timed_out", r"no answer within (?P<detail>[\d.]+) seconds"),
    ("timed_out", r"sin respuesta en (?P<detail>[\d.]+) segundos"),
    ("timed_out", r"sem resposta em (?P<detail>[\d.]+) segundos"),
    ("unreachable", r"could not connect: (?P<detail>.*)"),
    ("unreachable", r"no se pudo conectar: (?P<detail>.*)"),
    ("unreachable", r"não foi possível conectar: (?P<detail>.*)"),
    ("bad_request", r"the request could not be made: (?P<detail>.*)"),
    ("bad_request", r"no se pudo hacer la solicitud: (?P<detail>.*)"),
    ("bad_request", r"não foi possível fazer a requisição: (?P<detail>.*)"),
    ("private_address", r"the endpoint's host resolves to a private address \((?P<detail>.*)\)"),
    ("private_address", r"el host del destino apunta a una dirección privada \((?P<detail>.*)\)"),
    ("private_address", r"o host do endpoint aponta para um endereço privado \((?P<detail>.*)\)"),
    ("refused", r"not sent, the address is not allowed: (?P<detail>.*)"),
    ("refused", r"no enviado, la dirección no está permitida: (?P<detail>.*)"),
    ("refused", r"não enviado, o endereço não é permitido: (?P<detail>.*)"),
]
GAVE_UP = [
    r"gave up after \d+ attempts: (?P<detail>.*)",
    r"se abandonó después de \d+ intentos: (?P<detail>.*)",
    r"desistimos depois de \d+ tentativas: (?P<detail>.*)",
]
COMPILED = [(code, re.compile(pattern, re.DOTALL)) for code, pattern in PATTERNS]
GAVE_UP_COMPILED = [re.compile(pattern, re.DOTALL) for pattern in GAVE_UP]


def error_code(text: str) -> tuple[str, str]:
    """(code, detail) for an error written as a sentence."""
    text = text.strip()
    if not text:
        return "", ""
    for pattern in GAVE_UP_COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            code, detail = error_code(match.group("detail"))
            return "gave_up", f"{code}:{detail}" if code and code != "other" else detail
    if text in SENTENCES:
        return SENTENCES[text], ""
    for code, pattern in COMPILED:
        match = pattern.fullmatch(text)
        if match is not None:
            return code, match.group("detail")
    return "other", text


def convert(model):
    batch = []
    for row in model.objects.filter(error_code="").exclude(error="").only("pk", "error").order_by("pk").iterator(
        chunk_size=2000
    ):
        row.error_code, row.error = error_code(row.error)
        batch.append(row)
        if len(batch) == 2000:
            model.objects.bulk_update(batch, ["error_code", "error"])
            batch = []
    model.objects.bulk_update(batch, ["error_code", "error"])


def to_codes(apps, schema_editor):
    convert(apps.get_model("webhooks", "Delivery"))
    convert(apps.get_model("webhooks", "Attempt"))


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0004_order_refunded_event")]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="error_code",
            field=models.CharField(blank=True, max_length=30, verbose_name="error code"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="error_code",
            field=models.CharField(blank=True, max_length=30, verbose_name="error code"),
        ),
        # Back: the codes stay beside the details (the sentences are not written again).
        migrations.RunPython(to_codes, migrations.RunPython.noop, elidable=True),
    ]
