"""Secrets stored encrypted at rest: platform access tokens and webhook signing secrets.

Fernet (AES-128-CBC with an HMAC-SHA256, from `cryptography`), never a cipher of our own. The key
comes from `FIELD_ENCRYPTION_KEY`: one or more Fernet keys separated by commas (the first encrypts,
every one decrypts, so a key can be rotated: put the new one first and save each connection again).
Without it the key is derived from `SECRET_KEY` with HKDF: then changing `SECRET_KEY` makes the
stored tokens unreadable, so set `FIELD_ENCRYPTION_KEY` in production
(`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`).

This module imports nothing of the project's.
"""
from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


def derived_key(secret: str) -> bytes:
    """A Fernet key derived from `secret` (the SECRET_KEY) for this one use."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"order-back-office", info=b"field encryption").derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(key)


@lru_cache(maxsize=4)
def _cipher(configured: str, secret_key: str) -> MultiFernet:
    keys = [key.strip() for key in configured.split(",") if key.strip()]
    try:
        fernets = [Fernet(key.encode()) for key in keys] or [Fernet(derived_key(secret_key))]
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), separated by commas."
        ) from error
    return MultiFernet(fernets)


def cipher() -> MultiFernet:
    return _cipher(getattr(settings, "FIELD_ENCRYPTION_KEY", "") or "", settings.SECRET_KEY)


def encrypt(value: str) -> str:
    if not value:
        return ""
    return PREFIX + cipher().encrypt(value.encode()).decode()


class Undecryptable(Exception):
    """The stored secret was encrypted with a key that is no longer configured."""


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise Undecryptable("the stored value is not an encrypted secret")
    try:
        return cipher().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken as error:
        raise Undecryptable(
            "the secret was encrypted with another key (FIELD_ENCRYPTION_KEY or SECRET_KEY changed)"
        ) from error


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the plain value.

    It cannot be searched or filtered on (each encryption of a value differs). A value that can no
    longer be decrypted reads as "" and the connection asks to be connected again.
    """

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        try:
            return decrypt(value)
        except Undecryptable:
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else ""
