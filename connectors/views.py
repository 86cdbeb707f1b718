"""The platforms' webhooks (`/hooks/<platform>/`) and Tiendanube's OAuth install (`/connect/tiendanube/`).

The hooks need no login and no CSRF token: each checks its platform's signature on the raw body
before anything else (services/receiving.py) and only records what came.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import http, tiendanube
from .services import connecting, oauth, receiving

PERMISSION = "connectors.add_platformaccount"


def _answer(answer: receiving.Answer) -> HttpResponse:
    return HttpResponse(answer.text, status=answer.status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def tiendanube_hook(request, topic=None):
    return _answer(receiving.tiendanube_hook(
        request.body, request.headers.get(tiendanube.SIGNATURE_HEADER, ""), topic=topic,
    ))


@csrf_exempt
@require_POST
def shopify_hook(request):
    return _answer(receiving.shopify_hook(request.body, request.headers))


# --- Tiendanube's OAuth install ------------------------------------------------------------------


def _check(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _connected(request, connected):
    for level, text in connecting.describe(connected):
        getattr(messages, level)(request, text)
    return redirect(reverse("admin:storefronts_storefront_change", args=[connected.account.storefront_id]))


def _failed(request, text):
    messages.error(request, text)
    return redirect(reverse("admin:storefronts_storefront_connect"))


@never_cache
@staff_member_required
def tiendanube_install(request):
    _check(request)
    if not oauth.configured():
        return _failed(request, _("Set TIENDANUBE_CLIENT_ID and TIENDANUBE_CLIENT_SECRET (your Tiendanube app's "
                                  "credentials) to install by OAuth."))
    return redirect(oauth.start(request.session, name=request.GET.get("name", "")))


@never_cache
@staff_member_required
def tiendanube_callback(request):
    _check(request)
    if request.method == "POST":
        return _confirm(request)
    if request.GET.get("error"):
        return _failed(request, _("Tiendanube did not authorize the app: %(error)s") % {
            "error": request.GET.get("error_description") or request.GET["error"]})
    ours, name = oauth.state_matches(request.session, request.GET.get("state", ""))
    try:
        token = oauth.exchange(request.GET.get("code", ""))
    except http.PlatformError as error:
        return _failed(request, _("Tiendanube did not give the store's token: %(error)s") % {"error": error})
    if not ours:
        oauth.keep_pending(request.session, token)
        return TemplateResponse(request, "admin/connectors/confirm_install.html", {
            "title": _("Connect a Tiendanube store"), "store_id": token["user_id"],
            "name": oauth.store_name(str(token["user_id"]), token["access_token"]),
        })
    try:
        connected = oauth.finish(name=name, store_id=str(token["user_id"]), access_token=token["access_token"],
                                 scope=str(token.get("scope", "")))
    except ValidationError as error:
        return _failed(request, " ".join(error.messages))
    return _connected(request, connected)


def _confirm(request):
    pending = oauth.take_pending(request.session)
    if pending is None or request.POST.get("confirm") != "yes":
        return _failed(request, _("Nothing was connected."))
    try:
        connected = oauth.finish(name=request.POST.get("name", ""), store_id=pending["store_id"],
                                 access_token=pending["access_token"], scope=pending["scope"])
    except ValidationError as error:
        return _failed(request, " ".join(error.messages))
    return _connected(request, connected)
