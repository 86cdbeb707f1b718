"""What an SMS costs: its encoding and number of segments, exactly as a provider bills it.

GSM 03.38 (3GPP TS 23.038) is the 7-bit alphabet every handset understands. A message made
only of its characters is sent as GSM-7: 160 septets in a single SMS, 153 per part once it is
split (the user data header of a concatenated SMS takes the other 7). The extension table
characters (``{ } [ ] ~ \\ | ^ €`` and form feed) are sent as an escape plus a septet, so they
count as two. One character outside the alphabet turns the whole message into UCS-2: 70 UTF-16
code units in a single SMS, 67 per part; characters outside the Basic Multilingual Plane (most
emoji) take two units, a surrogate pair.

Providers never split an escape sequence or a surrogate pair across two parts: such a character
moves whole to the next part, which can cost one more segment than a plain division suggests.

An empty text costs 0 segments: there is nothing to send, and providers refuse an empty body.
Callers must not send it (``billing.services.charge_sms`` refuses ``segments=0``).

This module imports nothing from the database: it is safe to use anywhere (templates, forms,
previews, tasks).
"""
from __future__ import annotations

import unicodedata
from typing import NamedTuple

GSM7 = "gsm7"
UCS2 = "ucs2"

# Limits shared with billing.services (which re-exports MAX_SMS_SEGMENTS).
MAX_SMS_SEGMENTS = 10  # a rendered SMS longer than this is refused, never charged
WARN_SMS_SEGMENTS = 3  # the template editor warns above this

GSM7_SINGLE_SEPTETS = 160
GSM7_PART_SEPTETS = 153
UCS2_SINGLE_UNITS = 70
UCS2_PART_UNITS = 67

# GSM 03.38 default alphabet, in table order (0x1B, the escape to the extension table, is left
# out: it is not a character a message can contain).
GSM7_BASIC_CHARS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
) - {"\x1b"}
# The extension table: each is sent as ESC + a septet, two septets in all.
GSM7_EXTENSION_CHARS = frozenset("\x0c^{}\\[~]|€")
GSM7_CHARS = GSM7_BASIC_CHARS | GSM7_EXTENSION_CHARS


class SmsCost(NamedTuple):
    encoding: str  # "gsm7" or "ucs2"
    segments: int


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` can be sent in GSM-7."""
    return all(char in GSM7_CHARS for char in text)


def non_gsm7_chars(text: str) -> list[str]:
    """The distinct characters that force ``text`` into UCS-2, in order of first appearance."""
    seen: dict[str, None] = {}
    for char in text:
        if char not in GSM7_CHARS:
            seen.setdefault(char, None)
    return list(seen)


def _segments(costs: list[int], single: int, part: int) -> int:
    """Number of parts for characters costing ``costs`` units each, never splitting one."""
    total = sum(costs)
    if total == 0:
        return 0
    if total <= single:
        return 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > part:
            parts += 1
            used = 0
        used += cost
    return parts


def count_segments(text: str) -> SmsCost:
    """The encoding a provider will use for ``text`` and how many SMS segments it bills."""
    if is_gsm7(text):
        costs = [2 if char in GSM7_EXTENSION_CHARS else 1 for char in text]
        return SmsCost(GSM7, _segments(costs, GSM7_SINGLE_SEPTETS, GSM7_PART_SEPTETS))
    costs = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return SmsCost(UCS2, _segments(costs, UCS2_SINGLE_UNITS, UCS2_PART_UNITS))


def length_in_units(text: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes, as a counter would show."""
    if is_gsm7(text):
        return sum(2 if char in GSM7_EXTENSION_CHARS else 1 for char in text)
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


# Replacements that Unicode decomposition does not give (punctuation, spaces, a few letters).
# Letters with accents (á ã â ç í ó õ ú ...) are handled by stripping the accent, below.
_REPLACEMENTS = {
    # quotes and apostrophes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2039": "'", "\u203a": "'",
    # dashes, hyphens and bullets
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2022": "-", "\u00b7": "-",
    # dots
    "\u2026": "...",
    # spaces: no-break, thin, figure, ideographic ... and the tab
    "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ",
    "\u2005": " ", "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ",
    "\u202f": " ", "\u205f": " ", "\u3000": " ", "\t": " ",
    # invisible characters that only cost money
    "\u200b": "", "\ufeff": "", "\u00ad": "",
    # ordinal indicators and the degree sign, as in "5º B" or "2ª cuota"
    "\u00ba": "o", "\u00aa": "a", "\u00b0": "o",
    # letters without a decomposition
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0152": "OE", "\u0153": "oe",
    "\u00d0": "D", "\u00f0": "d", "\u00de": "Th", "\u00fe": "th",
    # symbols
    "\u00d7": "x", "\u2122": "TM", "\u00ae": "(R)", "\u00a9": "(C)",
}


def _friendly_char(char: str) -> str:
    if char in GSM7_CHARS:
        return char
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    # Strip accents: "á" decomposes to "a" + a combining acute accent.
    stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if stripped and stripped != char and is_gsm7(stripped):
        return stripped
    return char


def to_gsm7_friendly(text: str) -> str:
    """Replace the characters outside GSM-7 with their nearest GSM-7 equivalents.

    ``á í ó ú ã õ â ê ç`` lose their accent (``é ñ ü à ¿ ¡`` are GSM-7 and stay), curly quotes
    become straight, dashes become ``-``, the ellipsis becomes ``...`` and unusual spaces a plain
    space. A character with no sensible replacement (an emoji, a CJK character) is left as it is,
    and the message then stays UCS-2.

    It never makes a message dearer: when the result costs more segments than the original
    (``…`` becoming ``...`` takes three characters instead of one), the original is returned.
    """
    friendly = "".join(_friendly_char(char) for char in text)
    if friendly != text and count_segments(friendly).segments > count_segments(text).segments:
        return text
    return friendly


def cost_preview(text: str) -> dict:
    """What a template editor shows: the cost as written and with the GSM-7 friendly option.

    Returns plain values (JSON-serialisable)::

        {"text", "encoding", "segments", "length", "non_gsm7_chars", "warning", "too_long",
         "friendly_text", "friendly_encoding", "friendly_segments", "friendly_length",
         "friendly_warning", "friendly_too_long", "friendly_saves", "max_segments", "warn_segments"}

    ``warning`` is true above ``WARN_SMS_SEGMENTS`` (3) segments; ``too_long`` above
    ``MAX_SMS_SEGMENTS`` (10), when the SMS is refused. ``friendly_saves`` is how many segments
    the GSM-7 friendly option saves (0 when it saves nothing).
    """
    cost = count_segments(text)
    friendly = to_gsm7_friendly(text)
    friendly_cost = count_segments(friendly)
    return {
        "text": text,
        "encoding": cost.encoding,
        "segments": cost.segments,
        "length": length_in_units(text),
        "non_gsm7_chars": non_gsm7_chars(text),
        "warning": cost.segments > WARN_SMS_SEGMENTS,
        "too_long": cost.segments > MAX_SMS_SEGMENTS,
        "friendly_text": friendly,
        "friendly_encoding": friendly_cost.encoding,
        "friendly_segments": friendly_cost.segments,
        "friendly_length": length_in_units(friendly),
        "friendly_warning": friendly_cost.segments > WARN_SMS_SEGMENTS,
        "friendly_too_long": friendly_cost.segments > MAX_SMS_SEGMENTS,
        "friendly_saves": max(cost.segments - friendly_cost.segments, 0),
        "max_segments": MAX_SMS_SEGMENTS,
        "warn_segments": WARN_SMS_SEGMENTS,
    }
