"""The order list's search, shaped so an index answers it at a million orders.

What staff type, and what it finds:
- an order number ("K7QH-2M9X", "k7qh2m9x"): exact, any case, with or without the dash;
- an email, a tracking code ("3600 0012 3456 780") or a storefront order id: exact, any case
  (`UPPER(column) = UPPER(term)`, expression indexes in orders/models/order.py);
- a phone, as digits in any layout ("11 4444-3210", "+54 9 11 4444 3210"): the orders whose phone
  contains those digits (a trigram index on PostgreSQL);
- a name or part of one ("Gutiérrez", "luc gutier"): the orders whose customer name contains
  every word, any case (`UPPER(name) LIKE UPPER('%word%')`, a trigram index on PostgreSQL).
"""
import re

from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

PHONE_MIN_DIGITS = 6


def words(term: str) -> list[str]:
    """The words of the term as the admin splits them ("quoted phrases" stay whole)."""
    found = []
    for bit in smart_split(term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            found.append(bit)
    return found


def matching(search_term: str) -> Q | None:
    """The orders the term finds, or None for an empty term."""
    term = search_term.strip()
    if not term:
        return None
    compact = re.sub(r"[\s\-]", "", term)
    found = Q(number=term.upper()) | Q(customer_email__iexact=term) | Q(external_id__iexact=term)
    found |= Q(tracking_code__iexact=term)
    if compact and compact != term:
        # Tracking codes are stored without spaces or dashes.
        found |= Q(tracking_code__iexact=compact)
    if len(compact) == 8 and compact.isalnum():
        # Order numbers are stored with one dash: "K7QH-2M9X".
        found |= Q(number=f"{compact[:4]}-{compact[4:]}".upper())
    digits = re.sub(r"[\s\-().+/]", "", term)
    if digits.isdigit() and len(digits.lstrip("0")) >= PHONE_MIN_DIGITS:
        # Phones are stored as +5491155551234; staff type "11 5555-1234" or "011 5555-1234".
        found |= Q(customer_phone__contains=digits.lstrip("0"))
    name = Q()
    for word in words(term):
        name &= Q(customer_name__icontains=word)
    return found | name if name else found
