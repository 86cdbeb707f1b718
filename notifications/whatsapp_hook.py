"""Meta's WhatsApp status webhook, /hooks/whatsapp/: the subscription handshake and the signed
message status reports (sent, delivered, read, failed), applied to the notification log through
`notifications.services.receipts.apply_receipt`.

- GET with hub.mode=subscribe and hub.verify_token equal to WHATSAPP_VERIFY_TOKEN answers
  hub.challenge as plain text (403 otherwise).
- POST must carry X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed with
  WHATSAPP_APP_SECRET>, compared in constant time before the body is read as JSON: missing or wrong
  is 403 and nothing is applied. Meta sends a report more than once and not in order: applying one
  never moves a log row backwards, and the same report twice changes nothing the second time.
  A body that is not JSON (or is nested deeper than Python reads) is 400; the parts of a report
  not shaped as Meta documents (an error's `error_data` not an object) are left out, the rest applied.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Channel

logger = logging.getLogger(__name__)

# Meta's statuses and what they are in the log (receipts' states); anything else is ignored.
STATES = {"sent": "sent", "delivered": "delivered", "read": "read", "failed": "failed"}


@dataclass(frozen=True)
class StatusReport:
    message_id: str
    state: str
    at: datetime
    detail: str = ""


def signature_is_valid(body: bytes, header: str, secret: str) -> bool:
    """Whether `header` is "sha256=<hex HMAC-SHA256 of body keyed with secret>" (constant time, as
    bytes: a header with characters outside ASCII is simply wrong)."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode("ascii")
    return hmac.compare_digest(expected, header[len("sha256="):].strip().lower().encode("utf-8", "replace"))


def parse_statuses(payload) -> list[StatusReport]:
    """The status reports of a webhook body (entry[].changes[].value.statuses[]), each once, oldest first."""
    reports, seen = [], set()
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            statuses = value.get("statuses") if isinstance(value, dict) else None
            for status in statuses if isinstance(statuses, list) else []:
                report = _report(status)
                if report is not None and (report.message_id, report.state) not in seen:
                    seen.add((report.message_id, report.state))
                    reports.append(report)
    return sorted(reports, key=lambda report: report.at)


def _report(status) -> StatusReport | None:
    if not isinstance(status, dict):
        return None
    message_id, state = str(status.get("id") or ""), STATES.get(str(status.get("status") or ""))
    try:
        at = datetime.fromtimestamp(int(status.get("timestamp")), tz=dt_timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    if not message_id or state is None:
        return None
    errors = status.get("errors") if isinstance(status.get("errors"), list) else []
    detail = "; ".join(_error_text(error) for error in errors if isinstance(error, dict))
    return StatusReport(message_id=message_id[:200], state=state, at=at, detail=detail[:1000])


def _error_text(error: dict) -> str:
    """"WhatsApp error <code>: <details or title>"; a part not shaped as Meta documents is left out."""
    error_data = error.get("error_data")
    details = error_data.get("details") if isinstance(error_data, dict) else None
    text = next((part for part in (details, error.get("title")) if isinstance(part, str) and part), "")
    code = error.get("code")
    label = f"WhatsApp error {code}" if isinstance(code, (int, str)) and code != "" else "WhatsApp error"
    return f"{label}: {text}" if text else label


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    if request.method == "GET":
        return _handshake(request)
    if not signature_is_valid(request.body, request.headers.get("X-Hub-Signature-256", ""),
                              settings.WHATSAPP_APP_SECRET):
        return HttpResponseForbidden("bad signature")
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested too deep to be Meta's
        return JsonResponse({"error": "invalid JSON"}, status=400)
    from .services.receipts import apply_receipt

    applied = 0
    for report in parse_statuses(payload):
        applied += bool(apply_receipt(
            channel=Channel.WHATSAPP, provider_message_id=report.message_id, state=report.state, at=report.at,
            detail=report.detail,  # a failure's reason: receipts' provider_failed; Meta bills no failed message
        ))
    return JsonResponse({"applied": applied})


def _handshake(request) -> HttpResponse:
    token = settings.WHATSAPP_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") == "subscribe" and token
        and hmac.compare_digest(given.encode(), token.encode())
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("verification failed")
