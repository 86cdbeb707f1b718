"""Web push only where it can work: `make run` makes the local store its key pair, and in production a
push switch cannot be turned on without keys (the purchase experience page says why)."""
import os
import stat
from io import StringIO

import pytest
from django.core.management import call_command

from config.settings.apps import _local_vapid_keys
from notifications.models import MilestoneSetting

from .helpers import switch

PAGE = "/admin/notifications/milestonesetting/"


def posted_switches(**changes):
    """The purchase experience form as the page posts it, with `changes` ({"preparing.push": True})."""
    data = {}
    for setting in MilestoneSetting.objects.all():
        for channel in ("email", "sms", "push"):
            if getattr(setting, channel):
                data[f"{setting.milestone}.{channel}"] = "on"
        data[f"{setting.milestone}.fallback"] = setting.fallback_channel
    for name, on in changes.items():
        if on:
            data[name] = "on"
        else:
            data.pop(name, None)
    return data


@pytest.fixture
def production_without_keys(settings):
    settings.DEBUG = False
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""


@pytest.mark.django_db
def test_in_production_a_push_switch_cannot_be_turned_on_without_keys(staff_client, production_without_keys):
    switch("ready_for_pickup", email=False, sms=False, push=False)
    data = posted_switches(**{"ready_for_pickup.push": True, "ready_for_pickup.email": True})

    response = staff_client.post(PAGE, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Web push cannot be turned on (Ready for pickup): the store has no web push keys" in html
    assert "generate_vapid_keys" in html and "No web push keys." in html
    setting = MilestoneSetting.objects.get(milestone="ready_for_pickup")
    assert (setting.push, setting.email) == (False, False)  # nothing saved


@pytest.mark.django_db
def test_the_page_says_so_in_the_staffs_language(staff_client, production_without_keys):
    switch("finalized", push=False)

    html = staff_client.post(
        PAGE, posted_switches(**{"finalized.push": True}), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()

    assert "No se pueden activar las notificaciones push" in html


@pytest.mark.django_db
def test_other_changes_still_save_with_push_switches_already_on(staff_client, production_without_keys):
    switch("shipped", push=True, sms=True)

    response = staff_client.post(PAGE, posted_switches(**{"shipped.sms": False}))

    assert response.status_code == 302
    setting = MilestoneSetting.objects.get(milestone="shipped")
    assert (setting.push, setting.sms) == (True, False)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_with_keys_or_in_development_push_turns_on(staff_client, settings, debug):
    settings.DEBUG = debug
    if not debug:
        settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "BPublicKey", "private-key"
    switch("finalized", push=False)

    response = staff_client.post(PAGE, posted_switches(**{"finalized.push": True}))

    assert response.status_code == 302
    assert MilestoneSetting.objects.get(milestone="finalized").push


def run_local(settings) -> str:
    out = StringIO()
    call_command("generate_vapid_keys", "--local", stdout=out)
    return out.getvalue()


def test_make_run_creates_keys_for_the_local_store_once_and_says_so(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("VAPID_PUBLIC_KEY", raising=False)
    settings.DEBUG = True
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.LOCAL_VAPID_KEYS_FILE = keys_file = tmp_path / ".vapid-keys.env"

    output = run_local(settings)

    assert "Web push keys: created for this local store in .vapid-keys.env" in output
    assert stat.S_IMODE(os.stat(keys_file).st_mode) == 0o600  # it holds the private key
    keys = _local_vapid_keys(keys_file)  # what the settings read on the next start
    assert len(keys["VAPID_PUBLIC_KEY"]) == 87 and keys["VAPID_PUBLIC_KEY"].startswith("B")  # a P-256 point
    assert len(keys["VAPID_PRIVATE_KEY"]) == 43

    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = keys["VAPID_PUBLIC_KEY"], keys["VAPID_PRIVATE_KEY"]
    again = run_local(settings)

    assert again.strip() == "Web push keys: already set (from .vapid-keys.env)."
    assert _local_vapid_keys(keys_file) == keys  # idempotent: the subscriptions made with them stay valid


def test_keys_set_in_the_environment_are_left_alone(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("VAPID_PUBLIC_KEY", "BFromTheEnvironment")
    settings.DEBUG = True
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "BFromTheEnvironment", "secret"
    settings.LOCAL_VAPID_KEYS_FILE = tmp_path / ".vapid-keys.env"

    assert run_local(settings).strip() == "Web push keys: already set (from the environment)."
    assert not settings.LOCAL_VAPID_KEYS_FILE.exists()


def test_in_production_no_keys_are_made_and_it_says_what_to_do(settings, tmp_path):
    settings.DEBUG = False
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.LOCAL_VAPID_KEYS_FILE = tmp_path / ".vapid-keys.env"

    output = run_local(settings)

    assert "DEBUG is off" in output and "VAPID_PUBLIC_KEY" in output
    assert not settings.LOCAL_VAPID_KEYS_FILE.exists()


def test_without_local_the_command_still_prints_a_pair_to_paste():
    out = StringIO()
    call_command("generate_vapid_keys", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split("=")[0] for line in lines if not line.startswith("#")] == [
        "VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT",
    ]
