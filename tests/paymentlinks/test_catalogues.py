"""The payment links speak Spanish and Portuguese (Brazil): every string translated and compiled."""
import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import paymentlinks


@pytest.mark.parametrize("language", ["es", "pt_BR"])
def test_catalogues_are_complete_and_compiled(language):
    po = Path(paymentlinks.__file__).parent / "locale" / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and (not m.string or not all(m.string) or "fuzzy" in m.flags)]
    assert untranslated == []
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog:
        if message.id and isinstance(message.id, str):
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            assert compiled._catalog.get(key) == message.string, f"{mo} is stale: run compilemessages"
