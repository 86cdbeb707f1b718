from __future__ import annotations

import logging
import warnings
from functools import lru_cache

from anymail.exceptions import AnymailError, AnymailInsecureWebhookWarning, AnymailWebhookValidationFailure
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import NewOrderNoticeState

logger = logging.getLogger(__name__)


@require_POST
@staff_member_required
def new_orders_seen(request):
    """Mark the new-order notices on the admin index as seen, up to the newest one shown."""
    until = parse_datetime(request.POST.get("until") or "") or timezone.now()
    if timezone.is_naive(until):
        until = timezone.make_aware(until)
    until = min(until, timezone.now())
    state = NewOrderNoticeState.objects.filter(user=request.user).first()
    if state is None:
        NewOrderNoticeState.objects.create(user=request.user, seen_until=until)
    elif until > state.seen_until:
        state.seen_until = until
        state.save(update_fields=["seen_until"])
    return redirect("admin:index")


# --- email providers' tracking webhooks ----------------------------------------------------


def tracking_esp(backend: str | None = None) -> str | None:
    """The email provider whose tracking webhook is mounted: the one EMAIL_BACKEND sends through.

    `anymail.backends.mailgun.EmailBackend` -> "mailgun"; None for a backend that is not an
    anymail provider with tracking webhooks (console, SMTP, anymail's test backend).
    """
    backend = settings.EMAIL_BACKEND if backend is None else backend
    prefix, _, esp = backend.rpartition(".EmailBackend")[0].rpartition(".")
    if prefix != "anymail.backends" or esp not in _tracking_views():
        return None
    return esp


def webhook_secret() -> str:
    return (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET") or ""


@lru_cache(maxsize=1)
def _tracking_views() -> dict:
    """{esp: anymail's tracking webhook view class}, from anymail's own URL patterns."""
    from anymail import urls

    views = {}
    for pattern in urls.urlpatterns:
        name = pattern.name or ""
        if name.endswith("_tracking_webhook"):
            views[name.removesuffix("_tracking_webhook")] = pattern.callback.view_class
    return views


def tracking_view_class(esp: str):
    """anymail's view for `esp`, made to answer 400 (not 500) to a body it cannot parse."""
    base = _tracking_views()[esp]

    def parse_events(self, request):
        try:
            return base.parse_events(self, request)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
            raise AnymailWebhookValidationFailure(f"Unreadable {esp} tracking event: {error!r}") from None

    return type(base.__name__, (base,), {"parse_events": parse_events})


def tracking_configuration_error(esp: str) -> str | None:
    """What the provider's webhook still needs (e.g. its own signing key), or None when it can run."""
    try:
        _tracking_views()[esp]()
    except (ImproperlyConfigured, AnymailError) as error:
        return str(error)
    return None


@csrf_exempt
def email_tracking(request, esp):
    """The configured provider's tracking webhook (delivered, bounced, complained), e.g.
    /notifications/anymail/postmark/tracking/, with HTTP basic auth from ANYMAIL["WEBHOOK_SECRET"].

    Any other provider's path is 404. Without a secret it answers 403 (unless DEBUG is on), so an
    anonymous post can neither fail a sent email nor set off its fallback channel.
    """
    if esp != tracking_esp():
        raise Http404("No such tracking webhook.")
    if not webhook_secret() and not settings.DEBUG:
        logger.error("Email tracking webhook refused: set ANYMAIL_WEBHOOK_SECRET (see manage.py check).")
        return HttpResponseForbidden("Tracking webhook not configured.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AnymailInsecureWebhookWarning)  # DEBUG without a secret
        problem = tracking_configuration_error(esp)
        if problem is not None:
            logger.error("Email tracking webhook refused: %s", problem)
            return HttpResponseForbidden("Tracking webhook not configured.")
        try:
            return tracking_view_class(esp).as_view()(request)
        except ImproperlyConfigured as error:  # a provider that reads its signing key per request (Mandrill)
            logger.error("Email tracking webhook refused: %s", error)
            return HttpResponseForbidden("Tracking webhook not configured.")
