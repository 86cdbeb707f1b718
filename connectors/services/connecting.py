"""Connecting a storefront to its platform account: the link, the webhooks, the platform's own emails.

`connect()` is what the command, the admin's connect page and Tiendanube's OAuth callback call:
1. the storefront named NAME (created if none has that name, with its service user) is linked to
   the platform account (a Tiendanube store id or a Shopify shop), its token and secret stored
   encrypted;
2. on a first connection, the storefront's "emails the platform already sends" become that
   platform's native emails (the staff can change them on the purchase experience page);
3. the webhooks we need are registered on the platform (those already there are left alone) and
   the result says which; a platform that refuses is reported, the link is still saved.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from storefronts.models import Storefront
from storefronts.services import create_storefront

from .. import http, shopify, tiendanube
from ..models import Platform, PlatformAccount

# The customer emails each platform sends on its own (its order confirmation, its payment
# confirmation): ours are skipped for them. Tracking goes back with the platform's email off, so
# "shipped" stays ours; a cancellation made on the platform is told by the platform (applying.py).
NATIVE_EMAILS = {
    Platform.TIENDANUBE: ["order_placed", "payment_approved"],
    Platform.SHOPIFY: ["order_placed", "payment_approved"],
}
STORE_ID = re.compile(r"^\d{1,20}$")
MODULES = {Platform.TIENDANUBE: tiendanube, Platform.SHOPIFY: shopify}


def module(platform: str):
    return MODULES[Platform(platform)]


# A Dev Dashboard app's token is requested again this long before it expires.
TOKEN_MARGIN = timedelta(minutes=10)


def client_for(account: PlatformAccount, *, session=None, **kwargs):
    """The platform's client for this account (a Shopify token that expires is renewed first)."""
    if account.platform == Platform.TIENDANUBE:
        return tiendanube.Client(store_id=account.store_id, access_token=account.access_token, session=session,
                                 **kwargs)
    if account.client_id and (not account.access_token or account.token_expires_at is None
                              or account.token_expires_at <= timezone.now() + TOKEN_MARGIN):
        renew_token(account, session=session)
    return shopify.Client(shop=account.store_id, access_token=account.access_token, session=session, **kwargs)


def renew_token(account: PlatformAccount, *, session=None) -> None:
    """Ask Shopify for a new token with the app's client credentials (http.PlatformError if it refuses)."""
    answer = shopify.request_token(account.store_id, account.client_id, account.webhook_secret, session=session)
    account.access_token = str(answer["access_token"])
    account.scope = str(answer.get("scope", ""))[:500]
    try:
        lifetime = int(answer.get("expires_in") or 86399)
    except (TypeError, ValueError):
        lifetime = 86399
    account.token_expires_at = timezone.now() + timedelta(seconds=lifetime)
    if account.pk:
        account.save(update_fields=["access_token", "scope", "token_expires_at", "updated_at"])


def hook_url(platform: str) -> str:
    return settings.SITE_URL + reverse(f"connectors:{platform}_hook")


def webhook_secret(account: PlatformAccount) -> str:
    """The key the platform signs this account's webhooks with."""
    if account.platform == Platform.TIENDANUBE:
        return account.webhook_secret or tiendanube.app_secret()
    return account.webhook_secret


@dataclass
class Registration:
    registered: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        return self.registered + self.already


@dataclass
class Connected:
    account: PlatformAccount
    storefront_created: bool
    registration: Registration


def clean_store_id(platform: str, store_id: str) -> str:
    value = (store_id or "").strip()
    if platform == Platform.SHOPIFY:
        shop = shopify.clean_shop(value)
        if not shop:
            raise ValidationError({"store_id": _("Give the shop's address ending in .myshopify.com, "
                                                 "e.g. my-shop.myshopify.com.")})
        return shop
    if not STORE_ID.match(value):
        raise ValidationError({"store_id": _("The Tiendanube store id is a number (the “user_id” of the "
                                             "installation, also in your store admin's address).")})
    return value


