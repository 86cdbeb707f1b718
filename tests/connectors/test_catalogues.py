"""Staff read Spanish and Portuguese: the connectors' catalogues are complete and compiled."""
import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import connectors


@pytest.mark.parametrize("language", ["es", "pt_BR"])
def test_the_catalogues_are_complete_and_compiled(language):
    po = Path(connectors.__file__).parent / "locale" / language / "LC_MESSAGES" / "django.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    assert [m.id for m in catalog if m.id and (not m.string or "fuzzy" in m.flags)] == []
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog:
        if message.id:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            key = f"{message.context}\x04{key}" if message.context else key
            assert key in compiled._catalog or (key, 0) in compiled._catalog, f"{language} is stale: compile it"
