"""The customer's public pages: the order timeline, the tracking and payment redirects, web push opt-in.

The token in the address is the only key: 256 random bits (Order.public_token). A malformed,
tampered or unknown token gets the very same small 404, whatever DEBUG says, so nobody can
tell one from another or enumerate orders.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from notifications.rendering import transfer_details
from notifications.services import TooManyPushDevices, subscribe_push, unsubscribe_push
from orders import payment_links
from orders.events import cancel_reason
from orders.models import Order, OrderEvent, Status

from .progress import build_progress, payment_message
from .push import InvalidSubscription, clean_endpoint, clean_subscription
from .ratelimit import rate_limited
from .whatsapp import whatsapp_context

# Tokens are base64url; 22 characters are 128 bits, new ones have 43 (256 bits).
TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")
MAX_JSON_BODY = 4096
# The reader's choice of language for one order's page (?lang=), kept for that page only.
LANGUAGE_COOKIE = "timeline_lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# Each language named in itself: whoever reads it is looking for their own.
LANGUAGE_NAMES = {"es": "Español", "pt-br": "Português", "en": "English"}
SERVICE_WORKER = Path(__file__).resolve().parent / "static" / "timeline" / "sw.js"


def _find_order(token: str, queryset):
    if not TOKEN.fullmatch(token or ""):
        return None
    try:
        return queryset.get(public_token=token)
    except Order.DoesNotExist:
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


@lru_cache(maxsize=1)
def _content_security_policy(static_url: str, logo_url: str) -> str:
    assets = " ".join(filter(None, ["'self'", _origin(static_url)]))
    images = " ".join(filter(None, [assets, _origin(logo_url), "data:"]))
    return (
        f"default-src 'none'; script-src {assets}; style-src {assets}; img-src {images}; "
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def _private(response: HttpResponse, *, html: bool = True) -> HttpResponse:
    """Headers of every public page: not indexed, not kept by shared caches, no token in Referer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    # The address holds the token: never send it to the carrier or any other site. A page keeps its
    # Referer for its own site only ("same-origin"): with "no-referrer" a browser posts the page's
    # forms with `Origin: null`, which Django's CSRF check refuses over HTTPS. A redirect elsewhere
    # sends nothing at all.
    response["Referrer-Policy"] = "same-origin" if html else "no-referrer"
    if html:
        response["Content-Security-Policy"] = _content_security_policy(settings.STATIC_URL, settings.STORE_LOGO_URL)
    response["Content-Language"] = translation.get_language()
    return response


def not_found(request=None) -> HttpResponse:
    """The one 404 of these pages, in the browser's language, the same for every bad token."""
    body = render_to_string("timeline/not_found.html", {"store_name": settings.STORE_NAME})
    return _private(HttpResponseNotFound(body))


def _language_for(order: Order) -> str:
    """The order's language; if the project does not speak it, the one LocaleMiddleware chose
    from the browser's Accept-Language (or the default)."""
    try:
        return translation.get_supported_language_variant(order.language or "")
    except LookupError:
        return translation.get_language()


def _offered_language(value) -> str:
    """One of the project's languages, exactly as the page's links spell it (`pt-br`, any case), or ""."""
    code = str(value or "").strip().lower()
    return code if code in dict(settings.LANGUAGES) else ""


def _reader_language(request, order: Order) -> tuple[str, str]:
    """(the page's language, the one to remember in the page's cookie or ""): the one the reader
    just chose with a link, else the one they chose before on this page, else the order's."""
    chosen = _offered_language(request.GET.get("lang"))
    if chosen:
        return chosen, chosen
    return _offered_language(request.COOKIES.get(LANGUAGE_COOKIE)) or _language_for(order), ""


def _language_links(request, current: str) -> list[dict]:
    return [
        {"code": code, "name": LANGUAGE_NAMES.get(code, code), "url": f"{request.path}?lang={code}",
         "current": code == current}
        for code, _name in settings.LANGUAGES
    ]


@require_safe
@rate_limited("page")
def order_timeline(request, token):
    order = _find_order(token, Order.objects.select_related("carrier"))
    if order is None:
        return not_found(request)
    events = list(
        order.events.filter(
            kind__in=[
                OrderEvent.Kind.PLACED, OrderEvent.Kind.STATUS_CHANGED, OrderEvent.Kind.PAYMENT_REGISTERED,
                OrderEvent.Kind.CUSTOM_STATUS,
            ]
        )
        .select_related("custom_status")  # delivery statuses, named in the customer's language
        .only(
            "kind", "from_status", "to_status", "data", "created_at", "order_id", "custom_status",
            "custom_status__code", "custom_status__name_en", "custom_status__name_es", "custom_status__name_pt_br",
        )
    )
    lines = list(order.lines.only("name", "quantity", "order_id"))
    refunds = list(order.refunds.only("amount", "created_at", "order_id")) if order.has_refunds else []
    is_open = order.status not in (Status.FINALIZED, Status.CANCELLED)
    shipped = (
        order.status in (Status.SHIPPED, Status.FINALIZED) and order.carrier_id is not None and bool(order.tracking_code)
    )
    sw_url = reverse("timeline:service-worker")
    language, remember = _reader_language(request, order)

    payment_due = not order.is_paid and order.status != Status.CANCELLED
    link = payment_links.for_order(order) if payment_due else None

    with translation.override(language):
        refunded = sum((refund.amount for refund in refunds), Decimal("0"))
        context = {
            "store_name": settings.STORE_NAME,
            "store_logo_url": settings.STORE_LOGO_URL,
            "order": order,
            "languages": _language_links(request, language),
            "cancel_reason": cancel_reason(order),
            "first_name": order.customer_first_name,
            "progress": build_progress(order, events),
            "payment": payment_message(order, refunded=order.format_money(refunded, language)),
            "refunds": [
                {"amount": order.format_money(refund.amount, language), "at": refund.created_at} for refund in refunds
            ],
            "store_email": settings.STORE_EMAIL,
            "store_phone": settings.STORE_PHONE,
            "store_phone_link": re.sub(r"[^\d+]", "", settings.STORE_PHONE),
            "total": order.format_money(order.total, language),
            "lines": lines,
            "shipped": shipped,
            "tracking_redirect_url": reverse("timeline:track", args=[order.public_token]) if shipped else "",
            "payment_link": link,
            # How to pay an unpaid transfer order: the bank details the messages carry, when set.
            "transfer_details": transfer_details(order) if payment_due else "",
            "pay_url": reverse("timeline:pay", args=[order.public_token]) if link is not None and link.valid else "",
            "offer_push": bool(settings.VAPID_PUBLIC_KEY) and is_open,
            "vapid_public_key": settings.VAPID_PUBLIC_KEY,
            "service_worker_url": sw_url,
            "service_worker_scope": sw_url.rsplit("/", 1)[0] + "/",
            "subscribe_url": reverse("timeline:push-subscribe", args=[order.public_token]),
            "unsubscribe_url": reverse("timeline:push-unsubscribe", args=[order.public_token]),
            **whatsapp_context(order, is_open),
        }
        response = render(request, "timeline/order.html", context)
        if remember:
            # For this page only (its path holds the order's token). A preference, not a credential.
            response.set_cookie(
                LANGUAGE_COOKIE, remember, max_age=LANGUAGE_COOKIE_MAX_AGE, path=request.path,
                secure=request.is_secure(), httponly=True, samesite="Lax",
            )
        return _private(response)


