"""Helpers every app's API module shares: a stable fingerprint of a request's data (to tell a
retry from a different request), and the translation of a service's field errors into the shape of
the request."""
from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder


class _CanonicalEncoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)  # e.g. a PhoneNumber, as E.164


def fingerprint(data) -> str:
    """A stable hash of a JSON-like value (key order and spacing do not matter)."""
    canonical = json.dumps(data, cls=_CanonicalEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def nest_errors(error: DjangoValidationError, paths: dict[str, tuple[str, ...]]) -> dict:
    """{"customer_phone": [...]} -> {"customer": {"phone": [...]}}, following `paths`."""
    nested: dict = {}
    for field, messages in error.message_dict.items():
        *parents, leaf = paths.get(field, (field,))
        node = nested
        for parent in parents:
            node = node.setdefault(parent, {})
        node.setdefault(leaf, []).extend(messages)
    return nested
