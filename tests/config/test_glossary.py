"""The words people read follow docs/glossary.md: no catalogue and no default message uses a word its
language's table says never to use, one English text means one thing in every catalogue, and what a
page shows is what our catalogue says (not Django's or a library's word for the same English text)."""
import re
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from notifications.defaults import all_default_templates

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary.md"
# The glossary's section heading per language, and the catalogue directory of each.
SECTIONS = {"es": "es", "pt-br": "pt-BR", "en": "en"}
CATALOGUE_DIRS = {"es": "es", "pt-br": "pt_BR"}


def forbidden_words() -> dict[str, set[str]]:
    """{language: the words in the Never column of its table}."""
    words = defaultdict(set)
    language = None
    headings = {heading: code for code, heading in SECTIONS.items()}
    for line in GLOSSARY.read_text().splitlines():
        if line.startswith("## "):
            language = headings.get(line[3:].split(" ")[0])
            continue
        if language and line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) >= 3:
                words[language].update(re.findall(r"`([^`]+)`", cells[2]))
    return dict(words)


def catalogues(directory: str) -> list[Path]:
    """The apps' catalogues and the project's own (locale/, LOCALE_PATHS)."""
    return sorted(ROOT.glob(f"*/locale/{directory}/LC_MESSAGES/django.po")) + [
        ROOT / "locale" / directory / "LC_MESSAGES" / "django.po"
    ]


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def texts(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [text for text in value if text]


def catalogue_texts(language: str) -> list[tuple[str, str]]:
    """(where, text) for every text of that language in the catalogues: the translations for es and
    pt-BR, the English sources (msgid) for en."""
    found = []
    if language == "en":
        for path in catalogues("es"):
            for message in read(path):
                found.extend((f"{path.relative_to(ROOT)} msgid", text) for text in texts(message.id))
    else:
        for path in catalogues(CATALOGUE_DIRS[language]):
            for message in read(path):
                if message.id:
                    found.extend((f"{path.relative_to(ROOT)}", text) for text in texts(message.string))
    return found


def default_texts(language: str) -> list[tuple[str, str]]:
    return [
        (f"notifications.defaults {milestone}/{channel}/{lang}", fields[name])
        for milestone, channel, lang, fields in all_default_templates() if lang == language
        for name in ("subject", "body", "html_body") if fields.get(name)
    ]


def uses(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def test_the_glossary_names_what_must_never_be_said():
    words = forbidden_words()
    assert set(words) == {"es", "pt-br", "en"}
    assert {"orden", "órdenes", "empresa de transporte", "empresa de envío", "tú"} <= words["es"]
    assert {"rastreio", "transportador"} <= words["pt-br"]
    assert {"courier", "tracking number"} <= words["en"]


@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_catalogues_and_default_messages_use_the_glossary_words(language):
    offending = [
        f"{where}: “{word}” in {text!r}"
        for where, text in catalogue_texts(language) + default_texts(language)
        for word in sorted(forbidden_words()[language]) if uses(text, word)
    ]
    assert offending == []


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_one_english_text_is_translated_one_way_in_every_catalogue(language):
    """Django merges the apps' catalogues and the first app's translation wins, so a text translated
    two ways shows the other app's words (the fulfillment method's "Carrier" once described the
    `{{ carrier }}` field as a delivery method)."""
    translations = defaultdict(dict)
    for path in catalogues(CATALOGUE_DIRS[language]):
        for message in read(path):
            if message.id:
                key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
                translations[key][str(path.relative_to(ROOT))] = tuple(texts(message.string))
    differing = {key: apps for key, apps in translations.items() if len(set(apps.values())) > 1}
    assert differing == {}


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_pages_show_our_translation_of_every_text(language):
    """Django's and the libraries' catalogues come before the apps' (django.contrib.auth's Spanish says
    "Correo electrónico" for "Email"): where they differ, the project's catalogue (locale/) says ours."""
    shown_otherwise = {}
    with translation.override(language):
        for path in catalogues(CATALOGUE_DIRS[language]):
            for message in read(path):
                if message.id and isinstance(message.id, str):
                    shown = (translation.pgettext(message.context, message.id) if message.context
                             else translation.gettext(message.id))
                    if shown != message.string:
                        shown_otherwise[(str(path.relative_to(ROOT)), message.id)] = shown
    assert shown_otherwise == {}


def test_the_word_check_reads_whole_words():
    assert uses("Modificar orden", "orden")
    assert uses("ÓRDENES", "órdenes")
    assert not uses("ordenado por fecha", "orden")
    assert not uses("{{ tracking_code }}", "tracking code")


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_the_admins_own_texts_as_pages_show_them_use_the_glossary_words(language):
    """Django's admin and auth catalogues write the admin's frame (the index's title, the history
    page, the user's staff flag): as a page shows them, through the project's catalogue first,
    they say none of the words the glossary forbids ("administração": the admin is the "painel")."""
    import django

    contrib = Path(django.__file__).parent / "contrib"
    never = forbidden_words()[language]
    said = {}
    with translation.override(language):
        for app in ("admin", "auth"):
            for message in read(contrib / app / "locale" / CATALOGUE_DIRS[language] / "LC_MESSAGES" / "django.po"):
                if not message.id or not isinstance(message.id, str):
                    continue
                shown = (translation.pgettext(message.context, message.id) if message.context
                         else translation.gettext(message.id))
                for word in never:
                    if uses(shown, word):
                        said[(app, message.id)] = word
    assert said == {}
