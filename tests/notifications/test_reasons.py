"""Why a row was skipped or failed is kept as a code (and a detail), told in the reader's language,
filtered by in the log, and the sentences the log wrote before were turned into codes."""
import html
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Notification
from notifications.reasons import Reason, sentence

from .helpers import place

pytestmark = pytest.mark.django_db

LOG = "/admin/notifications/notification/"
MIGRATION = importlib.import_module("notifications.migrations.0009_reason_codes")


def page(client, url, language):
    return html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())


def test_a_skipped_row_tells_its_reason_in_the_language_of_whoever_reads_the_log(staff, staff_client):
    order = place(by=staff, email="")  # no email address: the order_placed email is skipped
    row = Notification.objects.get(order=order, milestone="order_placed", channel="email")
    assert (row.status, row.reason_code, row.reason_detail) == ("skipped", "no_email", "")

    assert "sin correo electrónico" in page(staff_client, LOG, "es")
    assert "no email address" in page(staff_client, LOG, "en")
    detail = f"{LOG}{row.pk}/change/"
    assert "sin correo electrónico" in page(staff_client, detail, "es")
    assert "sem e-mail" in page(staff_client, detail, "pt-br")
    english = page(staff_client, detail, "en")
    assert "no email address" in english and "sin correo electrónico" not in english


def test_a_detail_is_kept_as_it_came_and_the_sentence_around_it_is_translated():
    assert sentence(Reason.BOUNCED, "550 mailbox unavailable") == "the email bounced: 550 mailbox unavailable"
    assert sentence(Reason.PROVIDER_ERROR, "Twilio HTTP 400") == "Twilio HTTP 400"
    assert sentence(Reason.GAVE_UP, "timed out", attempts=5) == "gave up after 5 attempts: timed out"
    from django.utils import translation

    with translation.override("es"):
        assert sentence(Reason.BOUNCED, "550 mailbox unavailable") == "el correo rebotó: 550 mailbox unavailable"
        assert sentence(Reason.NO_PUSH_SUBSCRIPTION) == "sin suscripción push"


def test_the_log_filters_by_reason(staff, staff_client):
    without_email = place(by=staff, email="")
    with_email = place(by=staff)
    response = staff_client.get(LOG, {"reason_code": "no_email"})
    shown = {row.order_id for row in response.context["cl"].result_list}
    assert shown == {without_email.pk}
    assert with_email.pk not in shown
    assert "reason_code" in page(staff_client, LOG, "en")  # the filter is offered


@pytest.mark.parametrize(("text", "expected"), [
    ("no push subscription", ("no_push_subscription", "")),
    ("sin suscripción push", ("no_push_subscription", "")),
    ("sem inscrição push", ("no_push_subscription", "")),
    ("no se avisó al cliente a pedido del equipo", ("not_notified", "")),
    ("cliente não avisado a pedido da equipe", ("not_notified", "")),
    ("sem créditos de SMS", ("no_credits", "")),
    ("el SMS ocuparía 11 segmentos; el límite es 10", ("sms_too_long", "11 > 10")),
    ("the SMS would take 11 segments; the limit is 10", ("sms_too_long", "11 > 10")),
    ("desistimos após 3 tentativas: Twilio HTTP 503", ("gave_up", "Twilio HTTP 503")),
    ("se abandonó tras 5 intentos: timed out", ("gave_up", "timed out")),
    ("el correo rebotó: 550 mailbox\nunavailable", ("bounced", "550 mailbox\nunavailable")),
    ("o provedor de e-mail o rejeitou: spam", ("rejected", "spam")),
    ("el pedido ya no está en “Enviado”: cambió antes de que pasara la demora", ("no_longer_due", "Enviado")),
    ("Push service HTTP 410", ("other", "Push service HTTP 410")),
    ("", ("", "")),
])
def test_the_migration_knows_the_sentences_the_log_wrote_in_each_language(text, expected):
    assert MIGRATION.reason_code(text) == expected


def test_the_migration_turns_the_stored_sentences_into_codes(staff):
    """Back to the schema before the codes, rows written as they were, then forward again."""
    order = place(by=staff, email="")
    Notification.objects.filter(order=order).delete()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks while the table is altered
    before = ("notifications", "0008_cancel_reason_in_cancelled_messages")
    executor = MigrationExecutor(connection)
    [latest] = executor.loader.graph.leaf_nodes("notifications")  # the codes' migrations and those after
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("notifications", "Notification")
    sentences = {
        "email": "sin correo electrónico", "sms": "sem créditos de SMS", "push": "Push service HTTP 410",
    }
    for channel, text in sentences.items():
        old.objects.create(order_id=order.pk, milestone="shipped", channel=channel, status="skipped", reason=text)

    executor = MigrationExecutor(connection)
    executor.migrate([latest])

    rows = Notification.objects.filter(order=order)
    assert sorted(rows.values_list("channel", "reason_code", "reason_detail")) == [
        ("email", "no_email", ""), ("push", "other", "Push service HTTP 410"), ("sms", "no_credits", ""),
    ]
    assert {row.channel: row.reason for row in rows}["email"] == "no email address"
