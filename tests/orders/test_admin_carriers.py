"""Staff keep the carriers' tracking pages and code formats up to date in the admin."""
import pytest
from django.urls import reverse

from tests.factories import carrier

pytestmark = pytest.mark.django_db


def carrier_data(obj, **changes):
    data = {
        "name": obj.name, "code": obj.code, "active": "on" if obj.active else "",
        "tracking_url_template": obj.tracking_url_template, "tracking_code_regex": obj.tracking_code_regex,
        "check_digit": obj.check_digit, "tracking_code_example": obj.tracking_code_example,
    }
    return {key: value for key, value in {**data, **changes}.items() if value != ""}


def test_staff_change_a_carriers_tracking_page(staff_client):
    andreani = carrier("andreani")
    url = reverse("admin:carriers_carrier_change", args=[andreani.pk])

    response = staff_client.post(
        url, carrier_data(andreani, tracking_url_template="https://www.andreani.com/#!/informacionEnvio/{code}")
    )

    assert response.status_code == 302
    andreani.refresh_from_db()
    assert andreani.tracking_url("360000123456780") == "https://www.andreani.com/#!/informacionEnvio/360000123456780"


def test_url_template_without_the_code_is_refused(staff_client):
    andreani = carrier("andreani")
    url = reverse("admin:carriers_carrier_change", args=[andreani.pk])

    response = staff_client.post(url, carrier_data(andreani, tracking_url_template="https://www.andreani.com/envio/"))

    assert response.status_code == 200
    assert "tracking_url_template" in response.context["adminform"].form.errors


def test_example_that_fails_the_carriers_own_format_is_refused(staff_client):
    andreani = carrier("andreani")
    url = reverse("admin:carriers_carrier_change", args=[andreani.pk])

    response = staff_client.post(url, carrier_data(andreani, tracking_code_regex=r"\d{20}"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tracking_code_example"]
    assert errors[0].startswith("The example does not pass this carrier's own check")
    andreani.refresh_from_db()
    assert andreani.tracking_code_regex == r"\d{10,20}"


def test_carrier_list_links_each_example_tracking_page(staff_client):
    page = staff_client.get(reverse("admin:carriers_carrier_changelist")).content.decode()

    assert "https://www.andreani.com/envio/360000123456780" in page
    assert "Correo Argentino" in page
