"""Custom statuses: the defaults, the service and its gates, the admin (order page, bulk, list, status admin)."""
import html
import re
import threading

import pytest
from django.contrib.auth.models import Permission
from django.db import close_old_connections, connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders import services, signals
from orders.models import (
    CustomStatus,
    Order,
    OrderCustomStatus,
    OrderEvent,
    PaymentStatus,
    Status,
)
from orders.services import CustomStatusNotFound, TransitionNotAllowed
from tests.factories import OrderFactory, UserFactory
from tests.orders.admin_factories import change_url, dispatcher, manager, sheet_url
from tests.utils import requires_postgres

pytestmark = pytest.mark.django_db

DEFAULT_CODES = {
    "delivery": ["in_transit", "at_pickup_point", "out_for_delivery", "delivery_failed", "delivered"],
    "payment": ["invoice_issued", "awaiting_payment"],
    "general": ["agreed_with_customer"],
}


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signals.custom_status_changed.connect(receiver, dispatch_uid="tests.custom_status_received")
    yield calls
    signals.custom_status_changed.disconnect(dispatch_uid="tests.custom_status_received")


# --- the defaults -----------------------------------------------------------------------------


def test_data_migration_seeded_the_default_statuses_in_order_with_three_languages():
    for status_type, codes in DEFAULT_CODES.items():
        statuses = list(CustomStatus.objects.filter(type=status_type).order_by("position"))
        assert [status.code for status in statuses] == codes
        for status in statuses:
            assert status.active
            assert status.name_en and status.name_es and status.name_pt_br
    assert all(CustomStatus.objects.filter(type="delivery").values_list("include_in_analytics", flat=True))
    delivered = CustomStatus.objects.get(type="delivery", code="delivered")
    assert (delivered.name_in("en"), delivered.name_in("es"), delivered.name_in("pt-br")) == (
        "Delivered", "Entregado", "Entregue",
    )


def test_name_in_falls_back_to_another_filled_name():
    status = CustomStatus.objects.create(type="general", code="vip", name_es="Cliente VIP")
    assert status.name_in("pt-br") == "Cliente VIP"
    assert status.name_in("en") == "Cliente VIP"
    assert status.name_in("es-ar") == "Cliente VIP"
    assert CustomStatus.objects.get(code="out_for_delivery").name_in("pt_BR") == "Saiu para entrega"


def test_the_staff_groups_may_set_custom_statuses():
    from django.contrib.auth.models import Group

    for name in ("Order managers", "Dispatch"):
        assert Group.objects.get(name=name).permissions.filter(codename="set_custom_status").exists()


# --- the service ------------------------------------------------------------------------------


@pytest.mark.parametrize(("status_type", "code"), [
    ("delivery", "out_for_delivery"), ("payment", "invoice_issued"), ("general", "agreed_with_customer"),
])
def test_setting_each_type_records_the_current_status_an_event_with_actor_and_time_and_a_signal(
    status_type, code, received
):
    order = OrderFactory()
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type=status_type, code=code, notify_customer=False)

    current = OrderCustomStatus.objects.get(order=order, type=status_type)
    assert current.status.code == code and current.set_by == user and current.set_at is not None
    event = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.CUSTOM_STATUS)
    assert event.actor == user and event.created_at is not None
    assert event.custom_status == current.status
    assert event.data == {"type": status_type, "from": None, "to": code}
    assert len(received) == 1
    assert received[0]["order"].pk == order.pk
    assert received[0]["status_type"] == status_type
    assert received[0]["from_status"] is None
    assert received[0]["to_status"] == current.status
    assert received[0]["by"] == user
    assert received[0]["notify_customer"] is False


