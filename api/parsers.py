import codecs
import json

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

MAX_DEPTH = 32  # far deeper than any request of this API; deeper bodies are refused


def depth(value) -> int:
    """How deeply `value` nests lists and objects (iterative: no recursion on hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


class JSONInt(int):
    """A JSON integer that remembers how it was written ("-0" is 0 to Python)."""

    def __new__(cls, text: str):
        number = super().__new__(cls, text)
        number.json_text = text
        return number


class JSONFloat(float):
    """A JSON number with a fraction or an exponent that remembers how it was written."""

    def __new__(cls, text: str):
        number = super().__new__(cls, text)
        number.json_text = text
        return number


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested too deeply to handle safely (400, not a crash).

    Numbers keep the text they were sent as (`json_text`), so an amount is checked as written:
    `1e2` and `-0` are refused although Python reads them as 100.0 and 0.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=strict_constant, parse_int=JSONInt, parse_float=JSONFloat,
            )
        except ValueError as exc:
            raise ParseError("JSON parse error - %s" % exc) from None
        except RecursionError:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from None
        if depth(data) > MAX_DEPTH:
            raise ParseError(_("JSON parse error - the body is nested too deeply."))
        return data
