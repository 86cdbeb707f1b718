"""Payment proofs: stored under a random name, served only to staff who may see the order."""
import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import clear_url_caches, resolve
from django.urls.exceptions import Resolver404

from orders import services
from orders.models import Payment, PaymentMethod
from tests.factories import OrderFactory, UserFactory
from tests.orders.admin_factories import dispatcher, png_bytes, upload

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"payment-proofs/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}\.png")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def paid_with_proof(admin_user, name="comprobante-maria-perez.png"):
    order = OrderFactory(payment_method=PaymentMethod.TRANSFER)
    payment = services.register_payment(order, by=admin_user, amount=order.total, proof=upload(name, png_bytes()))
    return order, payment


def proof_url(payment):
    return f"/admin/orders/order/{payment.order_id}/payments/{payment.pk}/proof/"


def shares_a_piece(name: str, secret: str, length: int = 6) -> bool:
    return any(secret[i:i + length] in name for i in range(len(secret) - length + 1))


def test_a_proof_is_stored_under_a_random_name_that_says_nothing_of_the_order(admin_user):
    order, payment = paid_with_proof(admin_user)

    name = payment.proof.name
    assert RANDOM_NAME.fullmatch(name), name
    assert not shares_a_piece(name, order.public_token)
    assert order.number not in name and "maria" not in name
    assert default_storage.open(name).read() == png_bytes()
    _, again = paid_with_proof(admin_user)
    assert again.proof.name != name


def test_staff_who_may_see_the_order_download_the_proof_under_the_orders_number(client, admin_user):
    order, payment = paid_with_proof(admin_user)
    client.force_login(dispatcher())

    response = client.get(proof_url(payment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert f'filename="{order.number}-{payment.pk}.png"' in response["Content-Disposition"]


def test_the_proof_is_refused_to_anonymous_visitors_and_to_staff_without_order_permissions(client, admin_user):
    _, payment = paid_with_proof(admin_user)

    anonymous = client.get(proof_url(payment))
    client.force_login(UserFactory(username="sin-permisos"))
    unprivileged = client.get(proof_url(payment))
    client.force_login(UserFactory(username="cliente", is_staff=False))
    not_staff = client.get(proof_url(payment))

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    assert unprivileged.status_code == 403
    assert not_staff.status_code == 302 and not_staff["Location"].startswith("/admin/login/")


def test_no_media_address_serves_a_proof_even_with_debug_on(client, settings, admin_user):
    import config.urls

    _, payment = paid_with_proof(admin_user)
    media_address = "/" + settings.MEDIA_URL.lstrip("/") + payment.proof.name
    debug = settings.DEBUG
    settings.DEBUG = True
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(media_address)
        response = client.get(media_address)
    finally:
        settings.DEBUG = debug
        importlib.reload(config.urls)
        clear_url_caches()

    assert response.status_code == 404
    assert png_bytes() not in response.content


def test_a_proof_whose_file_is_missing_answers_404(staff_client, admin_user):
    _, payment = paid_with_proof(admin_user)
    default_storage.delete(payment.proof.name)

    assert staff_client.get(proof_url(payment)).status_code == 404
