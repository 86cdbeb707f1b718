"""Kinds of message other apps register: looked up by their code, named in the log, and kept from
taking a built-in milestone's code."""
import pytest

from notifications.app_kinds import AppKind, register_kind, registered_kinds
from notifications.kinds import kind_of
from notifications.models import Notification


def test_the_apps_kinds_are_registered_by_the_apps_that_own_them():
    kinds = registered_kinds()
    assert {"payment_link", "data_request"} <= set(kinds)
    assert type(kinds["payment_link"]).__module__ == "paymentlinks.messages"
    assert type(kinds["data_request"]).__module__ == "connectors.messages"
    assert kind_of(Notification(milestone="data_request", source="platform-event:1")) is kinds["data_request"]


@pytest.mark.parametrize("code", ["shipped", "new_order", "rule", ""])
def test_a_kind_may_not_take_a_built_in_code(code):
    class Clash(AppKind):
        pass

    Clash.code = code
    with pytest.raises(ValueError):
        register_kind(Clash())
