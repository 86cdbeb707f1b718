"""Tracking-code checks that a regular expression cannot express on its own."""
import re

S10_PATTERN = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def normalize_tracking_code(code: str) -> str:
    """Upper-case and drop the spaces and dashes people paste with a code."""
    return re.sub(r"[\s-]+", "", code or "").upper()


def s10_check_digit(serial: str) -> int:
    """UPU S10 check digit of the eight-digit serial number."""
    total = sum(int(digit) * weight for digit, weight in zip(serial, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return 0
    if check == 11:
        return 5
    return check


def is_valid_s10(code: str) -> bool:
    """True for a well-formed UPU S10 code (e.g. RR123456785AR) whose check digit is right."""
    if not S10_PATTERN.match(code):
        return False
    return s10_check_digit(code[2:10]) == int(code[10])
