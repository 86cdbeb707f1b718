"""POST and PATCH /api/v1/webhooks/ refuse unknown fields and control characters, like every input of the API."""
import pytest

from tests.api.conftest import _clear_throttle_counts, api  # noqa: F401 (fixtures)
from webhooks.models import Endpoint

from .helpers import endpoint

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/orders"


def test_an_unknown_field_answers_400_naming_it(api):
    response = api.post("/api/v1/webhooks/", {"url": URL, "events": ["order.created"], "secret": "mine"},
                        format="json")

    assert response.status_code == 400
    assert "secret" in response.json()
    assert response.json()["secret"][0].startswith("Unknown field; the fields here are url, events, description, active")
    assert not Endpoint.objects.exists()


def test_a_description_with_control_characters_is_refused_on_create_and_change(api):
    created = api.post("/api/v1/webhooks/", {"url": URL, "events": ["order.created"], "description": "ERP\x07"},
                       format="json")
    existing = endpoint(api.storefront)
    changed = api.patch(f"/api/v1/webhooks/{existing.pk}/", {"description": "ERP\n2"}, format="json")

    assert created.status_code == 400
    assert created.json()["description"] == ["Remove the control character U+0007 at position 4."]
    assert (changed.status_code, changed.json()) == (400, {"description": [
        "Send one line: a line break (U+000A at position 4) is not allowed here.",
    ]})
