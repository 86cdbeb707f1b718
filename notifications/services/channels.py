"""Sending a rendered message on its channel: SMS and WhatsApp (paid with credits), web push, email;
each provider's answers sorted into transient (retried) and permanent (failed) errors."""
from __future__ import annotations

import smtplib

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from ..backends import PermanentError, PushMessage, SmsMessage, SubscriptionGone, TransientError, WhatsAppMessage
from ..backends import get_push_backend, get_sms_backend, get_whatsapp_backend
from ..kinds import kind_of
from ..models import Notification
from ..reasons import Reason
from .common import Status
from .outcomes import _fail, _finish
from .recording import _fallback


class NoPushSubscription(PermanentError):
    """The order has no browser to push to (any more): Reason.NO_PUSH_SUBSCRIPTION."""


def _charge_sms(notification: Notification) -> str | None:
    """Pay the SMS with credits. Returns the final status if it must not be sent, else None."""
    from billing import services as billing
    from billing.sms import count_segments

    segments = count_segments(notification.body).segments
    if segments > billing.MAX_SMS_SEGMENTS:
        return _fail(notification, Reason.SMS_TOO_LONG, f"{segments} > {billing.MAX_SMS_SEGMENTS}")
    try:
        billing.charge_sms(
            segments=segments,
            notification_id=notification.pk,
            reason=kind_of(notification).ledger_label(notification),
        )
    except billing.InsufficientCredits:
        _finish(notification, Status.SKIPPED, Reason.NO_CREDITS)
        _fallback(notification)
        return Status.SKIPPED
    except billing.MessageTooLong as error:
        _finish(notification, Status.FAILED, Reason.SMS_TOO_LONG, f"{error.segments} > {error.limit}")
        _fallback(notification)
        return Status.FAILED
    return None


def _charge_whatsapp(notification: Notification) -> str | None:
    """Pay the WhatsApp message at its destination country's price. Returns the final status if it
    must not be sent (no credits: skipped, and the fallback channel tried), else None."""
    from billing import services as billing

    try:
        billing.charge_whatsapp(
            phone=notification.recipient, notification_id=notification.pk,
            reason=kind_of(notification).ledger_label(notification),
        )
    except billing.InsufficientCredits:
        _finish(notification, Status.SKIPPED, Reason.NO_CREDITS)
        _fallback(notification)
        return Status.SKIPPED
    return None


def _send_whatsapp(notification: Notification, rendered) -> str:
    """Send the row's Meta-approved template (notifications/whatsapp.py) with its parameters."""
    template = rendered.template
    message = WhatsAppMessage(
        to=notification.recipient, template_name=template.name, language_code=template.language_code,
        parameters=rendered.parameters, body=rendered.body,
    )
    with get_whatsapp_backend() as backend:
        backend.send_messages([message])
    return message.provider_message_id


def _send_sms(notification: Notification) -> str:
    message = SmsMessage(to=notification.recipient, body=notification.body)
    with get_sms_backend() as backend:
        backend.send_messages([message])
    return message.provider_message_id


def _send_push(notification: Notification, rendered) -> str:
    subscriptions = list(notification.order.push_subscriptions.all())
    if not subscriptions:
        raise NoPushSubscription()
    payload = {
        "title": rendered.subject,
        "body": rendered.body,
        "url": rendered.url or notification.order.get_timeline_url(),
        "tag": kind_of(notification).push_tag(notification),
    }
    if settings.STORE_LOGO_URL:
        payload["icon"] = settings.STORE_LOGO_URL
    sent_ids, transient, permanent = [], None, None
    with get_push_backend() as backend:
        for subscription in subscriptions:
            message = PushMessage(subscription_info=subscription.as_subscription_info(), payload=payload)
            try:
                backend.send_messages([message])
            except SubscriptionGone as error:
                subscription.delete()
                permanent = error
            except PermanentError as error:
                permanent = error
            except TransientError as error:
                transient = error
            else:
                sent_ids.append(message.provider_message_id)
    if sent_ids:
        # Several browsers may follow the order: it counts as sent once any took it.
        return sent_ids[0]
    raise transient or permanent


def _send_email(notification: Notification, rendered) -> str:
    email = EmailMultiAlternatives(
        subject=rendered.subject, body=rendered.body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient], reply_to=kind_of(notification).reply_to(notification),
    )
    if rendered.html_body:
        email.attach_alternative(rendered.html_body, "text/html")
    # Read by anymail backends (ignored by Django's own).
    email.tags, email.metadata = kind_of(notification).email_metadata(notification)
    try:
        email.send()
    except AnymailRecipientsRefused as error:
        raise PermanentError(str(error)) from error
    except AnymailAPIError as error:
        status = getattr(error, "status_code", None)
        if status is None or status == 429 or status >= 500:
            raise TransientError(str(error)) from error
        raise PermanentError(str(error)) from error
    except AnymailError as error:
        raise PermanentError(str(error)) from error
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        raise PermanentError(str(error)) from error
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            raise PermanentError(str(error)) from error
        raise TransientError(str(error)) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TransientError(str(error)) from error
    status = getattr(email, "anymail_status", None)
    message_id = getattr(status, "message_id", None) if status is not None else None
    return "" if message_id is None else str(message_id)[:200]
