"""Registering a payment from the order page: amount, reference and a proof checked by its content."""
from decimal import Decimal

import pytest

from orders.models import OrderEvent, Payment, PaymentMethod, PaymentStatus, Status
from orders.validators import MAX_PROOF_SIZE
from tests.factories import OrderFactory
from tests.orders.admin_factories import change_url, dispatcher, payment_url, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_payment(client, order, **data):
    data = {"amount": "11500.00", "reference": "", "notify_customer": "on", **data}
    return client.post(payment_url(order), data)


def assert_nothing_saved(order):
    order.refresh_from_db()
    assert not Payment.objects.filter(order=order).exists()
    assert order.payment_status == PaymentStatus.UNPAID
    assert order.status == Status.PENDING
    assert not order.events.exists()


def test_payment_with_png_proof_pays_the_order_and_the_proof_is_served_to_staff(staff_client, admin_user):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)
    proof = png_bytes()

    page = staff_client.get(payment_url(order))
    response = post_payment(
        staff_client, order, reference="TRF-884211", proof=upload("comprobante.png", proof, "image/png")
    )

    assert page.context["form"]["amount"].value() == Decimal("11500.00")
    assert response.status_code == 302
    assert response["Location"] == change_url(order)
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.reference, payment.recorded_by) == (Decimal("11500.00"), "TRF-884211", admin_user)
    with payment.proof.open("rb") as stored:
        assert stored.read() == proof
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID
    event = order.events.get()
    assert (event.kind, event.actor, event.note) == (OrderEvent.Kind.PAYMENT_REGISTERED, admin_user, "TRF-884211")

    order_page = staff_client.get(response["Location"])
    content = order_page.content.decode()
    assert "Payment of ARS11,500.00 registered for order %s. The order is paid." % order.number in [
        str(m) for m in order_page.context["messages"]
    ]
    proof_url = f"/admin/orders/order/{order.pk}/payments/{payment.pk}/proof/"
    assert proof_url in content
    served = staff_client.get(proof_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == proof


def test_payment_with_pdf_proof_is_saved(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.PAYMENT_LINK)

    response = post_payment(staff_client, order, proof=upload("recibo.pdf", pdf_bytes(), "application/pdf"))

    assert response.status_code == 302
    assert Payment.objects.get(order=order).proof.name.endswith(".pdf")


def test_partial_payment_leaves_the_order_unpaid_and_says_what_is_due(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    response = post_payment(staff_client, order, amount="5000", reference="TRF-1")

    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.UNPAID
    messages = [str(m) for m in staff_client.get(response["Location"]).context["messages"]]
    assert messages == [f"Payment of ARS5,000.00 registered for order {order.number}. Still due: ARS6,500.00."]
    assert staff_client.get(payment_url(order)).context["form"]["amount"].value() == Decimal("6500.00")


def test_executable_proof_is_refused(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    response = post_payment(staff_client, order, reference="TRF-1", proof=upload("comprobante.exe", b"MZ\x90\x00" * 64))

    assert response.status_code == 200
    assert response.context["form"].errors["proof"] == ["Upload the proof as a PDF, JPEG or PNG file."]
    assert_nothing_saved(order)


def test_text_file_named_pdf_is_refused(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    response = post_payment(
        staff_client, order, reference="TRF-1",
        proof=upload("comprobante.pdf", b"Transferencia realizada, gracias!\n", "application/pdf"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["proof"] == [
        "This file is not a real PDF: upload the proof as a PDF, JPEG or PNG file."
    ]
    assert_nothing_saved(order)


def test_proof_over_5_mb_is_refused(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)
    too_big = png_bytes() + b"\x00" * (MAX_PROOF_SIZE + 1)

    response = post_payment(staff_client, order, reference="TRF-1", proof=upload("captura.png", too_big, "image/png"))

    assert response.status_code == 200
    assert response.context["form"].errors["proof"] == ["The proof is 5.0 MB; the limit is 5 MB."]
    assert_nothing_saved(order)


def test_transfer_payment_needs_a_reference_or_a_proof(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    response = post_payment(staff_client, order)

    assert response.context["form"].non_field_errors() == [
        "Enter the payment reference code or attach the proof of payment."
    ]
    assert_nothing_saved(order)


def test_cash_collected_on_delivery_is_registered_without_a_reference(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY, status=Status.SHIPPED)

    response = post_payment(staff_client, order)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID


def test_amount_must_be_positive(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)

    response = post_payment(staff_client, order, amount="0", reference="TRF-1")

    assert "amount" in response.context["form"].errors
    assert_nothing_saved(order)


def test_paid_order_refuses_another_payment(staff_client):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER, paid=True)

    page = staff_client.get(payment_url(order))
    response = post_payment(staff_client, order, reference="TRF-2")

    assert "This order is already paid." in page.content.decode()
    assert response.context["form"].non_field_errors() == ["This order is already paid."]
    assert not Payment.objects.filter(order=order).exists()


def test_dispatch_user_gets_403_on_payment_registration(client):
    order = OrderFactory(payment_method=PaymentMethod.CASH_ON_DELIVERY, status=Status.SHIPPED)
    client.force_login(dispatcher())

    assert client.get(payment_url(order)).status_code == 403
    response = client.post(payment_url(order), {"amount": "11500.00", "proof": upload("r.png", png_bytes())})

    assert response.status_code == 403
    assert not Payment.objects.filter(order=order).exists()
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.UNPAID
