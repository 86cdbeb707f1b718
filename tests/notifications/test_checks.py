"""The outbox needs SQLite's RETURNING (3.35): an older SQLite is a clear error at start, not a failed move."""
from notifications import checks


def test_an_sqlite_too_old_for_returning_is_reported(monkeypatch, settings):
    monkeypatch.setattr(checks.sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(checks.sqlite3, "sqlite_version", "3.31.1")

    class Old:
        vendor = "sqlite"

    monkeypatch.setattr(checks, "connections", {"default": Old()})
    errors = checks.check_sqlite_supports_returning()

    assert [e.id for e in errors] == ["notifications.E001"] and "3.31.1" in errors[0].msg


def test_postgresql_or_a_recent_sqlite_passes():
    assert checks.check_sqlite_supports_returning() == []


# --- the email providers' tracking webhook ---------------------------------------------------

MAILGUN = "anymail.backends.mailgun.EmailBackend"


def test_tracking_without_a_secret_is_an_error_in_production(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = MAILGUN
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": "key-abc"}

    errors = checks.check_email_tracking_webhook()

    assert [e.id for e in errors] == ["notifications.E002"]
    assert "ANYMAIL_WEBHOOK_SECRET" in errors[0].msg and "/notifications/anymail/mailgun/tracking/" in errors[0].msg


def test_a_provider_missing_its_signing_key_is_an_error_in_production(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = MAILGUN
    settings.ANYMAIL = {"WEBHOOK_SECRET": "user:pass"}

    errors = checks.check_email_tracking_webhook()

    assert [e.id for e in errors] == ["notifications.E003"] and "MAILGUN_WEBHOOK_SIGNING_KEY" in errors[0].msg


def test_tracking_with_its_secrets_development_or_no_provider_passes(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = MAILGUN
    settings.ANYMAIL = {"WEBHOOK_SECRET": "user:pass", "MAILGUN_WEBHOOK_SIGNING_KEY": "key-abc"}
    assert checks.check_email_tracking_webhook() == []

    settings.ANYMAIL = {}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # no tracking webhook at all
    assert checks.check_email_tracking_webhook() == []

    settings.EMAIL_BACKEND = MAILGUN
    settings.DEBUG = True
    assert checks.check_email_tracking_webhook() == []