def test_a_new_status_of_a_type_replaces_the_current_one_and_the_signal_says_from_which(received):
    order = OrderFactory()
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="delivery", code="in_transit")
    services.set_custom_status(order, by=user, status_type="delivery", code="delivered")
    services.set_custom_status(order, by=user, status_type="payment", code="invoice_issued")

    assert {row.type: row.status.code for row in order.custom_statuses.all()} == {
        "delivery": "delivered", "payment": "invoice_issued",
    }
    assert received[1]["from_status"].code == "in_transit" and received[1]["to_status"].code == "delivered"
    assert OrderEvent.objects.filter(order=order, kind="custom_status").count() == 3
    assert OrderEvent.objects.filter(order=order, kind="custom_status").order_by("id")[1].data == {
        "type": "delivery", "from": "in_transit", "to": "delivered",
    }
    assert [status.code for status in Order.objects.get(pk=order.pk).current_custom_statuses.values()] == [
        "delivered", "invoice_issued",
    ]


def test_setting_the_same_status_twice_makes_one_event_and_one_signal(received):
    order = OrderFactory()
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="delivery", code="in_transit")
    services.set_custom_status(order, by=user, status_type="delivery", code="in_transit")

    assert OrderEvent.objects.filter(order=order, kind="custom_status").count() == 1
    assert len(received) == 1


def test_custom_statuses_never_move_the_lifecycle_nor_open_a_gate():
    order = OrderFactory(payment_method="transfer", status=Status.PENDING)
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="delivery", code="delivered")
    services.set_custom_status(order, by=user, status_type="payment", code="invoice_issued")
    services.set_custom_status(order, by=user, status_type="general", code="agreed_with_customer")

    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Status.PENDING, PaymentStatus.UNPAID)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.accept(order, by=user)
    assert refused.value.code == "payment_required"
    assert services.allowed_moves(order)["finalize"] is not None


def test_a_shipped_unpaid_transfer_order_delivered_still_cannot_be_finalized():
    order = OrderFactory(payment_method="cash_on_delivery", status=Status.SHIPPED)
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="delivery", code="delivered")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.finalize(order, by=user)
    assert refused.value.code == "payment_required"
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Status.SHIPPED, PaymentStatus.UNPAID)


@pytest.mark.parametrize(("status_type", "code", "error_code", "field"), [
    ("shipping", "delivered", "unknown_custom_status_type", "type"),
    ("", "delivered", "unknown_custom_status_type", "type"),
    ("delivery", "teleported", "unknown_custom_status", "code"),
    ("payment", "delivered", "unknown_custom_status", "code"),
    ("delivery", "", "unknown_custom_status", "code"),
])
def test_an_unknown_type_or_code_is_refused_with_a_clear_message(status_type, code, error_code, field, received):
    order = OrderFactory()
    with pytest.raises(CustomStatusNotFound) as refused:
        services.set_custom_status(order, by=UserFactory(), status_type=status_type, code=code)
    assert refused.value.code == error_code and refused.value.field == field
    assert str(refused.value)
    assert not OrderCustomStatus.objects.exists() and not received


def test_unknown_code_message_names_the_type_and_code():
    with pytest.raises(CustomStatusNotFound) as refused:
        services.set_custom_status(OrderFactory(), by=None, status_type="delivery", code="teleported")
    assert str(refused.value) == "There is no delivery status with the code “teleported”."


def test_an_inactive_status_is_refused(received):
    CustomStatus.objects.filter(code="delivery_failed").update(active=False)
    order = OrderFactory()
    with pytest.raises(TransitionNotAllowed) as refused:
        services.set_custom_status(order, by=UserFactory(), status_type="delivery", code="delivery_failed")
    assert refused.value.code == "custom_status_inactive"
    assert "inactive" in str(refused.value)
    assert not OrderCustomStatus.objects.exists() and not received


def test_an_order_keeps_a_status_deactivated_after_it_was_set_and_setting_it_again_changes_nothing(received):
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
    CustomStatus.objects.filter(code="in_transit").update(active=False)
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
    assert order.current_custom_statuses["delivery"].code == "in_transit"
    assert len(received) == 1


def test_a_cancelled_order_gets_no_custom_status_but_a_finalized_one_does():
    cancelled = OrderFactory(status=Status.CANCELLED)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.set_custom_status(cancelled, by=None, status_type="delivery", code="delivered")
    assert refused.value.code == "order_cancelled"

    finalized = OrderFactory(status=Status.FINALIZED, paid=True)
    services.set_custom_status(finalized, by=None, status_type="delivery", code="delivered")
    assert finalized.current_custom_statuses["delivery"].code == "delivered"


