"""The development backends print each message, with a provider id of their own, and say they sent it."""
import io

from notifications.backends import PushMessage, SmsMessage, WhatsAppMessage
from notifications.backends.push.console import PushBackend
from notifications.backends.sms.console import SmsBackend
from notifications.backends.whatsapp.console import WhatsAppBackend


def printed(backend_class, *messages):
    stream = io.StringIO()
    assert backend_class(stream=stream).send_messages(list(messages)) == len(messages)
    return stream.getvalue()


def test_each_console_backend_prints_its_messages_with_an_id_of_their_own():
    sms = [SmsMessage(to="+5491155550000", body="Tu pedido salió"), SmsMessage(to="+5491155550001", body="Otro")]
    push = PushMessage(subscription_info={"endpoint": "https://push.example.net/send/abc"}, payload={"title": "Envío"})
    whatsapp = WhatsAppMessage(to="+5491155550000", template_name="envio_en_camino", language_code="es_AR",
                               parameters=["María"], body="Hola María")

    out = printed(SmsBackend, *sms)
    assert f"SMS to +5491155550000 ({sms[0].provider_message_id}):\nTu pedido salió\n" in out
    assert sms[0].provider_message_id.startswith("console-") and sms[0].provider_message_id != sms[1].provider_message_id
    assert out.count("-" * 79) == 2

    out = printed(PushBackend, push)
    assert out.startswith("Web push to https://push.example.net/send/abc:\n") and '"title": "Envío"' in out

    out = printed(WhatsAppBackend, whatsapp)
    assert whatsapp.provider_message_id.startswith("console-wamid-")
    assert (f"WhatsApp to +5491155550000 ({whatsapp.provider_message_id}), template envio_en_camino [es_AR] ['María']:"
            "\nHola María\n") in out
