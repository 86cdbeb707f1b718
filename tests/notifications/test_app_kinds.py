"""Kinds of message other apps register: looked up by their code, named in the log, and kept from
taking a built-in milestone's code."""
import pytest

from notifications.app_kinds import AppKind, register_kind, registered_kinds
from notifications.kinds import kind_of
from notifications.models import Notification


def test_the_apps_kinds_are_registered_by_the_apps_that_own_them():
    kinds = registered_kinds()
    assert {"payment_link", "data_request", "webhook_disabled", "payment_staff_alert", "low_stock"} <= set(kinds)
    assert type(kinds["payment_link"]).__module__ == "paymentlinks.messages"
    assert type(kinds["data_request"]).__module__ == "connectors.messages"
    assert type(kinds["webhook_disabled"]).__module__ == "webhooks.messages"
    assert type(kinds["payment_staff_alert"]).__module__ == "paymentlinks.alerts"
    assert type(kinds["low_stock"]).__module__ == "inventory.messages"
    assert all(kinds[code].staff for code in ("data_request", "webhook_disabled", "payment_staff_alert", "low_stock"))
    assert kind_of(Notification(milestone="data_request", source="platform-event:1")) is kinds["data_request"]


@pytest.mark.parametrize("code", ["shipped", "new_order", "rule", ""])
def test_a_kind_may_not_take_a_built_in_code(code):
    class Clash(AppKind):
        pass

    Clash.code = code
    with pytest.raises(ValueError):
        register_kind(Clash())


@pytest.mark.parametrize("code, source, url, label", [
    ("data_request", "platform-event:12", "/admin/connectors/platformevent/12/change/", "platform event 12"),
    ("low_stock", "low-stock-alert:7", "/admin/inventory/lowstockalert/7/change/", "low-stock alert 7"),
    ("webhook_disabled", "webhook-endpoint:3@20261207T101500.000000", "/admin/webhooks/endpoint/3/change/", "webhook endpoint 3"),
    ("payment_staff_alert", "payment-link:5", "/admin/paymentlinks/paymentlink/5/change/", "payment link 5"),
    ("payment_staff_alert", "mercadopago-payment:9:amount_mismatch", "/admin/paymentlinks/mercadopagopayment/9/change/",
     "Mercado Pago payment 9"),
])
def test_the_log_links_a_message_without_an_order_to_what_it_is_about(code, source, url, label):
    notification = Notification(milestone=code, source=source)

    assert str(kind_of(notification).admin_about(notification)) == f'<a href="{url}">{label}</a>'