def test_clearing_a_type_records_an_event_and_sends_no_signal(received):
    order = OrderFactory()
    user = UserFactory()
    services.set_custom_status(order, by=user, status_type="payment", code="awaiting_payment")
    services.clear_custom_status(order, by=user, status_type="payment")
    services.clear_custom_status(order, by=user, status_type="payment")

    assert not order.custom_statuses.exists()
    cleared = OrderEvent.objects.filter(order=order, kind="custom_status").order_by("id").last()
    assert cleared.custom_status is None and cleared.actor == user
    assert cleared.data == {"type": "payment", "from": "awaiting_payment", "to": None}
    assert len(received) == 1


def test_a_used_status_cannot_be_deleted_from_the_database():
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
    status = CustomStatus.objects.get(type="delivery", code="in_transit")
    assert status.is_used()
    with pytest.raises(ProtectedError):
        status.delete()
    assert not CustomStatus.objects.get(code="delivery_failed").is_used()


# --- the order page ---------------------------------------------------------------------------


def custom_status_url(order, status_type):
    return reverse("admin:orders_order_custom_status", args=[order.pk, status_type])


def offered(page: str, status_type: str) -> list[str]:
    """The codes the order page's select offers for one type."""
    select = re.search(rf'<select id="custom-status-{status_type}".*?</select>', page, re.DOTALL)
    return re.findall(r'<option value="([^"]*)"', select.group(0)) if select else []


@pytest.mark.parametrize(("status_type", "code", "name"), [
    ("delivery", "out_for_delivery", "Out for delivery"),
    ("payment", "invoice_issued", "Invoice issued"),
    ("general", "agreed_with_customer", "Agreed with the customer"),
])
def test_staff_set_each_type_from_the_order_page(client, received, status_type, code, name):
    user = manager()
    client.force_login(user)
    order = OrderFactory(status=Status.SHIPPED)

    page = client.get(change_url(order)).content.decode()
    assert f'action="{custom_status_url(order, status_type)}"' in page
    assert code in offered(page, status_type)

    response = client.post(custom_status_url(order, status_type), {"status": code, "notify_customer": "on"})

    assert response.status_code == 302 and response["Location"] == change_url(order)
    assert order.current_custom_statuses[status_type].code == code
    event = OrderEvent.objects.get(order=order, kind="custom_status")
    assert event.actor == user
    assert received[0]["notify_customer"] is True
    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Status.SHIPPED, PaymentStatus.UNPAID)

    page = client.get(change_url(order)).content.decode()
    assert f"status set to “{name}”" in html.unescape(page)
    row = re.search(rf'<tr class="custom-status" data-type="{status_type}" data-current="{code}">.*?</tr>', page,
                    re.DOTALL)
    assert row and name in html.unescape(row.group(0)) and "manager" in row.group(0)


def test_the_order_pages_timeline_shows_custom_status_changes_with_actor_and_time(staff_client, admin_user):
    order = OrderFactory(status=Status.SHIPPED)
    services.set_custom_status(order, by=admin_user, status_type="delivery", code="in_transit")
    services.set_custom_status(order, by=None, status_type="delivery", code="delivered")

    response = staff_client.get(change_url(order))
    page = html.unescape(response.content.decode())

    assert "Delivery: In transit" in page
    assert "Delivery: In transit → Delivered" in page
    inline = [f for f in response.context["inline_admin_formsets"] if f.opts.model is OrderEvent][0]
    rows = [form.original for form in inline if form.original.kind == "custom_status"]
    assert [(event.actor, event.created_at is not None) for event in rows] == [(admin_user, True), (None, True)]
    sheet = html.unescape(staff_client.get(sheet_url(order)).content.decode())
    assert "Delivery: In transit → Delivered" in sheet


