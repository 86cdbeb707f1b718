"""What a store starts with: the switches of a new database, and what an existing one keeps."""
import importlib

import pytest
from django.apps import apps

from notifications.defaults import DEFAULT_SWITCHES
from notifications.models import MilestoneSetting, PurchaseExperienceChange

pytestmark = pytest.mark.django_db

ready_by_default = importlib.import_module("notifications.migrations.0012_ready_for_pickup_on_by_default")


def switches(milestone):
    setting = MilestoneSetting.objects.get(milestone=milestone)
    return {"email": setting.email, "sms": setting.sms, "push": setting.push}


def test_a_new_store_tells_pickup_customers_their_order_is_ready_by_email_and_push():
    assert switches("ready_for_pickup") == {"email": True, "sms": False, "push": True}
    assert switches("finalized") == {"email": False, "sms": False, "push": False}
    assert DEFAULT_SWITCHES["ready_for_pickup"] == {"email": True, "sms": False, "push": True, "whatsapp": False}


def test_whatsapp_starts_off_for_every_milestone():
    assert not MilestoneSetting.objects.filter(whatsapp=True).exists()
    assert all(not channels["whatsapp"] for channels in DEFAULT_SWITCHES.values())


def test_an_existing_store_still_at_the_old_default_gets_the_new_one():
    MilestoneSetting.objects.filter(milestone="ready_for_pickup").update(email=False, sms=False, push=False)
    ready_by_default.forward(apps, None)
    assert switches("ready_for_pickup") == {"email": True, "sms": False, "push": True}


@pytest.mark.parametrize("logged", ["Ready for pickup · Email", "Listo para retirar · Web push"])
def test_an_existing_store_that_chose_keeps_its_choice(logged):
    MilestoneSetting.objects.filter(milestone="ready_for_pickup").update(email=False, sms=False, push=False)
    PurchaseExperienceChange.objects.create(setting=logged, old_value="on", new_value="off")
    ready_by_default.forward(apps, None)
    assert switches("ready_for_pickup") == {"email": False, "sms": False, "push": False}


def test_an_existing_store_with_a_fallback_set_keeps_its_switches():
    MilestoneSetting.objects.filter(milestone="ready_for_pickup").update(
        email=False, sms=False, push=False, fallback_channel="sms"
    )
    ready_by_default.forward(apps, None)
    assert switches("ready_for_pickup") == {"email": False, "sms": False, "push": False}
