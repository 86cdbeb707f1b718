"""The texts, WhatsApp templates and switches the rendering keeps per process are read again as soon
as staff save or delete one, however long they are kept."""
import pytest

from notifications.models import MessageTemplate, MilestoneSetting
from notifications.rendering import find_template, forget_cached
from notifications.services import milestone_setting, set_whatsapp_template
from notifications.whatsapp import WhatsAppTemplateMissing, find_whatsapp_template

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.NOTIFICATION_CACHE_SECONDS = 3600
    forget_cached()
    yield
    forget_cached()


def test_a_saved_or_deleted_text_is_read_again_at_once():
    template = find_template("shipped", "sms", "es")
    assert template.pk
    template.body = "Tu pedido {{ order_number }} ya salió."
    template.save()
    assert find_template("shipped", "sms", "es").body == "Tu pedido {{ order_number }} ya salió."

    MessageTemplate.objects.get(pk=template.pk).delete()
    assert find_template("shipped", "sms", "es").pk is None  # the shipped default again


def test_a_saved_or_deleted_whatsapp_template_is_read_again_at_once():
    with pytest.raises(WhatsAppTemplateMissing):
        find_whatsapp_template("shipped", "es")
    template = set_whatsapp_template(milestone="shipped", language="es", name="envio_v1", language_code="es_AR",
                                     parameters=["order_number"], text="Pedido {{1}}")
    assert find_whatsapp_template("shipped", "es").name == "envio_v1"

    template.name = "envio_v2"
    template.save()
    assert find_whatsapp_template("shipped", "es").name == "envio_v2"
    template.delete()
    with pytest.raises(WhatsAppTemplateMissing):
        find_whatsapp_template("shipped", "es")


def test_a_saved_or_deleted_switch_is_read_again_at_once():
    assert milestone_setting("shipped").whatsapp is False
    setting = MilestoneSetting.objects.get(milestone="shipped")
    setting.whatsapp = True
    setting.save()
    assert milestone_setting("shipped").whatsapp is True

    setting.delete()
    assert milestone_setting("shipped").whatsapp is False  # made again with the defaults
