"""Why a row of outbound work failed, was skipped or waits for a retry: a code from the kind's fixed
set and a detail (the other side's words, a status code, a number), stored on the row; the sentence
is told in the reader's language when it is shown, never stored.

An app declares its codes (a `TextChoices` whose labels are the sentences without a detail) and,
for the codes that carry one, the sentence around it:

    class Reason(models.TextChoices):
        HTTP_ERROR = "http_error", _("the endpoint answered with an error")
        GAVE_UP = "gave_up", _("gave up after the last attempt")

    REASONS = Reasons(Reason, with_detail={Reason.HTTP_ERROR: _("the endpoint answered HTTP %(detail)s")},
                      gave_up=Reason.GAVE_UP)
    REASONS.sentence(row.error_code, row.error, attempts=row.attempts)

A row that gives up keeps the last error inside its detail as "<code>:<detail>" (`gave_up_detail()`),
so "gave up after 5 attempts: the endpoint answered HTTP 503" is told in the reader's language too.
A sentence with several values keeps them as a JSON object in the detail (`values()`); `prepare`
turns them into what the sentence shows, in the reader's language (an amount written for them).
Text stored before the codes (no code) is shown as it is.
"""
from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _

GAVE_UP_SENTENCE = _("gave up after %(attempts)s attempts: %(error)s")


class Reasons:
    def __init__(self, choices, *, with_detail=None, detail_only=(), gave_up: str = "", gave_up_nests: bool = True,
                 prepare=None, structured=()):
        self.choices = choices
        self.prepare = prepare
        # Codes whose detail is a JSON object of values: other text there (kept from before) is shown as it is.
        self.structured = frozenset(structured)
        self.with_detail = dict(with_detail or {})
        self.detail_only = frozenset(detail_only)
        self.gave_up = gave_up
        self.gave_up_nests = gave_up_nests

    def gave_up_detail(self, code: str, detail: str = "") -> str:
        """The detail of a row that gave up after an error with this code and detail."""
        if code == self.gave_up:  # a worker that died after an earlier give-up: keep that error
            return detail
        return f"{code}:{detail}" if code else detail

    def sentence(self, code: str, detail: str = "", *, attempts: int | None = None) -> str:
        """The reason told in the active language ('' for neither code nor detail)."""
        if not code:
            return detail
        try:
            reason = self.choices(code)
        except ValueError:
            return detail or code
        if reason in self.detail_only:
            return detail or str(reason.label)
        if self.gave_up and reason == self.gave_up:
            error = self._nested(detail) if self.gave_up_nests else detail
            template = self.with_detail.get(reason, GAVE_UP_SENTENCE)
            if not error:
                return str(reason.label)
            return str(template) % _Detail(error, attempts="?" if attempts is None else attempts)
        template = self.with_detail.get(reason)
        if template is None or not detail:
            return str(reason.label)
        if reason in self.structured and not detail.startswith("{"):
            return detail
        return str(template) % self._values(detail)

    def _values(self, detail: str) -> _Detail:
        values = {}
        if detail.startswith("{"):
            try:
                loaded = json.loads(detail)
            except ValueError:
                loaded = None
            if isinstance(loaded, dict):
                values = {str(key): value for key, value in loaded.items()}
        if self.prepare is not None and values:
            values = self.prepare(values)
        return _Detail(detail, **values)

    @staticmethod
    def values(**values) -> str:
        """The detail of a sentence with several values (each a string or a number)."""
        return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)

    def _nested(self, detail: str) -> str:
        code, colon, inner = detail.partition(":")
        if colon and code in self.choices.values and code != self.gave_up:
            return self.sentence(code, inner)
        return detail


class _Detail(dict):
    """The values of a sentence: the detail under whatever name the sentence gives it
    (%(detail)s, %(error)s, %(status)s...), and the attempts."""

    def __init__(self, detail: str, **values):
        super().__init__(values)
        self.detail = detail

    def __missing__(self, key):
        return self.detail