def test_the_order_page_costs_no_more_queries_with_custom_statuses_and_their_events(staff_client):
    order = OrderFactory(status=Status.SHIPPED)
    staff_client.get(change_url(order))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(change_url(order)).status_code == 200
        return len(queries)

    services.set_custom_status(order, by=None, status_type="general", code="agreed_with_customer")
    with_one = count()
    for code in ("in_transit", "out_for_delivery", "delivery_failed", "delivered"):
        services.set_custom_status(order, by=None, status_type="delivery", code=code)
    services.set_custom_status(order, by=None, status_type="payment", code="invoice_issued")

    assert count() == with_one <= 13  # 13: the messages to the customer section reads the order's log rows


def test_the_order_page_speaks_the_staffs_language(staff_client):
    order = OrderFactory(status=Status.SHIPPED)
    services.set_custom_status(order, by=None, status_type="delivery", code="out_for_delivery")

    page = html.unescape(staff_client.get(change_url(order), HTTP_ACCEPT_LANGUAGE="es").content.decode())

    assert "En reparto" in page


def test_notify_customer_unchecked_is_passed_to_the_signal(staff_client, received):
    order = OrderFactory()
    staff_client.post(custom_status_url(order, "payment"), {"status": "invoice_issued"})
    assert received[0]["notify_customer"] is False


def test_inactive_statuses_are_not_offered_and_cannot_be_posted(staff_client):
    CustomStatus.objects.filter(code="delivery_failed").update(active=False)
    order = OrderFactory()

    page = staff_client.get(change_url(order)).content.decode()
    response = staff_client.post(custom_status_url(order, "delivery"), {"status": "delivery_failed"})

    assert "delivery_failed" not in offered(page, "delivery")
    assert "in_transit" in offered(page, "delivery")
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert not order.custom_statuses.exists()


def test_clearing_from_the_order_page(staff_client):
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="general", code="agreed_with_customer")

    response = staff_client.post(custom_status_url(order, "general"), {"status": ""}, follow=True)

    assert not order.custom_statuses.exists()
    assert [str(m) for m in response.context["messages"]] == [f"Order {order.number}: general status cleared."]


def test_a_cancelled_order_page_says_why_no_custom_status_can_be_set(staff_client):
    order = OrderFactory(status=Status.CANCELLED)

    page = staff_client.get(change_url(order)).content.decode()
    response = staff_client.post(custom_status_url(order, "delivery"), {"status": "delivered"})

    assert "Cancelled orders cannot get custom statuses." in page
    assert 'id="custom-status-form-delivery"' not in page
    assert response.status_code == 200
    assert "Cancelled orders cannot get custom statuses." in response.context["form"].non_field_errors()
    assert not order.custom_statuses.exists()


def test_staff_without_the_permission_see_the_statuses_but_cannot_set_them(client):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(viewer)
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")

    page = html.unescape(client.get(change_url(order)).content.decode())
    response = client.post(custom_status_url(order, "delivery"), {"status": "delivered"})

    assert "In transit" in page and "Your user cannot set custom statuses." in page
    assert response.status_code == 403
    assert order.current_custom_statuses["delivery"].code == "in_transit"


def test_dispatch_may_set_custom_statuses(client):
    client.force_login(dispatcher())
    order = OrderFactory(status=Status.SHIPPED)

    client.post(custom_status_url(order, "delivery"), {"status": "out_for_delivery"})

    assert order.current_custom_statuses["delivery"].code == "out_for_delivery"


def test_an_unknown_type_in_the_address_is_not_found(staff_client):
    assert staff_client.get(custom_status_url(OrderFactory(), "shipping")).status_code == 404


# --- the order list and its bulk action -------------------------------------------------------

LIST_URL = reverse("admin:orders_order_changelist")


def count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries)


def orders_with_statuses(count):
    codes = ["in_transit", "out_for_delivery", "delivered"]
    for index in range(count):
        order = OrderFactory(status=Status.SHIPPED)
        services.set_custom_status(order, by=None, status_type="delivery", code=codes[index % 3])
        if index % 2:
            services.set_custom_status(order, by=None, status_type="payment", code="invoice_issued")


def test_the_list_shows_custom_statuses_without_a_query_per_order(staff_client):
    orders_with_statuses(5)
    staff_client.get(LIST_URL)
    with_5 = count_list_queries(staff_client)
    orders_with_statuses(45)
    with_50 = count_list_queries(staff_client)

    assert with_5 == with_50 <= 8
    page = html.unescape(staff_client.get(LIST_URL).content.decode())
    assert "Delivery: Out for delivery<br>Payment: Invoice issued" in page


