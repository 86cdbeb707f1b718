import math

from hypothesis import given
from hypothesis import strategies as st

from billing.sms import (
    GSM7_BASIC_CHARS,
    GSM7_EXTENSION_CHARS,
    SmsCost,
    cost_preview,
    count_segments,
    is_gsm7,
    to_gsm7_friendly,
)

BASIC = "".join(sorted(GSM7_BASIC_CHARS))
EXTENSION = "".join(sorted(GSM7_EXTENSION_CHARS))
# Characters outside GSM-7 that Spanish and Portuguese text is full of, plus a few others.
NON_GSM = "áíóúãõâêôçÁÍÓÚÃÕÂÊÔ“”‘’–—…\u00a0ªº°中ж\t😀"

basic_text = st.text(alphabet=BASIC, max_size=1200)


def expected_gsm_basic(n):
    if n == 0:
        return 0
    return 1 if n <= 160 else math.ceil(n / 153)


@given(basic_text)
def test_pure_gsm_basic_text_costs_ceil_of_153_beyond_160(text):
    assert count_segments(text) == SmsCost("gsm7", expected_gsm_basic(len(text)))


@given(st.text(alphabet=st.characters(min_codepoint=0x400, max_codepoint=0x4FF), max_size=800))
def test_bmp_unicode_text_costs_ceil_of_67_beyond_70(text):
    # Cyrillic: outside GSM-7, one UTF-16 unit each.
    expected = 0 if not text else (1 if len(text) <= 70 else math.ceil(len(text) / 67))
    assert count_segments(text) == ("ucs2" if text else "gsm7", expected)


@given(st.text(max_size=300), st.sampled_from(NON_GSM), st.text(max_size=300))
def test_any_character_outside_gsm7_makes_the_message_ucs2(before, char, after):
    assert count_segments(before + char + after).encoding == "ucs2"


@given(st.text(alphabet=BASIC + EXTENSION, max_size=600))
def test_text_made_of_gsm7_characters_stays_gsm7(text):
    assert count_segments(text).encoding == "gsm7"


@given(st.text(max_size=700), st.text(max_size=200))
def test_segments_never_decrease_when_text_is_appended(text, more):
    assert count_segments(text + more).segments >= count_segments(text).segments


@given(st.text(alphabet=EXTENSION, min_size=1, max_size=500))
def test_extension_characters_count_two_septets_and_are_never_split(text):
    # 80 fit in one SMS (160 septets); split, 76 fit in a 153-septet part (the 153rd septet stays empty).
    expected = 1 if len(text) <= 80 else math.ceil(len(text) / 76)
    assert count_segments(text) == ("gsm7", expected)


