"""manage.py check says what the WhatsApp Cloud API backend still needs."""
from notifications.checks import check_whatsapp_cloud_settings

CLOUD = "notifications.backends.whatsapp.cloud.WhatsAppBackend"


def test_the_console_backend_needs_nothing(settings):
    settings.WHATSAPP_BACKEND = "notifications.backends.whatsapp.console.WhatsAppBackend"
    assert check_whatsapp_cloud_settings() == []


def test_the_cloud_backend_names_what_is_missing(settings):
    settings.WHATSAPP_BACKEND = CLOUD
    settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "106540352242922", ""
    settings.WHATSAPP_APP_SECRET, settings.WHATSAPP_VERIFY_TOKEN = "", "verify"
    problems = check_whatsapp_cloud_settings()
    assert [p.id for p in problems] == ["notifications.E006", "notifications.W001"]
    assert "WHATSAPP_ACCESS_TOKEN is not set" in problems[0].msg
    assert problems[1].msg.startswith("WHATSAPP_APP_SECRET is not set")
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_APP_SECRET = "EAAG", "secret"
    assert check_whatsapp_cloud_settings() == []
