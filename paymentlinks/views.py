"""`POST /hooks/mercadopago/`: Mercado Pago's signed payment notifications (Webhooks).

The signature (signatures.py) covers `data.id` of the query string, the `x-request-id` header and
the time; a notification without it, with a wrong one, or signed more than ten minutes ago answers
401 and changes nothing. A valid one is recorded as a queued check and answered 200 at once (Mercado
Pago waits 22 seconds, then sends it again); the worker reads the payment from Mercado Pago and
acts on that, never on the body, which is not signed. Notifications about anything but payments
are answered 200 and dropped.
"""
import json
import logging
import re

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import payments, signatures
from .models import PaymentCheck

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
PAYMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _answer(status: int, **data) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def notification(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _answer(413, error="too_large")
    data_id = request.GET.get("data.id")
    request_id = request.headers.get("x-request-id", "")
    try:
        signatures.verify(
            request.headers.get("x-signature"), request_id=request_id, data_id=data_id,
            secret=settings.MERCADOPAGO_WEBHOOK_SECRET,
        )
    except signatures.InvalidSignature as refused:
        logger.warning("Mercado Pago notification refused (%s): data.id=%r request-id=%r",
                       refused.reason, data_id, request_id)
        return _answer(401, error="invalid_signature")
    try:
        body = json.loads(request.body.decode("utf-8")) if request.body else {}
    except (UnicodeDecodeError, ValueError):
        return _answer(400, error="invalid_json")
    if not isinstance(body, dict):
        return _answer(400, error="invalid_json")
    topic = body.get("type") or request.GET.get("type") or request.GET.get("topic")
    if topic != "payment":
        return _answer(200, received=True, ignored=True)
    body_id = body.get("data", {}).get("id") if isinstance(body.get("data"), dict) else None
    if not data_id or not PAYMENT_ID.fullmatch(data_id) or (body_id is not None and str(body_id) != data_id):
        return _answer(400, error="invalid_payment_id")
    with transaction.atomic():
        payments.record(
            source=PaymentCheck.Source.NOTIFICATION, payment_id=data_id, action=str(body.get("action") or ""),
            request_id=request_id, body=body,
        )
    return _answer(200, received=True)