@require_safe
@rate_limited("track")
def track(request, token):
    """Count the click and send the customer to the carrier's page for this order's code.

    The destination is built only from the order's carrier and tracking code: nothing in
    the request can change it.
    """
    order = _find_order(token, Order.objects.select_related("carrier"))
    if order is None or order.carrier is None or not order.tracking_code:
        return not_found(request)
    destination = order.carrier.tracking_url(order.tracking_code)
    if request.method == "GET":  # a HEAD is a link preview, not a customer
        now = timezone.now()
        Order.objects.filter(pk=order.pk).update(
            tracking_clicks=F("tracking_clicks") + 1,
            tracking_first_clicked_at=Coalesce(F("tracking_first_clicked_at"), Value(now)),
            tracking_last_clicked_at=Value(now),
        )
    return _private(HttpResponseRedirect(destination), html=False)


@require_safe
@rate_limited("pay")
def pay(request, token):
    """Send the customer to the order's current payment link while it can be paid.

    Messages carry this address, never the provider's: a link made again after one expired is
    still the one reached. An order paid, cancelled, or without a valid link goes to its timeline
    page, which says why. The destination is the link the provider made for this order.
    """
    order = _find_order(token, Order.objects.all())
    if order is None:
        return not_found(request)
    link = payment_links.payable(order)
    destination = link.url if link is not None else reverse("timeline:order", args=[order.public_token])
    return _private(HttpResponseRedirect(destination), html=False)


@require_safe
def service_worker(request):
    """The push service worker, served under /o/ so that its scope covers every timeline page."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    return response


@lru_cache(maxsize=1)
def _service_worker_source() -> bytes:
    return SERVICE_WORKER.read_bytes()


# --- web push opt-in ------------------------------------------------------------------------
#
# CSRF: these two endpoints are csrf_exempt on purpose. CSRF protection guards requests that
# ride on ambient credentials (a session cookie); here there are none: the page's only cookie is
# the reader's choice of language, and the only credential is the token in the address, a
# capability that a forging site does not have (and whoever has it can call the endpoint
# directly anyway). What is left to stop is a cross-site page making a visitor's browser post:
# we accept only `Content-Type: application/json`, which a cross-site form cannot send and a
# cross-site fetch can send only after a CORS preflight that we never answer. Putting a CSRF
# token in the page instead would set a cookie on every visitor of a public page for no gain.


def _json_body(request):
    if request.content_type != "application/json" or len(request.body) > MAX_JSON_BODY:
        raise InvalidSubscription("invalid_request")
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidSubscription("invalid_json") from None


def _bad_request(error: InvalidSubscription) -> JsonResponse:
    return _private(JsonResponse({"error": error.code}, status=400), html=False)


@csrf_exempt
@require_POST
@rate_limited("push")
def push_subscribe(request, token):
    """Store this browser's push subscription for the order (idempotent)."""
    order = _find_order(token, Order.objects.only("pk", "public_token"))
    if order is None:
        return not_found(request)
    try:
        subscription = clean_subscription(_json_body(request))
    except InvalidSubscription as error:
        return _bad_request(error)

    try:
        created = subscribe_push(
            order, endpoint=subscription.endpoint, p256dh=subscription.p256dh, auth=subscription.auth,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except TooManyPushDevices:
        return _bad_request(InvalidSubscription("too_many_devices"))
    return _private(JsonResponse({"subscribed": True}, status=201 if created else 200), html=False)


@csrf_exempt
@require_POST
@rate_limited("push")
def push_unsubscribe(request, token):
    """Forget this browser's push subscription for the order (idempotent)."""
    order = _find_order(token, Order.objects.only("pk", "public_token"))
    if order is None:
        return not_found(request)
    try:
        data = _json_body(request)
        endpoint = clean_endpoint(data.get("endpoint") if isinstance(data, dict) else None)
    except InvalidSubscription as error:
        return _bad_request(error)
    unsubscribe_push(order, endpoint=endpoint)
    return _private(JsonResponse({"subscribed": False}), html=False)
