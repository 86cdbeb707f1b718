import pytest
from django.core.exceptions import ValidationError

from carriers.models import Carrier
from carriers.validation import is_valid_s10, s10_check_digit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["correo-argentino", "andreani", "oca", "dhl", "fedex", "ups", "usps"])
def test_seeded_carriers_accept_their_own_example_and_build_a_link(code):
    carrier = Carrier.objects.get(code=code)
    assert carrier.active
    normalized = carrier.clean_tracking_code(carrier.tracking_code_example)
    url = carrier.tracking_url(normalized)
    assert url.startswith("http") and normalized in url


def test_s10_check_digit_uses_the_upu_weights():
    assert s10_check_digit("12345678") == 5
    assert is_valid_s10("RR123456785AR")
    assert not is_valid_s10("RR123456784AR")
    # The two special cases: 11 - 1 = 10 gives 0, and 11 - 0 = 11 gives 5.
    assert s10_check_digit("00004000") == 0  # 4 x 3 = 12, remainder 1
    assert s10_check_digit("00000000") == 5  # remainder 0


def test_correo_argentino_rejects_a_bad_check_digit_and_foreign_codes():
    correo = Carrier.objects.get(code="correo-argentino")
    assert correo.clean_tracking_code(" rr-123 456 785 ar ") == "RR123456785AR"
    with pytest.raises(ValidationError, match="check digit"):
        correo.clean_tracking_code("RR123456784AR")
    with pytest.raises(ValidationError, match="not a valid Correo Argentino tracking code"):
        correo.clean_tracking_code("1Z999AA10123456784")


def test_tracking_url_escapes_the_code_and_url_template_must_hold_the_placeholder():
    carrier = Carrier(name="X", code="x", tracking_url_template="https://x.example/track?c={code}", tracking_code_regex=".+")
    assert carrier.tracking_url("A&B=C") == "https://x.example/track?c=A%26B%3DC"
    carrier.tracking_url_template = "https://x.example/track"
    with pytest.raises(ValidationError):
        carrier.full_clean()
