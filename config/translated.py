"""Texts that a list shows on every row, made text once per language instead of once per row.

A lazy text (`gettext_lazy`, a choice's label) looks its translation up each time it becomes a
string, and `get_FOO_display()` builds a dict of every choice on each call: the order list's 50
rows did about a thousand look-ups a page. The catalogues do not change while a process runs
(Django loads them once too), so a text that lives as long as the process (a field's choices, the
admin site's empty-cell mark) is kept here per language; Django's `setting_changed` for the
language settings empties it, as it does Django's own catalogues.
"""
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

# (id of the text or field, language) -> (the object, kept so its id is not reused; its text)
_kept: dict = {}


def text(lazy) -> str:
    """`str(lazy)` in the active language, for a text that lives as long as the process (a module's
    or a site's: a text made per call would fill the cache)."""
    if isinstance(lazy, str):
        return lazy
    key = (id(lazy), get_language())
    found = _kept.get(key)
    if found is None:
        found = _kept[key] = (lazy, str(lazy))
    return found[1]


def choice_labels(field) -> dict:
    """A model field's choices, value -> label as text in the active language."""
    key = (id(field), get_language())
    found = _kept.get(key)
    if found is None:
        labels = {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}
        found = _kept[key] = (field, labels)
    return found[1]


class ChoiceLabels:
    """A model mixin: `get_FOO_display()` answers what Django's does (the value's label, else the
    value) from `choice_labels()`, for the models whose lists show their choices on every row."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = choice_labels(field)
        hashable = make_hashable(value)
        return labels[hashable] if hashable in labels else force_str(value, strings_only=True)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _kept.clear()