@given(st.text(max_size=500))
def test_a_message_over_one_segment_is_at_least_the_plain_division(text):
    cost = count_segments(text)
    if cost.encoding == "gsm7":
        units = sum(2 if c in GSM7_EXTENSION_CHARS else 1 for c in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    if units > single:
        assert cost.segments >= math.ceil(units / part)
        assert cost.segments <= math.ceil(units / (part - 1))
    else:
        assert cost.segments == (1 if units else 0)


def test_gsm7_edges_at_160_and_161():
    assert count_segments("a" * 160) == ("gsm7", 1)
    assert count_segments("a" * 161) == ("gsm7", 2)
    assert count_segments("a" * 306) == ("gsm7", 2)
    assert count_segments("a" * 307) == ("gsm7", 3)


def test_ucs2_edges_at_70_and_71():
    assert count_segments("á" * 70) == ("ucs2", 1)
    assert count_segments("á" * 71) == ("ucs2", 2)
    assert count_segments("á" * 134) == ("ucs2", 2)
    assert count_segments("á" * 135) == ("ucs2", 3)


def test_extension_characters_count_two():
    assert count_segments("{" * 80) == ("gsm7", 1)
    assert count_segments("€" * 81) == ("gsm7", 2)
    assert count_segments("a" * 159 + "^") == ("gsm7", 2)
    assert count_segments("a" * 158 + "~") == ("gsm7", 1)
    for char in "{}[]~\\|^€\x0c":
        assert count_segments("a" * 159 + char).segments == 2, repr(char)


def test_extension_escape_is_never_split_across_segments():
    # 306 septets would fit two parts, but the "{" cannot straddle the first part's end.
    text = "a" * 152 + "{" + "a" * 152
    assert count_segments(text) == ("gsm7", 3)
    assert count_segments("a" * 151 + "{" + "a" * 153) == ("gsm7", 2)


def test_emoji_counts_two_units_and_its_surrogate_pair_is_never_split():
    assert count_segments("😀" * 35) == ("ucs2", 1)
    assert count_segments("😀" * 35 + "a") == ("ucs2", 2)
    assert count_segments("a" * 69 + "😀") == ("ucs2", 2)
    # 134 units would fit two parts, but the emoji cannot straddle the first part's end.
    assert count_segments("中" * 66 + "😀" + "中" * 66) == ("ucs2", 3)
    assert count_segments("中" * 65 + "😀" + "中" * 67) == ("ucs2", 2)


def test_spanish_gsm7_letters_stay_gsm7_and_portuguese_accents_do_not():
    assert count_segments("¿Recibiste tu pedido? ¡Qué bueno! Muñeca, pingüino, à la carte, Ç") == ("gsm7", 1)
    for char in "áíóúãõâêç":
        assert count_segments(f"Hola {char}").encoding == "ucs2", char


def test_empty_text_costs_nothing_because_it_is_never_sent():
    assert count_segments("") == ("gsm7", 0)


def test_friendly_text_of_a_typical_message_is_gsm7():
    text = "Tu pedido está en camino, João"
    friendly = to_gsm7_friendly(text)
    assert friendly == "Tu pedido esta en camino, Joao"
    assert is_gsm7(friendly)
    assert count_segments(text).encoding == "ucs2"
    assert count_segments(friendly).encoding == "gsm7"


def test_friendly_replacements_keep_gsm7_letters_and_replace_the_rest():
    assert to_gsm7_friendly("Olá! Ação, pão, você, avô, Índia, ÁREA") == "Ola! Acao, pao, voce, avo, India, AREA"
    assert to_gsm7_friendly("é ñ ü à ¿ ¡ Ç Ñ Ü É") == "é ñ ü à ¿ ¡ Ç Ñ Ü É"
    assert to_gsm7_friendly("“Listo” ‘ya’ – envío — hoy… 5º B\u00a0CABA") == "\"Listo\" 'ya' - envio - hoy... 5o B CABA"


def test_friendly_leaves_characters_without_a_replacement():
    assert to_gsm7_friendly("Gracias 😀 José") == "Gracias 😀 José"
    assert to_gsm7_friendly("Olá 😀") == "Ola 😀"
    assert count_segments(to_gsm7_friendly("Olá 😀")).encoding == "ucs2"


def test_friendly_never_makes_a_message_dearer():
    # "…" -> "..." adds two units; with the emoji the text stays UCS-2, so it would cost more.
    text = "😀" + "x" * 67 + "…"
    assert count_segments(text).segments == 1
    assert to_gsm7_friendly(text) == text
    # 60 ellipses: one UCS-2 segment, but 180 septets (two segments) once spelt "...".
    assert to_gsm7_friendly("…" * 60) == "…" * 60
    assert to_gsm7_friendly("Listo…") == "Listo..."


@given(st.text(max_size=400))
def test_friendly_text_never_costs_more_and_is_stable(text):
    friendly = to_gsm7_friendly(text)
    assert count_segments(friendly).segments <= count_segments(text).segments
    assert to_gsm7_friendly(friendly) == friendly


@given(st.text(alphabet=BASIC + EXTENSION + "áíóúãõâêôçÁÍÓÚÃÕÂÊÔÇ“”‘’–—\u00a0", max_size=400))
def test_friendly_text_of_latin_text_is_always_gsm7(text):
    assert is_gsm7(to_gsm7_friendly(text))


def test_cost_preview_shows_both_costs_and_warns_above_three_segments():
    preview = cost_preview("Hola João, " + "tu pedido ya salió. " * 12)
    assert preview["encoding"] == "ucs2"
    assert preview["segments"] == 4
    assert preview["warning"] is True
    assert preview["non_gsm7_chars"] == ["ã", "ó"]
    assert preview["friendly_encoding"] == "gsm7"
    assert preview["friendly_segments"] == 2
    assert preview["friendly_saves"] == 2
    assert preview["friendly_warning"] is False
    assert preview["too_long"] is False


def test_cost_preview_flags_messages_that_will_be_refused():
    preview = cost_preview("á" * (67 * 10 + 1))
    assert preview["segments"] == 11
    assert preview["too_long"] is True
    assert preview["friendly_too_long"] is False
