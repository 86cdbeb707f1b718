"""System checks of the connectors (run by every manage.py command; the warning with --deploy)."""
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from . import crypto


@register()
def check_field_encryption_key(app_configs=None, **kwargs):
    try:
        crypto.cipher()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint="Make one with: python -c 'from cryptography.fernet import Fernet; "
                                       "print(Fernet.generate_key().decode())'", id="connectors.E001")]
    return []


@register(Tags.security, deploy=True)
def check_field_encryption_key_is_set(app_configs=None, **kwargs):
    if settings.FIELD_ENCRYPTION_KEY:
        return []
    return [Warning(
        "FIELD_ENCRYPTION_KEY is not set: the store platforms' tokens are encrypted with a key derived from "
        "SECRET_KEY, and changing SECRET_KEY makes them unreadable (every store must be connected again).",
        hint="Set FIELD_ENCRYPTION_KEY to a Fernet key: python -c 'from cryptography.fernet import Fernet; "
             "print(Fernet.generate_key().decode())'",
        id="connectors.W001",
    )]
