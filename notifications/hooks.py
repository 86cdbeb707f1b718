"""The SMS provider's delivery reports: Twilio's status callbacks, /hooks/twilio/status/.

Twilio posts a form (MessageSid, MessageStatus, ErrorCode...) signed with the account's auth token
(X-Twilio-Signature). The signed URL is the public one Twilio was given: SITE_URL and the request's
path, so that a proxy in front (https ended there, another host name) does not break the check.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .backends.sms.twilio import valid_signature
from .models import Channel
from .reasons import Reason
from .services import apply_receipt
from .services.common import Status

logger = logging.getLogger(__name__)

# Twilio's MessageStatus -> the delivery report's state. accepted, scheduled, queued and sending
# are on the way to "sent" (the row already is); any other (receiving, canceled...) is not ours.
TWILIO_STATES = {
    "accepted": Status.SENT, "scheduled": Status.SENT, "queued": Status.SENT, "sending": Status.SENT,
    "sent": Status.SENT, "delivered": Status.DELIVERED, "read": Status.READ,
    "undelivered": Status.UNDELIVERED, "failed": Status.FAILED,
}
# Twilio charges for a message it tried to deliver ("undelivered"), not for one that never left it
# ("failed"): the store's credits come back only for the latter.
TWILIO_CHARGES = frozenset({Status.UNDELIVERED})
# The common delivery error codes (Twilio's error reference), told beside the code.
TWILIO_ERRORS = {
    "30001": "queue overflow", "30002": "account suspended", "30003": "unreachable destination handset",
    "30004": "message blocked", "30005": "unknown destination handset", "30006": "landline or unreachable carrier",
    "30007": "message filtered by the carrier", "30008": "unknown error",
}


def twilio_error(code: str, message: str = "") -> str:
    """The reason's detail: "Twilio error 30003: unreachable destination handset"."""
    if not code:
        return message
    meaning = message or TWILIO_ERRORS.get(code, "")
    return f"Twilio error {code}" + (f": {meaning}" if meaning else "")


@csrf_exempt
@require_POST
def twilio_status(request):
    """Apply a Twilio status callback to the SMS's log row: 403 unless signed with TWILIO_AUTH_TOKEN."""
    url = settings.SITE_URL + request.get_full_path()
    if not valid_signature(url, request.POST, request.headers.get("X-Twilio-Signature", ""),
                           settings.TWILIO_AUTH_TOKEN):
        if not settings.TWILIO_AUTH_TOKEN:
            logger.error("Twilio status callback refused: TWILIO_AUTH_TOKEN is not set.")
        return HttpResponseForbidden("Invalid signature.")
    sid = request.POST.get("MessageSid") or request.POST.get("SmsSid") or ""
    status = request.POST.get("MessageStatus") or request.POST.get("SmsStatus") or ""
    if not sid or not status:
        return HttpResponseBadRequest("MessageSid and MessageStatus are required.")
    state = TWILIO_STATES.get(status)
    if state is None:
        return HttpResponse(status=204)
    failed = state in (Status.UNDELIVERED, Status.FAILED)
    apply_receipt(
        channel=Channel.SMS, provider_message_id=sid, state=state, at=timezone.now(),
        reason_code=(Reason.UNDELIVERED if state == Status.UNDELIVERED else Reason.PROVIDER_FAILED) if failed else "",
        detail=twilio_error(request.POST.get("ErrorCode", ""), request.POST.get("ErrorMessage", "")) if failed else "",
        provider_charges=state in TWILIO_CHARGES,
    )
    return HttpResponse(status=204)
