"""Installing the store's Tiendanube app by OAuth: `/connect/tiendanube/` → the platform → the callback.

The staff member starts at `/connect/tiendanube/` (the connect page links it): a random `state` is
kept in their session and they are sent to the platform's authorization page. The platform sends
them back to `/connect/tiendanube/callback/?code=...&state=...`; the code (valid 30 seconds) is
exchanged for the store's token at once. With the state we sent, the store is connected there and
then. Without it (the owner installed the app from the platform's app store), the staff member is
asked to confirm first, so that no link followed by accident connects someone else's store; the
token waits in the session meanwhile, encrypted.
"""
from __future__ import annotations

import hmac
import secrets

from django.conf import settings

from .. import crypto, http, tiendanube
from ..models import Platform, PlatformAccount
from .connecting import Connected, client_for, connect

SESSION_KEY = "connectors_tiendanube_oauth"
PENDING_KEY = "connectors_tiendanube_pending"


def configured() -> bool:
    return bool(settings.TIENDANUBE_CLIENT_ID and settings.TIENDANUBE_CLIENT_SECRET)


def start(session, *, name: str = "") -> str:
    """Remember a new state (and the storefront's name, if given); the platform's authorization address."""
    state = secrets.token_urlsafe(32)
    session[SESSION_KEY] = {"state": state, "name": name.strip()[:100]}
    return tiendanube.authorize_url(state)


def state_matches(session, state: str) -> tuple[bool, str]:
    """Whether `state` is the one this session started with (used once); the name it chose."""
    expected = session.pop(SESSION_KEY, None) or {}
    ok = bool(state) and bool(expected.get("state")) and hmac.compare_digest(str(expected["state"]), state)
    return ok, expected.get("name", "") if ok else ""


def exchange(code: str, *, session=None) -> dict:
    if not code:
        raise http.Refused("the platform sent no authorization code")
    return tiendanube.exchange_code(code, session=session)


def store_name(store_id: str, access_token: str, *, session=None) -> str:
    """The store's name on the platform (its names are per language), else "Tiendanube <id>"."""
    account = PlatformAccount(platform=Platform.TIENDANUBE, store_id=store_id, access_token=access_token)
    try:
        data = client_for(account, session=session).get_store()
    except http.PlatformError:
        data = {}
    name = data.get("name") if isinstance(data, dict) else None
    if isinstance(name, dict):
        name = name.get(settings.LANGUAGE_CODE[:2]) or next((value for value in name.values() if value), "")
    return str(name or "").strip()[:100] or f"Tiendanube {store_id}"


def keep_pending(session, token: dict) -> None:
    session[PENDING_KEY] = {
        "store_id": str(token["user_id"]), "scope": str(token.get("scope", "")),
        "access_token": crypto.encrypt(str(token["access_token"])),
    }


def take_pending(session) -> dict | None:
    pending = session.pop(PENDING_KEY, None)
    if not pending:
        return None
    try:
        pending["access_token"] = crypto.decrypt(pending["access_token"])
    except crypto.Undecryptable:
        return None
    return pending


def peek_pending(session) -> dict | None:
    pending = session.get(PENDING_KEY)
    return {"store_id": pending["store_id"]} if pending else None


def finish(*, name: str, store_id: str, access_token: str, scope: str = "", session=None) -> Connected:
    return connect(platform=Platform.TIENDANUBE, name=name or store_name(store_id, access_token, session=session),
                   store_id=store_id, access_token=access_token, scope=scope, session=session)
