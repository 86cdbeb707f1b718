"""Why a delivery failed is stored as a code and a detail, told in the reader's language on the
admin (the delivery, its attempts); the sentences stored before were turned into codes."""
import html
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from webhooks.models import Attempt, Delivery
from webhooks.reasons import sentence

from .helpers import endpoint, place

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("webhooks.migrations.0005_error_codes")


def page(client, url, language) -> str:
    return html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())


@pytest.fixture
def failed(staff, shop, settings, django_capture_on_commit_callbacks, receiver):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    stub = receiver((503, "busy"))
    endpoint(shop, url=stub.url())
    with django_capture_on_commit_callbacks(execute=True):
        order = place(by=staff, storefront=shop)
    return Delivery.objects.get(order=order)


def test_a_failure_is_stored_as_a_code_and_told_in_the_readers_language(failed, staff_client):
    assert (failed.status, failed.error_code, failed.error) == ("failed", "gave_up", "http_error:503")
    attempt = Attempt.objects.get(delivery=failed)
    assert (attempt.error_code, attempt.error) == ("http_error", "503")

    url = f"/admin/webhooks/delivery/{failed.pk}/change/"
    spanish = page(staff_client, url, "es")
    assert "se abandonó después de 1 intentos: el destino respondió HTTP 503" in spanish
    assert spanish.count("el destino respondió HTTP 503") == 2  # the delivery's, and its attempt's row
    portuguese = page(staff_client, url, "pt-br")
    assert "desistimos depois de 1 tentativas: o endpoint respondeu HTTP 503" in portuguese
    english = page(staff_client, url, "en")
    assert "gave up after 1 attempts: the endpoint answered HTTP 503" in english
    assert "http_error:503" not in english


@pytest.mark.parametrize(("code", "detail", "expected"), [
    ("timed_out", "10", "no answer within 10 seconds"),
    ("private_address", "10.0.0.7", "the endpoint's host resolves to a private address (10.0.0.7)"),
    ("endpoint_disabled", "", "not sent: the endpoint is disabled"),
    ("gave_up", "unreachable:Connection refused", "gave up after 4 attempts: could not connect: Connection refused"),
    ("other", "something else", "something else"),
    ("", "written before the codes", "written before the codes"),
])
def test_each_code_has_its_sentence(code, detail, expected):
    assert sentence(code, detail, attempts=4) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("the endpoint answered HTTP 500", ("http_error", "500")),
    ("el destino respondió HTTP 502", ("http_error", "502")),
    ("o endpoint respondeu HTTP 429", ("http_error", "429")),
    ("el destino respondió HTTP 301 (las redirecciones no se siguen: registrá la dirección final)", ("redirected", "301")),
    ("sin respuesta en 10 segundos", ("timed_out", "10")),
    ("sem resposta em 0.5 segundos", ("timed_out", "0.5")),
    ("no se pudo conectar: Connection refused", ("unreachable", "Connection refused")),
    ("o host do endpoint aponta para um endereço privado (10.0.0.7)", ("private_address", "10.0.0.7")),
    ("no se envió: el destino está en pausa", ("endpoint_inactive", "")),
    ("não enviado: o endpoint está desativado", ("endpoint_disabled", "")),
    ("gave up after 8 attempts: the endpoint answered HTTP 503", ("gave_up", "http_error:503")),
    ("se abandonó después de 8 intentos: sin respuesta en 10 segundos", ("gave_up", "timed_out:10")),
    ("desistimos depois de 8 tentativas: algo raro", ("gave_up", "algo raro")),
    ("something nobody wrote", ("other", "something nobody wrote")),
    ("", ("", "")),
])
def test_the_migration_knows_the_sentences_written_in_each_language(text, expected):
    assert MIGRATION.error_code(text) == expected


def test_the_migration_turns_the_stored_sentences_into_codes(failed):
    """Back to the schema before the codes, rows written as they were, then forward again."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks while the table is altered
    before = ("webhooks", "0004_order_refunded_event")
    executor = MigrationExecutor(connection)
    [latest] = executor.loader.graph.leaf_nodes("webhooks")
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    old.get_model("webhooks", "Delivery").objects.filter(pk=failed.pk).update(
        error="se abandonó después de 1 intentos: el destino respondió HTTP 503",
    )
    old.get_model("webhooks", "Attempt").objects.filter(delivery_id=failed.pk).update(
        error="el destino respondió HTTP 503",
    )

    executor = MigrationExecutor(connection)
    executor.migrate([latest])

    failed.refresh_from_db()
    assert (failed.error_code, failed.error, failed.error_text) == (
        "gave_up", "http_error:503", "gave up after 1 attempts: the endpoint answered HTTP 503",
    )
    attempt = Attempt.objects.get(delivery=failed)
    assert (attempt.error_code, attempt.error, attempt.error_text) == (
        "http_error", "503", "the endpoint answered HTTP 503",
    )
