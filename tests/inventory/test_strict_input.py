"""PUT /api/v1/stock/{sku}/ refuses unknown fields and control characters, like every input of the API."""
import pytest
from django.urls import reverse

from inventory.models import StockItem
from tests.api.conftest import _clear_throttle_counts, api  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_an_unknown_field_answers_400_naming_it(api):
    response = api.put(reverse("api:stock", args=["REM-001"]), {"quantity": 3, "price": "10.00"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["price"]
    assert not StockItem.objects.exists()


def test_a_name_with_an_escape_sequence_is_refused(api):
    response = api.put(reverse("api:stock", args=["REM-001"]), {"quantity": 3, "name": "\x1b[2JRemera"},
                       format="json")

    assert response.status_code == 400
    assert response.json() == {"name": ["Remove the control character U+001B at position 1."]}
    assert not StockItem.objects.exists()