def run_bulk(client, orders, data=None):
    post = {"action": "set_custom_status_selected", "_selected_action": [order.pk for order in orders], "index": 0}
    return client.post(LIST_URL, {**post, **(data or {})}, follow=True)


def test_bulk_set_asks_for_the_status_then_sets_it_and_reports_each_refusal(staff_client, admin_user, received):
    shipped = OrderFactory(status=Status.SHIPPED)
    pending = OrderFactory()
    cancelled = OrderFactory(status=Status.CANCELLED)
    already = OrderFactory(status=Status.SHIPPED)
    services.set_custom_status(already, by=None, status_type="delivery", code="delivered")
    received.clear()
    orders = [shipped, pending, cancelled, already]

    intermediate = run_bulk(staff_client, orders)
    assert intermediate.templates[0].name == "admin/orders/order/set_custom_status.html"
    page = intermediate.content.decode()
    assert all(order.number in page for order in orders)
    delivered = CustomStatus.objects.get(type="delivery", code="delivered")
    assert f'<option value="{delivered.pk}">Delivered</option>' in page

    response = run_bulk(staff_client, orders, {"apply": "1", "status": delivered.pk, "notify_customer": "on"})

    assert [str(m) for m in response.context["messages"]] == [
        f"2 orders now have the status “Delivered”: {shipped.number}, {pending.number}.",
        f"{already.number} already had the status “Delivered”.",
        f"{cancelled.number}: Cancelled orders cannot get custom statuses.",
    ]
    for order in (shipped, pending, already):
        assert order.current_custom_statuses["delivery"] == delivered
    assert not cancelled.custom_statuses.exists()
    assert len(received) == 2 and {call["by"] for call in received} == {admin_user}
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_bulk_set_without_a_status_shows_the_page_again_with_the_error(staff_client):
    order = OrderFactory()
    response = run_bulk(staff_client, [order], {"apply": "1", "status": ""})
    assert response.context["form"].errors["status"]
    assert not order.custom_statuses.exists()


def test_bulk_set_offers_only_active_statuses(staff_client):
    CustomStatus.objects.filter(code="awaiting_payment").update(active=False)
    inactive = CustomStatus.objects.get(code="awaiting_payment")
    order = OrderFactory()

    page = run_bulk(staff_client, [order]).content.decode()
    response = run_bulk(staff_client, [order], {"apply": "1", "status": inactive.pk})

    assert f'value="{inactive.pk}"' not in page
    assert response.context["form"].errors["status"]
    assert not order.custom_statuses.exists()


def test_users_without_the_permission_have_no_bulk_custom_status(client):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_order", "accept_order"]))
    client.force_login(viewer)
    order = OrderFactory()

    response = client.get(LIST_URL)
    offered_actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    delivered = CustomStatus.objects.get(code="delivered")
    run_bulk(client, [order], {"apply": "1", "status": delivered.pk})

    assert "set_custom_status_selected" not in offered_actions
    assert not order.custom_statuses.exists()


# --- the custom status admin ------------------------------------------------------------------


def status_admin_url(name, *args):
    return reverse(f"admin:orders_customstatus_{name}", args=args)


def test_a_used_status_cannot_be_deleted_in_the_admin_and_the_page_says_why(staff_client):
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
    used = CustomStatus.objects.get(code="in_transit")

    change = html.unescape(staff_client.get(status_admin_url("change", used.pk)).content.decode())
    delete = staff_client.post(status_admin_url("delete", used.pk), {"post": "yes"})

    assert "is the current status of 1 order and is kept in order timelines: it cannot be deleted." in change
    assert status_admin_url("delete", used.pk) not in change
    assert delete.status_code == 403
    assert CustomStatus.objects.filter(pk=used.pk).exists()


def test_a_status_only_in_timelines_is_still_never_deleted(staff_client):
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="payment", code="awaiting_payment")
    services.set_custom_status(order, by=None, status_type="payment", code="invoice_issued")
    past = CustomStatus.objects.get(code="awaiting_payment")

    assert staff_client.post(status_admin_url("delete", past.pk), {"post": "yes"}).status_code == 403
    assert CustomStatus.objects.filter(pk=past.pk).exists()


