"""An order number drawn twice (or by two creates racing) is drawn again, never a failed create."""
import pytest
from django.db import IntegrityError

from orders import models as order_models, services
from orders.models import Order, OrderEvent, OrderLine
from tests.api.conftest import _clear_throttle_counts, api  # noqa: F401 (fixtures)
from tests.api.conftest import order_body
from tests.factories import OrderFactory, UserFactory, storefront

from .test_place_order import order_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draws(monkeypatch):
    """`draws(*numbers)`: the order number generator answers these first, then draws as usual."""
    drawn = []

    def script(*numbers):
        queue = list(numbers)
        real = order_models.new_order_number

        def draw():
            number = queue.pop(0) if queue else real()
            drawn.append(number)
            return number

        monkeypatch.setattr(order_models, "new_order_number", draw)
        return drawn

    return script


def test_a_number_already_taken_is_drawn_again(draws):
    taken = OrderFactory()
    drawn = draws(taken.number, "ZZZZ-2222")

    order = services.place_order(by=UserFactory(), **order_data())

    assert drawn == [taken.number, "ZZZZ-2222"]
    assert order.number == "ZZZZ-2222"
    order.refresh_from_db()
    assert order.lines.count() == 2
    assert list(order.events.values_list("kind", flat=True)) == [OrderEvent.Kind.PLACED]
    assert Order.objects.count() == 2
    assert Order.objects.get(number=taken.number).pk == taken.pk


def test_a_storefront_create_that_draws_a_taken_number_answers_201_with_another(api, draws):  # noqa: F811
    taken = OrderFactory()
    draws(taken.number, taken.number, "ZZZZ-3333")

    response = api.post("/api/v1/orders/", order_body(), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["number"] == "ZZZZ-3333"
    assert Order.objects.filter(storefront=api.storefront).get().number == "ZZZZ-3333"


def test_when_every_draw_is_taken_the_create_fails_and_saves_nothing(draws):
    taken = OrderFactory()
    drawn = draws(*[taken.number] * services.NUMBER_DRAWS)

    with pytest.raises(IntegrityError):
        services.place_order(by=UserFactory(), **order_data())

    assert len(drawn) == services.NUMBER_DRAWS
    assert list(Order.objects.values_list("pk", flat=True)) == [taken.pk]
    assert not OrderLine.objects.exclude(order=taken).exists()
    assert not OrderEvent.objects.exclude(order=taken).exists()


def test_an_external_id_already_used_is_not_mistaken_for_a_number_clash(draws):
    shop = storefront()
    OrderFactory(storefront=shop, external_id="TN-1")
    drawn = draws()

    with pytest.raises(IntegrityError):
        services.place_order(by=UserFactory(), storefront=shop, external_id="TN-1", **order_data())

    assert len(drawn) == 1  # no second draw
    assert Order.objects.count() == 1
