"""Telling staff what needs them: an email to STORE_EMAIL once the change commits.

What the email says stays on the record it is about (a link that failed, a payment flagged), shown
on the order page and the admin index, so a lost email loses nothing.
"""
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation


def order_admin_url(order) -> str:
    return settings.SITE_URL + reverse("admin:orders_order_change", args=[order.pk])


def tell_staff(subject, body, **params) -> None:
    """Email STORE_EMAIL `subject` and `body` (lazy translations, %-formatted with params) after the commit."""
    transaction.on_commit(partial(_send, subject, body, params), robust=True)


def _send(subject, body, params) -> None:
    if not settings.STORE_EMAIL:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject_text = " ".join((str(subject) % params).split())[:200]
        body_text = str(body) % params
    send_mail(subject_text, body_text, settings.DEFAULT_FROM_EMAIL, [settings.STORE_EMAIL])