def connect(*, platform: str, name: str, store_id: str, access_token: str = "", webhook_secret: str = "",
            client_id: str = "", scope: str = "", register: bool = True, session=None) -> Connected:
    """Link the storefront named `name` (created if missing) to the platform account; register the webhooks.

    Shopify takes either a legacy custom app's access token, or a Dev Dashboard app's client id (with
    its client secret as `webhook_secret`): its first token is requested now, which checks them.
    Raises ValidationError (by field: "name", "store_id", "access_token", "webhook_secret",
    "client_id") for bad input.
    """
    platform = Platform(platform)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give the storefront's name.")]
    try:
        store_id = clean_store_id(platform, store_id)
    except ValidationError as error:
        errors.update(error.message_dict)
    client_id = (client_id or "").strip() if platform == Platform.SHOPIFY else ""
    if not (access_token or "").strip() and not client_id:
        errors["access_token"] = [_("Give the access token.")]
    if platform == Platform.SHOPIFY and not (webhook_secret or "").strip():
        errors["webhook_secret"] = [_("Give the key Shopify signs the webhooks with (the app's API secret key, "
                                      "or a Dev Dashboard app's client secret).")]
    if errors:
        raise ValidationError(errors)
    token_expires_at = None
    if client_id:
        probe = PlatformAccount(platform=platform, store_id=store_id, client_id=client_id,
                                webhook_secret=webhook_secret.strip())
        try:
            renew_token(probe, session=session)
        except http.PlatformError as error:
            raise ValidationError({"client_id": [_("Shopify did not give an access token for these client "
                                                   "credentials: %(error)s") % {"error": error}]}) from error
        access_token, scope, token_expires_at = probe.access_token, probe.scope, probe.token_expires_at

    with transaction.atomic():
        storefront = Storefront.objects.select_for_update().filter(name=name).first()
        created = storefront is None
        if created:
            storefront = create_storefront(name=name, platform=platform)
        other = PlatformAccount.objects.filter(platform=platform, store_id=store_id).exclude(
            storefront=storefront).select_related("storefront").first()
        if other is not None:
            raise ValidationError({"store_id": _("This store is already connected to the storefront “%(name)s”.")
                                   % {"name": other.storefront.name}})
        account = PlatformAccount.objects.filter(storefront=storefront).first()
        first_connection = account is None or account.platform != platform
        account = account or PlatformAccount(storefront=storefront)
        account.platform = platform
        account.store_id = store_id
        account.access_token = access_token.strip()
        account.webhook_secret = (webhook_secret or "").strip()
        account.client_id = client_id
        account.token_expires_at = token_expires_at
        account.scope = scope
        account.active = True
        account.problem = ""
        account.save()
        fields = []
        if storefront.platform != platform:
            storefront.platform = platform
            fields.append("platform")
        if first_connection:
            storefront.emails_sent_by_platform = list(NATIVE_EMAILS[platform])
            fields.append("emails_sent_by_platform")
        if fields:
            storefront.save(update_fields=fields)
    registration = register_webhooks(account, session=session) if register else Registration()
    from .processing import retry_held  # what waited for this connection (a refused token) goes on

    retry_held(account=account)
    return Connected(account=account, storefront_created=created, registration=registration)


def register_webhooks(account: PlatformAccount, *, session=None) -> Registration:
    """Register on the platform each webhook we need that is not there yet; records what is there."""
    result = Registration()
    url = hook_url(account.platform)
    platform_module = module(account.platform)
    try:
        client = client_for(account, session=session)
        existing = client.webhooks()
    except http.PlatformError as error:
        result.failed = [(topic, str(error)) for topic in platform_module.WEBHOOK_TOPICS]
        return _save_registration(account, result, [])
    present = {}
    for hook in existing if isinstance(existing, list) else []:
        topic = hook.get("event") or str(hook.get("topic", "")).lower().replace("_", "/", 1)
        if (hook.get("url") or hook.get("uri")) == url:
            present[topic] = str(hook.get("id", ""))
    recorded = []
    for topic in platform_module.WEBHOOK_TOPICS:
        if topic in present:
            result.already.append(topic)
            recorded.append({"topic": topic, "id": present[topic]})
            continue
        try:
            created = client.create_webhook(topic, url)
        except http.PlatformError as error:
            result.failed.append((topic, str(error)))
            continue
        result.registered.append(topic)
        recorded.append({"topic": topic, "id": str((created or {}).get("id", ""))})
    return _save_registration(account, result, recorded)


def _save_registration(account: PlatformAccount, result: Registration, recorded: list[dict]) -> Registration:
    account.webhooks = recorded
    account.problem = "\n".join(
        _("The webhook %(topic)s could not be registered: %(error)s") % {"topic": topic, "error": error}
        for topic, error in result.failed
    )
    account.save(update_fields=["webhooks", "problem", "updated_at"])
    return result


def describe(connected: Connected) -> list[tuple[str, str]]:
    """What connecting did, as (level, sentence) pairs for the admin's messages and the command."""
    account, registration = connected.account, connected.registration
    lines = [("success", _("“%(storefront)s” is connected to %(platform)s store %(store)s%(created)s.") % {
        "storefront": account.storefront.name, "platform": account.get_platform_display(),
        "store": account.store_id, "created": _(" (a new storefront)") if connected.storefront_created else "",
    })]
    if registration.registered:
        lines.append(("success", _("Webhooks registered: %(topics)s.") % {
            "topics": ", ".join(registration.registered)}))
    if registration.already:
        lines.append(("info", _("Webhooks already registered: %(topics)s.") % {
            "topics": ", ".join(registration.already)}))
    for topic, error in registration.failed:
        lines.append(("error", _("The webhook %(topic)s could not be registered: %(error)s") % {
            "topic": topic, "error": error}))
    return lines
