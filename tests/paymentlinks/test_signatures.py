"""The x-signature check, against HMACs computed here from Mercado Pago's documented manifest."""
import hashlib
import hmac

import pytest

from paymentlinks.signatures import InvalidSignature, verify

SECRET = "your-secret-signature"
NOW = 1_767_000_000


def mac(manifest: str) -> str:
    return hmac.new(SECRET.encode(), manifest.encode(), hashlib.sha256).hexdigest()


def test_the_documented_manifest():
    header = f"ts={NOW},v1=" + mac(f"id:123456;request-id:abc-1;ts:{NOW};")
    assert verify(header, request_id="abc-1", data_id="123456", secret=SECRET, now=NOW) == NOW


def test_a_part_the_notification_lacks_is_left_out():
    header = f"ts={NOW},v1=" + mac(f"id:123456;ts:{NOW};")
    assert verify(header, request_id=None, data_id="123456", secret=SECRET, now=NOW) == NOW
    header = f"ts={NOW},v1=" + mac(f"request-id:abc-1;ts:{NOW};")
    assert verify(header, request_id="abc-1", data_id="", secret=SECRET, now=NOW) == NOW


def test_an_alphanumeric_id_is_signed_in_lower_case():
    header = f"ts={NOW},v1=" + mac(f"id:ord01jq4s4kxcrvda9m0ygkx;request-id:abc-1;ts:{NOW};")
    assert verify(header, request_id="abc-1", data_id="ORD01JQ4S4KXCRVDA9M0YGKX", secret=SECRET, now=NOW)


def test_milliseconds_and_spaces_are_accepted():
    ts = NOW * 1000 + 123
    header = f" ts = {ts} , v1 = " + mac(f"id:1;request-id:r;ts:{ts};")
    assert verify(header, request_id="r", data_id="1", secret=SECRET, now=NOW) == NOW


@pytest.mark.parametrize("age, accepted", [(599, True), (-599, True), (601, False), (-601, False)])
def test_ten_minutes_either_way(age, accepted):
    ts = NOW - age
    header = f"ts={ts},v1=" + mac(f"id:1;request-id:r;ts:{ts};")
    if accepted:
        verify(header, request_id="r", data_id="1", secret=SECRET, now=NOW)
    else:
        with pytest.raises(InvalidSignature):
            verify(header, request_id="r", data_id="1", secret=SECRET, now=NOW)


@pytest.mark.parametrize("header, reason", [
    (None, "missing x-signature"),
    ("", "missing x-signature"),
    ("v1=abc", "malformed x-signature"),
    (f"ts={NOW}", "malformed x-signature"),
    (f"ts=abc,v1={'0' * 64}", "malformed x-signature"),
    (f"ts={NOW},v1={'0' * 64}", "signature mismatch"),
])
def test_refusals_say_why(header, reason):
    with pytest.raises(InvalidSignature) as refused:
        verify(header, request_id="r", data_id="1", secret=SECRET, now=NOW)
    assert refused.value.reason == reason


def test_no_secret_trusts_nothing():
    header = f"ts={NOW},v1=" + hmac.new(b"", f"id:1;request-id:r;ts:{NOW};".encode(), hashlib.sha256).hexdigest()
    with pytest.raises(InvalidSignature):
        verify(header, request_id="r", data_id="1", secret="", now=NOW)
