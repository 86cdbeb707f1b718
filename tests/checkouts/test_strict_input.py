"""POST /api/v1/checkouts/ holds its input to the API's strict rules: amounts, currencies, text and field names."""
import pytest

from checkouts.models import Checkout
from tests.api.conftest import NOT_AN_AMOUNT

from .conftest import CHECKOUT_BODY, report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("total", ["1e2", "١٢٣", " 1.00 ", "-0.00"])
def test_a_loose_total_answers_400(api, total):
    response = report(api, total=total)

    assert (response.status_code, response.json()) == (400, {"total": [NOT_AN_AMOUNT]})
    assert not Checkout.objects.exists()


def test_a_code_that_is_no_currency_in_use_answers_400(api):
    response = report(api, currency="XXX")

    assert response.status_code == 400
    assert list(response.json()) == ["currency"]


def test_unknown_fields_answer_400_naming_them(api):
    response = report(api, cart_token="abc", customer={**CHECKOUT_BODY["customer"], "age": 30})

    assert response.status_code == 400
    assert set(response.json()) == {"cart_token", "customer"}
    assert list(response.json()["customer"]) == ["age"]
    assert not Checkout.objects.exists()


def test_control_and_bidi_characters_are_refused_in_text_and_in_the_link(api):
    response = report(
        api, customer={**CHECKOUT_BODY["customer"], "name": "Mar\u202eía"},
        resume_url="https://tienda.example.com/checkout/1?\x07=1",
    )

    assert response.status_code == 400
    assert response.json() == {
        "customer": {"name": ["Remove the text-direction control character U+202E at position 4."]},
        "resume_url": ["Remove the control character U+0007 at position 39."],
    }