def test_bulk_delete_refuses_used_statuses_with_a_sentence(staff_client):
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="delivery", code="in_transit")
    used = CustomStatus.objects.get(code="in_transit")
    unused = CustomStatus.objects.get(code="delivery_failed")

    response = staff_client.post(
        status_admin_url("changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes", "index": 0},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "“In transit” is the current status of 1 order and is kept in order timelines: it cannot be deleted. "
        "Deactivate it to stop its use."
    ]
    assert CustomStatus.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2


def test_an_unused_status_can_be_deleted(staff_client):
    unused = CustomStatus.objects.get(code="delivery_failed")
    response = staff_client.post(status_admin_url("delete", unused.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not CustomStatus.objects.filter(pk=unused.pk).exists()


def test_staff_add_rename_reorder_and_deactivate_statuses(staff_client):
    response = staff_client.post(status_admin_url("add"), {
        "type": "delivery", "code": "returned_to_sender", "name_es": "Devuelto al remitente",
        "name_pt_br": "Devolvido ao remetente", "name_en": "Returned to sender", "position": 60,
        "include_in_analytics": "on", "active": "on",
    })
    assert response.status_code == 302
    added = CustomStatus.objects.get(type="delivery", code="returned_to_sender")

    statuses = list(CustomStatus.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": len(statuses), "form-INITIAL_FORMS": len(statuses), "_save": "Save",
    }
    for index, status in enumerate(statuses):
        data[f"form-{index}-id"] = status.pk
        data[f"form-{index}-position"] = 5 if status == added else status.position
        if status.include_in_analytics:
            data[f"form-{index}-include_in_analytics"] = "on"
        if status.active and status.code != "in_transit":
            data[f"form-{index}-active"] = "on"
    response = staff_client.post(status_admin_url("changelist"), data)
    assert response.status_code == 302

    assert list(CustomStatus.objects.filter(type="delivery").values_list("code", flat=True))[0] == "returned_to_sender"
    assert not CustomStatus.objects.get(code="in_transit").active


def test_a_code_is_unique_per_type_and_a_name_is_required(staff_client):
    response = staff_client.post(status_admin_url("add"), {"type": "delivery", "code": "delivered", "position": 1})
    errors = response.context["adminform"].form.errors
    assert "__all__" in errors
    assert CustomStatus.objects.filter(code="delivered").count() == 1


def test_the_code_and_type_of_a_used_status_are_read_only(staff_client):
    order = OrderFactory()
    services.set_custom_status(order, by=None, status_type="delivery", code="delivered")
    used = CustomStatus.objects.get(code="delivered")

    staff_client.post(status_admin_url("change", used.pk), {
        "type": "general", "code": "entregue", "name_es": "Entregado", "name_pt_br": "Entregue",
        "name_en": "Delivered to you", "position": 50, "include_in_analytics": "on", "active": "on",
    })

    used.refresh_from_db()
    assert (used.type, used.code, used.name_en) == ("delivery", "delivered", "Delivered to you")


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_many_integrations_setting_the_same_status_at_once_make_one_event():
    order = OrderFactory(status=Status.SHIPPED)
    user = UserFactory()
    barrier = threading.Barrier(8)
    errors = []
    calls = []
    signals.custom_status_changed.connect(
        lambda sender, **kwargs: calls.append(kwargs), dispatch_uid="tests.custom_status_concurrency", weak=False
    )

    def set_status():
        try:
            barrier.wait(timeout=10)
            services.set_custom_status(
                Order.objects.get(pk=order.pk), by=user, status_type="delivery", code="out_for_delivery"
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=set_status) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        signals.custom_status_changed.disconnect(dispatch_uid="tests.custom_status_concurrency")
    close_old_connections()

    assert errors == []
    assert OrderEvent.objects.filter(order=order, kind="custom_status").count() == 1
    assert OrderCustomStatus.objects.filter(order=order).count() == 1
    assert len(calls) == 1
